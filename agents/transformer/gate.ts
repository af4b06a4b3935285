import { INTERVALS_PER_DAY } from '../../common/index.ts';
import { SeasonalMeanForecaster, SeasonalNaiveForecaster, type Forecaster } from '../forecaster.ts';

export interface GateOptions {
  /** lead times that are scored, intervals ahead (default 6 = the 3 h trading horizon) */
  scoredHorizon?: number;
  /** half-life of the error memory, in observed intervals (default 48 = one day) */
  halfLifeIntervals?: number;
  /** member used for a household before any member has a score there (default 0) */
  preferred?: number;
  name?: string;
}

export type GateSeries = 'load' | 'pv';

/**
 * Uses, for each household and separately for load and PV, the member forecaster that has been
 * most accurate for that household recently, so a learned model that is worse than the seasonal
 * baseline for some home never costs that home money.
 *
 * Accuracy: every forecast a member makes for lead times 0 … scoredHorizon − 1 is kept until the
 * realised value arrives through `observe`; the absolute error (averaged over the lead times that
 * forecast the step) updates an exponentially weighted mean absolute error per member, household
 * and series, with weight α = 1 − 2^(−1/halfLife) on the newest error. A member without a score
 * for a household is not chosen while another member has one; before anyone has a score the
 * `preferred` member is used. A member that cannot forecast yet (a seasonal-naive forecaster
 * throws RangeError before it has a full season) is skipped for that call.
 */
export class GatedForecaster implements Forecaster {
  readonly name: string;
  private readonly scored: number;
  private readonly alpha: number;
  private readonly preferred: number;
  /** predictions per member, `[k][slot][h]` flattened: (k * scored + slot) * n + h */
  private readonly pendingLoad: Float64Array[];
  private readonly pendingPv: Float64Array[];
  /** target step of each (member, k, slot), −1 = empty */
  private readonly pendingStep: Int32Array[];
  /** EW mean absolute error per member, `[h]`; NaN = no score yet */
  private readonly maeLoad: Float64Array[];
  private readonly maePv: Float64Array[];
  /** members' forecasts, laid out `[h * width + k]` for the width of the current call */
  private buffers: { horizon: number; load: Float64Array[]; pv: Float64Array[] } | null = null;
  private readonly errLoad: Float64Array;
  private readonly errPv: Float64Array;
  private readonly chosenLoad: Int32Array;
  private readonly chosenPv: Int32Array;
  private observed = 0;

  constructor(
    readonly households: number,
    readonly members: readonly Forecaster[],
    options: GateOptions = {},
  ) {
    if (members.length < 1) throw new RangeError('a gate needs at least one forecaster');
    this.name = options.name ?? `gate(${members.map((m) => m.name).join(',')})`;
    this.scored = options.scoredHorizon ?? 6;
    this.alpha = 1 - Math.pow(2, -1 / (options.halfLifeIntervals ?? INTERVALS_PER_DAY));
    this.preferred = options.preferred ?? 0;
    if (!(this.scored >= 1) || this.preferred < 0 || this.preferred >= members.length) throw new RangeError('bad gate options');
    const n = households;
    const cells = this.scored * this.scored * n;
    this.pendingLoad = members.map(() => new Float64Array(cells));
    this.pendingPv = members.map(() => new Float64Array(cells));
    this.pendingStep = members.map(() => new Int32Array(this.scored * this.scored).fill(-1));
    this.maeLoad = members.map(() => new Float64Array(n).fill(Number.NaN));
    this.maePv = members.map(() => new Float64Array(n).fill(Number.NaN));
    this.errLoad = new Float64Array(n);
    this.errPv = new Float64Array(n);
    this.chosenLoad = new Int32Array(n).fill(this.preferred);
    this.chosenPv = new Int32Array(n).fill(this.preferred);
  }

  observe(loadKwh: Float64Array, pvKwh: Float64Array, offset: number): void {
    for (const m of this.members) m.observe(loadKwh, pvKwh, offset);
    const n = this.households;
    const s = this.observed;
    const slot = s % this.scored;
    this.members.forEach((_, m) => {
      this.errLoad.fill(0);
      this.errPv.fill(0);
      let leads = 0;
      for (let k = 0; k < this.scored; k++) {
        const cell = k * this.scored + slot;
        if (this.pendingStep[m][cell] !== s) continue;
        this.pendingStep[m][cell] = -1;
        const base = cell * n;
        for (let h = 0; h < n; h++) {
          this.errLoad[h] += Math.abs(this.pendingLoad[m][base + h] - loadKwh[offset + h]);
          this.errPv[h] += Math.abs(this.pendingPv[m][base + h] - pvKwh[offset + h]);
        }
        leads++;
      }
      if (leads === 0) return;
      for (let h = 0; h < n; h++) {
        this.maeLoad[m][h] = ewma(this.maeLoad[m][h], this.errLoad[h] / leads, this.alpha);
        this.maePv[m][h] = ewma(this.maePv[m][h], this.errPv[h] / leads, this.alpha);
      }
    });
    this.observed++;
  }

