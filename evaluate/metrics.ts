/**
 * Forecast error metrics over plain numbers: pinball loss, a CRPS from three quantiles, P10–P90
 * coverage, and running sums that give MAE, RMSE, WAPE and the rest (see METRIC_DEFINITIONS).
 */
import type { Metrics } from './contract.ts';

/** Quantile levels the transformer forecasts (P10, P50, P90). */
export const QUANTILE_LEVELS = [0.1, 0.5, 0.9] as const;

/** Pinball (quantile) loss ρ_τ(y − q) = max(τ(y − q), (τ − 1)(y − q)). */
export function pinball(actual: number, quantile: number, tau: number): number {
  const u = actual - quantile;
  return u >= 0 ? tau * u : (tau - 1) * u;
}

/** Pinball loss averaged over P10, P50 and P90. A point forecast used as all three gives |error| / 2. */
export function meanPinball(actual: number, p10: number, p50: number, p90: number): number {
  return (pinball(actual, p10, 0.1) + pinball(actual, p50, 0.5) + pinball(actual, p90, 0.9)) / 3;
}

/**
 * 2∫ ρ_τ(y − q(τ)) dτ over [lo, hi] where q runs linearly from qLo to qHi. The integrand is a
 * quadratic on each side of the root of y − q(τ), so Simpson's rule on each side is exact.
 */
function quantileSegment(y: number, lo: number, hi: number, qLo: number, qHi: number): number {
  const q = (tau: number) => qLo + ((qHi - qLo) * (tau - lo)) / (hi - lo);
  let cuts = [lo, hi];
  if (qHi !== qLo) {
    const root = lo + ((y - qLo) * (hi - lo)) / (qHi - qLo);
    if (root > lo && root < hi) cuts = [lo, root, hi];
  }
  let sum = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i];
    const b = cuts[i + 1];
    const m = (a + b) / 2;
    const below = y - q(m) < 0 ? 1 : 0;
    const g = (tau: number) => 2 * (tau - below) * (y - q(tau));
    sum += ((b - a) / 6) * (g(a) + 4 * g(m) + g(b));
  }
  return sum;
}

/**
 * CRPS of the distribution whose quantile function is linear between (0.1, P10), (0.5, P50) and
 * (0.9, P90) and flat beyond them, from CRPS(F, y) = 2∫₀¹ ρ_τ(y − F⁻¹(τ)) dτ (Laio & Tamea 2007).
 * The quantiles are sorted first (monotone rearrangement). A point forecast (all three equal)
 * gives |y − P50|.
 */
export function crpsFromQuantiles(actual: number, p10: number, p50: number, p90: number): number {
  let a = p10;
  let b = p50;
  let c = p90;
  if (a > b) [a, b] = [b, a];
  if (b > c) [b, c] = [c, b];
  if (a > b) [a, b] = [b, a];
  return (
    quantileSegment(actual, 0, 0.1, a, a) +
    quantileSegment(actual, 0.1, 0.5, a, b) +
    quantileSegment(actual, 0.5, 0.9, b, c) +
    quantileSegment(actual, 0.9, 1, c, c)
  );
}

/** True when P10 ≤ actual ≤ P90 (a crossed interval, P10 > P90, covers nothing). */
export function insideP10P90(actual: number, p10: number, p90: number): boolean {
  return actual >= p10 && actual <= p90;
}

/** Running sums of one (model, cohort, series, horizon) cell. */
export class MetricSums {
  count = 0;
  absError = 0;
  squaredError = 0;
  absActual = 0;
  actual = 0;
  pinball = 0;
  crps = 0;
  covered = 0;

  /** One scored forecast: the actual and the forecast's P10, P50, P90 (all equal for a point forecast). */
  add(actual: number, p10: number, p50: number, p90: number): void {
    const e = p50 - actual;
    this.count++;
    this.absError += Math.abs(e);
    this.squaredError += e * e;
    this.absActual += Math.abs(actual);
    this.actual += actual;
    this.pinball += meanPinball(actual, p10, p50, p90);
    this.crps += crpsFromQuantiles(actual, p10, p50, p90);
    if (insideP10P90(actual, p10, p90)) this.covered++;
  }

  /** The metrics; every figure is null when nothing was scored, coverage also without quantiles. */
  finish(hasQuantiles: boolean): Metrics {
    const n = this.count;
    if (n === 0) {
      return { count: 0, mae_kwh: null, rmse_kwh: null, wape: null, pinball_kwh: null, crps_kwh: null, coverage_p10_p90: null, mean_actual_kwh: null };
    }
    return {
      count: n,
      mae_kwh: this.absError / n,
      rmse_kwh: Math.sqrt(this.squaredError / n),
      wape: this.absActual > 0 ? this.absError / this.absActual : null,
      pinball_kwh: this.pinball / n,
      crps_kwh: this.crps / n,
      coverage_p10_p90: hasQuantiles ? this.covered / n : null,
      mean_actual_kwh: this.actual / n,
    };
  }
}

/** Metrics of aligned arrays of actuals and forecasts (P50 only = a point forecast). */
export function metricsOf(
  actual: ArrayLike<number>,
  p50: ArrayLike<number>,
  quantiles?: { p10: ArrayLike<number>; p90: ArrayLike<number> },
): Metrics {
  if (p50.length !== actual.length) throw new RangeError(`${actual.length} actuals but ${p50.length} forecasts`);
  const sums = new MetricSums();
  for (let i = 0; i < actual.length; i++) {
    sums.add(actual[i], quantiles ? quantiles.p10[i] : p50[i], p50[i], quantiles ? quantiles.p90[i] : p50[i]);
  }
  return sums.finish(quantiles !== undefined);
}
