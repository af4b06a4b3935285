import { describe, expect, it } from 'vitest';
import {
  calendarContext,
  FEATURE_COUNT,
  FEATURE_NAMES,
  HouseholdSeriesStore,
  SCALE_FLOOR_KWH,
  WEATHER_FORECAST_ERROR,
  createWeatherForecast,
  syntheticContext,
} from '../../../agents/transformer/index.ts';
import seedrandom from 'seedrandom';

/** A store of `n` homes fed `steps` intervals where home h's load at step t is h + t / 100 and PV is 2·that. */
function filledStore(n: number, steps: number, capacity = 1000): HouseholdSeriesStore {
  const store = new HouseholdSeriesStore(n, capacity);
  const load = new Float64Array(n);
  const pv = new Float64Array(n);
  for (let t = 0; t < steps; t++) {
    for (let h = 0; h < n; h++) {
      load[h] = h + 1 + t / 100;
      pv[h] = 2 * load[h];
    }
    store.push(load, pv, 0, { ...syntheticContext(t), temperatureC: 30, cloudCover: 0.25, importPriceUsdPerKwh: 0.4 });
  }
  return store;
}

describe('the 30 features', () => {
  it('are 30, each named', () => {
    expect(FEATURE_COUNT).toBe(30);
    expect(FEATURE_NAMES).toHaveLength(30);
    expect(new Set(FEATURE_NAMES).size).toBe(30);
  });

  it('hold the household’s own normalised values, lags, calendar and context', () => {
    const store = filledStore(2, 400);
    const out = new Float32Array(48 * FEATURE_COUNT);
    store.writeWindow(1, 399, 48, out, 0);
    const scale = store.loadScale(1);
    // mean of 2 + t/100 over t = 0…399
    expect(scale).toBeCloseTo(2 + 199.5 / 100, 6);
    const row = (j: number) => out.subarray(j * FEATURE_COUNT, (j + 1) * FEATURE_COUNT);
    const last = row(47); // step 399
    const loadAt = (t: number) => 2 + t / 100;
    expect(last[0]).toBeCloseTo(loadAt(399) / scale, 5);
    expect(last[1]).toBeCloseTo((2 * loadAt(399)) / store.pvScale(1), 5);
    expect(last[2]).toBeCloseTo(loadAt(398) / scale, 5);
    expect(last[4]).toBeCloseTo(loadAt(351) / scale, 5);
    expect(last[6]).toBeCloseTo(loadAt(399 - 336) / scale, 5);
    expect(last[8]).toBeCloseTo((loadAt(396.5)) / scale, 5); // mean of t − 5 … t
    // step 399 = day 8, 07:30, a Tuesday in January
    expect(last[10]).toBeCloseTo(Math.sin((2 * Math.PI * 7.5) / 24), 5);
    expect(last[11]).toBeCloseTo(Math.cos((2 * Math.PI * 7.5) / 24), 5);
    expect(last[12]).toBeCloseTo(Math.sin((2 * Math.PI * 1) / 7), 5);
    expect(last[16]).toBe(0);
    expect(last[17]).toBeCloseTo(1, 6); // (30 − 20) / 10
    expect(last[18]).toBeCloseTo(0.25, 6);
    expect(last[19]).toBeCloseTo(0.4, 6);
    expect(last[20]).toBe(0); // no state of charge reported
    expect(last[21]).toBe(1); // a week of history exists
    expect(last[22]).toBeCloseTo(scale, 5);
    // the seasonal context of step 447 (a day after 399): 7-day mean of 399, 351, …, 111 and step 111 (last week of 447)
    expect(last[26]).toBeCloseTo(loadAt(399 - 144) / scale, 5);
    expect(last[27]).toBeCloseTo((2 * loadAt(399 - 144)) / store.pvScale(1), 5);
    expect(last[28]).toBeCloseTo(loadAt(399 - 288) / scale, 5);
    expect(last[29]).toBeCloseTo((2 * loadAt(399 - 288)) / store.pvScale(1), 5);
    // a window ending at step 340 starts at step 293, which has no week lag yet
    const early = new Float32Array(48 * FEATURE_COUNT);
    store.writeWindow(1, 340, 48, early, 0);
    expect(early[21]).toBe(0);
    expect(early[6]).toBe(0);
    expect(early[47 * FEATURE_COUNT + 21]).toBe(1);
    // step 287 has only 6 of its days held (287, 239, …, 47): their mean, and "last week" (step −1) falls back to it
    const short = new Float32Array(48 * FEATURE_COUNT);
    store.writeWindow(1, 287, 48, short, 0);
    const r287 = short.subarray(47 * FEATURE_COUNT);
    expect(r287[26]).toBeCloseTo(loadAt(287 - 120) / scale, 5);
    expect(r287[28]).toBe(r287[26]);
  });

  it('pads steps before the first observation with zeros and flags them', () => {
    const store = filledStore(1, 10);
    const out = new Float32Array(48 * FEATURE_COUNT).fill(7);
    store.writeWindow(0, 9, 48, out, 0);
    expect(out[0]).toBe(0);
    expect(out[21]).toBe(0);
    expect(out[37 * FEATURE_COUNT]).toBe(0); // step −1
    expect(out[38 * FEATURE_COUNT]).toBeGreaterThan(0); // step 0
    expect(out[38 * FEATURE_COUNT + 2]).toBe(0); // its lag 1 does not exist
  });

  it('reads only the household’s own series', () => {
    const a = filledStore(3, 100);
    const b = new HouseholdSeriesStore(3, 1000);
    for (let t = 0; t < 100; t++) {
      // home 1 identical, homes 0 and 2 different
      const load = Float64Array.of(99, 2 + t / 100, 42);
      b.push(load, Float64Array.from(load, (v) => 2 * v), 0, { ...syntheticContext(t), temperatureC: 30, cloudCover: 0.25, importPriceUsdPerKwh: 0.4 });
    }
    const fa = new Float32Array(48 * FEATURE_COUNT);
    const fb = new Float32Array(48 * FEATURE_COUNT);
    a.writeWindow(1, 99, 48, fa, 0);
    b.writeWindow(1, 99, 48, fb, 0);
    expect(fb).toEqual(fa);
  });

  it('keeps a ring of `capacity` intervals', () => {
    const store = filledStore(2, 30, 8);
    expect(store.first).toBe(22);
    expect(store.has(21)).toBe(false);
    expect(store.loadAt(0, 29)).toBeCloseTo(1.29, 6);
    expect(store.loadAt(0, 21)).toBe(0);
  });

  it('floors the scale of a household without PV', () => {
    const store = new HouseholdSeriesStore(1, 10);
    store.push([0.5], [0], 0, syntheticContext(0));
    expect(store.pvScale(0)).toBe(SCALE_FLOOR_KWH);
  });

  it('records battery state of charge for the interval just observed', () => {
    const store = filledStore(2, 60);
    store.setSoc([0.2, 0.9]);
    const out = new Float32Array(48 * FEATURE_COUNT);
    store.writeWindow(1, 59, 48, out, 0);
    expect(out[47 * FEATURE_COUNT + 20]).toBeCloseTo(0.9, 6);
    expect(out[46 * FEATURE_COUNT + 20]).toBe(0);
  });
});

