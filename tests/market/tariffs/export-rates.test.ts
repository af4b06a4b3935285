import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exportDayType, exportRateUsdPerKwh, exportSchedule, getTariff, lowIncomePlan, nbtExportRows, programExportSchedule, tariffsFor, type ExportProgramName, type LocalTime } from '../../../market/tariffs/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const csvPath = join(here, '..', '..', '..', 'market', 'tariffs', 'data', 'pge-export-rates-nbt26-2026.csv');
const NBT26_EXPORT_ROWS = nbtExportRows('NBT26', 2026);
const table = (m: number, d: 'weekday' | 'weekend', h: number) => exportSchedule('nbt26').usdPerKwhAt(at(2026, m, d === 'weekday' ? 5 : 10, h, d === 'weekday' ? 1 : 6));

function at(year: number, month: number, day: number, hour: number, weekday: number): LocalTime {
  return { year, month, day, hour, minute: 0, weekday };
}

describe('NBT26 2026 export table (generation + delivery from export/nbt26.json)', () => {
  it('equals the monthly CSV in the repo row for row, value for value', () => {
    const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('month,day_type,hour,usd_per_kwh');
    const rows = lines.slice(1).map((l) => {
      const [m, d, h, v] = l.split(',');
      return [Number(m), d, Number(h), Number(v)];
    });
    expect(rows).toHaveLength(576);
    // the engine's table is the CSV, bit for bit (5 Oct and 10 Oct 2026: an ordinary Monday and Saturday)
    expect(rows.map(([m, d, h]) => [m, d, h, table(m as number, d as 'weekday' | 'weekend', h as number)])).toEqual(rows);
    // …and the CSV is export/nbt26.json's 2026 generation + delivery, except the November weekend 1 am cell:
    // 1 Nov 2026 (a Sunday) repeats 1 am when daylight saving ends, and the CSV's average took in both hours
    const json = NBT26_EXPORT_ROWS.map((r) => [...r]);
    const differ = rows.filter((r, i) => r[3] !== json[i][3]);
    expect(differ.map((r) => r.slice(0, 3))).toEqual([[11, 'weekend', 1]]);
    expect(rows.find((r) => r[0] === 11 && r[1] === 'weekend' && r[2] === 1)?.[3]).toBe(0.08094);
    expect(json.find((r) => r[0] === 11 && r[1] === 'weekend' && r[2] === 1)?.[3]).toBe(0.0811);
  });

  it('has 576 rows covering every month × day type × hour once', () => {
    expect(NBT26_EXPORT_ROWS).toHaveLength(576);
    const keys = new Set(NBT26_EXPORT_ROWS.map(([m, d, h]) => `${m}-${d}-${h}`));
    expect(keys.size).toBe(576);
  });

  it('has the published mean (≈0.093) and maximum (1.193, August 7 pm)', () => {
    const values = NBT26_EXPORT_ROWS.map((r) => r[3]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(0.093, 3);
    const max = Math.max(...values);
    expect(max).toBeCloseTo(1.193, 3);
    // The maximum is in the August weekend/holiday column (REFERENCE-DATA.md says "weekday"; see PROVENANCE.md).
    expect(NBT26_EXPORT_ROWS.find((r) => r[3] === max)?.slice(0, 3)).toEqual([8, 'weekend', 19]);
    expect(NBT26_EXPORT_ROWS.every((r) => Number.isFinite(r[3]) && r[3] > 0)).toBe(true);
  });
});

describe('exportRateUsdPerKwh', () => {
  it('spot values: August 7 pm weekday and weekend', () => {
    expect(exportRateUsdPerKwh(at(2026, 8, 12, 19, 3))).toBe(1.15441); // Wed 12 Aug 2026
    expect(exportRateUsdPerKwh(at(2026, 8, 15, 19, 6))).toBe(1.19289); // Sat 15 Aug 2026
    expect(exportRateUsdPerKwh(at(2026, 1, 5, 0, 1))).toBe(0.09431); // Mon 5 Jan, first CSV row
    expect(exportRateUsdPerKwh(at(2026, 12, 27, 23, 7))).toBe(0.08287); // Sun 27 Dec, last CSV row
  });

  it('ignores minutes within the hour', () => {
    expect(exportRateUsdPerKwh({ ...at(2026, 8, 12, 19, 3), minute: 45 })).toBe(1.15441);
  });

  it('uses the weekend column on Saturdays, Sundays and NBT holidays (incl. Friday 2026-07-03)', () => {
    const weekend = (m: number, h: number) => NBT26_EXPORT_ROWS.find((r) => r[0] === m && r[1] === 'weekend' && r[2] === h)![3];
    const weekday = (m: number, h: number) => NBT26_EXPORT_ROWS.find((r) => r[0] === m && r[1] === 'weekday' && r[2] === h)![3];
    expect(exportDayType(at(2026, 7, 3, 18, 5))).toBe('weekend'); // observed Independence Day
    expect(exportRateUsdPerKwh(at(2026, 7, 3, 18, 5))).toBe(weekend(7, 18));
    expect(exportRateUsdPerKwh(at(2026, 7, 2, 18, 4))).toBe(weekday(7, 18));
    expect(exportRateUsdPerKwh(at(2026, 9, 7, 18, 1))).toBe(weekend(9, 18)); // Labor Day
    expect(exportRateUsdPerKwh(at(2026, 9, 8, 18, 2))).toBe(weekday(9, 18));
    expect(exportRateUsdPerKwh(at(2026, 9, 13, 18, 7))).toBe(weekend(9, 18)); // Sunday
  });

  it('is positive and finite for every month, hour and weekday', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 1, max: 7 }),
        (month, day, hour, weekday) => {
          const v = exportRateUsdPerKwh(at(2026, month, day, hour, weekday));
          return Number.isFinite(v) && v > 0;
        },
      ),
    );
  });

  it('rejects out-of-range times', () => {
    expect(() => exportRateUsdPerKwh(at(2026, 13, 1, 0, 1))).toThrow(RangeError);
    expect(() => exportRateUsdPerKwh(at(2026, 1, 1, 24, 4))).toThrow(RangeError);
  });
});

