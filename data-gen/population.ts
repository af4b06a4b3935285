import { z } from 'zod';
import { EXPORT_PROGRAMS, PopulationConfigSchema, TERRITORIES, type ExportMix, type ExportProgram, type PopulationConfig } from './config.ts';
import { normal, type Rng, type RngFactory } from '../common/index.ts';

/** How a household spends its weekdays: drives presence, meals, hot water and A/C setbacks. */
export const OCCUPANCY_TYPES = ['work-away', 'home-day', 'retired'] as const;
export type Occupancy = (typeof OCCUPANCY_TYPES)[number];

/**
 * When an EV owner's car starts charging once plugged in: on arrival, on a timer after the 4–9 pm
 * E-TOU-C peak, or on a timer at midnight (the EV2-A off-peak starts at midnight).
 */
export const EV_CHARGING_HABITS = ['on-arrival', 'timer-21h', 'timer-midnight'] as const;
export type EvChargingHabit = (typeof EV_CHARGING_HABITS)[number];

/** A household: fixed for a run, plain data. Energy flows are generated from it day by day. */
export const HouseholdProfileSchema = z.object({
  id: z.string().describe('h01, h02, …: zero-padded to the width of the count (at least 2 digits)'),
  index: z.number().int().min(0).describe('position in the population, from 0'),
  occupants: z.number().int().min(1).max(8),
  occupancy: z.enum(OCCUPANCY_TYPES),
  hasPv: z.boolean(),
  pvKw: z.number().min(0).describe('PV system size, kW DC (0 without PV)'),
  pvOrientation: z.number().min(0).max(360).describe('roof azimuth, degrees clockwise from north (180 = south)'),
  pvTiltDeg: z.number().min(0).max(60).describe('roof pitch, degrees'),
  hasEv: z.boolean(),
  evChargerKw: z.number().min(0).describe('Level 2 charger power, kW (0 without EV)'),
  evKwhPerDay: z.number().min(0).describe('long-run mean home charging, kWh/day (0 without EV)'),
  evCharging: z.enum(EV_CHARGING_HABITS),
  hasAc: z.boolean(),
  acKw: z.number().min(0).describe('electric power of the central A/C while running, kW (0 without A/C)'),
  acSetpointC: z.number().describe('cooling setpoint while someone is home, °C'),
  electricWaterHeater: z.boolean(),
  electricDryer: z.boolean(),
  refrigeratorKwhPerDay: z.number().min(0),
  territory: z.enum(TERRITORIES),
  loadScale: z.number().positive().describe('multiplies plug loads, lighting and cooking: home size and habits (mean 1)'),
  scheduleShiftH: z.number().describe('how much later (+) or earlier (−) than typical the home’s daily routine runs, hours'),
});
export type HouseholdProfile = z.infer<typeof HouseholdProfileSchema>;

/** California mean household size is about 2.9 (US Census ACS); retired households are mostly 1–2 people. */
const OCCUPANTS_WORKING: readonly [number, number][] = [
  [1, 0.16],
  [2, 0.3],
  [3, 0.19],
  [4, 0.19],
  [5, 0.1],
  [6, 0.06],
];
const OCCUPANTS_RETIRED: readonly [number, number][] = [
  [1, 0.4],
  [2, 0.6],
];
const OCCUPANCY_WEIGHTS: readonly [Occupancy, number][] = [
  ['work-away', 0.5],
  ['home-day', 0.3],
  ['retired', 0.2],
];
const EV_HABIT_WEIGHTS: readonly [EvChargingHabit, number][] = [
  ['on-arrival', 0.6],
  ['timer-21h', 0.25],
  ['timer-midnight', 0.15],
];

/**
 * Mean of (occupants / reference)^exponent over the population's household-size distribution: used to
 * normalise per-occupant scalings so that the population mean of a scaled quantity stays on its target.
 */
