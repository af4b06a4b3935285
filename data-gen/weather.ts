import type { HeatWaveConfig, WeatherConfig } from './config.ts';
import type { DayLayout } from './calendar.ts';
import { normal, type Rng } from '../common/index.ts';
import { solarNoonAndHalfDay } from './solar.ts';

/**
 * Synthetic Sacramento weather: a seasonal cycle plus persistent day-to-day anomalies (AR(1)),
 * a diurnal temperature cycle from sunrise to a mid-afternoon peak, and cloud cover as an AR(1)
 * process around a seasonal mean, with intra-day variation. One stream (`data-gen/weather`) drives
 * it, drawn day by day in date order, so a range of days is continuous.
 *
 * Climate (approximate NOAA NCEI 1991–2020 normals, Sacramento Executive Airport):
 * - normal daily high about 34 °C in July and 13 °C in December–January; normal low about 15 °C
 *   in summer and 4 °C in winter (the large summer diurnal range of the Central Valley);
 * - sunshine: summer almost cloudless (>95% of possible sunshine in July), winter about half
 *   (valley fog, Pacific storms) — modelled as mean cloud cover 0.08 in July, 0.52 in January.
 */

/**
 * Normal daily high and low as two-harmonic fits (w = 2π·dayOfYear/365.25) to the monthly normals of
 * Sacramento Executive Airport (NOAA NCEI 1991–2020, approximately: highs 13.1 °C Jan … 34.2 °C Jul,
 * lows 4.4 °C Jan … 15.6 °C Jul; fit residuals under 0.9 °C). Coefficients: [mean, cos w, sin w, cos 2w, sin 2w].
 */
const HIGH_HARMONICS = [23.833, -10.007, -3.3, -1.007, 1.181] as const;
const LOW_HARMONICS = [10.03, -5.433, -1.842, -0.421, 0.593] as const;
/** Day-to-day persistence of the temperature anomaly (lag-1 autocorrelation of daily means). */
export const TEMP_ANOMALY_PHI = 0.75;
/** Standard deviation of the stationary temperature anomaly, °C. */
export const TEMP_ANOMALY_SD_C = 3.0;
/** Day-to-day persistence of the cloud regime. */
export const CLOUD_PHI = 0.6;
/** Half-hourly persistence of intra-day cloud variation. */
const CLOUD_INTRADAY_PHI_30MIN = 0.9;
/** Cooling of the afternoon high and warming of the night low per unit of cloud above the seasonal mean, °C. */
const CLOUD_HIGH_COOLING_C = 5;
const CLOUD_LOW_WARMING_C = 2;
/** The daily high is reached this long after solar noon (≈ 16:00 PDT in summer, 15:00 PST in winter). */
const PEAK_AFTER_NOON_H = 3;
/** Time constant of the building's lag behind the outdoor temperature, hours (used by A/C). */
export const THERMAL_LAG_H = 2.5;

const MS_PER_H = 3_600_000;
const MS_PER_DAY = 86_400_000;
const YEAR_DAYS = 365.25;

/** Normal daily high and low, °C, for a day of year (no anomaly). */
export function normalHighLowC(dayOfYear: number): { highC: number; lowC: number } {
  const w = (2 * Math.PI * dayOfYear) / YEAR_DAYS;
  const c1 = Math.cos(w);
  const s1 = Math.sin(w);
  const c2 = Math.cos(2 * w);
  const s2 = Math.sin(2 * w);
  const at = (k: readonly number[]) => k[0] + k[1] * c1 + k[2] * s1 + k[3] * c2 + k[4] * s2;
  return { highC: at(HIGH_HARMONICS), lowC: at(LOW_HARMONICS) };
}

/** Seasonal mean daily cloud cover (0..1) and the spread of daily values around it. */
export function seasonalCloud(dayOfYear: number): { mean: number; spread: number } {
  const mean = 0.3 + 0.22 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / YEAR_DAYS); // 0.52 mid-Jan, 0.08 mid-Jul
  const spread = 0.1 + 0.25 * ((mean - 0.08) / 0.44);
  return { mean, spread };
}

