import { describe, expect, it } from 'vitest';
import { PerfectForecaster, SeasonalMeanForecaster, SeasonalNaiveForecaster } from '../../agents/index.ts';

/** Feeds `days` days of a known pattern for 2 homes: home h's load at interval t of day d = h·100 + d + t/100. */
function feed(f: SeasonalNaiveForecaster | SeasonalMeanForecaster, days: number, period = 48): void {
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

describe('SeasonalMeanForecaster', () => {
  it('forecasts each interval by the mean of the same interval over the last 7 days, per home', () => {
    const f = new SeasonalMeanForecaster(2);
    expect(f.name).toBe('seasonal-mean-7d');
    feed(f, 10); // days 0 … 9: the last seven are 3 … 9, mean day index 6
    const horizon = 6;
    const load = new Float64Array(2 * horizon);
    const pv = new Float64Array(2 * horizon);
    f.forecast(horizon, load, pv);
    for (let k = 0; k < horizon; k++) {
      expect(load[k]).toBeCloseTo(6 + k / 100, 12);
      expect(load[horizon + k]).toBeCloseTo(100 + 6 + k / 100, 12);
      expect(pv[k]).toBeCloseTo(k / 10, 12);
      expect(pv[horizon + k]).toBe(0);
    }
  });

  it('mid-day, an interval still ahead today is averaged over the 7 previous days, one already passed over the last 7 including today', () => {
    const f = new SeasonalMeanForecaster(1, 7, 4);
    // one home, 4 intervals a day, value = 10·day + interval
    let observed = 0;
    const step = (v: number) => {
      f.observe(Float64Array.of(v), Float64Array.of(0), 0);
      observed++;
    };
    for (let d = 0; d < 8; d++) for (let t = 0; t < 4; t++) step(10 * d + t);
    step(80); // day 8, interval 0
    step(81); // day 8, interval 1
    expect(observed).toBe(34);
    const load = new Float64Array(4);
    f.forecast(4, load, new Float64Array(4));
    // day 8 interval 2 ← days 1 … 7; interval 3 ← days 1 … 7; day 9 interval 0 ← days 2 … 8; interval 1 ← days 2 … 8
    expect(Array.from(load)).toEqual([42, 43, 50, 51]);
  });

  it('cannot forecast before seven whole days and refuses a bad span', () => {
    const f = new SeasonalMeanForecaster(2);
    feed(f, 6);
    expect(() => f.forecast(6, new Float64Array(12), new Float64Array(12))).toThrow(RangeError);
    expect(() => new SeasonalMeanForecaster(2, 0)).toThrow(/whole number of days/);
  });
});
