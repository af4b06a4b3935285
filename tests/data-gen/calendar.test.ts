import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dayLayout, parseLocalDate } from '../../data-gen/calendar.ts';

const LA = 'America/Los_Angeles';

/** The reference layout: luxon for every interval. */
function luxonLayout(date: string, zone: string, minutes: number) {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  const end = start.plus({ days: 1 });
  const n = Math.round(end.diff(start, 'minutes').minutes / minutes);
  return Array.from({ length: n }, (_, t) => {
    const d = start.plus({ minutes: t * minutes });
    return { iso: d.toISO({ suppressMilliseconds: true }), hour: d.hour + d.minute / 60 };
  });
}

describe('dayLayout', () => {
  it('has 48 half-hours on an ordinary day, with the local offset', () => {
    const L = dayLayout(parseLocalDate('2026-07-15', LA), 30);
    expect(L.intervals).toBe(48);
    expect(L.startIso[0]).toBe('2026-07-15T00:00:00-07:00');
    expect(L.startIso[27]).toBe('2026-07-15T13:30:00-07:00');
    expect(L.localHour[27]).toBe(13.5);
    expect(L.month).toBe(7);
    expect(L.weekday).toBe(3); // Wednesday
    expect(parseLocalDate('2026-01-15', LA).toISODate()).toBe('2026-01-15');
    expect(dayLayout(parseLocalDate('2026-01-15', LA), 30).startIso[47]).toBe('2026-01-15T23:30:00-08:00');
  });

  it('has 46 intervals on the spring-forward day (8 March 2026): 2:00–3:00 does not exist', () => {
    const L = dayLayout(parseLocalDate('2026-03-08', LA), 30);
    expect(L.intervals).toBe(46);
    expect(L.startIso.slice(2, 6)).toEqual(['2026-03-08T01:00:00-08:00', '2026-03-08T01:30:00-08:00', '2026-03-08T03:00:00-07:00', '2026-03-08T03:30:00-07:00']);
    expect(Array.from(L.localHour.slice(2, 6))).toEqual([1, 1.5, 3, 3.5]);
    expect(L.startIso[45]).toBe('2026-03-08T23:30:00-07:00');
  });

  it('has 50 intervals on the fall-back day (1 November 2026): 1:00–2:00 happens twice', () => {
    const L = dayLayout(parseLocalDate('2026-11-01', LA), 30);
    expect(L.intervals).toBe(50);
    expect(L.startIso.slice(2, 7)).toEqual([
      '2026-11-01T01:00:00-07:00',
      '2026-11-01T01:30:00-07:00',
      '2026-11-01T01:00:00-08:00',
      '2026-11-01T01:30:00-08:00',
      '2026-11-01T02:00:00-08:00',
    ]);
    expect(Array.from(L.localHour.slice(2, 7))).toEqual([1, 1.5, 1, 1.5, 2]);
    expect(L.startIso[49]).toBe('2026-11-01T23:30:00-08:00');
    // consecutive starts are exactly 30 minutes apart in real time
    for (let t = 1; t < L.intervals; t++) expect(L.startMs[t] - L.startMs[t - 1]).toBe(1_800_000);
  });

  it('matches luxon interval by interval on any date, in any zone, at any interval length', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(LA, 'UTC', 'Asia/Kolkata', 'Europe/London', 'Australia/Lord_Howe'),
        fc.constantFrom(15, 30, 60),
        (d, zone, minutes) => {
          const date = d.toISOString().slice(0, 10);
          const L = dayLayout(parseLocalDate(date, zone), minutes);
          const ref = luxonLayout(date, zone, minutes);
          expect(L.intervals).toBe(ref.length);
          expect(L.startIso).toEqual(ref.map((r) => r.iso));
          expect(Array.from(L.localHour)).toEqual(ref.map((r) => r.hour));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects dates that are not YYYY-MM-DD calendar dates', () => {
    expect(() => parseLocalDate('2026-02-30', LA)).toThrow(/not a valid local date/);
    expect(() => parseLocalDate('15/07/2026', LA)).toThrow(/YYYY-MM-DD/);
  });
});
