import { DateTime } from 'luxon';
import { INTERVAL_MINUTES, INTERVALS_PER_DAY, TIMEZONE } from '../../common/index.ts';
import type { WeatherForecast } from './weather-forecast.ts';

/**
 * The 30 input features of one interval t of one household, in this order. Energy features are
 * divided by the household's own scale (the mean of its own observed series, see `scaleOf`), so
 * one model serves small flats and large solar homes; lags that reach before the household's first
 * observation are 0 and flagged by feature 21.
 *
 * |  # | feature |
 * |---:|---|
 * |  0 | load at t / load scale |
 * |  1 | PV at t / PV scale |
 * |  2 | load at t − 1 (30 min earlier) |
 * |  3 | PV at t − 1 |
 * |  4 | load at t − 48 (one day earlier) |
 * |  5 | PV at t − 48 |
 * |  6 | load at t − 336 (one week earlier) |
 * |  7 | PV at t − 336 |
 * |  8 | mean load over t − 5 … t (3 h) |
 * |  9 | mean PV over t − 5 … t |
 * | 10 | sin(2π · local hour / 24) |
 * | 11 | cos(2π · local hour / 24) |
 * | 12 | sin(2π · (weekday − 1) / 7), Monday = 1 |
 * | 13 | cos(2π · (weekday − 1) / 7) |
 * | 14 | sin(2π · (month − 1) / 12) |
 * | 15 | cos(2π · (month − 1) / 12) |
 * | 16 | weekend flag (Saturday, Sunday) |
 * | 17 | outdoor temperature (°C − 20) / 10, 0 if not provided |
 * | 18 | cloud cover 0…1, 0 if not provided |
 * | 19 | import price, USD/kWh, 0 if not provided |
 * | 20 | battery state of charge 0…1, 0 if not provided / no battery |
 * | 21 | history flag: 1 if the one-week lag of t exists, else 0 (cold start) |
 * | 22 | the household's load scale, kWh per interval (its typical size) |
 * | 23 | the household's PV scale, kWh per interval (0.05 floor; tells PV homes apart) |
 * | 24 | outdoor temperature of t + 48 (the same interval a day later), (°C − 20) / 10: observed when that interval is past at the window's end, else the weather forecast issued then (`weather-forecast.ts`); while no forecast is known (e.g. the engine publishes a day's weather when the day begins), persistence: feature 17 of row t |
 * | 25 | cloud cover of t + 48, likewise (persistence: feature 18 of row t) |
 * | 26 | mean load of the same interval over the 7 days ending at t (t, t − 48, …, t − 288; the days held) |
 * | 27 | mean PV likewise |
 * | 28 | load at t − 288 (six days earlier); feature 26 while that is not held (cold start) |
 * | 29 | PV at t − 288; feature 27 while not held |
 *
 * Features 26–29 are the seasonal context of the interval one day after t: for a target t + 48,
 * feature 0 is "same time yesterday", feature 26 the 7-day mean and feature 28 "same time last
 * week", the three simple forecasts the model's seasonal base blends (see `TransformerConfig`).
 *
 * Features 24–25 are the known-future covariates: with a one-day window, row j carries the
 * forecast weather of target step j + 1 (the row the seasonal residual's base comes from).
 * Features 10–19 are shared by every household (calendar, weather, tariff); all others read only
 * the household's own data.
 */
export const FEATURE_COUNT = 30;
export const FEATURE_NAMES: readonly string[] = Object.freeze([
  'load', 'pv', 'load_lag1', 'pv_lag1', 'load_lag48', 'pv_lag48', 'load_lag336', 'pv_lag336',
  'load_mean6', 'pv_mean6', 'tod_sin', 'tod_cos', 'dow_sin', 'dow_cos', 'month_sin', 'month_cos',
  'weekend', 'temperature', 'cloud_cover', 'import_price', 'battery_soc', 'history_flag',
  'load_scale', 'pv_scale', 'temperature_next_day', 'cloud_cover_next_day',
  'load_mean7d', 'pv_mean7d', 'load_lag288', 'pv_lag288',
]);

/** Feature index of each seasonal-base member (yesterday, 7-day mean, last week) of the target one day after a row, per series (load, PV). */
export const SEASONAL_BASE_FEATURES: readonly (readonly number[])[] = Object.freeze([Object.freeze([0, 26, 28]), Object.freeze([1, 27, 29])]);
/** Days in the seasonal mean (features 26–27). */
export const SEASONAL_MEAN_DAYS = 7;
/** Six days, intervals: the one-week lag of the interval a day ahead. */
const SIX_DAYS = 6 * INTERVALS_PER_DAY;

