import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  FIXED_CHARGE_USD_PER_DAY,
  LEGACY_TOU_C_NOTE,
  TariffConfigSchema,
  TariffIdSchema,
  baselineAllowanceKwhPerDay,
  baselineCreditUsd,
  getTariff,
  isPgeHoliday,
  listTariffs,
  pgeHolidays,
  seasonOf,
  type LocalTime,
  type TariffId,
} from '../../../market/tariffs/index.ts';

/** LocalTime from a Pacific wall-clock date via luxon (so weekdays are right). */
function lt(year: number, month: number, day: number, hour: number, minute = 0): LocalTime {
  const d = DateTime.fromObject({ year, month, day, hour, minute }, { zone: 'America/Los_Angeles' });
  return { year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute, weekday: d.weekday };
}

const rate = (id: TariffId, t: LocalTime) => getTariff(id).rateAt(t);

describe('config and registry', () => {
  it('defaults to the real E-TOU-C (E-ELEC for solar homes), standard fixed charge, NBT26 exports', () => {
    expect(TariffConfigSchema.parse({})).toEqual({ plan: 'E-TOU-C', assignment: 'nbt', fixedCharge: 'standard', exportCompensation: 'nbt26' });
    expect(() => TariffConfigSchema.parse({ plan: 'E-TOU-C', extra: 1 })).toThrow();
  });

  it('lists every plan once, in schema order, and getTariff returns them by id', () => {
    expect(listTariffs().map((p) => p.id)).toEqual(TariffIdSchema.options);
    for (const id of TariffIdSchema.options) expect(getTariff(id).id).toBe(id);
    expect(() => getTariff('E-1' as TariffId)).toThrow(RangeError);
  });

  it('documents sources, and zero baseline credit where the reference gives none', () => {
    for (const p of listTariffs()) {
      expect(p.source.length).toBeGreaterThan(20);
      expect(p.description.length).toBeGreaterThan(20);
    }
    expect(getTariff('E-TOU-C').baselineCreditUsdPerKwh).toBe(0.0814);
    for (const id of ['E-TOU-D', 'EV2-A', 'E-ELEC', 'TOU-C-legacy'] as const) expect(getTariff(id).baselineCreditUsdPerKwh).toBe(0);
    expect(LEGACY_TOU_C_NOTE).toMatch(/does NOT match/);
  });
});

describe('seasons', () => {
  it('summer is June–September', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(seasonOf)).toEqual([
      'winter', 'winter', 'winter', 'winter', 'winter', 'summer', 'summer', 'summer', 'summer', 'winter', 'winter', 'winter',
    ]);
    expect(() => seasonOf(0)).toThrow(RangeError);
    expect(() => seasonOf(13)).toThrow(RangeError);
  });

  it('switches on May 31 → June 1 and Sep 30 → Oct 1', () => {
    expect(rate('E-TOU-C', lt(2026, 5, 31, 17))).toMatchObject({ importUsdPerKwh: 0.39757, period: 'peak', season: 'winter' });
    expect(rate('E-TOU-C', lt(2026, 6, 1, 17))).toMatchObject({ importUsdPerKwh: 0.5224, period: 'peak', season: 'summer' });
    expect(rate('E-TOU-C', lt(2026, 9, 30, 17))).toMatchObject({ importUsdPerKwh: 0.5224, period: 'peak', season: 'summer' });
    expect(rate('E-TOU-C', lt(2026, 10, 1, 17))).toMatchObject({ importUsdPerKwh: 0.39757, period: 'peak', season: 'winter' });
    expect(rate('EV2-A', lt(2026, 5, 31, 22)).importUsdPerKwh).toBe(0.39428);
    expect(rate('EV2-A', lt(2026, 6, 1, 22)).importUsdPerKwh).toBe(0.4276);
  });
});