describe('exportSchedule', () => {
  it('nbt26 prices exports at the NBT26 2026 values; none pays nothing', () => {
    const nbt = exportSchedule('nbt26');
    expect(nbt.vintage).toBe('NBT26');
    expect(nbt.usdPerKwhAt(at(2026, 8, 12, 19, 3))).toBe(1.15441);
    expect(nbt.usdPerKwhAt(at(2025, 8, 13, 19, 3))).toBe(1.15441); // the 2026 table for any year
    const none = exportSchedule('none');
    expect(none.vintage).toBeNull();
    expect(none.usdPerKwhAt(at(2026, 8, 12, 19, 3))).toBe(0);
  });

  it('refuses a vintage or year the data files do not hold', () => {
    expect(() => nbtExportRows('NBT99', 2026)).toThrow(/unknown NBT vintage/);
    expect(() => nbtExportRows('NBT26', 2025)).toThrow(/no export values for 2025/);
  });
});

describe('export credit by program (programExportSchedule)', () => {
  // Tuesday 15 September 2026, 6 pm and 7 pm (REFERENCE-DATA "Export compensation", calendar-2026 values)
  const sep = (hour: number) => ({ year: 2026, month: 9, day: 15, hour, minute: 0, weekday: 2 });
  const eelec = getTariff('E-ELEC');

  it('pays each NBT vintage its own published 2026 values plus ACC Plus for its application year', () => {
    const published: Record<string, [number, number]> = { nbt23: [2.23, 2.52], nbt24: [2.23, 2.52], nbt25: [0.46, 0.6], nbt26: [0.46, 0.6] };
    const accPlus: Record<string, number> = { nbt23: 0.022, nbt24: 0.0176, nbt25: 0.0132, nbt26: 0.0088 };
    for (const [program, [sixPm, sevenPm]] of Object.entries(published)) {
      const s = programExportSchedule(program as ExportProgramName, eelec, false);
      expect(s.usdPerKwhAt(sep(18)) - accPlus[program], `${program} 6 pm`).toBeCloseTo(sixPm, 2);
      expect(s.usdPerKwhAt(sep(19)) - accPlus[program], `${program} 7 pm`).toBeCloseTo(sevenPm, 2);
    }
  });

  it('gives CARE/FERA homes the low-income ACC Plus ($0.090 … $0.036)', () => {
    const lowIncome: Record<string, number> = { nbt23: 0.09, nbt24: 0.072, nbt25: 0.054, nbt26: 0.036 };
    for (const [program, adder] of Object.entries(lowIncome)) {
      const standard = programExportSchedule(program as ExportProgramName, eelec, false).usdPerKwhAt(sep(12));
      const care = programExportSchedule(program as ExportProgramName, eelec, true).usdPerKwhAt(sep(12));
      expect(care - standard, program).toBeCloseTo(adder - { nbt23: 0.022, nbt24: 0.0176, nbt25: 0.0132, nbt26: 0.0088 }[program]!, 9);
    }
  });

  it('credits a NEM 2 home on E-TOU-C at the retail rate less the non-bypassable charges ($0.02478/kWh on the March 2026 sheet)', () => {
    const nem2 = programExportSchedule('nem2', getTariff('E-TOU-C'), false);
    // published E-TOU-C summer peak $0.52240 (Advice 7846-E); NBCs: PPP 0.00614, ND −0.00002,
    // CTC 0.00027, wildfire fund 0.00591, wildfire hardening 0.00391, recovery bond 0.00857
    const nbc = 0.00614 - 0.00002 + 0.00027 + 0.00591 + 0.00391 + 0.00857;
    expect(nem2.usdPerKwhAt(sep(18))).toBeCloseTo(0.5224 - nbc, 9);
    expect(nem2.usdPerKwhAt({ year: 2026, month: 7, day: 15, hour: 18, minute: 0, weekday: 3 })).toBeCloseTo(0.5224 - nbc, 9);
  });
});

