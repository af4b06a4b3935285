/**
 * Rolling-origin scoring: the series every model is evaluated on, the forecasts of one origin, and
 * the accumulation of their errors per horizon (shared by the full evaluation and the baseline-only
 * `seasonalNaiveMetrics` and `seasonalMeanMetrics`).
 */
import { SeasonalMeanForecaster, SeasonalNaiveForecaster, type Forecaster } from '../agents/forecaster.ts';
import { INTERVALS_PER_DAY } from '../common/index.ts';
import type { QuantileForecast } from '../agents/transformer/index.ts';
import { HORIZONS, type Horizon, type Metrics } from './contract.ts';
import { MetricSums } from './metrics.ts';

/** Steps of the trading horizon (6 × 30 min = 3 h). */
export const SHORT_STEPS = 6;

/** Everything the scoring reads, interval-major like the engine (`[t * households + h]`). */
export interface EvaluationSeries {
  households: number;
  /** all steps, history and test */
  intervals: number;
  loadKwh: Float64Array;
  pvKwh: Float64Array;
  /** 1 where the interval is daylight (PV is scored only there), per step */
  daylight: Uint8Array;
  /** 1 for homes with PV, per home */
  pvHome: Uint8Array;
  /** first step of each local day, then `intervals` as a sentinel (length days + 1) */
  dayStarts: Int32Array;
  /** first step of the test days; steps before it are history */
  testStart: number;
}

/** One origin's forecasts for every home, `[h * width + k]`, k = 0 the interval right after the origin. */
export type OriginForecast = Omit<QuantileForecast, 'horizon'> & { width: number };

export function originForecast(households: number, maxWidth: number): OriginForecast {
  const f = () => new Float64Array(households * maxWidth);
  return { width: 0, loadP10: f(), loadP50: f(), loadP90: f(), pvP10: f(), pvP50: f(), pvP90: f() };
}

/** A point forecast: P10 and P90 are the P50 arrays themselves. */
export function pointForecast(households: number, maxWidth: number): OriginForecast {
  const load = new Float64Array(households * maxWidth);
  const pv = new Float64Array(households * maxWidth);
  return { width: 0, loadP10: load, loadP50: load, loadP90: load, pvP10: pv, pvP50: pv, pvP90: pv };
}

/** Running sums per horizon (index i ↔ HORIZONS[i]) of load and PV. */
export interface HorizonSums {
  load: MetricSums[];
  pv: MetricSums[];
}

export function horizonSums(): HorizonSums {
  return { load: HORIZONS.map(() => new MetricSums()), pv: HORIZONS.map(() => new MetricSums()) };
}

const POOLED = HORIZONS.indexOf('1-6');
const DAY = HORIZONS.indexOf('day');

/** Intervals of the local day that starts at `step`, or 0 when `step` is not a local midnight. */
export function dayLengthAt(series: EvaluationSeries, step: number): number {
  const d = series.dayStarts.indexOf(step);
  return d >= 0 && d < series.dayStarts.length - 1 ? series.dayStarts[d + 1] - step : 0;
}

/**
 * Adds the errors of one origin's forecasts (made after observing steps < `origin`) for the listed
 * homes: steps 1–6 into their horizons and the pooled row, and, when `dayLength` > 0 (the origin
 * is a local midnight), the whole day into the day row. Targets at or beyond `series.intervals`
 * are not scored; PV only in daylight and for homes with PV.
 */
export function scoreOrigin(sums: HorizonSums, series: EvaluationSeries, f: OriginForecast, origin: number, homes: readonly number[], dayLength: number): void {
  const n = series.households;
  const w = f.width;
  const steps = Math.min(w, Math.max(SHORT_STEPS, dayLength), series.intervals - origin);
  for (const h of homes) {
    const pvHome = series.pvHome[h] === 1;
    for (let k = 0; k < steps; k++) {
      const t = origin + k;
      const short = k < SHORT_STEPS;
      const day = k < dayLength;
      const i = h * w + k;
      const at = t * n + h;
      const load = series.loadKwh[at];
      if (short) {
        sums.load[k].add(load, f.loadP10[i], f.loadP50[i], f.loadP90[i]);
        sums.load[POOLED].add(load, f.loadP10[i], f.loadP50[i], f.loadP90[i]);
      }
      if (day) sums.load[DAY].add(load, f.loadP10[i], f.loadP50[i], f.loadP90[i]);
      if (!pvHome || series.daylight[t] !== 1) continue;
      const pv = series.pvKwh[at];
      if (short) {
        sums.pv[k].add(pv, f.pvP10[i], f.pvP50[i], f.pvP90[i]);
        sums.pv[POOLED].add(pv, f.pvP10[i], f.pvP50[i], f.pvP90[i]);
      }
      if (day) sums.pv[DAY].add(pv, f.pvP10[i], f.pvP50[i], f.pvP90[i]);
    }
  }
}

