import { DateTime } from 'luxon';
import type { LocalTime } from '../market/index.ts';
import { TIMEZONE } from '../common/index.ts';

/** Local calendar facts of one interval, for tariff lookups. Pure; no wall clock. */
export function localTimeOf(date: string, localHour: number, weekday: number): LocalTime {
  const [year, month, day] = date.split('-').map(Number);
  const hour = Math.floor(localHour + 1e-9);
  const minute = Math.round((localHour - hour) * 60);
  return { year, month, day, hour, minute, weekday };
}

/** The local date `days` days after `date` (calendar arithmetic, DST-safe). */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: TIMEZONE }).plus({ days }).toISODate()!;
}

/** Start of a local date as ISO 8601 with its offset. */
export function startOfDayIso(date: string): string {
  return DateTime.fromISO(date, { zone: TIMEZONE }).startOf('day').toISO({ suppressMilliseconds: true })!;
}

/** Number of half-hour intervals in a range of local days (46 or 50 on DST days). */
export function intervalsInRange(startDate: string, days: number, intervalMinutes: number): number {
  const start = DateTime.fromISO(startDate, { zone: TIMEZONE }).startOf('day');
  const end = start.plus({ days });
  return Math.round(end.diff(start, 'minutes').minutes / intervalMinutes);
}
