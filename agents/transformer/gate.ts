import { INTERVALS_PER_DAY } from '../../common/index.ts';
import { SeasonalMeanForecaster, SeasonalNaiveForecaster, type Forecaster } from '../forecaster.ts';

export interface GateOptions {
  /** lead times that are scored, intervals ahead (default 6 = the 3 h trading horizon) */
  scoredHorizon?: number;
  /** half-life of the error memory, in observed intervals (default 48 = one day) */
  halfLifeIntervals?: number;
  /**
   * half-life of the far-lead (day-ahead) error memory, in scored intervals (default 336 = one
   * week: a day-ahead forecast is issued once a day, so a week holds seven independent issues)
   */
  farHalfLifeIntervals?: number;
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
 *
 * Per horizon band: the lead times 0 … scoredHorizon − 1 of every forecast come from the member
 * with the lowest near-lead error above. The later leads of a wider forecast (the day-ahead one)
 * are judged by the members' errors on those leads, scored on one wide forecast at a time (the
 * next is remembered once every target of the last has arrived; with a day-ahead forecast every
 * midnight, every one) with its own half-life (`farHalfLifeIntervals`), and are the members'
 * forecasts weighted by the inverse of their recent far-lead mean squared error (Bates & Granger
 * 1969). A day-ahead error is scored once a day, so picking one member on a few days of it is
 * noisy; weighting leans on the better members without betting everything on one (measured on
 * held-out days: picking the one best far-lead member did no better than the near choice). Before
 * any far-lead score the near choice is used.
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
  private readonly far: FarLeads;
  /** combination weights of one household's far leads, per member */
  private readonly weights: Float64Array;
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
    const farHalfLife = options.farHalfLifeIntervals ?? 7 * INTERVALS_PER_DAY;
    if (!(farHalfLife > 0)) throw new RangeError('bad gate options');
    this.far = new FarLeads(n, members.length, this.scored, 1 - Math.pow(2, -1 / farHalfLife));
    this.weights = new Float64Array(members.length);
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
    this.far.score(s, loadKwh, pvKwh, offset);
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
    if (horizon > this.scored) this.far.remember(c, horizon, width, load, pv, available);
    const near = Math.min(horizon, this.scored);
    for (let h = 0; h < n; h++) {
      const ml = this.choose(this.maeLoad, h, available);
      const mp = this.choose(this.maePv, h, available);
      this.chosenLoad[h] = ml;
      this.chosenPv[h] = mp;
      for (let k = 0; k < near; k++) {
        outLoadKwh[h * horizon + k] = load[ml][h * width + k];
        outPvKwh[h * horizon + k] = pv[mp][h * width + k];
      }
      if (horizon <= near) continue;
      this.far.chosenLoad[h] = this.combine(this.far.mseLoad, h, available, ml, load, width, horizon, near, outLoadKwh);
      this.far.chosenPv[h] = this.combine(this.far.msePv, h, available, mp, pv, width, horizon, near, outPvKwh);
    }
  }

  /** Index of the member used for household h's near leads (< scoredHorizon) at the last forecast. */
  choice(h: number, series: GateSeries): number {
    return series === 'load' ? this.chosenLoad[h] : this.chosenPv[h];
  }

  /** The member with the largest weight in household h's far leads (≥ scoredHorizon) at the last forecast that had any. */
  farChoice(h: number, series: GateSeries): number {
    return series === 'load' ? this.far.chosenLoad[h] : this.far.chosenPv[h];
  }

  /** Recent (exponentially weighted) mean absolute error of a member for household h, kWh; NaN before any score. */
  maeKwh(member: number, h: number, series: GateSeries): number {
    return (series === 'load' ? this.maeLoad : this.maePv)[member][h];
  }

  /** The same over far leads (≥ scoredHorizon) of the wide forecasts; NaN before any score. */
  farMaeKwh(member: number, h: number, series: GateSeries): number {
    return (series === 'load' ? this.far.maeLoad : this.far.maePv)[member][h];
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

  /**
   * Writes leads near … horizon − 1 of household h: the available members' forecasts weighted by
   * 1 / (recent far-lead MSE), or the `fallback` member's before any member has a far-lead score.
   * Returns the member with the largest weight (the fallback without scores).
   */
  private combine(mse: Float64Array[], h: number, available: boolean[], fallback: number, f: Float64Array[], width: number, horizon: number, near: number, out: Float64Array): number {
    const w = this.weights;
    let total = 0;
    let heaviest = fallback;
    for (let m = 0; m < mse.length; m++) {
      const v = mse[m][h];
      w[m] = available[m] && !Number.isNaN(v) ? 1 / Math.max(v, MIN_MSE_KWH2) : 0;
      if (w[m] > (total === 0 ? 0 : w[heaviest])) heaviest = m;
      total += w[m];
    }
    for (let k = near; k < horizon; k++) {
      if (total === 0) {
        out[h * horizon + k] = f[fallback][h * width + k];
        continue;
      }
      let x = 0;
      for (let m = 0; m < mse.length; m++) if (w[m] > 0) x += w[m] * f[m][h * width + k];
      out[h * horizon + k] = x / total;
    }
    return heaviest;
  }
}