/** Shared features stored once per interval (features 10–19). */
const CONTEXT_FEATURES = 10;
const CONTEXT_OFFSET = 10;
export const WEEK_INTERVALS = 7 * INTERVALS_PER_DAY;
/** Smallest per-household scale, kWh per interval: keeps homes without PV (or empty homes) finite. */
export const SCALE_FLOOR_KWH = 0.05;

/** Calendar, weather and price facts of one interval, the same for every household. */
export interface IntervalContext {
  /** local clock hour at the start of the interval, 0 ≤ h < 24 (fractional: 13.5 = 13:30) */
  localHour: number;
  /** ISO weekday, Monday = 1 … Sunday = 7 */
  weekday: number;
  /** 1 … 12 */
  month: number;
  temperatureC?: number;
  /** 0 (clear) … 1 (overcast) */
  cloudCover?: number;
  importPriceUsdPerKwh?: number;
}

/** Context of observation number `step` (0 = the first interval the forecaster observes). */
export type ContextProvider = (step: number) => IntervalContext;

/**
 * Calendar context computed from absolute time (DST-safe): observation `step` starts at
 * `startIso + step × intervalMinutes`. `extra` adds weather or prices when the caller has them.
 */
export function calendarContext(options: {
  startIso: string;
  intervalMinutes?: number;
  timezone?: string;
  extra?: (step: number) => Pick<IntervalContext, 'temperatureC' | 'cloudCover' | 'importPriceUsdPerKwh'>;
}): ContextProvider {
  const zone = options.timezone ?? TIMEZONE;
  const start = DateTime.fromISO(options.startIso, { zone });
  if (!start.isValid) throw new RangeError(`not an ISO time: ${options.startIso}`);
  const startMs = start.toMillis();
  const stepMs = (options.intervalMinutes ?? INTERVAL_MINUTES) * 60_000;
  return (step) => {
    const t = DateTime.fromMillis(startMs + step * stepMs, { zone });
    return { localHour: t.hour + t.minute / 60, weekday: t.weekday, month: t.month, ...options.extra?.(step) };
  };
}

/**
 * A context for tests and synthetic data: step 0 is midnight of a Monday in January, 48 steps a
 * day, no DST, no weather.
 */
export const syntheticContext: ContextProvider = (step) => {
  const day = Math.floor(step / INTERVALS_PER_DAY);
  return { localHour: ((step % INTERVALS_PER_DAY) * INTERVAL_MINUTES) / 60, weekday: 1 + (day % 7), month: 1 + (Math.floor(day / 30.5) % 12) };
};

function writeContext(ctx: IntervalContext, out: Float32Array, off: number): void {
  const tod = (2 * Math.PI * ctx.localHour) / 24;
  const dow = (2 * Math.PI * (ctx.weekday - 1)) / 7;
  const mon = (2 * Math.PI * (ctx.month - 1)) / 12;
  out[off] = Math.sin(tod);
  out[off + 1] = Math.cos(tod);
  out[off + 2] = Math.sin(dow);
  out[off + 3] = Math.cos(dow);
  out[off + 4] = Math.sin(mon);
  out[off + 5] = Math.cos(mon);
  out[off + 6] = ctx.weekday >= 6 ? 1 : 0;
  out[off + 7] = ctx.temperatureC === undefined ? 0 : (ctx.temperatureC - 20) / 10;
  out[off + 8] = ctx.cloudCover ?? 0;
  out[off + 9] = ctx.importPriceUsdPerKwh ?? 0;
}

/**
 * Each household's recent observations (a ring buffer, interval-major like the engine:
 * `[slot * households + h]`) and the shared context of each interval. Observation number t lives
 * in slot t mod capacity while t ≥ observed − capacity. Plain typed arrays; no tensors.
 */
export class HouseholdSeriesStore {
  readonly load: Float32Array;
  readonly pv: Float32Array;
  private soc: Float32Array | null = null;
  private readonly context: Float32Array;
  private readonly sumLoad: Float64Array;
  private readonly sumPv: Float64Array;
  private count = 0;
  private forecast: WeatherForecast | null = null;
  /**
   * normalised forecast (temperature, cloud) of steps end + 1 … end + 48 for one window end, shared
   * by every household; valid until the window end moves or more weather is published
   */
  private nextDayCache: { end: number; values: Float32Array } = { end: -1, values: new Float32Array(2 * INTERVALS_PER_DAY) };