describe('E-TOU-C (peak 4–9 pm every day)', () => {
  it('boundaries 3:59 pm / 4:00 pm / 8:59 pm / 9:00 pm, summer and winter, weekday and weekend', () => {
    // Tue 14 Jul 2026 and Sat 18 Jul 2026
    for (const day of [14, 18]) {
      expect(rate('E-TOU-C', lt(2026, 7, day, 15, 59))).toMatchObject({ period: 'off-peak', importUsdPerKwh: 0.3994 });
      expect(rate('E-TOU-C', lt(2026, 7, day, 16, 0))).toMatchObject({ period: 'peak', importUsdPerKwh: 0.5224 });
      expect(rate('E-TOU-C', lt(2026, 7, day, 20, 59))).toMatchObject({ period: 'peak', importUsdPerKwh: 0.5224 });
      expect(rate('E-TOU-C', lt(2026, 7, day, 21, 0))).toMatchObject({ period: 'off-peak', importUsdPerKwh: 0.3994 });
    }
    expect(rate('E-TOU-C', lt(2026, 11, 18, 15, 59)).importUsdPerKwh).toBe(0.36757);
    expect(rate('E-TOU-C', lt(2026, 11, 18, 16, 0)).importUsdPerKwh).toBe(0.39757);
    expect(rate('E-TOU-C', lt(2026, 11, 18, 21, 0)).importUsdPerKwh).toBe(0.36757);
    expect(rate('E-TOU-C', lt(2026, 12, 25, 18)).period).toBe('peak'); // holidays too
  });
});

describe('E-TOU-D (peak 5–8 pm non-holiday weekdays)', () => {
  it('weekday boundaries', () => {
    // Wed 15 Jul 2026
    expect(rate('E-TOU-D', lt(2026, 7, 15, 16, 59))).toMatchObject({ period: 'off-peak', importUsdPerKwh: 0.34212 });
    expect(rate('E-TOU-D', lt(2026, 7, 15, 17, 0))).toMatchObject({ period: 'peak', importUsdPerKwh: 0.47708 });
    expect(rate('E-TOU-D', lt(2026, 7, 15, 19, 59))).toMatchObject({ period: 'peak', importUsdPerKwh: 0.47708 });
    expect(rate('E-TOU-D', lt(2026, 7, 15, 20, 0))).toMatchObject({ period: 'off-peak', importUsdPerKwh: 0.34212 });
    expect(rate('E-TOU-D', lt(2026, 11, 18, 17))).toMatchObject({ period: 'peak', importUsdPerKwh: 0.38747 });
    expect(rate('E-TOU-D', lt(2026, 11, 18, 16))).toMatchObject({ period: 'off-peak', importUsdPerKwh: 0.34886 });
  });

  it('weekends are off-peak all day', () => {
    for (const day of [18, 19]) {
      for (let h = 0; h < 24; h++) expect(rate('E-TOU-D', lt(2026, 7, day, h)).period).toBe('off-peak');
    }
  });

  it('weekday holidays are off-peak; Sunday holidays move to Monday; Saturday holidays are not moved', () => {
    expect(rate('E-TOU-D', lt(2026, 9, 7, 18)).period).toBe('off-peak'); // Labor Day (Mon)
    expect(rate('E-TOU-D', lt(2026, 11, 26, 18)).period).toBe('off-peak'); // Thanksgiving (Thu)
    expect(rate('E-TOU-D', lt(2026, 12, 25, 18)).period).toBe('off-peak'); // Christmas (Fri)
    expect(rate('E-TOU-D', lt(2026, 11, 11, 18)).period).toBe('off-peak'); // Veterans Day (Wed)
    expect(rate('E-TOU-D', lt(2027, 7, 5, 18)).period).toBe('off-peak'); // 4 Jul 2027 is a Sunday → Mon 5 Jul
    // 4 Jul 2026 is a Saturday. PG&E's TOU-holiday rule: "If a holiday falls on Saturday, no weekday is
    // designated a TOU holiday", so Friday 3 Jul 2026 keeps its weekday peak for import pricing
    // (the NBT export table does treat it as a holiday — see export-rates.test.ts).
    expect(lt(2026, 7, 3, 18).weekday).toBe(5);
    expect(rate('E-TOU-D', lt(2026, 7, 3, 18)).period).toBe('peak');
  });
});

