import { daysInMonth, isoWeekday } from './time.ts';

/**
 * How a fixed-date holiday that falls on a weekend is observed.
 *
 * - 'tou-schedule': PG&E's rule for time-of-use rate schedules, as stated on PG&E's
 *   "TOU holidays" page (pge.com/tariffs/en/rate-information/tou-holidays.html): "If a holiday
 *   falls on Saturday, no weekday is designated a TOU holiday. If a holiday falls on Sunday, the
 *   following Monday is designated a TOU holiday." (Same as the NERC off-peak-day convention.)
 *   Used for import pricing (E-TOU-D's weekday peak).
 * - 'nbt-export': the calendar PG&E uses to label holidays in its Net Billing Tariff export-rate
 *   files: Saturday → preceding Friday, Sunday → following Monday (federal observance). Taken from
 *   the holiday calendar that the public `eman/tariffkit` project extracts from PG&E's own export
 *   files (it lists 2026-07-03 and 2027-12-24/12-31); not checked against PG&E's file directly.
 *   Used for the export table's weekend/holiday column.
 */
export type HolidayObservance = 'tou-schedule' | 'nbt-export';

export type PgeHolidayName =
  | "New Year's Day"
  | "Presidents' Day"
  | 'Memorial Day'
  | 'Independence Day'
  | 'Labor Day'
  | 'Veterans Day'
  | 'Thanksgiving Day'
  | 'Christmas Day';

export interface PgeHoliday {
  name: PgeHolidayName;
  year: number;
  month: number;
  day: number;
  /** true when this date is a weekday substituting for a fixed-date holiday that fell on a weekend */
  observed?: true;
}

/** nth (1-based) given weekday (1 = Mon … 7 = Sun) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = isoWeekday(year, month, 1);
  return 1 + ((weekday - first + 7) % 7) + 7 * (n - 1);
}

function lastWeekday(year: number, month: number, weekday: number): number {
  const last = daysInMonth(year, month);
  const lastDow = isoWeekday(year, month, last);
  return last - ((lastDow - weekday + 7) % 7);
}

function shift(year: number, month: number, day: number, by: number): { year: number; month: number; day: number } {
  let y = year;
  let m = month;
  let d = day + by;
  while (d < 1) {
    m -= 1;
    if (m < 1) {
      m = 12;
      y -= 1;
    }
    d += daysInMonth(y, m);
  }
  while (d > daysInMonth(y, m)) {
    d -= daysInMonth(y, m);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return { year: y, month: m, day: d };
}

const FIXED_DATE: ReadonlyArray<readonly [PgeHolidayName, number, number]> = [
  ["New Year's Day", 1, 1],
  ['Independence Day', 7, 4],
  ['Veterans Day', 11, 11],
  ['Christmas Day', 12, 25],
];

/**
 * PG&E TOU holiday dates in `year`, in date order: the eight holidays on their actual dates, plus
 * the weekday that substitutes for a fixed-date holiday falling on a weekend under `observance`
 * (marked `observed: true`). Under 'nbt-export', New Year's Day of year+1 falling on a Saturday is
 * observed on 31 December of `year`.
 */
export function pgeHolidays(year: number, observance: HolidayObservance = 'tou-schedule'): PgeHoliday[] {
  if (!Number.isInteger(year)) throw new RangeError(`year must be an integer, got ${year}`);
  const out: PgeHoliday[] = [
    { name: "Presidents' Day", year, month: 2, day: nthWeekday(year, 2, 1, 3) },
    { name: 'Memorial Day', year, month: 5, day: lastWeekday(year, 5, 1) },
    { name: 'Labor Day', year, month: 9, day: nthWeekday(year, 9, 1, 1) },
    { name: 'Thanksgiving Day', year, month: 11, day: nthWeekday(year, 11, 4, 4) },
  ];
  for (const [name, month, day] of FIXED_DATE) out.push({ name, year, month, day });
  for (const y of [year - 1, year, year + 1]) {
    for (const [name, month, day] of FIXED_DATE) {
      const dow = isoWeekday(y, month, day);
      let moved: { year: number; month: number; day: number } | undefined;
      if (dow === 7) moved = shift(y, month, day, 1);
      else if (dow === 6 && observance === 'nbt-export') moved = shift(y, month, day, -1);
      if (moved && moved.year === year) out.push({ name, ...moved, observed: true });
    }
  }
  return out.sort((a, b) => a.month - b.month || a.day - b.day);
}

/**
 * True if the date is a PG&E TOU holiday (New Year's Day, Presidents' Day, Memorial Day,
 * Independence Day, Labor Day, Veterans Day, Thanksgiving Day, Christmas Day), on its actual date
 * or on the weekday observed in its place under the given rule. Default 'tou-schedule' (PG&E's
 * TOU-schedule rule: a Saturday holiday gets no weekday substitute, a Sunday holiday is also
 * observed the following Monday); see {@link HolidayObservance}.
 */
export function isPgeHoliday(year: number, month: number, day: number, observance: HolidayObservance = 'tou-schedule'): boolean {
  const key = `${observance}:${year}`;
  let dates = holidayCache.get(key);
  if (!dates) {
    dates = new Set(pgeHolidays(year, observance).map((h) => h.month * 100 + h.day));
    holidayCache.set(key, dates);
  }
  return dates.has(month * 100 + day);
}

/** Memo of observed holiday dates (month*100+day) per observance and year; holidays are a pure function of the year. */
const holidayCache = new Map<string, ReadonlySet<number>>();
