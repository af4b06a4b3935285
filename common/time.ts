/** Every local date and clock time in wattswap is in this zone (DST-aware, via luxon). */
export const TIMEZONE = 'America/Los_Angeles';

/** Length of one tick, minutes (the tariffs and the output contract assume 30). */
export const INTERVAL_MINUTES = 30;

/** Intervals in a 24-hour day of `intervalMinutes`-long ticks (48 for 30 minutes; DST days have 46 or 50). */
export function intervalsPerDay(intervalMinutes: number): number {
  const n = (24 * 60) / intervalMinutes;
  if (!Number.isInteger(n)) throw new RangeError(`an interval of ${intervalMinutes} minutes does not divide a day`);
  return n;
}

/** Intervals in a 24-hour day at the standard tick: one seasonal period of the forecasters. */
export const INTERVALS_PER_DAY = intervalsPerDay(INTERVAL_MINUTES);