describe('EV2-A and E-ELEC (peak 4–9 pm, part-peak 3–4 pm and 9 pm–midnight, every day)', () => {
  const cases: Array<[number, number, string]> = [
    [0, 0, 'off-peak'],
    [14, 59, 'off-peak'],
    [15, 0, 'part-peak'],
    [15, 59, 'part-peak'],
    [16, 0, 'peak'],
    [20, 59, 'peak'],
    [21, 0, 'part-peak'],
    [23, 59, 'part-peak'],
  ];
  it.each(cases)('%i:%i is %s on weekdays and weekends', (h, m, period) => {
    for (const id of ['EV2-A', 'E-ELEC'] as const) {
      expect(rate(id, lt(2026, 8, 12, h, m)).period).toBe(period); // Wed
      expect(rate(id, lt(2026, 8, 16, h, m)).period).toBe(period); // Sun
      expect(rate(id, lt(2026, 7, 3, h, m)).period).toBe(period); // observed holiday: no effect
    }
  });

  it('prices', () => {
    const s = lt(2026, 8, 12, 0);
    const w = lt(2026, 11, 18, 0); // winter under the March 2026 sheet
    const prices = (id: 'EV2-A' | 'E-ELEC', t: LocalTime) =>
      [16, 15, 3].map((h) => rate(id, { ...t, hour: h }).importUsdPerKwh);
    expect(prices('EV2-A', s)).toEqual([0.53809, 0.4276, 0.22558]);
    expect(prices('EV2-A', w)).toEqual([0.41099, 0.39428, 0.22558]);
    expect(prices('E-ELEC', s)).toEqual([0.55214, 0.39026, 0.33358]);
    expect(prices('E-ELEC', w)).toEqual([0.32063, 0.29854, 0.28468]);
  });
});

describe('TOU-C-legacy', () => {
  it('off-peak 0–6 h at $0.28, peak 16–19 h at $0.51, $0.35 otherwise, all seasons', () => {
    for (const month of [1, 7]) {
      const r = (h: number) => rate('TOU-C-legacy', lt(2026, month, 15, h));
      expect(r(0)).toMatchObject({ period: 'off-peak', importUsdPerKwh: 0.28 });
      expect(r(5)).toMatchObject({ period: 'off-peak', importUsdPerKwh: 0.28 });
      expect(r(6)).toMatchObject({ period: 'part-peak', importUsdPerKwh: 0.35 });
      expect(r(15)).toMatchObject({ period: 'part-peak', importUsdPerKwh: 0.35 });
      expect(r(16)).toMatchObject({ period: 'peak', importUsdPerKwh: 0.51 });
      expect(r(19)).toMatchObject({ period: 'peak', importUsdPerKwh: 0.51 });
      expect(r(20)).toMatchObject({ period: 'part-peak', importUsdPerKwh: 0.35 });
      expect(r(23)).toMatchObject({ period: 'part-peak', importUsdPerKwh: 0.35 });
    }
    expect(rate('TOU-C-legacy', lt(2026, 7, 15, 12)).season).toBe('summer');
  });

  it('differs from the real E-TOU-C at 8 pm (legacy part-peak, E-TOU-C peak)', () => {
    expect(rate('TOU-C-legacy', lt(2026, 7, 15, 20)).period).toBe('part-peak');
    expect(rate('E-TOU-C', lt(2026, 7, 15, 20)).period).toBe('peak');
  });
});

