import { describe, expect, it } from 'vitest';
import { seasonalMeanMetrics, seasonalNaiveMetrics, type EvaluationSeries, type HorizonMetrics } from '../../evaluate/index.ts';

const N = 2;
const DAY = 48;

/**
 * 3 days × 48 intervals, 2 homes; day 3 is the test day. Home 0 (PV) loads 1.0 on day 2 and
 * 1.1 + 0.01·i on day 3; home 1 (no PV) 0.5 then 0.2. Home 0's PV is 2.0 on day 2 and 1.5 on day 3
 * in daylight (intervals 12–35), 0 at night; home 1 reports PV noise that must be ignored.
 */
function series(loadDay3Home0: (i: number) => number): EvaluationSeries {
  const T = 3 * DAY;
  const load = new Float64Array(T * N);
  const pv = new Float64Array(T * N);
  const daylight = new Uint8Array(T);
  for (let t = 0; t < T; t++) {
    const d = Math.floor(t / DAY);
    const i = t % DAY;
    const light = i >= 12 && i < 36;
    daylight[t] = light ? 1 : 0;
    load[t * N] = d < 2 ? 1 : loadDay3Home0(i);
    load[t * N + 1] = d < 2 ? 0.5 : 0.2;
    pv[t * N] = light ? (d < 2 ? 2 : 1.5) : 0;
    pv[t * N + 1] = 9 * t; // a non-PV home: never scored
  }
  return {
    households: N,
    intervals: T,
    loadKwh: load,
    pvKwh: pv,
    daylight,
    pvHome: Uint8Array.from([1, 0]),
    dayStarts: Int32Array.from([0, DAY, 2 * DAY, 3 * DAY]),
    testStart: 2 * DAY,
  };
}

const pick = (rows: HorizonMetrics[], series: 'load' | 'pv', horizon: HorizonMetrics['horizon']) => rows.find((r) => r.series === series && r.horizon === horizon)!.metrics;

describe('seasonal naive baseline on a hand-made series', () => {
  it('scores constant errors exactly: MAE, RMSE, WAPE per horizon and for the day', () => {
    const rows = seasonalNaiveMetrics(series(() => 1.1), { periodIntervals: DAY });
    // errors: home 0 −0.1 (forecast 1.0, actual 1.1), home 1 +0.3 (forecast 0.5, actual 0.2)
    for (const h of [1, 2, 3, 4, 5, 6] as const) {
      const m = pick(rows, 'load', h);
      expect(m.count).toBe(2 * (DAY - (h - 1))); // targets after the last test interval are not scored
      expect(m.mae_kwh).toBeCloseTo(0.2, 12);
      expect(m.rmse_kwh).toBeCloseTo(Math.sqrt(0.05), 12);
      expect(m.wape).toBeCloseTo(0.4 / 1.3, 12);
      expect(m.pinball_kwh).toBeCloseTo(0.1, 12);
      expect(m.crps_kwh).toBeCloseTo(0.2, 12);
      expect(m.coverage_p10_p90).toBeNull();
    }
    expect(pick(rows, 'load', '1-6').count).toBe(2 * (48 + 47 + 46 + 45 + 44 + 43));
    expect(pick(rows, 'load', '1-6').mae_kwh).toBeCloseTo(0.2, 12);
    const day = pick(rows, 'load', 'day');
    expect(day.count).toBe(2 * DAY); // one forecast of the whole day, issued at midnight
    expect(day.mae_kwh).toBeCloseTo(0.2, 12);
    expect(day.rmse_kwh).toBeCloseTo(Math.sqrt(0.05), 12);
  });

  it('scores PV only in daylight and only for homes with PV', () => {
    const rows = seasonalNaiveMetrics(series(() => 1.1), { periodIntervals: DAY });
    for (const h of [1, 6, '1-6', 'day'] as const) {
      const m = pick(rows, 'pv', h);
      expect(m.mae_kwh).toBeCloseTo(0.5, 12);
      expect(m.wape).toBeCloseTo(0.5 / 1.5, 12);
      expect(m.mean_actual_kwh).toBeCloseTo(1.5, 12);
    }
    expect(pick(rows, 'pv', 1).count).toBe(24);
    expect(pick(rows, 'pv', '1-6').count).toBe(6 * 24);
  });

  it('uses the right targets at each horizon when errors vary through the day', () => {
    const rows = seasonalNaiveMetrics(series((i) => 1.1 + 0.01 * i), { periodIntervals: DAY });
    // horizon k scores intervals i = k − 1 … 47: home 0 errors 0.1 + 0.01·i, home 1 errors 0.3
    for (const k of [1, 3, 6] as const) {
      let abs = 0;
      let sq = 0;
      let actual = 0;
      for (let i = k - 1; i < DAY; i++) {
        const e0 = 0.1 + 0.01 * i;
        abs += e0 + 0.3;
        sq += e0 * e0 + 0.09;
        actual += 1.1 + 0.01 * i + 0.2;
      }
      const count = 2 * (DAY - k + 1);
      const m = pick(rows, 'load', k);
      expect(m.mae_kwh).toBeCloseTo(abs / count, 12);
      expect(m.rmse_kwh).toBeCloseTo(Math.sqrt(sq / count), 12);
      expect(m.wape).toBeCloseTo(abs / actual, 12);
    }
    // k = 1: Σ(0.1 + 0.01 i) over i = 0…47 = 4.8 + 11.28, plus 48 × 0.3 → 30.48 / 96
    expect(pick(rows, 'load', 1).mae_kwh).toBeCloseTo(30.48 / 96, 12);
  });

  it('scores only the listed homes', () => {
    const rows = seasonalNaiveMetrics(series(() => 1.1), { periodIntervals: DAY, homes: [1] });
    expect(pick(rows, 'load', 1).mae_kwh).toBeCloseTo(0.3, 12);
    expect(pick(rows, 'pv', 1).count).toBe(0);
    expect(pick(rows, 'pv', 1).mae_kwh).toBeNull();
  });

  it('refuses a period longer than the history', () => {
    expect(() => seasonalNaiveMetrics(series(() => 1), { periodIntervals: 336 })).toThrow(/needs that much history/);
  });
});