interface WeatherDay {
  highC: number;
  lowC: number;
  /** daily mean cloud cover after scaling, 0..1 */
  cloud: number;
  /** sunrise and time of the daily high, epoch ms */
  sunriseMs: number;
  peakMs: number;
}

/** Mutable weather state of one generator run (plain data). */
export interface WeatherState {
  cfg: WeatherConfig;
  rng: Rng;
  intervalMinutes: number;
  anomalyC: number;
  cloudZ: number;
  intraCloud: number;
  lagC: number;
  /** calendar day number (days since 1970-01-01) of the next day to draw */
  nextDay: number;
  prev: WeatherDay;
  cur: WeatherDay;
  next: WeatherDay;
  /** calendar day number of the heat wave's first day */
  heatWaveStartDay: number;
}

/** The shared per-interval weather of a day, in caller-owned arrays of at least `intervals` length. */
export interface WeatherDayOut {
  temperatureC: Float64Array;
  cloudCover: Float64Array;
  /** outdoor temperature seen through the building's thermal lag, °C */
  laggedTemperatureC: Float64Array;
}

/** Calendar day number (days since 1970-01-01) of a YYYY-MM-DD date: zone-free calendar arithmetic. */
export function dayNumberOf(date: string): number {
  return Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY);
}

/** Day of the year (1 … 366) of a calendar day number. */
function ordinalOf(dayNumber: number): number {
  const year = new Date(dayNumber * MS_PER_DAY).getUTCFullYear();
  return dayNumber - Math.round(Date.UTC(year, 0, 1) / MS_PER_DAY) + 1;
}

function heatWaveEnvelope(hw: HeatWaveConfig | null, day: number, startDay: number): number {
  if (!hw) return 0;
  const k = day - startDay;
  if (k < 0 || k >= hw.days) return 0;
  return Math.sin((Math.PI * (k + 0.5)) / hw.days);
}

function drawDay(s: WeatherState, day: number): WeatherDay {
  const rng = s.rng;
  s.anomalyC = TEMP_ANOMALY_PHI * s.anomalyC + TEMP_ANOMALY_SD_C * Math.sqrt(1 - TEMP_ANOMALY_PHI ** 2) * normal(rng);
  s.cloudZ = CLOUD_PHI * s.cloudZ + Math.sqrt(1 - CLOUD_PHI ** 2) * normal(rng);
  return dayFrom(s, day);
}

function dayFrom(s: WeatherState, day: number): WeatherDay {
  const doy = ordinalOf(day);
  const { highC, lowC } = normalHighLowC(doy);
  const sc = seasonalCloud(doy);
  const env = heatWaveEnvelope(s.cfg.heatWave, day, s.heatWaveStartDay);
  let cloud = Math.min(1, Math.max(0, sc.mean + sc.spread * s.cloudZ));
  cloud = Math.min(1, cloud * s.cfg.cloudinessScale) * (1 - env); // heat waves come with clear skies
  const peak = s.cfg.heatWave ? s.cfg.heatWave.peakAnomalyC * env : 0;
  const offset = s.cfg.temperatureOffsetC;
  const high = highC + s.anomalyC - CLOUD_HIGH_COOLING_C * (cloud - sc.mean) + peak + offset;
  let low = lowC + 0.7 * s.anomalyC + CLOUD_LOW_WARMING_C * (cloud - sc.mean) + 0.7 * peak + offset;
  if (low > high - 2) low = high - 2;
  const { noonMs, halfDayH } = solarNoonAndHalfDay(day, s.cfg.latitudeDeg, s.cfg.longitudeDeg);
  return { highC: high, lowC: low, cloud, sunriseMs: noonMs - halfDayH * MS_PER_H, peakMs: noonMs + PEAK_AFTER_NOON_H * MS_PER_H };
}

