import type { LocalTime, Season } from './types.ts';

/** Summer is June–September; winter is October–May (all plans here). */
export function seasonOf(month: number): Season {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`month must be an integer 1-12, got ${month}`);
  return month >= 6 && month <= 9 ? 'summer' : 'winter';
}

/** Throws a RangeError unless t is a plausible local clock reading. */
export function assertLocalTime(t: LocalTime): void {
  const check = (name: string, v: number, lo: number, hi: number): void => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`LocalTime.${name} must be an integer ${lo}-${hi}, got ${v}`);
  };
  check('month', t.month, 1, 12);
  check('day', t.day, 1, 31);
  check('hour', t.hour, 0, 23);
  check('minute', t.minute, 0, 59);
  check('weekday', t.weekday, 1, 7);
  if (!Number.isInteger(t.year)) throw new RangeError(`LocalTime.year must be an integer, got ${t.year}`);
}

/** Day of week (1 = Monday … 7 = Sunday) of a proleptic Gregorian date, without Date objects. */
export function isoWeekday(year: number, month: number, day: number): number {
  // Sakamoto's algorithm gives 0 = Sunday … 6 = Saturday.
  const offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
  const y = month < 3 ? year - 1 : year;
  const dow = (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + offsets[month - 1] + day) % 7;
  const sunday0 = (dow + 7) % 7;
  return sunday0 === 0 ? 7 : sunday0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