export function meanOccupantFactor(exponent: number, reference: number): number {
  let total = 0;
  for (const [occupancy, w] of OCCUPANCY_WEIGHTS) {
    const table = occupancy === 'retired' ? OCCUPANTS_RETIRED : OCCUPANTS_WORKING;
    for (const [k, p] of table) total += w * p * Math.pow(k / reference, exponent);
  }
  return total;
}

/**
 * Spread of PV system sizes: lognormal around the median. LBNL Tracking the Sun reports an
 * inter-quartile range of roughly 5–9.5 kW for California homes, i.e. σ ≈ 0.4 in log space.
 */
const PV_SIZE_LOG_SD = 0.4;
const PV_MIN_KW = 2;
const PV_MAX_KW = 15;
/** EV home charging: +2.9 kWh/day per EV in California, metered (Burlig et al., UC Berkeley ITS 2024). */
export const EV_KWH_PER_DAY = 2.9;
const EV_LOG_SD = 0.5;
/** Refrigerator 37–51 kWh/month (ENERGY STAR-era units): 1.2–1.7 kWh/day. */
const FRIDGE_KWH_PER_DAY_MEAN = 1.45;

function pick<T>(u: number, table: readonly (readonly [T, number])[]): T {
  let acc = 0;
  for (const [value, w] of table) {
    acc += w;
    if (u < acc) return value;
  }
  return table[table.length - 1][0];
}

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Assigns a feature to a share of homes so that every prefix of the population (homes 0..i) has
 * ⌊share·(i+1)⌋ or ⌈share·(i+1)⌉ of them, and the expected count is exactly share·(i+1): home i gets the
 * feature with probability share·(i+1) − (count so far), clamped to [0, 1]. Each decision uses only
 * that home's own draw and the count before it, so appending homes never changes earlier homes, and
 * a community of 10 with share 0.6 has exactly 6 PV homes (a per-home coin flip could give 3 or 9).
 */
export function balancedAssignment(draws: readonly number[], share: number): boolean[] {
  const out: boolean[] = new Array(draws.length);
  let count = 0;
  for (let i = 0; i < draws.length; i++) {
    const p = clamp(share * (i + 1) - count, 0, 1);
    out[i] = draws[i] < p;
    if (out[i]) count++;
  }
  return out;
}

/** The stream key of home i: its id at the minimum width, so a community growing past 99 homes keeps its homes. */
export function homeStreamKey(index: number): string {
  return `h${String(index + 1).padStart(2, '0')}`;
}

/** Identifier of home i in a population of `count`: h01…h10, h001…h100, … */
export function homeId(index: number, count: number): string {
  const width = Math.max(2, String(count).length);
  return `h${String(index + 1).padStart(width, '0')}`;
}

interface Draws {
  pv: number;
  ev: number;
  ac: number;
  wh: number;
  rng: Rng;
}

/**
 * The community's households. Each home draws from its own stream (`data-gen/population/h07`), in a
 * fixed order, so adding homes never changes existing ones. Feature shares are met exactly (see
 * `balancedAssignment`); features are independent of each other.
 */
