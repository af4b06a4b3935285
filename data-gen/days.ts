import { DateTime, IANAZone } from 'luxon';
import { OCCUPANCY_COUNT, OCCUPANCY_INDEX, laundryWindow, levelAt, routinesOf, shareIn } from './behaviour.ts';
import { dayLayout, parseLocalDate, type DayLayout } from './calendar.ts';
import { WeatherConfigSchema, type WeatherConfig } from './config.ts';
import { homeStreamKey, meanOccupantFactor, type HouseholdProfile } from './population.ts';
import { normal, type Rng, type RngFactory } from './rng.ts';
import { cloudTransmission, createSolarSamples, fillSolarSample, fractionalYearNear, GROUND_ALBEDO } from './solar.ts';
import { createWeather, dailyMeanC, fillWeatherDay } from './weather.ts';

/** The appliances whose energy the generator models; a home's load is their sum. */
export const APPLIANCES = ['refrigerator', 'ac', 'ev', 'water-heater', 'cooking', 'lighting', 'laundry', 'plug-loads'] as const;
export type ApplianceName = (typeof APPLIANCES)[number];

/** One local calendar day of weather, load and PV for every home. Arrays are interval-major: `[t * households + h]`. */
export interface DayBlock {
  /** local date, YYYY-MM-DD */
  date: string;
  /** 0 for the generator's first day */
  dayIndex: number;
  /** 48 half-hours; 46 on the spring-forward day, 50 on the fall-back day */
  intervals: number;
  /** start of each interval, ISO 8601 with the local offset (2026-07-15T00:00:00-07:00) */
  intervalStartIso: string[];
  /** local clock hour of each interval start (13.5 = 1:30 pm); the repeated hour appears twice on fall-back */
  localHour: Float64Array;
  month: number;
  /** luxon weekday: 1 = Monday … 7 = Sunday */
  weekday: number;
  /** outdoor air temperature at each interval's midpoint, °C */
  temperatureC: Float64Array;
  /** cloud cover 0..1 per interval */
  cloudCover: Float64Array;
  /** mean global horizontal irradiance over each interval, W/m² */
  ghiWm2: Float64Array;
  households: number;
  /** household consumption in each interval, kWh (EV charging included) */
  loadKwh: Float64Array;
  /** PV generation in each interval, kWh AC (0 for homes without PV) */
  pvKwh: Float64Array;
  /** per-appliance consumption (same layout), only when asked for; they add up to `loadKwh` */
  applianceKwh?: Record<ApplianceName, Float64Array>;
}