export interface HorizonMetrics {
  series: 'load' | 'pv';
  horizon: Horizon;
  lead_minutes: number | null;
  metrics: Metrics;
}

export function finishSums(sums: HorizonSums, hasQuantiles: boolean): HorizonMetrics[] {
  const out: HorizonMetrics[] = [];
  for (const series of ['load', 'pv'] as const) {
    HORIZONS.forEach((horizon, i) => {
      out.push({ series, horizon, lead_minutes: typeof horizon === 'number' ? horizon * 30 : null, metrics: sums[series][i].finish(hasQuantiles) });
    });
  }
  return out;
}

/** Width of the forecast issued at `origin`: the whole day at a local midnight, else the trading horizon. */
export function widthAt(series: EvaluationSeries, origin: number): { width: number; dayLength: number } {
  const dayLength = dayLengthAt(series, origin);
  return { width: Math.max(SHORT_STEPS, dayLength), dayLength };
}

/**
 * Metrics of the seasonal-naive forecaster (the engine's `SeasonalNaiveForecaster`) with the given
 * period, scored on the test days of `series` for the listed homes (default all).
 */
export function seasonalNaiveMetrics(series: EvaluationSeries, options: { periodIntervals: number; homes?: readonly number[] }): HorizonMetrics[] {
  const period = options.periodIntervals;
  if (series.testStart < period) throw new RangeError(`seasonal naive with a ${period}-interval period needs that much history (have ${series.testStart})`);
  return pointBaselineMetrics(series, new SeasonalNaiveForecaster(series.households, period), period, options.homes);
}

/**
 * Metrics of the seasonal mean (`SeasonalMeanForecaster`: the mean of the same interval over the
 * last `days` days, default 7), scored on the test days of `series` for the listed homes (default all).
 */
export function seasonalMeanMetrics(series: EvaluationSeries, options: { days?: number; homes?: readonly number[] } = {}): HorizonMetrics[] {
  const days = options.days ?? 7;
  const span = days * INTERVALS_PER_DAY;
  if (series.testStart < span) throw new RangeError(`a ${days}-day seasonal mean needs ${span} intervals of history (have ${series.testStart})`);
  return pointBaselineMetrics(series, new SeasonalMeanForecaster(series.households, days, INTERVALS_PER_DAY), span, options.homes);
}

/** Rolling-origin scores of a point-forecast baseline that has seen the last `warmup` history steps. */
function pointBaselineMetrics(series: EvaluationSeries, baseline: Forecaster, warmup: number, homes?: readonly number[]): HorizonMetrics[] {
  const n = series.households;
  const scored = homes ?? Array.from({ length: n }, (_, h) => h);
  for (let t = series.testStart - warmup; t < series.testStart; t++) baseline.observe(series.loadKwh, series.pvKwh, t * n);
  const f = pointForecast(n, maxDayLength(series));
  const sums = horizonSums();
  for (let origin = series.testStart; origin < series.intervals; origin++) {
    const { width, dayLength } = widthAt(series, origin);
    f.width = width;
    baseline.forecast(width, f.loadP50, f.pvP50);
    scoreOrigin(sums, series, f, origin, scored, dayLength);
    baseline.observe(series.loadKwh, series.pvKwh, origin * n);
  }
  return finishSums(sums, false);
}

export function maxDayLength(series: EvaluationSeries): number {
  let longest = SHORT_STEPS;
  for (let d = 0; d + 1 < series.dayStarts.length; d++) longest = Math.max(longest, series.dayStarts[d + 1] - series.dayStarts[d]);
  return longest;
}