  constructor(
    readonly households: number,
    readonly capacity: number,
  ) {
    if (!(households >= 1) || !(capacity >= 1)) throw new RangeError('a series store needs ≥ 1 household and ≥ 1 slot');
    this.load = new Float32Array(households * capacity);
    this.pv = new Float32Array(households * capacity);
    this.context = new Float32Array(capacity * CONTEXT_FEATURES);
    this.sumLoad = new Float64Array(households);
    this.sumPv = new Float64Array(households);
  }

  /** Observations recorded so far (the step number of the next one). */
  get observed(): number {
    return this.count;
  }

  /** Oldest step still held. */
  get first(): number {
    return Math.max(0, this.count - this.capacity);
  }

  /** Records one interval for every household; `offset` indexes the engine's interval-major arrays. */
  push(loadKwh: ArrayLike<number>, pvKwh: ArrayLike<number>, offset: number, ctx: IntervalContext): void {
    const n = this.households;
    const slot = this.count % this.capacity;
    const base = slot * n;
    for (let h = 0; h < n; h++) {
      const l = loadKwh[offset + h];
      const p = pvKwh[offset + h];
      this.load[base + h] = l;
      this.pv[base + h] = p;
      this.sumLoad[h] += l;
      this.sumPv[h] += p;
    }
    if (this.soc) this.soc.fill(0, base, base + n);
    writeContext(ctx, this.context, slot * CONTEXT_FEATURES);
    this.count++;
  }

  /** The weather forecast for features 24–25 of intervals not yet observed at a window's end (none: 0). */
  setWeatherForecast(forecast: WeatherForecast | null): void {
    this.forecast = forecast;
    this.nextDayCache.end = -1;
  }

  /** More weather is known to the forecast (a day's public context was published): forget the cached next day. */
  weatherPublished(): void {
    this.nextDayCache.end = -1;
  }

  /** Features 24–25 of row t of a window ending at `end`: the weather of t + 48, observed or forecast. */
  private writeNextDay(t: number, end: number, out: Float32Array, o: number): void {
    const target = t + INTERVALS_PER_DAY;
    if (target <= end && target < this.count) {
      const c = (target % this.capacity) * CONTEXT_FEATURES;
      out[o + 24] = this.context[c + 7];
      out[o + 25] = this.context[c + 8];
      return;
    }
    const cache = this.nextDayCache;
    if (cache.end !== end) this.fillNextDay(end);
    const k = target - end - 1;
    const temperature = cache.values[2 * k];
    const cloud = cache.values[2 * k + 1];
    // weather not yet published to the forecaster (NaN): persistence — row t's own observed weather, a day before the target
    const own = (t % this.capacity) * CONTEXT_FEATURES;
    out[o + 24] = Number.isNaN(temperature) ? this.context[own + 7] : temperature;
    out[o + 25] = Number.isNaN(cloud) ? this.context[own + 8] : cloud;
  }

  private fillNextDay(end: number): void {
    const cache = this.nextDayCache;
    cache.end = end;
    for (let k = 0; k < INTERVALS_PER_DAY; k++) {
      const w = this.forecast?.(end + 1 + k, k + 1);
      // unknown weather (not yet published to the forecaster) is NaN until `weatherPublished`
      cache.values[2 * k] = w?.temperatureC === undefined ? Number.NaN : (w.temperatureC - 20) / 10;
      cache.values[2 * k + 1] = w?.cloudCover ?? Number.NaN;
    }
  }

  /** Battery state of charge (0…1) of every household for the latest observed interval. */
  setSoc(socFraction: ArrayLike<number>): void {
    if (this.count === 0) throw new RangeError('state of charge belongs to an observed interval; observe one first');
    const n = this.households;
    this.soc ??= new Float32Array(n * this.capacity);
    const base = ((this.count - 1) % this.capacity) * n;
    for (let h = 0; h < n; h++) this.soc[base + h] = socFraction[h];
  }

  /** Mean load of household h over everything it has observed (kWh per interval, floored). */
  loadScale(h: number): number {
    return this.count === 0 ? SCALE_FLOOR_KWH : Math.max(SCALE_FLOOR_KWH, this.sumLoad[h] / this.count);
  }

  pvScale(h: number): number {
    return this.count === 0 ? SCALE_FLOOR_KWH : Math.max(SCALE_FLOOR_KWH, this.sumPv[h] / this.count);
  }

  has(t: number): boolean {
    return t >= this.first && t < this.count;
  }

  /** Raw load of household h at step t (kWh), 0 if not held. */
  loadAt(h: number, t: number): number {
    return this.has(t) ? this.load[(t % this.capacity) * this.households + h] : 0;
  }