export interface GenerateDaysOptions {
  households: readonly HouseholdProfile[];
  weather: WeatherConfig;
  /** first local date, YYYY-MM-DD */
  startDate: string;
  days: number;
  /** IANA time zone, e.g. America/Los_Angeles */
  timezone: string;
  /** interval length in minutes; must divide 60 (the engine uses 30) */
  intervalMinutes: number;
  /** also return the per-appliance breakdown (costs memory; the engine does not need it) */
  withAppliances?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Calibration constants. Targets (see REFERENCE-DATA.md): a typical PG&E household uses about
// 500 kWh/month (PG&E 2024) before EV charging; A/C is about 40% of a summer bill (PG&E Currents
// 2023); refrigerators 37–51 kWh/month; electric water heating 2,706 kWh/yr (RECS 2020 via DOE);
// EV +2.9 kWh/day per EV (Burlig et al. 2024); PV about 1,580 kWh/kW-yr (PVWatts-based).
// `node sim/bin/run-ts.mjs bench/data-gen.ts` (or `wattswap data-gen report`) prints what the generator produces
// against these targets, and the generation speed.
// ---------------------------------------------------------------------------------------------

/** PV: DC-to-AC performance ratio before temperature losses: PVWatts' default system losses (14%) and
 *  inverter efficiency (96%) give 0.825. With it, the mixed-orientation population yields 1,580–1,610
 *  kWh/kW-yr in Sacramento weather (no further tuning was needed). */
export const PV_PERFORMANCE_RATIO = 0.825;
/** PV module power temperature coefficient, 1/°C (PVWatts v8 "standard" module: −0.37 %/°C). */
export const PV_TEMP_COEFF_PER_C = -0.0037;
/** Cell temperature rise over ambient per W/m² of irradiance (NOCT 45 °C model: 25 °C at 800 W/m²). */
export const PV_CELL_RISE_C_PER_W_M2 = 25 / 800;
/** Sub-samples of the sun per interval (midpoints of equal parts), for integrating PV over the interval. */
const SOLAR_SAMPLES = 3;

/** Refrigerator energy rises with kitchen temperature: about 1%/°C of the daily mean outdoor temperature around 16 °C. */
const FRIDGE_TEMP_SENSITIVITY_PER_C = 0.01;

/** Lighting power while the whole household is awake at home after dark, kW (LED-era homes), and always-on lighting. */
const LIGHTING_KW = 0.25;
const LIGHTING_STANDBY_KW = 0.01;
/** Indoor lighting is needed below about this much global horizontal irradiance, W/m². */
const DAYLIGHT_THRESHOLD_W_M2 = 150;

/** Plug loads: always-on (networking, standby, small appliances) and active (TV, computers, kitchen), kW. */
const PLUG_BASE_KW = 0.11;
const PLUG_ACTIVE_KW = 0.6;

/** Cooking (electric part: microwave, toaster, oven or range in some homes), kWh/day for a 2.7-person home. */
const COOKING_KWH_PER_DAY = 0.9;

/** Electric water heater: 2,706 kWh/yr (RECS 2020 via DOE) for an average household; 4.5 kW element. */
const WATER_HEATER_KWH_PER_DAY = 2706 / 365;
const WATER_HEATER_ELEMENT_KW = 4.5;
/** Share of the water heater's energy that is tank standby loss, spread over the day. */
const WATER_HEATER_STANDBY_SHARE = 0.15;
/** Inlet water is colder in winter: ±20% seasonal swing, highest in mid-January. */
const WATER_HEATER_SEASONAL_SWING = 0.2;

/** Laundry: loads per week for a 2-person home (scaled by occupants^0.7), washer and electric-dryer power for 1 h each. */
const LAUNDRY_LOADS_PER_WEEK = 2.5;
const WASHER_KW = 0.3;
const DRYER_KW = 2.4;

/** A/C: setpoint raised this much while nobody is home (programmable-thermostat setback). */
const AC_SETBACK_C = 4;
/** Solar and internal gains on the building, as °C of extra effective outdoor temperature per kW/m² of sun. */
const AC_SOLAR_GAIN_C_PER_KW_M2 = 3;
/** Part-load fraction of the A/C per °C of effective outdoor temperature above the setpoint. */
const AC_LOAD_PER_C = 1 / 20;

/** Mean household size the per-occupant scalings are centred on (California, US Census ACS ≈ 2.9; our draw ≈ 2.7). */
const REFERENCE_OCCUPANTS = 2.7;

/** EV: plug-in (arrival) time, hours, ~ N(18.3, 1.4) within 15–23.5 h; session energy spread (lognormal σ). */
const EV_ARRIVAL_MEAN_H = 18.3;
const EV_ARRIVAL_SD_H = 1.4;
const EV_SESSION_LOG_SD = 0.45;
/** Sessions are more frequent on weekdays (commuting): weights average to 1 over a week. */
const EV_WEEKDAY_WEIGHT = 1.1;
const EV_WEEKEND_WEIGHT = 0.75;

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

/** Per-home constants in typed arrays (struct of arrays) for the inner loop. */
interface HomeParams {
  occ: Uint8Array;
  shiftH: Float64Array;
  fridgeKwhPerH: Float64Array;
  lightKw: Float64Array;
  plugBaseKw: Float64Array;
  plugActiveKw: Float64Array;
  cookKwhDay: Float64Array;
  whKwhDay: Float64Array;
  acKw: Float64Array;
  acSetC: Float64Array;
  evKw: Float64Array;
  evKwhPerDay: Float64Array;
  evSessionKwh: Float64Array;
  evSessionsPerDay: Float64Array;
  evHabit: Uint8Array;
  laundryPerDay: Float64Array;
  dryer: Uint8Array;
  pvKw: Float64Array;
  pvA0: Float64Array;
  pvA1: Float64Array;
  pvA2: Float64Array;
  pvDiffuse: Float64Array;
  pvGround: Float64Array;
}

function homeParams(households: readonly HouseholdProfile[]): HomeParams {
  const n = households.length;
  const f = () => new Float64Array(n);
  const p: HomeParams = {
    occ: new Uint8Array(n),
    shiftH: f(),
    fridgeKwhPerH: f(),
    lightKw: f(),
    plugBaseKw: f(),
    plugActiveKw: f(),
    cookKwhDay: f(),
    whKwhDay: f(),
    acKw: f(),
    acSetC: f(),
    evKw: f(),
    evKwhPerDay: f(),
    evSessionKwh: f(),
    evSessionsPerDay: f(),
    evHabit: new Uint8Array(n),
    laundryPerDay: f(),
    dryer: new Uint8Array(n),
    pvKw: f(),
    pvA0: f(),
    pvA1: f(),
    pvA2: f(),
    pvDiffuse: f(),
    pvGround: f(),
  };
  const DEG = Math.PI / 180;
  // hot water scales with household size; normalised so the population mean stays at 2,706 kWh/yr
  const waterNorm = meanOccupantFactor(0.6, REFERENCE_OCCUPANTS);
  households.forEach((hh, h) => {
    const occRatio = hh.occupants / REFERENCE_OCCUPANTS;
    p.occ[h] = OCCUPANCY_INDEX[hh.occupancy];
    p.shiftH[h] = hh.scheduleShiftH;
    p.fridgeKwhPerH[h] = hh.refrigeratorKwhPerDay / 24;
    p.lightKw[h] = LIGHTING_KW * hh.loadScale * Math.pow(occRatio, 0.3);
    p.plugBaseKw[h] = PLUG_BASE_KW * hh.loadScale;
    p.plugActiveKw[h] = PLUG_ACTIVE_KW * hh.loadScale * Math.pow(occRatio, 0.5);
    p.cookKwhDay[h] = COOKING_KWH_PER_DAY * Math.sqrt(hh.loadScale) * Math.pow(occRatio, 0.6);
    p.whKwhDay[h] = hh.electricWaterHeater ? (WATER_HEATER_KWH_PER_DAY * Math.pow(occRatio, 0.6)) / waterNorm : 0;
    p.acKw[h] = hh.hasAc ? hh.acKw : 0;
    p.acSetC[h] = hh.acSetpointC;
    if (hh.hasEv && hh.evChargerKw > 0 && hh.evKwhPerDay > 0) {
      p.evKw[h] = hh.evChargerKw;
      p.evKwhPerDay[h] = hh.evKwhPerDay;
      // between 2 and 5 sessions a week; bigger users charge more often and longer
      const sessionsPerWeek = clamp(1.5 + hh.evKwhPerDay * 0.6, 2, 5);
      p.evSessionsPerDay[h] = sessionsPerWeek / 7;
      p.evSessionKwh[h] = (hh.evKwhPerDay * 7) / sessionsPerWeek;
      p.evHabit[h] = hh.evCharging === 'on-arrival' ? 0 : hh.evCharging === 'timer-21h' ? 1 : 2;
    }
    p.laundryPerDay[h] = Math.min(0.95, (LAUNDRY_LOADS_PER_WEEK * Math.pow(hh.occupants / 2, 0.7)) / 7);
    p.dryer[h] = hh.electricDryer ? 1 : 0;
    if (hh.hasPv && hh.pvKw > 0) {
      const tilt = hh.pvTiltDeg * DEG;
      const az = hh.pvOrientation * DEG;
      p.pvKw[h] = hh.pvKw;
      p.pvA0[h] = Math.cos(tilt);
      p.pvA1[h] = Math.sin(tilt) * Math.cos(az); // north component of the panel normal
      p.pvA2[h] = Math.sin(tilt) * Math.sin(az); // east component
      p.pvDiffuse[h] = (1 + Math.cos(tilt)) / 2;
      p.pvGround[h] = (GROUND_ALBEDO * (1 - Math.cos(tilt))) / 2;
    }
  });
  return p;
}

function validate(opts: GenerateDaysOptions): DateTime {
  const { days, intervalMinutes, timezone } = opts;
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number ≥ 0, got ${days}`);
  if (!Number.isInteger(intervalMinutes) || intervalMinutes <= 0 || 60 % intervalMinutes !== 0)
    throw new RangeError(`intervalMinutes must divide an hour (5, 10, 15, 20, 30 or 60), got ${intervalMinutes}`);
  if (!IANAZone.isValidZone(timezone)) throw new RangeError(`unknown time zone "${timezone}"`);
  return parseLocalDate(opts.startDate, timezone);
}

/**
 * Streams synthetic days, one local calendar day at a time, lazily: a year for 10,000 homes never
 * sits in memory at once. Every array of a yielded block is freshly allocated (callers may keep
 * several days). Deterministic given `rngFor`, the households and the dates: the weather draws from
 * `data-gen/weather`, each home from `data-gen/load/<home>` (its own stream, so adding a household
 * leaves the others unchanged). Weather is continuous across the range (AR(1) persistence).
 */
export function generateDays(opts: GenerateDaysOptions, rngFor: RngFactory): Generator<DayBlock> {
  const firstDay = validate(opts);
  const weatherCfg = WeatherConfigSchema.parse(opts.weather);
  return run(opts, weatherCfg, firstDay, rngFor);
}

function* run(opts: GenerateDaysOptions, weatherCfg: WeatherConfig, firstDay: DateTime, rngFor: RngFactory): Generator<DayBlock> {
  const { households, intervalMinutes } = opts;
  const n = households.length;
  const withAppliances = opts.withAppliances === true;
  const dtH = intervalMinutes / 60;
  const stepMs = intervalMinutes * 60_000;
  const maxIntervals = Math.ceil((25 * 60) / intervalMinutes);
  const P = homeParams(households);
  const homeRng: Rng[] = households.map((hh) => rngFor(`data-gen/load/${homeStreamKey(hh.index)}`));
  const weather = createWeather(weatherCfg, rngFor('data-gen/weather'), firstDay.toISODate()!, intervalMinutes);

  // shared per-day scratch (reused; nothing here is handed out)
  const lagged = new Float64Array(maxIntervals);
  const solar = createSolarSamples(maxIntervals * SOLAR_SAMPLES);
  const sDni = new Float64Array(maxIntervals * SOLAR_SAMPLES);
  const sDhi = new Float64Array(maxIntervals * SOLAR_SAMPLES);
  const sGhi = new Float64Array(maxIntervals * SOLAR_SAMPLES);
  const pvScale = new Float64Array(maxIntervals);
  const daylight = new Uint8Array(maxIntervals);
  const darkness = new Float64Array(maxIntervals);
  const acGainC = new Float64Array(maxIntervals);
  const R = OCCUPANCY_COUNT * maxIntervals;
  const active = new Float64Array(R);
  const atHome = new Float64Array(R);
  const cookShare = new Float64Array(R);
  const waterShare = new Float64Array(R);

  // per-home state carried across days, and per-home values for the current day
  const waterCarry = new Float64Array(n);
  const evRemaining = new Float64Array(n);
  const evTomorrowKwh = new Float64Array(n); // midnight-timer sessions starting at the next day's 00:00
  const evStartA = new Int32Array(n);
  const evKwhA = new Float64Array(n);
  const evStartB = new Int32Array(n);
  const evKwhB = new Float64Array(n);
  const shift = new Int32Array(n);
  const plugDay = new Float64Array(n);
  const cookDay = new Float64Array(n);
  const waterDay = new Float64Array(n);
  const laundryStart = new Int32Array(n);

  // Flex Alert evenings on heat-wave days: which homes respond (own stream, so the others' draws do not move)
  const flexCfg = weatherCfg.heatWave && weatherCfg.flexAlert ? weatherCfg.flexAlert : null;
  const flexFrom = weatherCfg.heatWave?.start ?? '';
  const flexTo = weatherCfg.heatWave ? DateTime.fromISO(weatherCfg.heatWave.start).plus({ days: weatherCfg.heatWave.days }).toISODate()! : '';
  const flexResponds = new Float64Array(n);
  if (flexCfg) {
    for (let h = 0; h < n; h++) {
      const r = rngFor(`data-gen/flex-alert/${homeStreamKey(households[h].index)}`);
      flexResponds[h] = r() < flexCfg.responseShare ? 1 : 0;
    }
  }
  const flex = new Float64Array(maxIntervals);

  let day = firstDay;
  for (let d = 0; d < opts.days; d++) {
    const L: DayLayout = dayLayout(day, intervalMinutes);
    day = L.next;
    const D = L.intervals;
    const weekend = L.weekday >= 6;
    const temperatureC = new Float64Array(D);
    const cloudCover = new Float64Array(D);
    const ghiWm2 = new Float64Array(D);
    const meanC = dailyMeanC(weather);
    const alertDay = flexCfg !== null && L.date >= flexFrom && L.date < flexTo;
    for (let t = 0; t < D; t++) {
      flex[t] = alertDay && L.localHour[t] >= flexCfg!.startHour - 1e-9 && L.localHour[t] < flexCfg!.endHour - 1e-9 ? 1 : 0;
    }
    fillWeatherDay(weather, L, { temperatureC, cloudCover, laggedTemperatureC: lagged });

    // --- shared per-interval factors: sun, irradiance, darkness, gains, routines ---
    const gammaAt = fractionalYearNear(L.midnightMs);
    for (let t = 0; t < D; t++) {
      const c = cloudCover[t];
      const kc = cloudTransmission(c);
      let ghiSum = 0;
      let up = 0;
      for (let s = 0; s < SOLAR_SAMPLES; s++) {
        const i = t * SOLAR_SAMPLES + s;
        const ms = L.startMs[t] + ((s + 0.5) / SOLAR_SAMPLES) * stepMs;
        fillSolarSample(solar, i, ms, weatherCfg.latitudeDeg, weatherCfg.longitudeDeg, gammaAt(ms));
        const cz = solar.cosZenith[i];
        if (cz <= 0) {
          sDni[i] = 0;
          sDhi[i] = 0;
          sGhi[i] = 0;
          continue;
        }
        const ghiClear = solar.dniClear[i] * cz + solar.dhiClear[i];
        const ghi = ghiClear * kc;
        // diffuse fraction: clear-sky share at c = 0 rising to 1 at overcast (after Kasten & Czeplak)
        const kdClear = solar.dhiClear[i] / ghiClear;
        const kd = kdClear + (1 - kdClear) * c * c;
        sGhi[i] = ghi;
        sDhi[i] = kd * ghi;
        sDni[i] = ((1 - kd) * ghi) / cz;
        ghiSum += ghi;
        up = 1;
      }
      const ghiMean = ghiSum / SOLAR_SAMPLES;
      ghiWm2[t] = ghiMean;
      daylight[t] = up;
      const cellC = temperatureC[t] + PV_CELL_RISE_C_PER_W_M2 * ghiMean;
      pvScale[t] = (PV_PERFORMANCE_RATIO * (1 + PV_TEMP_COEFF_PER_C * (cellC - 25)) * dtH) / SOLAR_SAMPLES / 1000;
      darkness[t] = clamp(1 - ghiMean / DAYLIGHT_THRESHOLD_W_M2, 0, 1);
      acGainC[t] = (AC_SOLAR_GAIN_C_PER_KW_M2 * ghiMean) / 1000;
    }
    for (let o = 0; o < OCCUPANCY_COUNT; o++) {
      const r = routinesOf(o, weekend);
      for (let t = 0; t < D; t++) {
        const hour = L.localHour[t];
        const k = o * maxIntervals + t;
        active[k] = levelAt(r.active, hour + dtH / 2);
        atHome[k] = levelAt(r.atHome, hour + dtH / 2);
        cookShare[k] = shareIn(r.cooking, hour, dtH);
        waterShare[k] = shareIn(r.hotWater, hour, dtH);
      }
    }
    const fridgeFactor = clamp(1 + FRIDGE_TEMP_SENSITIVITY_PER_C * (meanC - 16), 0.9, 1.15);
    const waterSeason = 1 + WATER_HEATER_SEASONAL_SWING * Math.cos((2 * Math.PI * (L.dayOfYear - 15)) / 365.25);
    const evDayWeight = weekend ? EV_WEEKEND_WEIGHT : EV_WEEKDAY_WEIGHT;

    // --- per-home draws for the day (each home's own stream, fixed order) ---
    for (let h = 0; h < n; h++) {
      const rng = homeRng[h];
      shift[h] = Math.round((P.shiftH[h] + (rng() - 0.5)) / dtH);
      plugDay[h] = 0.85 + 0.3 * rng();
      cookDay[h] = P.cookKwhDay[h] * (0.6 + 0.8 * rng());
      waterDay[h] = P.whKwhDay[h] > 0 ? P.whKwhDay[h] * waterSeason * Math.max(0.3, 1 + 0.15 * normal(rng)) : 0;
      // laundry: one load on some days, started inside the routine's window
      laundryStart[h] = -1;
      if (rng() < P.laundryPerDay[h]) {
        const [a, b] = laundryWindow(P.occ[h], weekend);
        laundryStart[h] = firstIntervalAtOrAfter(L, a + (b - a) * rng());
        // a responding home runs no major appliance during a Flex Alert: the load waits for the window to close
        if (alertDay && flexResponds[h] === 1 && laundryStart[h] >= 0 && flex[laundryStart[h]] === 1) {
          laundryStart[h] = firstIntervalAtOrAfter(L, flexCfg!.endHour);
        }
      }
      // EV: yesterday's midnight-timer session starts now; maybe a new session today
      evStartA[h] = -1;
      evStartB[h] = -1;
      if (P.evKw[h] > 0) {
        if (evTomorrowKwh[h] > 0) {
          evStartA[h] = 0;
          evKwhA[h] = evTomorrowKwh[h];
          evTomorrowKwh[h] = 0;
        }
        const u = rng();
        const arrival = clamp(EV_ARRIVAL_MEAN_H + EV_ARRIVAL_SD_H * normal(rng), 15, 23.5);
        const size = Math.exp(EV_SESSION_LOG_SD * normal(rng) - EV_SESSION_LOG_SD ** 2 / 2);
        if (u < P.evSessionsPerDay[h] * evDayWeight) {
          const kwh = clamp(P.evSessionKwh[h] * size, 1, 80);
          const habit = P.evHabit[h];
          if (habit === 2) {
            evTomorrowKwh[h] = kwh;
          } else {
            const t0 = firstIntervalAtOrAfter(L, habit === 1 ? Math.max(arrival, 21) : arrival);
            if (t0 < 0) evTomorrowKwh[h] = kwh;
            else {
              evStartB[h] = t0;
              evKwhB[h] = kwh;
            }
          }
        }
      }
    }

    // --- the inner loop: every interval, every home ---
    const size = D * n;
    const loadKwh = new Float64Array(size);
    const pvKwh = new Float64Array(size);
    const A = withAppliances ? Object.fromEntries(APPLIANCES.map((a) => [a, new Float64Array(size)])) as Record<ApplianceName, Float64Array> : null;
    const fridgeArr = A?.refrigerator;
    const acArr = A?.ac;
    const evArr = A?.ev;
    const whArr = A?.['water-heater'];
    const cookArr = A?.cooking;
    const lightArr = A?.lighting;
    const laundryArr = A?.laundry;
    const plugArr = A?.['plug-loads'];
    const whMax = WATER_HEATER_ELEMENT_KW * dtH;
    const whStandby = (WATER_HEATER_STANDBY_SHARE * dtH) / 24;
    const whDraw = 1 - WATER_HEATER_STANDBY_SHARE;
    const Dm1 = D - 1;

    const { acKw, acSetC, dryer, evKw, fridgeKwhPerH, lightKw, occ, plugActiveKw, plugBaseKw, pvA0, pvA1, pvA2, pvDiffuse, pvGround, pvKw } = P;
    const { cosZenith: cosZ, sunNorth: sunN, sunEast: sunE } = solar;
    for (let t = 0; t < D; t++) {
      const tLag = lagged[t] + acGainC[t];
      const dark = darkness[t];
      const lit = daylight[t] === 1;
      const pvK = pvScale[t];
      const s0 = t * SOLAR_SAMPLES;
      const row = t * n;
      for (let h = 0; h < n; h++) {
        const rng = homeRng[h];
        let ts = t - shift[h];
        ts = ts < 0 ? 0 : ts > Dm1 ? Dm1 : ts;
        const k = occ[h] * maxIntervals + ts;
        const act = active[k];

        const fridge = fridgeKwhPerH[h] * dtH * fridgeFactor * (0.7 + 0.6 * rng()) * (0.9 + 0.25 * act);
        const fl = flex[t] * flexResponds[h];
        const plug = (plugBaseKw[h] + plugActiveKw[h] * act * (0.6 + 0.8 * rng())) * plugDay[h] * dtH * (fl > 0 ? 1 - flexCfg!.plugLoadCut : 1);
        let light = LIGHTING_STANDBY_KW * dtH;
        const lightLevel = act * dark;
        if (lightLevel > 0) light += lightKw[h] * lightLevel * (0.7 + 0.6 * rng()) * dtH;
        let cook = 0;
        const cs = cookShare[k];
        if (cs > 0) cook = cookDay[h] * cs * -Math.log(1 - rng());

        let wh = 0;
        if (waterDay[h] > 0) {
          let want = waterCarry[h] + waterDay[h] * whStandby;
          const ws = waterShare[k];
          if (ws > 0) want += waterDay[h] * whDraw * ws * -Math.log(1 - rng());
          wh = want < whMax ? want : whMax;
          waterCarry[h] = want - wh;
        }

        let ac = 0;
        const acKwH = acKw[h];
        if (acKwH > 0) {
          const raise = fl > 0 ? flexCfg!.acSetpointRaiseC : 0;
          const x = (tLag - acSetC[h] - raise - AC_SETBACK_C * (1 - atHome[k])) * AC_LOAD_PER_C;
          if (x > 0) ac = acKwH * dtH * (x < 1 ? x : 1) * (0.85 + 0.3 * rng());
        }

        let ev = 0;
        if (evKw[h] > 0) {
          if (t === evStartA[h]) evRemaining[h] += evKwhA[h];
          if (t === evStartB[h]) evRemaining[h] += evKwhB[h];
          const rem = evRemaining[h];
          if (rem > 0) {
            const cap = evKw[h] * dtH;
            ev = rem < cap ? rem : cap;
            evRemaining[h] = rem - ev;
          }
        }

        let laundry = 0;
        const ls = laundryStart[h];
        if (ls >= 0 && t >= ls) {
          const elapsedH = (t - ls) * dtH;
          if (elapsedH < 1) laundry = WASHER_KW * dtH;
          else if (elapsedH < 2 && dryer[h] === 1) laundry = DRYER_KW * dtH;
        }

        const i = row + h;
        loadKwh[i] = fridge + plug + light + cook + wh + ac + ev + laundry;

        const kw = pvKw[h];
        if (kw > 0 && lit) {
          const a0 = pvA0[h];
          const a1 = pvA1[h];
          const a2 = pvA2[h];
          let poa = 0;
          for (let s = s0; s < s0 + SOLAR_SAMPLES; s++) {
            const cosInc = a0 * cosZ[s] + a1 * sunN[s] + a2 * sunE[s];
            if (cosInc > 0) poa += sDni[s] * cosInc;
            poa += sDhi[s] * pvDiffuse[h] + sGhi[s] * pvGround[h];
          }
          const e = kw * poa * pvK;
          pvKwh[i] = e > 0 ? e : 0;
        }

        if (A) {
          fridgeArr![i] = fridge;
          acArr![i] = ac;
          evArr![i] = ev;
          whArr![i] = wh;
          cookArr![i] = cook;
          lightArr![i] = light;
          laundryArr![i] = laundry;
          plugArr![i] = plug;
        }
      }
    }

    const block: DayBlock = {
      date: L.date,
      dayIndex: d,
      intervals: D,
      intervalStartIso: L.startIso,
      localHour: L.localHour,
      month: L.month,
      weekday: L.weekday,
      temperatureC,
      cloudCover,
      ghiWm2,
      households: n,
      loadKwh,
      pvKwh,
    };
    if (A) block.applianceKwh = A;
    yield block;
  }
}

/** Index of the first interval of the day starting at or after local clock hour `hour`, or −1. */
function firstIntervalAtOrAfter(L: DayLayout, hour: number): number {
  for (let t = 0; t < L.intervals; t++) if (L.localHour[t] >= hour - 1e-9) return t;
  return -1;
}
