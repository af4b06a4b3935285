/**
 * Online conformalized quantile regression (CQR, Romano, Patterson & Candès 2019) for the learned
 * P10–P90 band: the raw band [q10, q90] of every forecast is remembered until its actual arrives,
 * when the nonconformity score E = max(q10 − y, y − q90) is added to a rolling window of recent
 * scores kept per home, series and horizon step. A new band is widened by the empirical
 * ⌈(1 − α)(m + 1)⌉ / m quantile Q of the m scores in the window (Q < 0 narrows it), once the
 * window holds `minScores` scores: [q10 − Q, q90 + Q]. Under exchangeability of the scores this
 * gives a coverage of at least 1 − α; online, with a fixed window, it tracks a drifting coverage.
 *
 * PV is calibrated on daylight only (a Mondrian split by a causal taxonomy): a PV target counts as
 * daylight when the home's PV in the same interval one day earlier (two for leads beyond a day)
 * was above 0. Night scores (PV 0 against a band near 0) would otherwise fill half the window and
 * pull the daytime widening down; night PV bands are left as forecast.
 *
 * Causal (a band only ever uses scores of actuals observed before it was made), deterministic and
 * allocation-light: the scores live in one Float32Array of fixed windows, the pending raw bands in
 * slots that are reused.
 */

import type { QuantileForecast } from '../quantile-forecast.ts';

/** What the calibrator reads and adjusts: a band `[h * width + k]`, a `QuantileForecast` without its horizon. */
export type CalibratedBand = Omit<QuantileForecast, 'horizon'>;

export interface ConformalOptions {
  /** miscoverage α of the band (default 0.2: P10–P90 is a nominal 80 % interval) */
  alpha?: number;
  /** scores kept per home, series and step (default 336 = one week of 30-minute intervals) */
  windowScores?: number;
  /** scores needed before a window adjusts the band (default 48 = one day of intervals) */
  minScores?: number;
  /**
   * steps with their own window (default 6, the trading horizon); steps from here on (the
   * day-ahead leads of a band issued at midnight, one score per day each) share one window
   */
  exactSteps?: number;
  /** intervals in a day, the lag of the PV daylight test (default 48) */
  periodIntervals?: number;
}

export const CONFORMAL_DEFAULTS = { alpha: 0.2, windowScores: 7 * 48, minScores: 48, exactSteps: 6, periodIntervals: 48 } as const;

/** One remembered raw band: its origin (observations before it) and width. */
interface Pending {
  origin: number;
  width: number;
  /** q10 and q90 of load and PV, `[h * width + k]` (buffers at least n × width) */
  load10: Float64Array;
  load90: Float64Array;
  pv10: Float64Array;
  pv90: Float64Array;
}

export class ConformalCalibrator {
  readonly alpha: number;
  readonly windowScores: number;
  readonly minScores: number;
  readonly exactSteps: number;
  /** windows of scores, `[((s * n + h) * pools + p) * W + i]`, s = 0 load, 1 PV */
  private readonly scores: Float32Array;
  /** scores held (≤ W) and the next write position per window */
  private readonly held: Int32Array;
  private readonly next: Int32Array;
  private readonly scratch: Float32Array;
  private readonly pools: number;
  private readonly slots: Pending[] = [];
  /** 1 where the home's PV was above 0, for the last two days of steps, `[(step % 2p) * n + h]` */
  private readonly sun: Uint8Array;
  private readonly period: number;
  private qBuffer: Float64Array | null = null;
  private observed = 0;