describe('properties over all plans', () => {
  const arbTime = fc.record({
    year: fc.integer({ min: 2024, max: 2035 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    weekday: fc.integer({ min: 1, max: 7 }),
  });

  it('every rate is positive and finite', () => {
    fc.assert(
      fc.property(arbTime, fc.constantFrom(...TariffIdSchema.options), (t, id) => {
        const r = getTariff(id).rateAt(t);
        return Number.isFinite(r.importUsdPerKwh) && r.importUsdPerKwh > 0 && r.season === seasonOf(t.month);
      }),
    );
  });

  it('exhaustively: every month × hour × weekday gives a positive finite rate; peak ≥ part-peak ≥ off-peak per plan and season', () => {
    for (const plan of listTariffs()) {
      const seen: Record<string, Record<string, Set<number>>> = {};
      for (let month = 1; month <= 12; month++) {
        for (let weekday = 1; weekday <= 7; weekday++) {
          for (let hour = 0; hour < 24; hour++) {
            const r = plan.rateAt({ year: 2026, month, day: 14 + weekday, hour, minute: 0, weekday });
            expect(Number.isFinite(r.importUsdPerKwh) && r.importUsdPerKwh > 0).toBe(true);
            ((seen[`${r.sheet.effective} ${r.season}`] ??= {})[r.period] ??= new Set()).add(r.importUsdPerKwh);
          }
        }
      }
      for (const byPeriod of Object.values(seen)) {
        // one price per period within a sheet's season
        for (const set of Object.values(byPeriod)) expect(set.size).toBe(1);
        const price = (p: string) => (byPeriod[p] ? [...byPeriod[p]][0] : undefined);
        const peak = price('peak')!;
        const off = price('off-peak')!;
        expect(peak).toBeGreaterThanOrEqual(off);
        const part = price('part-peak');
        if (part !== undefined) {
          expect(peak).toBeGreaterThanOrEqual(part);
          expect(part).toBeGreaterThanOrEqual(off);
        }
      }
    }
  });

  it('rejects malformed times', () => {
    const ok = lt(2026, 7, 15, 12);
    for (const bad of [{ hour: 24 }, { hour: -1 }, { month: 0 }, { weekday: 0 }, { weekday: 8 }, { hour: 1.5 }]) {
      expect(() => getTariff('E-TOU-C').rateAt({ ...ok, ...bad })).toThrow(RangeError);
    }
  });
});

describe('PG&E TOU holidays', () => {
  it('lists the 2026 holidays (TOU-schedule observance)', () => {
    expect(pgeHolidays(2026).map((h) => `${h.month}-${h.day} ${h.name}${h.observed ? ' (observed)' : ''}`)).toEqual([
      "1-1 New Year's Day",
      "2-16 Presidents' Day",
      '5-25 Memorial Day',
      '7-4 Independence Day',
      '9-7 Labor Day',
      '11-11 Veterans Day',
      '11-26 Thanksgiving Day',
      '12-25 Christmas Day',
    ]); // Independence Day falls on Saturday 4 Jul: under PG&E's TOU rule no weekday substitutes
    expect(isPgeHoliday(2026, 7, 4)).toBe(true);
    expect(isPgeHoliday(2026, 7, 3)).toBe(false);
    expect(isPgeHoliday(2026, 7, 6)).toBe(false);
  });

  it('lists the 2026 holidays as labelled in the NBT export files', () => {
    expect(pgeHolidays(2026, 'nbt-export').map((h) => `${h.month}-${h.day}${h.observed ? ' (observed)' : ''}`)).toEqual([
      '1-1', '2-16', '5-25', '7-3 (observed)', '7-4', '9-7', '11-11', '11-26', '12-25',
    ]);
    expect(isPgeHoliday(2026, 7, 3, 'nbt-export')).toBe(true);
  });

  it('observance rules across years', () => {
    // 2027: Jul 4 Sunday → Mon 5; Dec 25 Saturday; 1 Jan 2028 Saturday
    expect(isPgeHoliday(2027, 7, 5)).toBe(true);
    expect(isPgeHoliday(2027, 7, 5, 'nbt-export')).toBe(true);
    expect(isPgeHoliday(2027, 12, 24)).toBe(false);
    expect(isPgeHoliday(2027, 12, 24, 'nbt-export')).toBe(true);
    expect(isPgeHoliday(2027, 12, 31, 'nbt-export')).toBe(true); // New Year 2028 observed in 2027
    expect(isPgeHoliday(2027, 12, 31)).toBe(false);
    expect(pgeHolidays(2028, 'nbt-export').filter((h) => h.month === 1).map((h) => h.day)).toEqual([1]); // actual date only
    expect(isPgeHoliday(2027, 7, 4)).toBe(true); // the Sunday itself is still the holiday
    // 2034: 1 Jan Sunday → Mon 2 Jan; 2028 Veterans Day Saturday → Fri 10 Nov (export only)
    expect(isPgeHoliday(2034, 1, 2)).toBe(true);
    expect(isPgeHoliday(2028, 11, 10, 'nbt-export')).toBe(true);
    expect(isPgeHoliday(2028, 11, 10)).toBe(false);
  });

  it('matches a luxon cross-check of the floating holidays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), (year) => {
        const mondays = (month: number) => {
          const out: number[] = [];
          for (let d = DateTime.fromObject({ year, month, day: 1 }); d.month === month; d = d.plus({ days: 1 })) {
            if (d.weekday === 1) out.push(d.day);
          }
          return out;
        };
        const thursdaysNov: number[] = [];
        for (let d = DateTime.fromObject({ year, month: 11, day: 1 }); d.month === 11; d = d.plus({ days: 1 })) {
          if (d.weekday === 4) thursdaysNov.push(d.day);
        }
        return (
          isPgeHoliday(year, 2, mondays(2)[2]) &&
          isPgeHoliday(year, 5, mondays(5).at(-1)!) &&
          isPgeHoliday(year, 9, mondays(9)[0]) &&
          isPgeHoliday(year, 11, thursdaysNov[3]) &&
          pgeHolidays(year).length >= 8 &&
          pgeHolidays(year).every((h) => !h.observed || DateTime.fromObject({ year, month: h.month, day: h.day }).weekday === 1)
        );
      }),
    );
  });
});

