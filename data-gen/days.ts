import { DateTime, IANAZone } from 'luxon';
import { OCCUPANCY_COUNT, OCCUPANCY_INDEX, laundryWindow, levelAt, routinesOf, shareIn } from './behaviour.ts';
import { dayLayout, parseLocalDate, type DayLayout } from './calendar.ts';
import { WeatherConfigSchema, type FlexAlertConfig, type WeatherConfig } from './config.ts';
import { homeStreamKey, meanOccupantFactor, type HouseholdProfile } from './population.ts';
import { normal, type Rng, type RngFactory } from '../common/index.ts';
import { cloudTransmission, createSolarSamples, fillSolarSample, fractionalYearNear, GROUND_ALBEDO, type SolarSamples } from './solar.ts';
import {
  AC_SETBACK_C,
  HEAT_SETBACK_C,
  HEAT_SETPOINT_C,
  HOUSE_CAPACITY_KWH_PER_C,
  HOUSE_UA_KW_PER_C,
  OCCUPANT_GAIN_KW,
  SOLAR_GAIN_C_PER_KW_M2,
  STEP_AC_KWH,
  STEP_FAN_KWH,
  STEP_INDOOR_C,
  stepHouse,
  type House,
  type HouseStep,
} from './thermal.ts';
import { createWeather, dailyMeanC, fillWeatherDay, THERMAL_LAG_H, type WeatherState } from './weather.ts';

/** The appliances whose energy the generator models; a home's load is their sum. */
export const APPLIANCES = ['refrigerator', 'ac', 'furnace-fan', 'ev', 'water-heater', 'cooking', 'lighting', 'laundry', 'plug-loads'] as const;
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
  /**
   * the critical part of `loadKwh` (same layout, ≤ load): refrigerator, lighting and the always-on
   * plug baseline (networking, standby, a medical device such as a CPAP) — what a home must keep
   * during an outage; the rest (A/C, furnace fan, water heater, EV, cooking, laundry, active plug
   * loads) is deferrable and may be shed. Absent for measured meter data (no appliance split).
   */
  criticalKwh?: Float64Array;
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
// Calibration constants. The homes are single-family houses in the Sacramento Valley (PG&E
// territory S). Targets (see REFERENCE-DATA.md): the average use territory S's baseline implies
// (the CPUC sets baseline at 50–60 % of average use, PU Code §739): summer 15.0 ÷ 0.6…0.5 = 25–30
// kWh/day, winter 10.2 ÷ 0.6…0.5 = 17–20.4 kWh/day; A/C is about 40% of a summer bill statewide
// (PG&E Currents 2023), more in the valley; a central A/C draws 3–4 kW while running (the heat
// balance in thermal.ts); refrigerators 37–51 kWh/month; electric water heating 2,706 kWh/yr (RECS
// 2020 via DOE); EV +2.9 kWh/day per EV (Burlig et al. 2024); PV about 1,580 kWh/kW-yr.
// PG&E's "typical household 500 kWh/month" (2024) is a statewide mean over every climate zone
// (coastal territories T and X imply 12–19 kWh/day) and every kind of home — about 39 % of
// California's housing units are apartments or attached homes, which use less (Public Utilities
// Fortnightly, "Stabilizing California's Demand", March 2009) — so a Sacramento Valley house sits
// above it: the non-HVAC loads below (plug loads and lighting sized for a detached house, about
// 16 kWh/day) plus A/C and furnace blower give about 650–700 kWh/month, inside the 600–720
// kWh/month territory S's two seasons imply.
// `wattswap data-gen report` prints what the generator produces against these targets;
// `node cli/bin/run-ts.mjs bench/default-day.ts` the default community's run day.
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

/** Lighting power while the whole household is awake at home after dark, kW (LED-era detached house, about 1,800 ft²), and always-on lighting. */
const LIGHTING_KW = 0.3;
const LIGHTING_STANDBY_KW = 0.01;
/** Indoor lighting is needed below about this much global horizontal irradiance, W/m². */
const DAYLIGHT_THRESHOLD_W_M2 = 150;

/**
 * Plug loads: always-on (networking, standby, small appliances) and active (TV, computers,
 * kitchen, dishwasher), kW. The always-on part plus the refrigerator is about 0.2 kW, near the
 * 164 W idle load NRDC measured in Northern California homes' smart-meter data (Delforge et al.,
 * "Home Idle Load", 2015); the active part is sized so that the non-HVAC use of a detached house
 * is about 16 kWh/day (see above).
 */