  pvAt(h: number, t: number): number {
    return this.has(t) ? this.pv[(t % this.capacity) * this.households + h] : 0;
  }

  /**
   * Writes the `window` × FEATURE_COUNT feature rows of household h for the steps end − window + 1 … end into
   * `out` at `off` (row-major), normalised by the household's current scales.
   */
  writeWindow(h: number, end: number, window: number, out: Float32Array, off: number): void {
    const n = this.households;
    const cap = this.capacity;
    const first = this.first;
    const last = this.count - 1;
    const sl = this.loadScale(h);
    const sp = this.pvScale(h);
    const il = 1 / sl;
    const ip = 1 / sp;
    const load = this.load;
    const pv = this.pv;
    const soc = this.soc;
    for (let j = 0; j < window; j++) {
      const t = end - window + 1 + j;
      const o = off + j * FEATURE_COUNT;
      if (t < first || t > last) {
        out.fill(0, o, o + FEATURE_COUNT);
        out[o + 22] = sl;
        out[o + 23] = sp;
        continue;
      }
      const slot = t % cap;
      const at = slot * n + h;
      out[o] = load[at] * il;
      out[o + 1] = pv[at] * ip;
      const ok1 = t - 1 >= first;
      out[o + 2] = ok1 ? load[((t - 1) % cap) * n + h] * il : 0;
      out[o + 3] = ok1 ? pv[((t - 1) % cap) * n + h] * ip : 0;
      const okDay = t - INTERVALS_PER_DAY >= first;
      out[o + 4] = okDay ? load[((t - INTERVALS_PER_DAY) % cap) * n + h] * il : 0;
      out[o + 5] = okDay ? pv[((t - INTERVALS_PER_DAY) % cap) * n + h] * ip : 0;
      const okWeek = t - WEEK_INTERVALS >= first;
      out[o + 6] = okWeek ? load[((t - WEEK_INTERVALS) % cap) * n + h] * il : 0;
      out[o + 7] = okWeek ? pv[((t - WEEK_INTERVALS) % cap) * n + h] * ip : 0;
      let sumL = 0;
      let sumP = 0;
      let m = 0;
      for (let b = 0; b < 6 && t - b >= first; b++) {
        const i = ((t - b) % cap) * n + h;
        sumL += load[i];
        sumP += pv[i];
        m++;
      }
      out[o + 8] = (sumL / m) * il;
      out[o + 9] = (sumP / m) * ip;
      sumL = 0;
      sumP = 0;
      m = 0;
      for (let d = 0; d < SEASONAL_MEAN_DAYS && t - d * INTERVALS_PER_DAY >= first; d++) {
        const i = ((t - d * INTERVALS_PER_DAY) % cap) * n + h;
        sumL += load[i];
        sumP += pv[i];
        m++;
      }
      out[o + 26] = (sumL / m) * il;
      out[o + 27] = (sumP / m) * ip;
      const okSix = t - SIX_DAYS >= first;
      out[o + 28] = okSix ? load[((t - SIX_DAYS) % cap) * n + h] * il : out[o + 26];
      out[o + 29] = okSix ? pv[((t - SIX_DAYS) % cap) * n + h] * ip : out[o + 27];
      const c = slot * CONTEXT_FEATURES;
      for (let k = 0; k < CONTEXT_FEATURES; k++) out[o + CONTEXT_OFFSET + k] = this.context[c + k];
      out[o + 20] = soc ? soc[at] : 0;
      out[o + 21] = okWeek ? 1 : 0;
      out[o + 22] = sl;
      out[o + 23] = sp;
      this.writeNextDay(t, end, out, o);
    }
  }

  /**
   * Writes the normalised targets of household h after `origin` (steps origin + 1 … origin +
   * horizon) as `[k * 2 + series]`, and a mask that is 1 where the step is held and ≤ `limit`.
   */
  writeTargets(h: number, origin: number, horizon: number, limit: number, y: Float32Array, yOff: number, mask: Float32Array, mOff: number): number {
    const il = 1 / this.loadScale(h);
    const ip = 1 / this.pvScale(h);
    let valid = 0;
    for (let k = 0; k < horizon; k++) {
      const t = origin + 1 + k;
      if (t <= limit && this.has(t)) {
        const at = (t % this.capacity) * this.households + h;
        y[yOff + 2 * k] = this.load[at] * il;
        y[yOff + 2 * k + 1] = this.pv[at] * ip;
        mask[mOff + k] = 1;
        valid++;
      } else {
        y[yOff + 2 * k] = 0;
        y[yOff + 2 * k + 1] = 0;
        mask[mOff + k] = 0;
      }
    }
    return valid;
  }
}
