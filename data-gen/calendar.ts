import { DateTime } from 'luxon';

/** The intervals of one local calendar day: computed with luxon in the day's time zone. */
export interface DayLayout {
  date: string;
  month: number;
  /** luxon weekday, 1 = Monday … 7 = Sunday */
  weekday: number;
  /** day of the year, 1 … 366 (local date) */
  dayOfYear: number;
  /** 48 for 30-minute intervals; 46 on the spring-forward day, 50 on the fall-back day */
  intervals: number;
  /** start of each interval as epoch milliseconds (UTC) */
  startMs: Float64Array;
  /** start of each interval as ISO 8601 with the local offset */
  startIso: string[];
  /** local clock hour of each interval start (13.5 = 1:30 pm); the repeated hour repeats on fall-back */
  localHour: Float64Array;
  /** epoch milliseconds of the local midnight that starts the day */
  midnightMs: number;
  /** the start of the next day (to lay out the next day without another zone lookup) */
  next: DateTime;
}

/** Throws a RangeError naming the problem when `date` is not a YYYY-MM-DD calendar date in `zone`. */
export function parseLocalDate(date: string, zone: string): DateTime {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`expected a date as YYYY-MM-DD, got "${date}"`);
  const dt = DateTime.fromISO(date, { zone });
  if (!dt.isValid) throw new RangeError(`"${date}" in time zone "${zone}" is not a valid local date: ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.startOf('day');
}

const pad2 = (x: number) => (x < 10 ? `0${x}` : String(x));

/**
 * Lays out one local calendar day in `intervalMinutes` steps (which must divide 60). Time-zone
 * lookups are slow (Intl), so a day without an offset change is laid out arithmetically from its
 * midnight's offset; DST days fall back to luxon for every interval.
 */
export function dayLayout(day: DateTime, intervalMinutes: number): DayLayout {
  const start = day.hour === 0 && day.minute === 0 && day.second === 0 && day.millisecond === 0 ? day : day.startOf('day');
  const end = start.plus({ days: 1 });
  const stepMs = intervalMinutes * 60_000;
  const midnightMs = start.toMillis();
  const intervals = Math.round((end.toMillis() - midnightMs) / stepMs);
  const startMs = new Float64Array(intervals);
  const localHour = new Float64Array(intervals);
  const startIso: string[] = new Array(intervals);
  const firstIso = start.toISO({ suppressMilliseconds: true })!;
  if (start.offset === end.offset && start.hour === 0 && start.minute === 0) {
    const datePart = firstIso.slice(0, 11); // YYYY-MM-DDT
    const suffix = firstIso.slice(19); // the offset, e.g. -07:00 (or Z)
    for (let t = 0; t < intervals; t++) {
      const ms = midnightMs + t * stepMs;
      const minuteOfDay = t * intervalMinutes;
      const hh = Math.floor(minuteOfDay / 60);
      const mm = minuteOfDay % 60;
      startMs[t] = ms;
      localHour[t] = hh + mm / 60;
      startIso[t] = `${datePart}${pad2(hh)}:${pad2(mm)}:00${suffix}`;
    }
  } else {
    for (let t = 0; t < intervals; t++) {
      const ms = midnightMs + t * stepMs;
      // absolute-time arithmetic: on DST days the local clock skips or repeats an hour
      const local = DateTime.fromMillis(ms, { zone: start.zone });
      startMs[t] = ms;
      localHour[t] = local.hour + local.minute / 60;
      startIso[t] = local.toISO({ suppressMilliseconds: true })!;
    }
  }
  return {
    date: start.toISODate()!,
    month: start.month,
    weekday: start.weekday,
    dayOfYear: start.ordinal,
    intervals,
    startMs,
    startIso,
    localHour,
    midnightMs,
    next: end,
  };
}