describe('CARE and FERA (lowIncomePlan)', () => {
  const july6pm = { year: 2026, month: 7, day: 15, hour: 18, minute: 0, weekday: 3 };
  it('takes 35 % (CARE) or 18 % (FERA) off every energy charge but the wildfire fund charge ($0.00591 on E-TOU-C)', () => {
    const etouc = getTariff('E-TOU-C');
    expect(lowIncomePlan(etouc, 'care').rateAt(july6pm).importUsdPerKwh).toBeCloseTo(0.5224 - 0.35 * (0.5224 - 0.00591), 9);
    expect(lowIncomePlan(etouc, 'fera').rateAt(july6pm).importUsdPerKwh).toBeCloseTo(0.5224 - 0.18 * (0.5224 - 0.00591), 9);
    expect(lowIncomePlan(etouc, 'none')).toBe(etouc);
  });

  it('credits a CARE home on NEM 2 at its own (discounted) retail rate less the non-bypassable charges', () => {
    const care = lowIncomePlan(getTariff('E-TOU-C'), 'care');
    expect(programExportSchedule('nem2', care, true).usdPerKwhAt(july6pm)).toBeCloseTo(0.5224 - 0.35 * (0.5224 - 0.00591) - 0.02478, 9);
  });

  it('gives each (plan, programme, credit) one entry in the assignment, and CARE NBT homes the low-income ACC Plus', () => {
    const a = tariffsFor({ plan: 'E-TOU-C', assignment: 'nbt', exportCompensation: 'nbt26' }, [
      { hasPv: true, exportProgram: 'nbt26', lowIncome: 'care' },
      { hasPv: true, exportProgram: 'nbt26', lowIncome: 'none' },
      { hasPv: true, exportProgram: 'nbt26', lowIncome: 'care' },
      { hasPv: false, lowIncome: 'none' },
    ]);
    expect(a.planOfHome[0]).toBe(a.planOfHome[2]);
    expect(a.planOfHome[0]).not.toBe(a.planOfHome[1]);
    expect(a.planOfHome[3]).toBe(0);
    const noon = { ...july6pm, hour: 12 };
    expect(a.exports[a.planOfHome[0]].usdPerKwhAt(noon) - a.exports[a.planOfHome[1]].usdPerKwhAt(noon)).toBeCloseTo(0.036 - 0.0088, 9);
  });
});