  constructor(
    readonly households: number,
    options: ConformalOptions = {},
  ) {
    const o = { ...CONFORMAL_DEFAULTS, ...options };
    if (!(o.alpha > 0 && o.alpha < 1)) throw new RangeError(`conformal α must lie in (0, 1) (got ${o.alpha})`);
    if (!Number.isInteger(o.windowScores) || o.windowScores < 1) throw new RangeError(`conformal window must be a whole number ≥ 1 (got ${o.windowScores})`);
    // the rank ⌈(1 − α)(m + 1)⌉ is at most m only from m ≥ (1 − α)/α on; below that the quantile is infinite
    const least = Math.ceil((1 - o.alpha) / o.alpha - 1e-9);
    if (!Number.isInteger(o.minScores) || o.minScores < least || o.minScores > o.windowScores) {
      throw new RangeError(`conformal minimum scores must be a whole number from ${least} (for α = ${o.alpha}) to the window ${o.windowScores} (got ${o.minScores})`);
    }
    if (!Number.isInteger(o.exactSteps) || o.exactSteps < 0) throw new RangeError(`conformal exact steps must be a whole number ≥ 0 (got ${o.exactSteps})`);
    this.alpha = o.alpha;
    this.windowScores = o.windowScores;
    this.minScores = o.minScores;
    this.exactSteps = o.exactSteps;
    this.pools = o.exactSteps + 1;
    const windows = 2 * households * this.pools;
    this.scores = new Float32Array(windows * o.windowScores);
    this.held = new Int32Array(windows);
    this.next = new Int32Array(windows);
    this.scratch = new Float32Array(o.windowScores);
    if (!Number.isInteger(o.periodIntervals) || o.periodIntervals < 1) throw new RangeError(`conformal period must be a whole number ≥ 1 (got ${o.periodIntervals})`);
    this.period = o.periodIntervals;
    this.sun = new Uint8Array(2 * this.period * households);
  }

  /** Window (pool) of horizon step k. */
  poolOf(k: number): number {
    return k < this.exactSteps ? k : this.exactSteps;
  }

  /** Scores in the window of home h, series and step k. */
  scoresHeld(series: 'load' | 'pv', h: number, k: number): number {
    return this.held[this.windowOf(series === 'load' ? 0 : 1, h, this.poolOf(k))];
  }

  /**
   * The current widening Q (kWh) of home h, series and step k: the ⌈(1 − α)(m + 1)⌉-th smallest
   * of the m scores in its window, or 0 while the window holds fewer than `minScores`.
   */
  correctionKwh(series: 'load' | 'pv', h: number, k: number): number {
    return this.quantile(this.windowOf(series === 'load' ? 0 : 1, h, this.poolOf(k)));
  }

  /**
   * Remembers the raw band just forecast (after every observation so far, for the `width` steps
   * after the last one) and adjusts it in place. A band whose P90 is 0 (PV at night: a point mass
   * at zero) is neither adjusted nor scored. Of two bands from the same origin only the wider is
   * remembered, so each step is scored once.
   */
  calibrate(band: CalibratedBand, width: number): void {
    const n = this.households;
    if (!Number.isInteger(width) || width < 1) throw new RangeError(`a band needs a width ≥ 1 (got ${width})`);
    this.remember(band, width);
    const qs = this.quantilesFor(width);
    for (let h = 0; h < n; h++) {
      for (let k = 0; k < width; k++) {
        const i = h * width + k;
        const p = this.poolOf(k);
        adjust(band.loadP10, band.loadP50, band.loadP90, i, qs[p * 2 * n + h]);
        if (this.daylight(h, this.observed + k, k)) adjust(band.pvP10, band.pvP50, band.pvP90, i, qs[(p * 2 + 1) * n + h]);
      }
    }
  }

  /** Records the realised load and PV of the next step (interval-major arrays as `Forecaster.observe`). */
  observe(loadKwh: Float64Array, pvKwh: Float64Array, offset: number): void {
    const n = this.households;
    const s = this.observed;
    for (const slot of this.slots) {
      const k = s - slot.origin;
      if (slot.origin < 0 || k < 0 || k >= slot.width) continue;
      const p = this.poolOf(k);
      for (let h = 0; h < n; h++) {
        const i = h * slot.width + k;
        if (slot.load90[i] > 0) this.push(this.windowOf(0, h, p), score(slot.load10[i], slot.load90[i], loadKwh[offset + h]));
        if (slot.pv90[i] > 0 && this.daylight(h, s, k)) this.push(this.windowOf(1, h, p), score(slot.pv10[i], slot.pv90[i], pvKwh[offset + h]));
      }
      if (k === slot.width - 1) slot.origin = -1; // every step scored: the slot is free
    }
    const row = (s % (2 * this.period)) * n;
    for (let h = 0; h < n; h++) this.sun[row + h] = pvKwh[offset + h] > 0 ? 1 : 0;
    this.observed++;
  }