const PLUG_BASE_KW = 0.13;
const PLUG_ACTIVE_KW = 0.72;

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

/** Heating is set back between these local hours (asleep), as well as while nobody is home. */
const HEAT_NIGHT_FROM_H = 22.5;
const HEAT_NIGHT_TO_H = 6;

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
/** Clock hours closer than this are the same time (guards round-off in computed interval starts). */
const CLOCK_EPSILON_H = 1e-9;

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
  /** envelope, heat capacity and A/C of each home (thermal.ts), scaled with the home's size */
  house: House[];
  occupants: Float64Array;
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
    house: [],
    occupants: f(),
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
    // bigger homes (loadScale, mean 1) have more envelope; the A/C is sized with them (population.ts)
    p.house[h] = { uaKwPerC: HOUSE_UA_KW_PER_C * hh.loadScale, capacityKwhPerC: HOUSE_CAPACITY_KWH_PER_C * hh.loadScale, acKw: p.acKw[h] };
    p.occupants[h] = hh.occupants;
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

/** Per-interval factors every home shares on one day (reused scratch, sized for the longest day). */
interface SharedDay {
  /** outdoor temperature with the building's thermal lag, °C */
  lagged: Float64Array;
  /** the sun at each sub-sample of each interval, and the irradiance split there, W/m² */
  solar: SolarSamples;
  sDni: Float64Array;
  sDhi: Float64Array;
  sGhi: Float64Array;
  /** kWh per (kW of PV × W/m² of plane-of-array irradiance summed over the sub-samples) */
  pvScale: Float64Array;
  /** 1 when the sun is up at any sub-sample */
  daylight: Uint8Array;
  /** 0 in full daylight … 1 in the dark: how much lighting an active home needs */
  darkness: Float64Array;
  /** the sun's heat on the envelope as extra outdoor temperature, °C, through the building's thermal lag */
  solarLagC: Float64Array;
  /** 1 while the heating is set back for the night */
  night: Uint8Array;
  /** routine levels by occupancy type, `[occupancy * maxIntervals + t]` */
  active: Float64Array;
  atHome: Float64Array;
  cookShare: Float64Array;
  waterShare: Float64Array;
  /** 1 in the intervals of a Flex Alert evening */
  flex: Float64Array;
}

/** Each home's draws for one day (overwritten every day). */
interface HomeDay {
  /** the day's routine shift, intervals */
  shift: Int32Array;
  plugFactor: Float64Array;
  cookKwh: Float64Array;
  waterKwh: Float64Array;
  /** interval the laundry load starts, or −1 */
  laundryStart: Int32Array;
  /** up to two EV sessions starting today: interval (−1 = none) and energy */
  evStartA: Int32Array;
  evKwhA: Float64Array;
  evStartB: Int32Array;
  evKwhB: Float64Array;
}

/** Each home's state carried from one day to the next. */
interface HomeCarry {
  /** hot water the element could not heat yet, kWh */
  waterKwh: Float64Array;
  /** EV energy still to charge, kWh */
  evRemainingKwh: Float64Array;
  /** midnight-timer sessions starting at the next day's 00:00, kWh */
  evTomorrowKwh: Float64Array;
  /** indoor temperature at the end of the last interval, °C (NaN before the first) */
  indoorC: Float64Array;
}

/** Flex Alert evenings on heat-wave days, and which homes respond. */
interface FlexAlert {
  cfg: FlexAlertConfig;
  /** first alert date and the day after the last, YYYY-MM-DD */
  from: string;
  to: string;
  /** 1 = the home responds (own stream, so the others' draws do not move) */
  responds: Float64Array;
}

/** Everything the day loop needs: the inputs, the homes' constants and streams, and the scratch it reuses. */
interface GeneratorState {
  n: number;
  intervalMinutes: number;
  dtH: number;
  stepMs: number;
  maxIntervals: number;
  weatherCfg: WeatherConfig;
  withAppliances: boolean;
  P: HomeParams;
  homeRng: Rng[];
  weather: WeatherState;
  shared: SharedDay;
  today: HomeDay;
  carry: HomeCarry;
  flexAlert: FlexAlert | null;
  /** the lagged solar gain carried from one interval to the next (across midnight), °C */
  solarLag: { c: number };
  /** one home's day between the two passes of `fillIntervals` (reused, sized for the longest day) */
  home: HomeIntervals;
}

