import { INTERVALS_PER_DAY } from '../common/index.ts';

/**
 * Forecasters predict each household's own load and PV. They are batched for speed (one call per
 * interval for all homes) but row h only ever reads home h's own observations: no data crosses
 * households.
 */
export interface Forecaster {
  readonly name: string;
  /**
   * Records the realised load and PV of the next interval for every home. The arrays hold all
   * homes of one day, interval-major (`[t * households + h]`); `offset` is `t * households`.
   */
  observe(loadKwh: Float64Array, pvKwh: Float64Array, offset: number): void;
  /**
   * Forecasts the `horizon` intervals after the last observed one for every home, writing
   * `out*[h * horizon + k]` for k = 0 … horizon − 1 (k = 0 is the interval right after the last
   * observation).
   */
  forecast(horizon: number, outLoadKwh: Float64Array, outPvKwh: Float64Array): void;
}

/**
 * The last `capacity` observed intervals of every home's load and PV, interval-major
 * (`[(i % capacity) * households + h]`): the memory the seasonal baselines forecast from.
 */
class ObservationRing {
  readonly load: Float64Array;
  readonly pv: Float64Array;
  observed = 0;

  constructor(
    private readonly households: number,
    readonly capacity: number,
  ) {
    this.load = new Float64Array(households * capacity);
    this.pv = new Float64Array(households * capacity);
  }

  push(loadKwh: Float64Array, pvKwh: Float64Array, offset: number): void {
    const n = this.households;
    const slot = (this.observed % this.capacity) * n;
    this.load.set(loadKwh.subarray(offset, offset + n), slot);
    this.pv.set(pvKwh.subarray(offset, offset + n), slot);
    this.observed++;
  }
}

/**
 * Seasonal naive: the forecast for an interval is the value of the same interval one season
 * earlier (default one day = 48 intervals). The standard baseline forecasting competitions use
 * (REFERENCE-DATA: with under 6 months of data persistence beat LSTMs and Transformers).
 * On DST days "the same interval yesterday" is off by one hour, as it is for any seasonal naive
 * model on clock-indexed data.
 */
export class SeasonalNaiveForecaster implements Forecaster {
  readonly name = 'seasonal-naive';
  private readonly ring: ObservationRing;

  constructor(
    private readonly households: number,
    private readonly periodIntervals = INTERVALS_PER_DAY,
  ) {
    this.ring = new ObservationRing(households, periodIntervals);
  }

  get observations(): number {
    return this.ring.observed;
  }

  observe(loadKwh: Float64Array, pvKwh: Float64Array, offset: number): void {
    this.ring.push(loadKwh, pvKwh, offset);
  }

  forecast(horizon: number, outLoadKwh: Float64Array, outPvKwh: Float64Array): void {
    const n = this.households;
    const p = this.periodIntervals;
    if (this.ring.observed < p) throw new RangeError(`seasonal naive needs ${p} observations, has ${this.ring.observed}`);
    const { load, pv } = this.ring;
    for (let k = 0; k < horizon; k++) {
      // the interval observed + k is forecast by observed + k − p·ceil((k+1)/p)
      const back = p * Math.ceil((k + 1) / p);
      const slot = ((this.ring.observed + k - back) % p) * n;
      for (let h = 0, i = k; h < n; h++, i += horizon) {
        outLoadKwh[i] = load[slot + h];
        outPvKwh[i] = pv[slot + h];
      }
    }
  }
}

/**
 * Seasonal mean: the forecast for an interval is the mean of the same interval over the last
 * `days` days (default 7) — the baseline utility forecasters use ("same time, last week's
 * average"). Like seasonal naive it is clock-indexed: "the same interval d days earlier" is
 * `observed + k − d·48·ceil((k+1)/48)`, so on DST days it is off by an hour.
 */
export class SeasonalMeanForecaster implements Forecaster {
  readonly name: string;
  private readonly ring: ObservationRing;
  private readonly span: number;