describe('seasonal mean (7 days) baseline on a hand-made series', () => {
  /** 9 days, one home without PV: load d kWh all day on days 0–6, 10 kWh on the test days 7 and 8. */
  function weekSeries(): EvaluationSeries {
    const T = 9 * DAY;
    const load = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      const d = Math.floor(t / DAY);
      load[t] = d < 7 ? d : 10;
    }
    return {
      households: 1,
      intervals: T,
      loadKwh: load,
      pvKwh: new Float64Array(T),
      daylight: new Uint8Array(T).fill(1),
      pvHome: Uint8Array.from([0]),
      dayStarts: Int32Array.from({ length: 10 }, (_, d) => d * DAY),
      testStart: 7 * DAY,
    };
  }

  it('forecasts the mean of the same interval over the previous 7 days: 3 on day 7, 31/7 on day 8', () => {
    const rows = seasonalMeanMetrics(weekSeries());
    const day7 = 10 - 3; // days 0–6
    const day8 = 10 - 31 / 7; // days 1–7
    expect(pick(rows, 'load', 1).mae_kwh).toBeCloseTo((day7 + day8) / 2, 12);
    expect(pick(rows, 'load', 'day').mae_kwh).toBeCloseTo((day7 + day8) / 2, 12);
    // 6 steps ahead: targets 5–47 of day 7 (43), then all of day 8 (48)
    expect(pick(rows, 'load', 6).count).toBe(91);
    expect(pick(rows, 'load', 6).mae_kwh).toBeCloseTo((43 * day7 + 48 * day8) / 91, 12);
    expect(pick(rows, 'load', 6).coverage_p10_p90).toBeNull();
    expect(pick(rows, 'pv', 1).count).toBe(0); // no PV home
    // unlike seasonal naive, which copies yesterday: 4 on day 7, 0 on day 8
    expect(pick(seasonalNaiveMetrics(weekSeries(), { periodIntervals: DAY }), 'load', 1).mae_kwh).toBeCloseTo(2, 12);
  });

  it('needs 7 days of history', () => {
    const s = { ...weekSeries(), testStart: 6 * DAY };
    expect(() => seasonalMeanMetrics(s)).toThrow(/7-day seasonal mean needs 336 intervals of history \(have 288\)/);
  });
});