/** What the first pass over one home's day leaves the second, per interval. */
interface HomeIntervals {
  /** refrigerator + plug loads + lighting + cooking + water heater, kWh (summed in that order) */
  partialKwh: Float64Array;
  /** heat released indoors, kW; the cooling and heating setpoints, °C; the A/C's cycling draw */
  internalKw: Float64Array;
  coolSetC: Float64Array;
  heatSetC: Float64Array;
  acDraw: Float64Array;
}

function flexAlertOf(weatherCfg: WeatherConfig, households: readonly HouseholdProfile[], rngFor: RngFactory): FlexAlert | null {
  const heatWave = weatherCfg.heatWave;
  if (!heatWave || !weatherCfg.flexAlert) return null;
  const cfg = weatherCfg.flexAlert;
  const responds = new Float64Array(households.length);
  for (let h = 0; h < households.length; h++) {
    const r = rngFor(`data-gen/flex-alert/${homeStreamKey(households[h].index)}`);
    responds[h] = r() < cfg.responseShare ? 1 : 0;
  }
  return { cfg, from: heatWave.start, to: DateTime.fromISO(heatWave.start).plus({ days: heatWave.days }).toISODate()!, responds };
}

function createGenerator(opts: GenerateDaysOptions, weatherCfg: WeatherConfig, firstDay: DateTime, rngFor: RngFactory): GeneratorState {
  const { households, intervalMinutes } = opts;
  const n = households.length;
  const maxIntervals = Math.ceil((25 * 60) / intervalMinutes);
  const samples = maxIntervals * SOLAR_SAMPLES;
  const routines = OCCUPANCY_COUNT * maxIntervals;
  const f = (size: number) => new Float64Array(size);
  // the streams in their historical order: home loads, the weather, then the Flex Alert responders
  const homeRng: Rng[] = households.map((hh) => rngFor(`data-gen/load/${homeStreamKey(hh.index)}`));
  const weather = createWeather(weatherCfg, rngFor('data-gen/weather'), firstDay.toISODate()!, intervalMinutes);
  return {
    n,
    intervalMinutes,
    dtH: intervalMinutes / 60,
    stepMs: intervalMinutes * 60_000,
    maxIntervals,
    weatherCfg,
    withAppliances: opts.withAppliances === true,
    P: homeParams(households),
    homeRng,
    weather,
    shared: {
      lagged: f(maxIntervals),
      solar: createSolarSamples(samples),
      sDni: f(samples),
      sDhi: f(samples),
      sGhi: f(samples),
      pvScale: f(maxIntervals),
      daylight: new Uint8Array(maxIntervals),
      darkness: f(maxIntervals),
      solarLagC: f(maxIntervals),
      night: new Uint8Array(maxIntervals),
      active: f(routines),
      atHome: f(routines),
      cookShare: f(routines),
      waterShare: f(routines),
      flex: f(maxIntervals),
    },
    today: {
      shift: new Int32Array(n),
      plugFactor: f(n),
      cookKwh: f(n),
      waterKwh: f(n),
      laundryStart: new Int32Array(n),
      evStartA: new Int32Array(n),
      evKwhA: f(n),
      evStartB: new Int32Array(n),
      evKwhB: f(n),
    },
    carry: { waterKwh: f(n), evRemainingKwh: f(n), evTomorrowKwh: f(n), indoorC: f(n).fill(Number.NaN) },
    flexAlert: flexAlertOf(weatherCfg, households, rngFor),
    solarLag: { c: 0 },
    home: { partialKwh: f(maxIntervals), internalKw: f(maxIntervals), coolSetC: f(maxIntervals), heatSetC: f(maxIntervals), acDraw: f(maxIntervals) },
  };
}

function* run(opts: GenerateDaysOptions, weatherCfg: WeatherConfig, firstDay: DateTime, rngFor: RngFactory): Generator<DayBlock> {
  const g = createGenerator(opts, weatherCfg, firstDay, rngFor);
  let day = firstDay;
  for (let d = 0; d < opts.days; d++) {
    const L: DayLayout = dayLayout(day, g.intervalMinutes);
    day = L.next;
    yield generateDay(g, L, d);
  }
}