  constructor(
    private readonly households: number,
    private readonly days = 7,
    private readonly periodIntervals = INTERVALS_PER_DAY,
  ) {
    if (!Number.isInteger(days) || days < 1) throw new RangeError(`seasonal mean needs a whole number of days ≥ 1 (got ${days})`);
    this.name = `seasonal-mean-${days}d`;
    this.span = days * periodIntervals;
    this.ring = new ObservationRing(households, this.span);
  }

  observe(loadKwh: Float64Array, pvKwh: Float64Array, offset: number): void {
    this.ring.push(loadKwh, pvKwh, offset);
  }

  forecast(horizon: number, outLoadKwh: Float64Array, outPvKwh: Float64Array): void {
    const n = this.households;
    const p = this.periodIntervals;
    const span = this.span;
    if (this.ring.observed < span) throw new RangeError(`seasonal mean needs ${span} observations, has ${this.ring.observed}`);
    for (let k = 0; k < horizon; k++) {
      // the newest same-interval observation is observed + k − p·ceil((k+1)/p); then one period back each
      const newest = this.ring.observed + k - p * Math.ceil((k + 1) / p);
      // newest ∈ [observed − p, observed − 1], so all `days` steps back are still in the buffer
      for (let h = 0; h < n; h++) {
        let load = 0;
        let pv = 0;
        for (let d = 0; d < this.days; d++) {
          const slot = ((newest - d * p) % span) * n + h;
          load += this.ring.load[slot];
          pv += this.ring.pv[slot];
        }
        outLoadKwh[h * horizon + k] = load / this.days;
        outPvKwh[h * horizon + k] = pv / this.days;
      }
    }
  }
}

/** Reads realised values ahead of the current interval (only the perfect forecaster uses it). */
export interface FutureActuals {
  /** Load and PV of home h, `stepsAhead` intervals after the last observed one (0 = the next). */
  loadKwh(stepsAhead: number, h: number): number;
  pvKwh(stepsAhead: number, h: number): number;
}

/** The realised future: an upper bound on forecast quality, used to measure what forecast errors cost. */
export class PerfectForecaster implements Forecaster {
  readonly name = 'perfect';
  constructor(
    private readonly households: number,
    private readonly future: FutureActuals,
  ) {}
  observe(): void {}
  forecast(horizon: number, outLoadKwh: Float64Array, outPvKwh: Float64Array): void {
    for (let h = 0; h < this.households; h++) {
      for (let k = 0; k < horizon; k++) {
        outLoadKwh[h * horizon + k] = this.future.loadKwh(k, h);
        outPvKwh[h * horizon + k] = this.future.pvKwh(k, h);
      }
    }
  }
}

/**
 * Records every forecast another forecaster makes, in call order, so a comparison run of the same
 * homes (the battery-only rerun) can replay exactly the same forecasts without retraining.
 */
export class RecordingForecaster implements Forecaster {
  readonly name: string;
  readonly tape: Float64Array[] = [];
  constructor(private readonly inner: Forecaster) {
    this.name = inner.name;
  }
  observe(loadKwh: Float64Array, pvKwh: Float64Array, offset: number): void {
    this.inner.observe(loadKwh, pvKwh, offset);
  }
  forecast(horizon: number, outLoadKwh: Float64Array, outPvKwh: Float64Array): void {
    this.inner.forecast(horizon, outLoadKwh, outPvKwh);
    this.tape.push(outLoadKwh.slice(0, outLoadKwh.length), outPvKwh.slice(0, outPvKwh.length));
  }
}

/** Replays a `RecordingForecaster`'s tape; the calls must come in the same order. */
export class ReplayForecaster implements Forecaster {
  private next = 0;
  constructor(
    readonly name: string,
    private readonly tape: readonly Float64Array[],
  ) {}
  observe(): void {}
  forecast(_horizon: number, outLoadKwh: Float64Array, outPvKwh: Float64Array): void {
    if (this.next + 1 >= this.tape.length + 1) throw new Error('forecast tape exhausted: the replayed run differs from the recorded one');
    outLoadKwh.set(this.tape[this.next++]);
    outPvKwh.set(this.tape[this.next++]);
  }
}
