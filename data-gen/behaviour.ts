/**
 * Daily routines by occupancy type and day type, as hourly tables (index = local clock hour).
 * Shapes follow the familiar residential load profile: a morning shoulder, a midday dip for homes
 * whose occupants are away, and an evening peak around 6–9 pm. Values are fractions, not kWh.
 */
import type { Occupancy } from './population.ts';

type Hourly = readonly number[];

function hourly(values: number[]): Hourly {
  if (values.length !== 24) throw new Error(`hourly profile needs 24 values, got ${values.length}`);
  return values;
}

/** Fraction of occupants awake and at home: drives plug loads and lighting. */
const ACTIVE = {
  workAwayWeekday: hourly([0.02, 0.01, 0.01, 0.01, 0.02, 0.08, 0.35, 0.55, 0.35, 0.12, 0.08, 0.08, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.7, 0.8, 0.8, 0.72, 0.5, 0.2]),
  homeDayWeekday: hourly([0.03, 0.01, 0.01, 0.01, 0.02, 0.06, 0.3, 0.6, 0.65, 0.6, 0.55, 0.55, 0.6, 0.55, 0.5, 0.55, 0.6, 0.7, 0.8, 0.82, 0.8, 0.7, 0.45, 0.15]),
  retired: hourly([0.02, 0.01, 0.01, 0.01, 0.01, 0.04, 0.2, 0.5, 0.65, 0.65, 0.6, 0.55, 0.6, 0.55, 0.5, 0.5, 0.55, 0.65, 0.75, 0.75, 0.7, 0.55, 0.3, 0.1]),
  weekend: hourly([0.05, 0.02, 0.01, 0.01, 0.01, 0.03, 0.1, 0.3, 0.5, 0.6, 0.55, 0.5, 0.5, 0.45, 0.45, 0.5, 0.55, 0.65, 0.75, 0.8, 0.78, 0.7, 0.5, 0.25]),
};

/** Fraction of the time someone is home: drives the A/C setback. */
const AT_HOME = {
  workAwayWeekday: hourly([1, 1, 1, 1, 1, 1, 1, 0.9, 0.45, 0.2, 0.15, 0.15, 0.15, 0.15, 0.15, 0.2, 0.35, 0.65, 0.85, 0.95, 1, 1, 1, 1]),
  homeDayWeekday: hourly([1, 1, 1, 1, 1, 1, 1, 1, 0.95, 0.9, 0.85, 0.85, 0.85, 0.85, 0.85, 0.9, 0.95, 1, 1, 1, 1, 1, 1, 1]),
  retired: hourly([1, 1, 1, 1, 1, 1, 1, 1, 0.95, 0.85, 0.8, 0.8, 0.8, 0.8, 0.8, 0.85, 0.9, 1, 1, 1, 1, 1, 1, 1]),
  weekend: hourly([1, 1, 1, 1, 1, 1, 1, 1, 0.95, 0.85, 0.75, 0.7, 0.7, 0.7, 0.7, 0.7, 0.75, 0.85, 0.95, 1, 1, 1, 1, 1]),
};

/** Share of the day's cooking energy by hour (sums to 1): breakfast, lunch when home, dinner. */
const COOKING = {
  workAwayWeekday: hourly([0, 0, 0, 0, 0, 0, 0.05, 0.15, 0, 0, 0, 0, 0.05, 0, 0, 0, 0, 0.15, 0.35, 0.2, 0.05, 0, 0, 0]),
  atHome: hourly([0, 0, 0, 0, 0, 0, 0, 0.08, 0.12, 0.05, 0, 0, 0.15, 0.05, 0, 0, 0, 0.15, 0.25, 0.15, 0, 0, 0, 0]),
};

/** Share of the day's hot-water draws by hour (sums to 1): morning showers, evening dishes and baths. */
const HOT_WATER = {
  workAwayWeekday: hourly([0, 0, 0, 0, 0, 0.04, 0.18, 0.2, 0.06, 0, 0, 0, 0.03, 0, 0, 0, 0, 0.05, 0.1, 0.12, 0.1, 0.08, 0.04, 0]),
  atHome: hourly([0, 0, 0, 0, 0, 0, 0.05, 0.12, 0.16, 0.12, 0.05, 0, 0.05, 0, 0.03, 0, 0, 0.05, 0.1, 0.11, 0.09, 0.05, 0.02, 0]),
};

export const OCCUPANCY_INDEX: Record<Occupancy, number> = { 'work-away': 0, 'home-day': 1, retired: 2 };
export const OCCUPANCY_COUNT = 3;

/** Hour window (local, [from, to)) in which laundry starts, by occupancy index and day type. */
export function laundryWindow(occupancy: number, weekend: boolean): [number, number] {
  if (weekend) return [9, 15];
  return occupancy === 0 ? [18, 21] : [9, 13];
}

export interface Routines {
  active: Hourly;
  atHome: Hourly;
  cooking: Hourly;
  hotWater: Hourly;
}

export function routinesOf(occupancy: number, weekend: boolean): Routines {
  if (weekend) return { active: ACTIVE.weekend, atHome: AT_HOME.weekend, cooking: COOKING.atHome, hotWater: HOT_WATER.atHome };
  if (occupancy === 0)
    return { active: ACTIVE.workAwayWeekday, atHome: AT_HOME.workAwayWeekday, cooking: COOKING.workAwayWeekday, hotWater: HOT_WATER.workAwayWeekday };
  if (occupancy === 1)
    return { active: ACTIVE.homeDayWeekday, atHome: AT_HOME.homeDayWeekday, cooking: COOKING.atHome, hotWater: HOT_WATER.atHome };
  return { active: ACTIVE.retired, atHome: AT_HOME.retired, cooking: COOKING.atHome, hotWater: HOT_WATER.atHome };
}

/** Linear interpolation of an hourly table (values at the middle of each hour) at a clock hour, wrapping at midnight. */
export function levelAt(table: Hourly, hour: number): number {
  const x = hour - 0.5;
  const i0 = Math.floor(x);
  const f = x - i0;
  const a = table[((i0 % 24) + 24) % 24];
  const b = table[(((i0 + 1) % 24) + 24) % 24];
  return a + (b - a) * f;
}

/**
 * Share of an hourly-share table (sums to 1 over 24 h) falling in [hour, hour + durationH): the
 * step function integrated, so shares of consecutive intervals add up to the table's total.
 */
export function shareIn(table: Hourly, hour: number, durationH: number): number {
  let total = 0;
  let h = hour;
  const end = hour + durationH;
  while (h < end - 1e-9) {
    const i = Math.floor(h + 1e-9);
    const next = Math.min(end, i + 1);
    total += table[((i % 24) + 24) % 24] * (next - h);
    h = next;
  }
  return total;
}