describe('calendar context', () => {
  it('follows local clock time across the spring-forward DST change', () => {
    // 8 March 2026: clocks jump from 02:00 to 03:00 in Los Angeles
    const ctx = calendarContext({ startIso: '2026-03-08T00:00:00-08:00' });
    expect(ctx(3).localHour).toBeCloseTo(1.5, 9);
    expect(ctx(4).localHour).toBeCloseTo(3, 9);
    expect(ctx(0)).toMatchObject({ weekday: 7, month: 3 });
  });

  it('passes weather and prices through', () => {
    const ctx = calendarContext({ startIso: '2026-07-15T00:00:00-07:00', extra: (s) => ({ temperatureC: 20 + s }) });
    expect(ctx(2)).toMatchObject({ localHour: 1, weekday: 3, month: 7, temperatureC: 22 });
  });
});

describe('known-future covariates (features 24–25)', () => {
  /** one home, 100 steps observed; the true temperature of step s is 10 + s / 10 °C, cloud 0.5 */
  const truth = (s: number) => ({ temperatureC: 10 + s / 10, cloudCover: 0.5 });
  function store(forecast: ReturnType<typeof createWeatherForecast> | null): HouseholdSeriesStore {
    const st = new HouseholdSeriesStore(1, 500);
    for (let t = 0; t < 100; t++) st.push([1], [0], 0, { ...syntheticContext(t), ...truth(t) });
    st.setWeatherForecast(forecast);
    return st;
  }

  it('row t carries the weather of t + 48: observed when past at the window’s end, else the forecast issued then', () => {
    const perfect = (target: number) => truth(target);
    const st = store(perfect);
    const out = new Float32Array(48 * FEATURE_COUNT);
    st.writeWindow(0, 70, 48, out, 0); // rows 23 … 70; targets 71 … 118
    for (let j = 0; j < 48; j++) {
      expect(out[j * FEATURE_COUNT + 24]).toBeCloseTo((truth(71 + j).temperatureC - 20) / 10, 5);
      expect(out[j * FEATURE_COUNT + 25]).toBeCloseTo(0.5, 6);
    }
    st.writeWindow(0, 99, 48, out, 0); // rows 52 … 99; targets 100 … 147, none observed
    expect(out[24]).toBeCloseTo((truth(100).temperatureC - 20) / 10, 5);
  });

  it('fall back to persistence (the row’s own observed weather) where no forecast is known', () => {
    const out = new Float32Array(48 * FEATURE_COUNT).fill(7);
    store(null).writeWindow(0, 99, 48, out, 0); // rows 52 … 99
    for (let j = 0; j < 48; j++) {
      expect(out[j * FEATURE_COUNT + 24]).toBeCloseTo((truth(52 + j).temperatureC - 20) / 10, 5);
      expect(out[j * FEATURE_COUNT + 25]).toBeCloseTo(0.5, 6);
    }
  });
});