/**
 * Starts the weather at local date `firstDate` (YYYY-MM-DD; the anomaly starts from its stationary
 * distribution). Daily values depend on the calendar date only, not on the time zone.
 */
export function createWeather(cfg: WeatherConfig, rng: Rng, firstDate: string, intervalMinutes: number): WeatherState {
  const firstDay = dayNumberOf(firstDate);
  const s: WeatherState = {
    cfg,
    rng,
    intervalMinutes,
    anomalyC: TEMP_ANOMALY_SD_C * normal(rng),
    cloudZ: normal(rng),
    intraCloud: normal(rng),
    lagC: Number.NaN,
    nextDay: firstDay + 2,
    prev: undefined as unknown as WeatherDay,
    cur: undefined as unknown as WeatherDay,
    next: undefined as unknown as WeatherDay,
    heatWaveStartDay: cfg.heatWave ? dayNumberOf(cfg.heatWave.start) : 0,
  };
  s.prev = dayFrom(s, firstDay - 1);
  s.cur = dayFrom(s, firstDay);
  s.next = drawDay(s, firstDay + 1);
  return s;
}

/** Daily mean temperature of the current day, °C (for refrigerators and water heaters). */
export function dailyMeanC(s: WeatherState): number {
  return 0.5 * (s.cur.highC + s.cur.lowC);
}

/** Diurnal cycle: low at sunrise, high at the afternoon peak, cosine-shaped between them. */
function temperatureAt(s: WeatherState, ms: number): number {
  const { prev, cur, next } = s;
  if (ms < cur.sunriseMs) {
    const x = (ms - prev.peakMs) / (cur.sunriseMs - prev.peakMs);
    return cur.lowC + ((prev.highC - cur.lowC) * (1 + Math.cos(Math.PI * x))) / 2;
  }
  if (ms <= cur.peakMs) {
    const x = (ms - cur.sunriseMs) / (cur.peakMs - cur.sunriseMs);
    return cur.lowC + ((cur.highC - cur.lowC) * (1 - Math.cos(Math.PI * x))) / 2;
  }
  const x = (ms - cur.peakMs) / (next.sunriseMs - cur.peakMs);
  return next.lowC + ((cur.highC - next.lowC) * (1 + Math.cos(Math.PI * x))) / 2;
}

/**
 * Fills the current day's per-interval weather, then advances the state by one day.
 * Temperatures are taken at interval midpoints.
 */
export function fillWeatherDay(s: WeatherState, layout: DayLayout, out: WeatherDayOut): void {
  const D = layout.intervals;
  const stepMs = s.intervalMinutes * 60_000;
  const lagAlpha = 1 - Math.exp(-(s.intervalMinutes / 60) / THERMAL_LAG_H);
  const phiI = Math.pow(CLOUD_INTRADAY_PHI_30MIN, s.intervalMinutes / 30);
  const innovI = Math.sqrt(1 - phiI * phiI);
  const c = s.cur.cloud;
  const spread = 0.05 + 0.3 * c * (1 - c);
  const scale = s.cfg.cloudinessScale;
  for (let t = 0; t < D; t++) {
    const mid = layout.startMs[t] + stepMs / 2;
    const temp = temperatureAt(s, mid);
    out.temperatureC[t] = temp;
    if (Number.isNaN(s.lagC)) s.lagC = 0.5 * (s.cur.highC + s.cur.lowC);
    s.lagC += lagAlpha * (temp - s.lagC);
    out.laggedTemperatureC[t] = s.lagC;
    s.intraCloud = phiI * s.intraCloud + innovI * normal(s.rng);
    let cc = c + spread * Math.min(1, scale) * s.intraCloud;
    if (c === 0) cc = 0;
    out.cloudCover[t] = cc < 0 ? 0 : cc > 1 ? 1 : cc;
  }
  // advance: tomorrow becomes today, and the day after is drawn
  s.prev = s.cur;
  s.cur = s.next;
  s.next = drawDay(s, s.nextDay);
  s.nextDay++;
}