export function generatePopulation(cfg: PopulationConfig, rngFor: RngFactory): HouseholdProfile[] {
  const c = PopulationConfigSchema.parse(cfg);
  const draws: Draws[] = [];
  for (let i = 0; i < c.count; i++) {
    const rng = rngFor(`data-gen/population/${homeStreamKey(i)}`);
    draws.push({ pv: rng(), ev: rng(), ac: rng(), wh: rng(), rng });
  }
  const hasPv = balancedAssignment(draws.map((d) => d.pv), c.pvShare);
  const hasEv = balancedAssignment(draws.map((d) => d.ev), c.evShare);
  const hasAc = balancedAssignment(draws.map((d) => d.ac), c.acShare);
  const hasWh = balancedAssignment(draws.map((d) => d.wh), c.electricWaterHeaterShare);

  return draws.map(({ rng }, i) => {
    // fixed draw order: every home consumes the same draws whatever its features
    const occupancy = pick(rng(), OCCUPANCY_WEIGHTS);
    const occupants = pick(rng(), occupancy === 'retired' ? OCCUPANTS_RETIRED : OCCUPANTS_WORKING);
    const loadScale = clamp(Math.exp(0.25 * normal(rng) - 0.25 ** 2 / 2), 0.5, 2);
    const pvKw = round1(clamp(c.medianPvKw * Math.exp(PV_SIZE_LOG_SD * normal(rng)), PV_MIN_KW, PV_MAX_KW));
    // mostly south-facing roofs, some east or west: azimuth ~ N(180°, 45°) within 90…270°
    const pvOrientation = Math.round(clamp(180 + 45 * normal(rng), 90, 270));
    const pvTiltDeg = Math.round(15 + 15 * rng()); // composition roofs 4/12–6/12 pitch: 18–27°
    const evChargerKw = rng() < 0.6 ? 7.2 : 7.7; // Level 2, 30 A or 32 A at 240 V
    const evKwhPerDay = round2(clamp(EV_KWH_PER_DAY * Math.exp(EV_LOG_SD * normal(rng) - EV_LOG_SD ** 2 / 2), 0.5, 12));
    const evCharging = pick(rng(), EV_HABIT_WEIGHTS);
    // central A/C, 3-ton class: 3–4 kW while running; larger homes get the larger units
    const acKw = round1(clamp(3.5 + 0.8 * (loadScale - 1) + 0.25 * normal(rng), 3, 4));
    // cooling setpoint while home: 24.5 °C (76 °F) ± 1 °C — between the 71–72 °F Americans report keeping
    // (Consumer Reports survey, 2021) and the 78 °F ENERGY STAR recommends
    const acSetpointC = round1(clamp(24.5 + normal(rng), 22, 27));
    const electricDryer = rng() < 0.55;
    const refrigeratorKwhPerDay = round2(clamp(FRIDGE_KWH_PER_DAY_MEAN + 0.15 * normal(rng), 1.2, 1.7));
    const scheduleShiftH = round2(clamp(0.5 * normal(rng), -1.5, 1.5));
    return {
      id: homeId(i, c.count),
      index: i,
      occupants,
      occupancy,
      hasPv: hasPv[i],
      pvKw: hasPv[i] ? pvKw : 0,
      pvOrientation,
      pvTiltDeg,
      hasEv: hasEv[i],
      evChargerKw: hasEv[i] ? evChargerKw : 0,
      evKwhPerDay: hasEv[i] ? evKwhPerDay : 0,
      evCharging,
      hasAc: hasAc[i],
      acKw: hasAc[i] ? acKw : 0,
      acSetpointC,
      electricWaterHeater: hasWh[i],
      electricDryer,
      refrigeratorKwhPerDay,
      territory: c.territory,
      loadScale: round2(loadScale),
      scheduleShiftH,
    };
  });
}

/**
 * Which homes own a battery: exactly round(share × count) homes, chosen by a seeded Fisher–Yates
 * permutation of all homes (1 = owns one). Drawn from its own stream, so the battery share never
 * moves any other draw of the population. The stream keeps its historical name
 * `sim/battery-owners` so every run's owners stay the same.
 */
export function drawBatteryOwners(count: number, share: number, rngFor: RngFactory): Uint8Array {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`battery owners: household count must be a whole number ≥ 0, got ${count}`);
  if (!(share >= 0 && share <= 1)) throw new RangeError(`battery owners: battery share must lie in [0, 1], got ${share}`);
  const owners = new Uint8Array(count);
  const k = Math.round(share * count);
  if (k >= count) return owners.fill(1);
  const order = Array.from({ length: count }, (_, i) => i);
  const rng = rngFor('sim/battery-owners');
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let i = 0; i < k; i++) owners[order[i]] = 1;
  return owners;
}

/**
 * Assigns each home one of several categories, nested `balancedAssignment`s: the first category
 * takes its share of all homes, the second its share of the rest among the homes left, and so on;
 * home i's decision at each level uses its own draw for that level (`draws[i][level]`). Every
 * prefix of the population holds each category's expected count within two homes, and appending
 * homes never changes earlier homes.
 */