/** One local day: its weather, the shared factors, each home's draws, then every interval of every home. */
function generateDay(g: GeneratorState, L: DayLayout, dayIndex: number): DayBlock {
  const D = L.intervals;
  const weekend = L.weekday >= 6;
  const temperatureC = new Float64Array(D);
  const cloudCover = new Float64Array(D);
  const ghiWm2 = new Float64Array(D);
  const meanC = dailyMeanC(g.weather);
  const alertDay = markFlexAlert(g, L);
  fillWeatherDay(g.weather, L, { temperatureC, cloudCover, laggedTemperatureC: g.shared.lagged });
  fillSun(g, L, temperatureC, cloudCover, ghiWm2);
  fillRoutines(g, L, weekend);
  const waterSeason = 1 + WATER_HEATER_SEASONAL_SWING * Math.cos((2 * Math.PI * (L.dayOfYear - 15)) / 365.25);
  const evDayWeight = weekend ? EV_WEEKEND_WEIGHT : EV_WEEKDAY_WEIGHT;
  for (let h = 0; h < g.n; h++) drawHomeDay(g, L, h, weekend, alertDay, waterSeason, evDayWeight);

  const size = D * g.n;
  const loadKwh = new Float64Array(size);
  const pvKwh = new Float64Array(size);
  const criticalKwh = new Float64Array(size);
  const appliances = g.withAppliances ? (Object.fromEntries(APPLIANCES.map((a) => [a, new Float64Array(size)])) as Record<ApplianceName, Float64Array>) : null;
  const fridgeFactor = clamp(1 + FRIDGE_TEMP_SENSITIVITY_PER_C * (meanC - 16), 0.9, 1.15);
  fillIntervals(g, D, fridgeFactor, temperatureC, { loadKwh, pvKwh, criticalKwh }, appliances);

  const block: DayBlock = {
    date: L.date,
    dayIndex,
    intervals: D,
    intervalStartIso: L.startIso,
    localHour: L.localHour,
    month: L.month,
    weekday: L.weekday,
    temperatureC,
    cloudCover,
    ghiWm2,
    households: g.n,
    loadKwh,
    pvKwh,
    criticalKwh,
  };
  if (appliances) block.applianceKwh = appliances;
  return block;
}

/** Marks the intervals of today's Flex Alert evening (none outside the alert days); true on an alert day. */
function markFlexAlert(g: GeneratorState, L: DayLayout): boolean {
  const alert = g.flexAlert;
  const alertDay = alert !== null && L.date >= alert.from && L.date < alert.to;
  const flex = g.shared.flex;
  for (let t = 0; t < L.intervals; t++) {
    flex[t] = alertDay && L.localHour[t] >= alert!.cfg.startHour - CLOCK_EPSILON_H && L.localHour[t] < alert!.cfg.endHour - CLOCK_EPSILON_H ? 1 : 0;
  }
  return alertDay;
}