  forecast(horizon: number, outLoadKwh: Float64Array, outPvKwh: Float64Array): void {
    const n = this.households;
    const width = Math.max(horizon, this.scored);
    // one set of buffers, grown to the widest horizon asked (the engine alternates 48 and 6)
    if (!this.buffers || this.buffers.horizon < width) {
      this.buffers = {
        horizon: width,
        load: this.members.map(() => new Float64Array(n * width)),
        pv: this.members.map(() => new Float64Array(n * width)),
      };
    }
    const { load, pv } = this.buffers;
    const available = this.members.map((member, m) => {
      try {
        member.forecast(width, load[m], pv[m]);
        return true;
      } catch (e) {
        if (e instanceof RangeError) return false;
        throw e;
      }
    });
    if (!available.some(Boolean)) throw new RangeError(`no member of ${this.name} can forecast yet`);
    // remember the scored lead times until their realised values arrive
    const c = this.observed;
    available.forEach((ok, m) => {
      if (!ok) return;
      for (let k = 0; k < this.scored; k++) {
        const cell = k * this.scored + ((c + k) % this.scored);
        this.pendingStep[m][cell] = c + k;
        const base = cell * n;
        for (let h = 0; h < n; h++) {
          this.pendingLoad[m][base + h] = load[m][h * width + k];
          this.pendingPv[m][base + h] = pv[m][h * width + k];
        }
      }
    });
    for (let h = 0; h < n; h++) {
      const ml = this.choose(this.maeLoad, h, available);
      const mp = this.choose(this.maePv, h, available);
      this.chosenLoad[h] = ml;
      this.chosenPv[h] = mp;
      for (let k = 0; k < horizon; k++) {
        outLoadKwh[h * horizon + k] = load[ml][h * width + k];
        outPvKwh[h * horizon + k] = pv[mp][h * width + k];
      }
    }
  }

  /** Index of the member used for household h at the last forecast. */
  choice(h: number, series: GateSeries): number {
    return series === 'load' ? this.chosenLoad[h] : this.chosenPv[h];
  }

  /** Recent (exponentially weighted) mean absolute error of a member for household h, kWh; NaN before any score. */
  maeKwh(member: number, h: number, series: GateSeries): number {
    return (series === 'load' ? this.maeLoad : this.maePv)[member][h];
  }

  /** How many households used each member at the last forecast, for load and for PV. */
  selectionCounts(): { load: number[]; pv: number[] } {
    const load = this.members.map(() => 0);
    const pv = this.members.map(() => 0);
    for (let h = 0; h < this.households; h++) {
      load[this.chosenLoad[h]]++;
      pv[this.chosenPv[h]]++;
    }
    return { load, pv };
  }

  private choose(mae: Float64Array[], h: number, available: boolean[]): number {
    let best = -1;
    let bestMae = Infinity;
    for (let m = 0; m < mae.length; m++) {
      if (!available[m]) continue;
      const v = mae[m][h];
      if (!Number.isNaN(v) && v < bestMae) {
        best = m;
        bestMae = v;
      }
    }
    if (best >= 0) return best;
    if (available[this.preferred]) return this.preferred;
    return available.indexOf(true);
  }
}

function ewma(previous: number, value: number, alpha: number): number {
  return Number.isNaN(previous) ? value : previous + alpha * (value - previous);
}

/** Member index of the learned model in the deployed gate (after the two simple baselines). */
export const LEARNED_MEMBER = 2;

/**
 * The engine's gate as deployed: seasonal naive (same interval yesterday), the 7-day seasonal mean
 * (mean of the same interval over the last 7 days) and the learned model, in that order
 * (`LEARNED_MEMBER`). With both simple baselines as members, a home's forecasts are never worse, on
 * the gate's recent error, than the better of them. `baselines` replaces the two baselines (the
 * evaluation passes replays of forecasts it already made); the learned model is always last.
 */
export function createDeployedGate(
  households: number,
  learned: Forecaster,
  options: GateOptions & { baselines?: readonly [Forecaster, Forecaster] } = {},
): GatedForecaster {
  const { baselines, ...gateOptions } = options;
  const [naive, mean7] = baselines ?? [new SeasonalNaiveForecaster(households, INTERVALS_PER_DAY), new SeasonalMeanForecaster(households, 7, INTERVALS_PER_DAY)];
  return new GatedForecaster(households, [naive, mean7, learned], gateOptions);
}