  // ---------- internals ----------

  /**
   * Whether PV target step t, forecast k steps ahead, counts as daylight: the PV of the same
   * interval one day (k < period) or two days earlier was above 0; true when that is not known.
   */
  private daylight(h: number, t: number, k: number): boolean {
    const lag = this.period * Math.ceil((k + 1) / this.period);
    const back = t - lag;
    if (lag > 2 * this.period || back < 0) return true;
    return this.sun[(back % (2 * this.period)) * this.households + h] === 1;
  }

  private windowOf(s: number, h: number, p: number): number {
    return (s * this.households + h) * this.pools + p;
  }

  private push(w: number, e: number): void {
    const W = this.windowScores;
    this.scores[w * W + this.next[w]] = e;
    this.next[w] = (this.next[w] + 1) % W;
    if (this.held[w] < W) this.held[w]++;
  }

  private quantile(w: number): number {
    const m = this.held[w];
    if (m < this.minScores) return 0;
    const rank = Math.ceil((1 - this.alpha) * (m + 1) - 1e-9); // 1-based, ≤ m by the minimum
    const W = this.windowScores;
    this.scratch.set(this.scores.subarray(w * W, w * W + m));
    return select(this.scratch, m, Math.min(rank, m) - 1);
  }

  /** Q of every (pool, series, home) a band of `width` steps uses, `[(p * 2 + s) * n + h]`. */
  private quantilesFor(width: number): Float64Array {
    const n = this.households;
    const used = Math.min(this.pools, width);
    if (!this.qBuffer || this.qBuffer.length < used * 2 * n) this.qBuffer = new Float64Array(this.pools * 2 * n);
    for (let p = 0; p < used; p++) {
      for (let s = 0; s < 2; s++) for (let h = 0; h < n; h++) this.qBuffer[(p * 2 + s) * n + h] = this.quantile(this.windowOf(s, h, p));
    }
    return this.qBuffer;
  }

  /** Copies the raw q10/q90 into a free slot (or the slot of a narrower band from the same origin). */
  private remember(band: CalibratedBand, width: number): void {
    const n = this.households;
    const same = this.slots.find((x) => x.origin === this.observed);
    if (same && same.width > width) return;
    let slot = same ?? this.slots.find((x) => x.origin < 0);
    if (!slot) {
      slot = { origin: -1, width: 0, load10: new Float64Array(0), load90: new Float64Array(0), pv10: new Float64Array(0), pv90: new Float64Array(0) };
      this.slots.push(slot);
    }
    if (slot.load10.length < n * width) {
      slot.load10 = new Float64Array(n * width);
      slot.load90 = new Float64Array(n * width);
      slot.pv10 = new Float64Array(n * width);
      slot.pv90 = new Float64Array(n * width);
    }
    slot.origin = this.observed;
    slot.width = width;
    slot.load10.set(band.loadP10.subarray(0, n * width));
    slot.load90.set(band.loadP90.subarray(0, n * width));
    slot.pv10.set(band.pvP10.subarray(0, n * width));
    slot.pv90.set(band.pvP90.subarray(0, n * width));
  }
}

/** CQR nonconformity score: how far the actual lies outside [q10, q90] (negative inside). */
export function score(q10: number, q90: number, actual: number): number {
  return Math.max(q10 - actual, actual - q90);
}

/** Widens [q10, q90] by q (narrows for q < 0), keeping 0 ≤ q10 ≤ q50 ≤ q90; a zero band (P90 = 0) stays. */
function adjust(p10: Float64Array, p50: Float64Array, p90: Float64Array, i: number, q: number): void {
  if (q === 0 || !(p90[i] > 0)) return;
  const mid = p50[i];
  p10[i] = Math.min(Math.max(0, p10[i] - q), mid);
  p90[i] = Math.max(p90[i] + q, mid);
}

/** The (r + 1)-th smallest of a[0 … m − 1] (reorders a): deterministic quickselect, median-of-three pivot. */
export function select(a: Float32Array, m: number, r: number): number {
  let lo = 0;
  let hi = m - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three to a[mid]
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (r <= j) hi = j;
    else if (r >= i) lo = i;
    else return a[r];
  }
  return a[r];
}

function swap(a: Float32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