describe('the honest weather forecast', () => {
  const truth = (s: number) => ({ temperatureC: 25, cloudCover: s % 2 === 0 ? 0 : 1 });

  it('is the observation at lead ≤ 0 and has errors whose spread grows with lead time as stated', () => {
    const f = createWeatherForecast(truth, seedrandom('wf'));
    expect(f(10, 0)).toEqual(truth(10));
    const spread = (lead: number) => {
      let ss = 0;
      for (let s = 0; s < 4000; s++) ss += (f(s, lead).temperatureC! - 25) ** 2;
      return Math.sqrt(ss / 4000);
    };
    expect(spread(2)).toBeCloseTo(WEATHER_FORECAST_ERROR.temperatureSdC(1), 1);
    expect(spread(48)).toBeCloseTo(WEATHER_FORECAST_ERROR.temperatureSdC(24), 1);
    expect(spread(48)).toBeGreaterThan(spread(2));
    for (let s = 0; s < 100; s++) {
      const c = f(s, 96).cloudCover!;
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
  });

  it('is deterministic and independent of the order of the questions', () => {
    const a = createWeatherForecast(truth, seedrandom('wf'));
    const b = createWeatherForecast(truth, seedrandom('wf'));
    const forward = [5, 50, 500].map((s) => a(s, 12).temperatureC);
    const backward = [500, 50, 5].map((s) => b(s, 12).temperatureC).reverse();
    expect(backward).toEqual(forward);
  });

  it('forecasts nothing the observations do not know', () => {
    const f = createWeatherForecast(() => ({}), seedrandom('wf'));
    expect(f(3, 10)).toEqual({ temperatureC: undefined, cloudCover: undefined });
  });
});
