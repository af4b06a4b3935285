import { describe, expect, it } from 'vitest';
import {
  datesFrom,
  energyCommissionTaxUsdPerKwh,
  generationRateUsdPerKwh,
  getTariff,
  householdBill,
  planTermsOver,
  type LocalTime,
} from '../../../market/tariffs/index.ts';

/** 3 am (off-peak) or 5 pm (peak) on a date; weekday as given (1 = Monday). */
const at = (year: number, month: number, day: number, hour: number, weekday = 3): LocalTime => ({ year, month, day, hour, minute: 0, weekday });
const eTouC = getTariff('E-TOU-C');

describe('dated rate sheets: a day is priced under the sheet in force that day', () => {
  it('E-TOU-C winter off-peak: $0.43459 in January 2026, $0.36757 from March 2026', () => {
    const jan = eTouC.rateAt(at(2026, 1, 14, 3));
    expect(jan.importUsdPerKwh).toBe(0.43459);
    expect(jan.sheet.effective).toBe('2026-01-01');
    expect(eTouC.rateAt(at(2026, 2, 28, 3, 6)).importUsdPerKwh).toBe(0.43459); // last day of the January sheet
    const mar = eTouC.rateAt(at(2026, 3, 1, 3, 7));
    expect(mar.importUsdPerKwh).toBe(0.36757);
    expect(mar.sheet.effective).toBe('2026-03-01');
  });

  it('a 2025 date is priced at the 2025 sheet in force', () => {
    expect(eTouC.rateAt(at(2025, 7, 16, 17)).importUsdPerKwh).toBe(0.62569); // 2025-03-01 sheet, summer peak
    expect(eTouC.rateAt(at(2025, 7, 16, 17)).sheet.effective).toBe('2025-03-01');
    expect(eTouC.rateAt(at(2025, 9, 1, 17, 1)).sheet.effective).toBe('2025-09-01');
    expect(eTouC.rateAt(at(2025, 2, 10, 17, 1)).sheet.effective).toBe('2025-01-01');
  });

  it('before the oldest sheet, the oldest; after the newest, the newest', () => {
    expect(eTouC.rateAt(at(2024, 12, 31, 3, 2)).sheet.effective).toBe('2025-01-01');
    expect(eTouC.rateAt(at(2027, 1, 13, 3)).importUsdPerKwh).toBe(0.36757);
    expect(getTariff('E-TOU-D').rateAt(at(2025, 1, 15, 3)).sheet.effective).toBe('2026-03-01'); // its only sheet
  });

  it('the strategies\' daily arrays follow the date: one plan, two days, two prices for the same hour', () => {
    const day = (month: number) => Array.from({ length: 24 }, (_, h) => eTouC.rateAt(at(2026, month, month === 1 ? 14 : 11, h)).importUsdPerKwh);
    expect(day(1)[3]).not.toBe(day(3)[3]);
  });

  it('exposes the generation component per plan and interval', () => {
    expect(generationRateUsdPerKwh(eTouC, at(2026, 1, 14, 3))).toBe(0.11042);
    expect(generationRateUsdPerKwh(getTariff('E-ELEC'), at(2026, 7, 15, 17))).toBe(0.26299);
    expect(generationRateUsdPerKwh(getTariff('TOU-C-legacy'), at(2026, 7, 15, 17))).toBeNull();
    const r = eTouC.rateAt(at(2026, 1, 14, 3));
    expect(r.generationUsdPerKwh! + r.deliveryUsdPerKwh).toBeCloseTo(r.importUsdPerKwh, 12);
  });
});

describe('charges over a run', () => {
  const feb27 = { year: 2026, month: 2, day: 27 };

  it('no Base Services Charge on E-TOU-C before 2026-03-01; from then, the tier\'s', () => {
    expect(eTouC.sheetOn({ year: 2026, month: 2, day: 28 }).baseServicesChargeUsdPerDay).toBeNull();
    const dates = datesFrom(feb27, 4); // 27, 28 Feb; 1, 2 Mar
    expect(dates.map((d) => d.day)).toEqual([27, 28, 1, 2]);
    expect(planTermsOver(eTouC, 'standard', 'X', dates).fixedUsd).toBeCloseTo(2 * 0.79343, 12);
    expect(planTermsOver(eTouC, 'care', 'X', dates).fixedUsd).toBeCloseTo(2 * 0.19713, 12);
    expect(planTermsOver(eTouC, 'standard', 'X', datesFrom({ year: 2025, month: 7, day: 1 }, 30)).fixedUsd).toBe(0);
    // E-ELEC had its own $0.49281/day before then
    expect(planTermsOver(getTariff('E-ELEC'), 'standard', 'X', dates).fixedUsd).toBeCloseTo(2 * 0.49281 + 2 * 0.79343, 12);
  });

  it('baseline credit: each day\'s sheet, weighted by its allowance; the sheets used, oldest first', () => {
    const terms = planTermsOver(eTouC, 'standard', 'X', datesFrom(feb27, 4));
    expect(terms.baselineCreditUsdPerKwh).toBeCloseTo((0.09566 + 0.0814) / 2, 12); // four winter days, equal allowances
    expect(terms.sheets.map((s) => s.effective)).toEqual(['2026-01-01', '2026-03-01']);
    expect(planTermsOver(eTouC, 'standard', 'X', datesFrom({ year: 2026, month: 7, day: 1 }, 3)).baselineCreditUsdPerKwh).toBe(0.0814);
  });

  it('Energy Commission tax: $0.0003 per kWh delivered (grid import + P2P bought) in 2025 and 2026', () => {
    expect(energyCommissionTaxUsdPerKwh({ year: 2025, month: 6, day: 1 })).toBe(0.0003);
    expect(energyCommissionTaxUsdPerKwh({ year: 2026, month: 1, day: 15 })).toBe(0.0003);
    const terms = planTermsOver(eTouC, 'standard', 'X', datesFrom({ year: 2026, month: 7, day: 1 }, 30));
    expect(terms.taxUsdPerKwh).toBe(0.0003);
    const bill = householdBill({ ...terms, baselineAllowanceKwh: 294 }, 300, 1000, 200);
    expect(bill.taxUsd).toBeCloseTo(0.36, 12);
    expect(bill.totalUsd).toBeCloseTo(300 + 30 * 0.79343 - 0.0814 * 294 + 0.36, 9);
  });
});