describe('fixed charges and baseline', () => {
  it('Base Services Charge tiers', () => {
    expect(FIXED_CHARGE_USD_PER_DAY).toEqual({ standard: 0.79343, fera: 0.39688, care: 0.19713, none: 0 });
    expect((FIXED_CHARGE_USD_PER_DAY.standard * 365) / 12).toBeCloseTo(24.13, 2);
  });

  it('baseline allowances', () => {
    expect(baselineAllowanceKwhPerDay('T', 'summer')).toBe(6.5);
    expect(baselineAllowanceKwhPerDay('T', 'winter')).toBe(7.5);
    expect(baselineAllowanceKwhPerDay('X', 'summer')).toBe(9.8);
    expect(baselineAllowanceKwhPerDay('X', 'winter')).toBe(9.7);
    expect(baselineAllowanceKwhPerDay('S', 'summer')).toBe(15.0);
    expect(baselineAllowanceKwhPerDay('S', 'winter')).toBe(10.2);
    expect(baselineAllowanceKwhPerDay('R', 'summer')).toBe(17.7);
    expect(baselineAllowanceKwhPerDay('R', 'winter')).toBe(10.4);
    expect(baselineAllowanceKwhPerDay('W', 'summer')).toBe(19.2);
    expect(baselineAllowanceKwhPerDay('W', 'winter')).toBe(9.8);
    expect(() => baselineAllowanceKwhPerDay('Q' as 'T', 'summer')).toThrow(RangeError);
  });

  it('baseline credit arithmetic', () => {
    const credit = getTariff('E-TOU-C').baselineCreditUsdPerKwh;
    // 30-day summer month in territory X: allowance 294 kWh
    const allowance = baselineAllowanceKwhPerDay('X', 'summer') * 30;
    expect(allowance).toBeCloseTo(294, 9);
    expect(baselineCreditUsd(500, allowance, credit)).toBeCloseTo(-0.0814 * 294, 9); // capped at allowance: −23.9316
    expect(baselineCreditUsd(100, allowance, credit)).toBeCloseTo(-8.14, 9); // under allowance
    expect(baselineCreditUsd(0, allowance, credit)).toBe(0);
    expect(baselineCreditUsd(-50, allowance, credit)).toBe(0); // net exporter: no credit
    expect(baselineCreditUsd(500, allowance, 0)).toBe(0); // plans without a credit
    expect(() => baselineCreditUsd(Number.NaN, 1, credit)).toThrow(RangeError);
    expect(() => baselineCreditUsd(1, -1, credit)).toThrow(RangeError);
    expect(() => baselineCreditUsd(1, 1, -0.0814)).toThrow(RangeError);
  });

  it('baseline credit is ≤ 0, never exceeds rate × allowance, and is monotone in usage', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (usage, allowance, creditRate, extra) => {
          const c = baselineCreditUsd(usage, allowance, creditRate);
          const c2 = baselineCreditUsd(usage + extra, allowance, creditRate);
          return c <= 0 && c >= -creditRate * allowance - 1e-9 && c2 <= c + 1e-12;
        },
      ),
    );
  });
});
