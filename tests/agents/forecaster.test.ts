import { describe, expect, it } from 'vitest';
import { PerfectForecaster, SeasonalNaiveForecaster } from '../../agents/index.ts';

/** Feeds `days` days of a known pattern for 2 homes: home h's load at interval t of day d = h·100 + d + t/100. */
function feed(f: SeasonalNaiveForecaster, days: number, period = 48): void {
  const n = 2;
  for (let d = 0; d < days; d++) {
    const load = new Float64Array(period * n);
    const pv = new Float64Array(period * n);
    for (let t = 0; t < period; t++) {
      for (let h = 0; h < n; h++) {
        load[t * n + h] = h * 100 + d + t / 100;
        pv[t * n + h] = h === 0 ? t / 10 : 0;
      }
    }
    for (let t = 0; t < period; t++) f.observe(load, pv, t * n);
  }
}

describe('SeasonalNaiveForecaster', () => {
  it('forecasts each interval by the same interval yesterday, for each home from its own data', () => {
    const f = new SeasonalNaiveForecaster(2);
    feed(f, 3);
    const load = new Float64Array(2 * 6);
    const pv = new Float64Array(2 * 6);
    f.forecast(6, load, pv);
    // next interval is day 3, t = 0 → yesterday (day 2) t = 0
    expect(load[0]).toBeCloseTo(2 + 0 / 100, 12);
    expect(load[5]).toBeCloseTo(2 + 5 / 100, 12);
    expect(load[6]).toBeCloseTo(100 + 2 + 0, 12);
    expect(pv[1]).toBeCloseTo(0.1, 12);
    expect(pv[7]).toBe(0);
  });

  it('reaches beyond one day by repeating the last observed day', () => {
    const f = new SeasonalNaiveForecaster(2);
    feed(f, 2);
    const horizon = 50;
    const load = new Float64Array(2 * horizon);
    const pv = new Float64Array(2 * horizon);
    f.forecast(horizon, load, pv);
    expect(load[48]).toBeCloseTo(1 + 0 / 100, 12); // two days ahead: still the last observed day
    expect(load[49]).toBeCloseTo(1 + 1 / 100, 12);
  });

  it('refuses to forecast before a full season is observed', () => {
    const f = new SeasonalNaiveForecaster(1);
    expect(() => f.forecast(6, new Float64Array(6), new Float64Array(6))).toThrow(/needs 48 observations/);
  });
});

describe('PerfectForecaster', () => {
  it('returns the realised future', () => {
    const f = new PerfectForecaster(2, { loadKwh: (k, h) => k + 10 * h, pvKwh: (k) => -k });
    const load = new Float64Array(6);
    const pv = new Float64Array(6);
    f.forecast(3, load, pv);
    expect(Array.from(load)).toEqual([0, 1, 2, 10, 11, 12]);
    expect(Array.from(pv)).toEqual([-0, -1, -2, -0, -1, -2]);
  });
});