/** Floor of a far-lead MSE in the weights (kWh²), so an exact member gets a finite weight. */
const MIN_MSE_KWH2 = 1e-12;

/**
 * The gate's far-lead memory: one wide forecast per member at a time (leads from `near` on), the
 * exponentially weighted mean absolute and squared errors of each member on those leads, and the
 * heaviest member of the last far-lead combination. The mean is the normalised one, Σ wᵢ·eᵢ / Σ wᵢ with wᵢ = (1 − α)^(age i): with a slow
 * decay and one day-ahead issue a day, starting the mean at the first error (as the near-lead
 * memory does) would let one interval's error outweigh days of later ones.
 */
class FarLeads {
  readonly maeLoad: Float64Array[];
  readonly maePv: Float64Array[];
  readonly mseLoad: Float64Array[];
  readonly msePv: Float64Array[];
  /** Σ wᵢ·eᵢ, Σ wᵢ·eᵢ² per member and home, and Σ wᵢ */
  private readonly sumLoad: Float64Array[];
  private readonly sumPv: Float64Array[];
  private readonly sqLoad: Float64Array[];
  private readonly sqPv: Float64Array[];
  private readonly weight: Float64Array[];
  readonly chosenLoad: Int32Array;
  readonly chosenPv: Int32Array;
  private load: Float64Array[];
  private pv: Float64Array[];
  private readonly available: boolean[];
  /** origin of the remembered wide forecast (−1 = none) and its width */
  private origin = -1;
  private width = 0;

  constructor(
    private readonly households: number,
    members: number,
    private readonly near: number,
    private readonly alpha: number,
  ) {
    this.maeLoad = Array.from({ length: members }, () => new Float64Array(households).fill(Number.NaN));
    this.maePv = Array.from({ length: members }, () => new Float64Array(households).fill(Number.NaN));
    this.mseLoad = Array.from({ length: members }, () => new Float64Array(households).fill(Number.NaN));
    this.msePv = Array.from({ length: members }, () => new Float64Array(households).fill(Number.NaN));
    this.sqLoad = Array.from({ length: members }, () => new Float64Array(households));
    this.sqPv = Array.from({ length: members }, () => new Float64Array(households));
    this.sumLoad = Array.from({ length: members }, () => new Float64Array(households));
    this.sumPv = Array.from({ length: members }, () => new Float64Array(households));
    this.weight = Array.from({ length: members }, () => new Float64Array(households));
    this.chosenLoad = new Int32Array(households);
    this.chosenPv = new Int32Array(households);
    this.load = Array.from({ length: members }, () => new Float64Array(0));
    this.pv = Array.from({ length: members }, () => new Float64Array(0));
    this.available = Array.from({ length: members }, () => false);
  }

  /** Keeps the members' forecasts of `horizon` steps from `origin` (buffers `[h * stride + k]`) unless one is still pending. */
  remember(origin: number, horizon: number, stride: number, load: Float64Array[], pv: Float64Array[], available: boolean[]): void {
    if (this.origin >= 0) return;
    const n = this.households;
    this.origin = origin;
    this.width = horizon;
    for (let m = 0; m < load.length; m++) {
      this.available[m] = available[m];
      if (!available[m]) continue;
      if (this.load[m].length < n * horizon) {
        this.load[m] = new Float64Array(n * horizon);
        this.pv[m] = new Float64Array(n * horizon);
      }
      for (let h = 0; h < n; h++) {
        this.load[m].set(load[m].subarray(h * stride, h * stride + horizon), h * horizon);
        this.pv[m].set(pv[m].subarray(h * stride, h * stride + horizon), h * horizon);
      }
    }
  }

  /** Scores the remembered far leads that target step `s`, whose actuals are given. */
  score(s: number, loadKwh: Float64Array, pvKwh: Float64Array, offset: number): void {
    if (this.origin < 0) return;
    const k = s - this.origin;
    const w = this.width;
    if (k >= this.near && k < w) {
      for (let m = 0; m < this.load.length; m++) {
        if (!this.available[m]) continue;
        const keep = 1 - this.alpha;
        for (let h = 0; h < this.households; h++) {
          const weight = (this.weight[m][h] = keep * this.weight[m][h] + 1);
          this.sumLoad[m][h] = keep * this.sumLoad[m][h] + Math.abs(this.load[m][h * w + k] - loadKwh[offset + h]);
          this.sumPv[m][h] = keep * this.sumPv[m][h] + Math.abs(this.pv[m][h * w + k] - pvKwh[offset + h]);
          this.maeLoad[m][h] = this.sumLoad[m][h] / weight;
          const el = this.load[m][h * w + k] - loadKwh[offset + h];
          const ep = this.pv[m][h * w + k] - pvKwh[offset + h];
          this.sqLoad[m][h] = keep * this.sqLoad[m][h] + el * el;
          this.sqPv[m][h] = keep * this.sqPv[m][h] + ep * ep;
          this.mseLoad[m][h] = this.sqLoad[m][h] / weight;
          this.msePv[m][h] = this.sqPv[m][h] / weight;
          this.maePv[m][h] = this.sumPv[m][h] / weight;
        }
      }
    }
    if (k >= w - 1) this.origin = -1;
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