export function balancedCategories<K extends string>(draws: readonly (readonly number[])[], shares: Readonly<Record<K, number>>, keys: readonly K[]): K[] {
  const out: K[] = new Array(draws.length);
  let left = draws.map((_, i) => i);
  let remaining = 1;
  keys.forEach((k, level) => {
    if (level === keys.length - 1) {
      for (const i of left) out[i] = k;
      return;
    }
    const share = remaining > 0 ? Math.min(1, shares[k] / remaining) : 0;
    const take = balancedAssignment(left.map((i) => draws[i][level]), share);
    for (let j = 0; j < left.length; j++) if (take[j]) out[left[j]] = k;
    left = left.filter((_, j) => !take[j]);
    remaining -= shares[k];
  });
  return out;
}

/**
 * Each home's export program: null without solar, else one of `EXPORT_PROGRAMS` drawn from the mix
 * over the solar homes (`balancedCategories`), each home from its own stream
 * `data-gen/export-program/h07`, so adding a home does not shift the others.
 */
export function drawExportPrograms(hasPv: readonly boolean[], mix: ExportMix, rngFor: RngFactory): (ExportProgram | null)[] {
  const solar = hasPv.flatMap((pv, i) => (pv ? [i] : []));
  const picks = balancedCategories(
    solar.map((i) => {
      const rng = rngFor(`data-gen/export-program/${homeStreamKey(i)}`);
      return EXPORT_PROGRAMS.map(() => rng());
    }),
    mix,
    EXPORT_PROGRAMS,
  );
  const out: (ExportProgram | null)[] = hasPv.map(() => null);
  solar.forEach((i, k) => (out[i] = picks[k]));
  return out;
}

/** Battery attachment groups: Net Billing Tariff solar, legacy net-metering solar, no solar. */
export interface AttachmentShares {
  nbt: number;
  nem2: number;
  noSolar: number;
}

/**
 * Which homes own a battery by export program: within each group (NBT solar, NEM 2 solar, no solar)
 * the group's share is met as `balancedAssignment` meets a share, each home from its own stream
 * `sim/battery-owner/h07`, so adding a home does not shift the others.
 */
export function drawBatteryOwnersByProgram(programs: readonly (ExportProgram | null)[], shares: AttachmentShares, rngFor: RngFactory): Uint8Array {
  const owners = new Uint8Array(programs.length);
  const groupOf = (p: ExportProgram | null): keyof AttachmentShares => (p === null ? 'noSolar' : p === 'nem2' ? 'nem2' : 'nbt');
  for (const group of ['nbt', 'nem2', 'noSolar'] as const) {
    const homes = programs.flatMap((p, i) => (groupOf(p) === group ? [i] : []));
    const draws = homes.map((i) => rngFor(`sim/battery-owner/${homeStreamKey(i)}`)());
    balancedAssignment(draws, shares[group]).forEach((has, k) => (owners[homes[k]] = has ? 1 : 0));
  }
  return owners;
}

/** A home's low-income programme. */
export type LowIncomeTier = 'care' | 'fera' | 'none';

/**
 * Which homes are on CARE or FERA: `balancedCategories` over all homes (CARE first, then FERA among
 * the rest), each home from its own stream `data-gen/low-income/h07`, so adding a home shifts no other.
 */
export function drawLowIncome(count: number, careShare: number, feraShare: number, rngFor: RngFactory): LowIncomeTier[] {
  if (careShare + feraShare > 1 + 1e-9) throw new RangeError(`low income: CARE and FERA shares sum above 1 (${careShare} + ${feraShare})`);
  const draws = Array.from({ length: count }, (_, i) => {
    const rng = rngFor(`data-gen/low-income/${homeStreamKey(i)}`);
    return [rng(), rng(), rng()];
  });
  return balancedCategories(draws, { care: careShare, fera: feraShare, none: Math.max(0, 1 - careShare - feraShare) }, ['care', 'fera', 'none'] as const);
}
