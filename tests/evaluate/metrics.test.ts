import { describe, expect, it } from 'vitest';
import { crpsFromQuantiles, insideP10P90, meanPinball, metricsOf, MetricSums, pinball } from '../../evaluate/index.ts';

/** 2∫₀¹ ρ_τ(y − q(τ)) dτ by a fine midpoint rule, q linear between the three quantiles, flat outside. */
function crpsNumeric(y: number, p10: number, p50: number, p90: number, steps = 200_000): number {
  const q = (tau: number) =>
    tau <= 0.1 ? p10 : tau <= 0.5 ? p10 + ((p50 - p10) * (tau - 0.1)) / 0.4 : tau <= 0.9 ? p50 + ((p90 - p50) * (tau - 0.5)) / 0.4 : p90;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const tau = (i + 0.5) / steps;
    sum += 2 * pinball(y, q(tau), tau);
  }
  return sum / steps;
}

describe('pinball loss', () => {
  it('weighs under- and over-forecasts by τ and 1 − τ', () => {
    expect(pinball(1, 0.5, 0.1)).toBeCloseTo(0.05, 12); // under-forecast: τ · 0.5
    expect(pinball(1, 1.5, 0.1)).toBeCloseTo(0.45, 12); // over-forecast: 0.9 · 0.5
    expect(pinball(2, 2, 0.9)).toBe(0);
  });

  it('averages P10, P50 and P90', () => {
    // y = 1: ρ₀.₁(0.5) = 0.05, ρ₀.₅(−0.5) = 0.25, ρ₀.₉(−1) = 0.1 → 0.4 / 3
    expect(meanPinball(1, 0.5, 1.5, 2)).toBeCloseTo(0.4 / 3, 12);
  });

  it('is half the absolute error for a point forecast', () => {
    expect(meanPinball(0.3, 1, 1, 1)).toBeCloseTo(0.35, 12);
    expect(meanPinball(2, 1, 1, 1)).toBeCloseTo(0.5, 12);
  });
});

describe('CRPS from three quantiles', () => {
  it('matches a hand-integrated example', () => {
    // y = 0.5, quantiles 0 / 0.5 / 1: tails 0.005 + 0.005, middle segments 0.04667 each → 31/300
    expect(crpsFromQuantiles(0.5, 0, 0.5, 1)).toBeCloseTo(31 / 300, 12);
  });

  it('is the absolute error for a point forecast', () => {
    expect(crpsFromQuantiles(0.2, 1, 1, 1)).toBeCloseTo(0.8, 12);
    expect(crpsFromQuantiles(3, 1, 1, 1)).toBeCloseTo(2, 12);
  });

  it('agrees with numerical integration wherever the actual falls', () => {
    for (const y of [-1, 0, 0.15, 0.4, 0.55, 0.8, 1.3, 4]) {
      expect(crpsFromQuantiles(y, 0.1, 0.5, 1.2)).toBeCloseTo(crpsNumeric(y, 0.1, 0.5, 1.2), 6);
    }
  });

  it('sorts crossed quantiles before integrating', () => {
    expect(crpsFromQuantiles(0.7, 1.2, 0.5, 0.1)).toBeCloseTo(crpsFromQuantiles(0.7, 0.1, 0.5, 1.2), 12);
  });
});

describe('P10–P90 coverage', () => {
  it('counts actuals inside the band, edges included', () => {
    expect(insideP10P90(1, 1, 2)).toBe(true);
    expect(insideP10P90(2, 1, 2)).toBe(true);
    expect(insideP10P90(2.01, 1, 2)).toBe(false);
    expect(insideP10P90(1.5, 2, 1)).toBe(false); // crossed band covers nothing
    const m = metricsOf([0, 1, 2, 3], [1, 1, 1, 1], { p10: [0.5, 0.5, 0.5, 0.5], p90: [2, 2, 2, 2] });
    expect(m.coverage_p10_p90).toBeCloseTo(0.5, 12);
  });

  it('is null for a point forecast and every figure is null without data', () => {
    expect(metricsOf([1, 2], [1, 1]).coverage_p10_p90).toBeNull();
    expect(new MetricSums().finish(true)).toEqual({
      count: 0,
      mae_kwh: null,
      rmse_kwh: null,
      wape: null,
      pinball_kwh: null,
      crps_kwh: null,
      coverage_p10_p90: null,
      mean_actual_kwh: null,
    });
  });
});

describe('MAE, RMSE and WAPE', () => {
  it('match hand values', () => {
    // errors 0.1, −0.3, 0.2; actuals 1, 2, 1
    const m = metricsOf([1, 2, 1], [1.1, 1.7, 1.2]);
    expect(m.count).toBe(3);
    expect(m.mae_kwh).toBeCloseTo(0.6 / 3, 12);
    expect(m.rmse_kwh).toBeCloseTo(Math.sqrt(0.14 / 3), 12);
    expect(m.wape).toBeCloseTo(0.6 / 4, 12);
    expect(m.pinball_kwh).toBeCloseTo(0.1, 12); // a point forecast: MAE / 2
    expect(m.crps_kwh).toBeCloseTo(0.2, 12); // a point forecast: MAE
  });

  it('leaves WAPE undefined (null) when every actual is zero', () => {
    expect(metricsOf([0, 0], [0.1, 0]).wape).toBeNull();
  });
});