/** The sun over each interval (sub-sampled): irradiance split into direct and diffuse, PV scale, darkness, solar gains. */
function fillSun(g: GeneratorState, L: DayLayout, temperatureC: Float64Array, cloudCover: Float64Array, ghiWm2: Float64Array): void {
  const { solar, sDni, sDhi, sGhi, pvScale, daylight, darkness, solarLagC, night } = g.shared;
  const lagAlpha = 1 - Math.exp(-g.dtH / THERMAL_LAG_H);
  const { latitudeDeg, longitudeDeg } = g.weatherCfg;
  const gammaAt = fractionalYearNear(L.midnightMs);
  for (let t = 0; t < L.intervals; t++) {
    const c = cloudCover[t];
    const kc = cloudTransmission(c);
    let ghiSum = 0;
    let up = 0;
    for (let s = 0; s < SOLAR_SAMPLES; s++) {
      const i = t * SOLAR_SAMPLES + s;
      const ms = L.startMs[t] + ((s + 0.5) / SOLAR_SAMPLES) * g.stepMs;
      fillSolarSample(solar, i, ms, latitudeDeg, longitudeDeg, gammaAt(ms));
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
    pvScale[t] = (PV_PERFORMANCE_RATIO * (1 + PV_TEMP_COEFF_PER_C * (cellC - 25)) * g.dtH) / SOLAR_SAMPLES / 1000;
    darkness[t] = clamp(1 - ghiMean / DAYLIGHT_THRESHOLD_W_M2, 0, 1);
    g.solarLag.c += lagAlpha * ((SOLAR_GAIN_C_PER_KW_M2 * ghiMean) / 1000 - g.solarLag.c);
    solarLagC[t] = g.solarLag.c;
    const hour = L.localHour[t] + g.dtH / 2;
    night[t] = hour >= HEAT_NIGHT_FROM_H || hour < HEAT_NIGHT_TO_H ? 1 : 0;
  }
}

/** The routine levels of every occupancy type at every interval of the day. */
function fillRoutines(g: GeneratorState, L: DayLayout, weekend: boolean): void {
  const { active, atHome, cookShare, waterShare } = g.shared;
  const dtH = g.dtH;
  for (let o = 0; o < OCCUPANCY_COUNT; o++) {
    const r = routinesOf(o, weekend);
    for (let t = 0; t < L.intervals; t++) {
      const hour = L.localHour[t];
      const k = o * g.maxIntervals + t;
      active[k] = levelAt(r.active, hour + dtH / 2);
      atHome[k] = levelAt(r.atHome, hour + dtH / 2);
      cookShare[k] = shareIn(r.cooking, hour, dtH);
      waterShare[k] = shareIn(r.hotWater, hour, dtH);
    }
  }
}

/** Home h's draws for the day, from its own stream in a fixed order: routine shift, plug and cooking levels, hot water, laundry, EV. */
function drawHomeDay(g: GeneratorState, L: DayLayout, h: number, weekend: boolean, alertDay: boolean, waterSeason: number, evDayWeight: number): void {
  const { P, today, dtH } = g;
  const rng = g.homeRng[h];
  today.shift[h] = Math.round((P.shiftH[h] + (rng() - 0.5)) / dtH);
  today.plugFactor[h] = 0.85 + 0.3 * rng();
  today.cookKwh[h] = P.cookKwhDay[h] * (0.6 + 0.8 * rng());
  today.waterKwh[h] = P.whKwhDay[h] > 0 ? P.whKwhDay[h] * waterSeason * Math.max(0.3, 1 + 0.15 * normal(rng)) : 0;
  today.laundryStart[h] = drawLaundryStart(g, L, h, rng, weekend, alertDay);
  today.evStartA[h] = -1;
  today.evStartB[h] = -1;
  if (P.evKw[h] > 0) drawEvSessions(g, L, h, rng, evDayWeight);
}

/** Laundry: one load on some days, started inside the routine's window; −1 = none today. */
function drawLaundryStart(g: GeneratorState, L: DayLayout, h: number, rng: Rng, weekend: boolean, alertDay: boolean): number {
  if (!(rng() < g.P.laundryPerDay[h])) return -1;
  const [a, b] = laundryWindow(g.P.occ[h], weekend);
  const start = firstIntervalAtOrAfter(L, a + (b - a) * rng());
  // a responding home runs no major appliance during a Flex Alert: the load waits for the window to close
  const alert = g.flexAlert;
  if (alertDay && alert!.responds[h] === 1 && start >= 0 && g.shared.flex[start] === 1) return firstIntervalAtOrAfter(L, alert!.cfg.endHour);
  return start;
}

/** EV: yesterday's midnight-timer session starts now; maybe a new session today (the draws are taken either way). */
function drawEvSessions(g: GeneratorState, L: DayLayout, h: number, rng: Rng, evDayWeight: number): void {
  const { P, today, carry } = g;
  if (carry.evTomorrowKwh[h] > 0) {
    today.evStartA[h] = 0;
    today.evKwhA[h] = carry.evTomorrowKwh[h];
    carry.evTomorrowKwh[h] = 0;
  }
  const u = rng();
  const arrival = clamp(EV_ARRIVAL_MEAN_H + EV_ARRIVAL_SD_H * normal(rng), 15, 23.5);
  const size = Math.exp(EV_SESSION_LOG_SD * normal(rng) - EV_SESSION_LOG_SD ** 2 / 2);
  if (!(u < P.evSessionsPerDay[h] * evDayWeight)) return;
  const kwh = clamp(P.evSessionKwh[h] * size, 1, 80);
  const habit = P.evHabit[h];
  if (habit === 2) {
    carry.evTomorrowKwh[h] = kwh;
    return;
  }
  const t0 = firstIntervalAtOrAfter(L, habit === 1 ? Math.max(arrival, 21) : arrival);
  if (t0 < 0) carry.evTomorrowKwh[h] = kwh;
  else {
    today.evStartB[h] = t0;
    today.evKwhB[h] = kwh;
  }
}

// --- one function per appliance: the energy of one home in one interval, kWh. The draws a function
// --- takes from `rng` are part of the home's fixed draw order (fridge, plug loads, lighting,
// --- cooking, water heater, A/C), so the order of the calls in `fillIntervals` must not change.

/** Refrigerator: the daily energy spread flat, a little more in a warm kitchen and in busy hours. */
function refrigeratorKwh(kwhPerH: number, dtH: number, temperatureFactor: number, activity: number, rng: Rng): number {
  return kwhPerH * dtH * temperatureFactor * (0.7 + 0.6 * rng()) * (0.9 + 0.25 * activity);
}

/** Plug loads: always-on standby plus an active part that follows the routine; cut during a Flex Alert. */
function plugLoadsKwh(baseKw: number, activeKw: number, activity: number, dayFactor: number, dtH: number, flexFactor: number, rng: Rng): number {
  return (baseKw + activeKw * activity * (0.6 + 0.8 * rng())) * dayFactor * dtH * flexFactor;
}

/** Lighting: standby, plus the home's lights while it is active and dark outside. */
function lightingKwh(kw: number, activity: number, darkness: number, dtH: number, rng: Rng): number {
  let light = LIGHTING_STANDBY_KW * dtH;
  const level = activity * darkness;
  if (level > 0) light += kw * level * (0.7 + 0.6 * rng()) * dtH;
  return light;
}

/** Cooking: the day's energy shared over the routine's meal times, exponentially spread. */
function cookingKwh(dayKwh: number, share: number, rng: Rng): number {
  return share > 0 ? dayKwh * share * -Math.log(1 - rng()) : 0;
}

/**
 * Electric water heater: tank standby plus the day's draws at the routine's hot-water times; the
 * element heats at most `maxKwh` per interval and carries the rest into the next (in `carry`).
 */
function waterHeaterKwh(carry: Float64Array, h: number, dayKwh: number, share: number, dtH: number, rng: Rng): number {
  if (!(dayKwh > 0)) return 0;
  const maxKwh = WATER_HEATER_ELEMENT_KW * dtH;
  let want = carry[h] + dayKwh * ((WATER_HEATER_STANDBY_SHARE * dtH) / 24);
  if (share > 0) want += dayKwh * (1 - WATER_HEATER_STANDBY_SHARE) * share * -Math.log(1 - rng());
  const heated = want < maxKwh ? want : maxKwh;
  carry[h] = want - heated;
  return heated;
}

/**
 * A/C and furnace blower: one interval of the home's heat balance (thermal.ts) from the indoor
 * temperature carried in `indoorC`. The cooling setpoint is set back when away and raised in a Flex
 * Alert; the heating setpoint is set back at night and when away. The A/C's draw is scaled by a
 * cycling factor `u` (a draw taken whether the A/C runs or not, so the home's later draws never depend
 * on the weather), never above the rated power. Writes A/C and blower kWh into `out`.
 */
function hvacKwh(
  house: House,
  indoorC: Float64Array,
  h: number,
  solAirC: number,
  outdoorC: number,
  internalKw: number,
  atHome: number,
  coolSetC: number,
  heatSetC: number,
  dtH: number,
  u: number,
  out: HouseStep,
): void {
  if (Number.isNaN(indoorC[h])) indoorC[h] = clamp(solAirC, heatSetC, coolSetC);
  stepHouse(house, indoorC[h], solAirC, outdoorC, internalKw, atHome, coolSetC, heatSetC, dtH, out);
  indoorC[h] = out[STEP_INDOOR_C];
  out[STEP_AC_KWH] = Math.min(out[STEP_AC_KWH] * (0.85 + 0.3 * u), house.acKw * dtH);
}

/** EV charging: sessions starting now join the energy still to charge; the charger delivers at most its power. */
function evChargingKwh(g: GeneratorState, h: number, t: number): number {
  const kw = g.P.evKw[h];
  if (!(kw > 0)) return 0;
  const { today, carry } = g;
  if (t === today.evStartA[h]) carry.evRemainingKwh[h] += today.evKwhA[h];
  if (t === today.evStartB[h]) carry.evRemainingKwh[h] += today.evKwhB[h];
  const remaining = carry.evRemainingKwh[h];
  if (!(remaining > 0)) return 0;
  const cap = kw * g.dtH;
  const kwh = remaining < cap ? remaining : cap;
  carry.evRemainingKwh[h] = remaining - kwh;
  return kwh;
}

/** Laundry: the washer for the first hour after the start, then the electric dryer (if any) for one more. */
function laundryKwh(start: number, t: number, dryer: boolean, dtH: number): number {
  if (start < 0 || t < start) return 0;
  const elapsedH = (t - start) * dtH;
  if (elapsedH < 1) return WASHER_KW * dtH;
  if (elapsedH < 2 && dryer) return DRYER_KW * dtH;
  return 0;
}

/** Rooftop PV: plane-of-array irradiance (direct on the panel, sky diffuse, ground reflection) summed over the sub-samples. */
function pvOutputKwh(P: HomeParams, h: number, shared: SharedDay, t: number): number {
  const { cosZenith, sunNorth, sunEast } = shared.solar;
  const a0 = P.pvA0[h];
  const a1 = P.pvA1[h];
  const a2 = P.pvA2[h];
  const s0 = t * SOLAR_SAMPLES;
  let poa = 0;
  for (let s = s0; s < s0 + SOLAR_SAMPLES; s++) {
    const cosInc = a0 * cosZenith[s] + a1 * sunNorth[s] + a2 * sunEast[s];
    if (cosInc > 0) poa += shared.sDni[s] * cosInc;
    poa += shared.sDhi[s] * P.pvDiffuse[h] + shared.sGhi[s] * P.pvGround[h];
  }
  const e = P.pvKw[h] * poa * shared.pvScale[t];
  return e > 0 ? e : 0;
}

/**
 * Every interval of every home: the appliances in their fixed draw order, their sum as load, and PV.
 * Home by home: each home draws from its own stream interval after interval, exactly the draws of
 * a pass interval by interval. Two passes over the home's day: the draws and the appliances that
 * need them, then the heat balance, EV, laundry and PV (two functions, so that V8 inlines every
 * call of each into its loop and no number is boxed on the way).
 */
function fillIntervals(
  g: GeneratorState,
  D: number,
  fridgeFactor: number,
  temperatureC: Float64Array,
  out: { loadKwh: Float64Array; pvKwh: Float64Array; criticalKwh: Float64Array },
  appliances: Record<ApplianceName, Float64Array> | null,
): void {
  const step: HouseStep = new Float64Array(3);
  for (let h = 0; h < g.n; h++) {
    drawHomeIntervals(g, h, D, fridgeFactor, out.criticalKwh, appliances);
    stepHomeIntervals(g, h, D, temperatureC, step, out, appliances);
  }
}

/** First pass over home h's day: its draws in their fixed order and the appliances that use them; the critical load. */
function drawHomeIntervals(g: GeneratorState, h: number, D: number, fridgeFactor: number, criticalKwh: Float64Array, appliances: Record<ApplianceName, Float64Array> | null): void {
  const { P, shared, today, n, dtH, maxIntervals } = g;
  const { active, atHome, cookShare, waterShare, flex, night, darkness } = shared;
  const { partialKwh, internalKw, coolSetC, heatSetC, acDraw } = g.home;
  const alert = g.flexAlert;
  const plugCut = alert !== null ? 1 - alert.cfg.plugLoadCut : 1;
  const acRaiseC = alert !== null ? alert.cfg.acSetpointRaiseC : 0;
  const Dm1 = D - 1;
  const rng = g.homeRng[h];
  const shift = today.shift[h];
  const occRow = P.occ[h] * maxIntervals;
  const responds = alert !== null ? alert.responds[h] : 0;
  const fridgeKwhPerH = P.fridgeKwhPerH[h];
  const plugBaseKw = P.plugBaseKw[h];
  const plugActiveKw = P.plugActiveKw[h];
  const plugFactor = today.plugFactor[h];
  const lightKw = P.lightKw[h];
  const cookKwhDay = today.cookKwh[h];
  const waterKwhDay = today.waterKwh[h];
  const occupants = P.occupants[h];
  const acSetC = P.acSetC[h];
  const waterCarry = g.carry.waterKwh;
  for (let t = 0; t < D; t++) {
    let ts = t - shift;
    ts = ts < 0 ? 0 : ts > Dm1 ? Dm1 : ts;
    const k = occRow + ts;
    const act = active[k];
    const responding = alert !== null && flex[t] * responds > 0;

    const fridge = refrigeratorKwh(fridgeKwhPerH, dtH, fridgeFactor, act, rng);
    const plug = plugLoadsKwh(plugBaseKw, plugActiveKw, act, plugFactor, dtH, responding ? plugCut : 1, rng);
    const light = lightingKwh(lightKw, act, darkness[t], dtH, rng);
    const cook = cookingKwh(cookKwhDay, cookShare[k], rng);
    const wh = waterHeaterKwh(waterCarry, h, waterKwhDay, waterShare[k], dtH, rng);
    acDraw[t] = rng(); // the A/C's cycling draw (hvacKwh)
    const away = 1 - atHome[k];
    // heat released indoors: the appliances that run inside the living space, and the people at home
    internalKw[t] = (fridge + plug + light + cook) / dtH + OCCUPANT_GAIN_KW * occupants * atHome[k];
    coolSetC[t] = acSetC + AC_SETBACK_C * away + (responding ? acRaiseC : 0);
    heatSetC[t] = HEAT_SETPOINT_C - HEAT_SETBACK_C * (night[t] === 1 ? 1 : away);
    partialKwh[t] = fridge + plug + light + cook + wh;
    const i = t * n + h;
    // critical: refrigerator, lighting and the always-on plug baseline (see DayBlock.criticalKwh)
    criticalKwh[i] = fridge + light + Math.min(plug, plugBaseKw * plugFactor * dtH);
    if (appliances) {
      appliances.refrigerator[i] = fridge;
      appliances['water-heater'][i] = wh;
      appliances.cooking[i] = cook;
      appliances.lighting[i] = light;
      appliances['plug-loads'][i] = plug;
    }
  }
}

/** Second pass over home h's day: the heat balance, EV charging, laundry, the load's sum and PV. */
function stepHomeIntervals(
  g: GeneratorState,
  h: number,
  D: number,
  temperatureC: Float64Array,
  step: HouseStep,
  out: { loadKwh: Float64Array; pvKwh: Float64Array },
  appliances: Record<ApplianceName, Float64Array> | null,
): void {
  const { P, shared, today, n, dtH, maxIntervals } = g;
  const { atHome, lagged, solarLagC, daylight } = shared;
  const { partialKwh, internalKw, coolSetC, heatSetC, acDraw } = g.home;
  const { loadKwh, pvKwh } = out;
  const Dm1 = D - 1;
  const shift = today.shift[h];
  const occRow = P.occ[h] * maxIntervals;
  const house = P.house[h];
  const laundryStart = today.laundryStart[h];
  const dryer = P.dryer[h] === 1;
  const hasPv = P.pvKw[h] > 0;
  const indoorC = g.carry.indoorC;
  for (let t = 0; t < D; t++) {
    let ts = t - shift;
    ts = ts < 0 ? 0 : ts > Dm1 ? Dm1 : ts;
    hvacKwh(house, indoorC, h, lagged[t] + solarLagC[t], temperatureC[t], internalKw[t], atHome[occRow + ts], coolSetC[t], heatSetC[t], dtH, acDraw[t], step);
    const ac = step[STEP_AC_KWH];
    const furnace = step[STEP_FAN_KWH];
    const ev = evChargingKwh(g, h, t);
    const laundry = laundryKwh(laundryStart, t, dryer, dtH);
    const i = t * n + h;
    loadKwh[i] = partialKwh[t] + ac + furnace + ev + laundry;
    if (hasPv && daylight[t] === 1) pvKwh[i] = pvOutputKwh(P, h, shared, t);
    if (appliances) {
      appliances.ac[i] = ac;
      appliances['furnace-fan'][i] = furnace;
      appliances.ev[i] = ev;
      appliances.laundry[i] = laundry;
    }
  }
}

/** Index of the first interval of the day starting at or after local clock hour `hour`, or −1. */
function firstIntervalAtOrAfter(L: DayLayout, hour: number): number {
  for (let t = 0; t < L.intervals; t++) if (L.localHour[t] >= hour - CLOCK_EPSILON_H) return t;
  return -1;
}
