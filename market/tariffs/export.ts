import { ACC_PLUS, EXPORT_VINTAGES, NBT26_MONTHLY_2026, sumRatesUsd } from './catalogue.ts';
import { isPgeHoliday } from './holidays.ts';
import { assertLocalTime } from './time.ts';
import type { LocalTime, TariffConfig, TariffPlan } from './types.ts';

export type ExportDayType = 'weekday' | 'weekend';
export type ExportRateRow = readonly [month: number, dayType: ExportDayType, hour: number, usdPerKwh: number];
export type ExportCompensation = TariffConfig['exportCompensation'];

const DAY_TYPES: readonly ExportDayType[] = ['weekday', 'weekend'];

/**
 * PG&E Net Billing Tariff export values of one vintage for one calendar year, bundled generation +
 * delivery, USD/kWh: one row per month × day type × hour, month-major (weekday rows before weekend).
 */
export function nbtExportRows(vintage: string, year: number): ExportRateRow[] {
  const v = EXPORT_VINTAGES[vintage];
  if (!v) throw new RangeError(`unknown NBT vintage: ${vintage} (known: ${Object.keys(EXPORT_VINTAGES).join(', ')})`);
  const y = v.years[year];
  if (!y) throw new RangeError(`${vintage} has no export values for ${year} (${v.file})`);
  const rows: ExportRateRow[] = [];
  for (let m = 0; m < 12; m++) {
    for (let d = 0; d < 2; d++) {
      for (let hour = 0; hour < 24; hour++) {
        rows.push([m + 1, DAY_TYPES[d], hour, sumRatesUsd([y.generation[m][d][hour], y.delivery[m][d][hour]], `${v.file} ${year}`)]);
      }
    }
  }
  return rows;
}

/** Dense lookup of rows in month-major order: index ((month−1)·2 + (weekend ? 1 : 0))·24 + hour. */
function exportTable(rows: readonly ExportRateRow[]): Float64Array {
  const table = new Float64Array(576).fill(Number.NaN);
  for (const [month, dayType, hour, usd] of rows) table[((month - 1) * 2 + (dayType === 'weekend' ? 1 : 0)) * 24 + hour] = usd;
  if (table.some(Number.isNaN)) throw new Error('NBT export table is incomplete');
  return table;
}

/**
 * Day type used by the NBT export table: 'weekend' for Saturdays, Sundays and PG&E holidays as
 * labelled in PG&E's export files (Saturday holidays observed the preceding Friday, Sunday
 * holidays the following Monday), otherwise 'weekday'.
 */
export function exportDayType(t: Pick<LocalTime, 'year' | 'month' | 'day' | 'weekday'>): ExportDayType {
  return t.weekday >= 6 || isPgeHoliday(t.year, t.month, t.day, 'nbt-export') ? 'weekend' : 'weekday';
}

/** A solar home's export program: legacy net metering, or the NBT vintage of its application year. */
export type ExportProgramName = 'nem2' | 'nbt23' | 'nbt24' | 'nbt25' | 'nbt26';

/** What an exported kWh earns from the grid at a given interval. */
export interface ExportSchedule {
  compensation: ExportCompensation | ExportProgramName;
  /** NBT vintage of the values (null when exports are not paid) */
  vintage: string | null;
  usdPerKwhAt(t: LocalTime): number;
}

function nbtSchedule(vintage: string, rows: readonly ExportRateRow[]): ExportSchedule {
  const table = exportTable(rows);
  return Object.freeze({
    compensation: 'nbt26' as const,
    vintage,
    usdPerKwhAt(t: LocalTime): number {
      assertLocalTime(t);
      return table[((t.month - 1) * 2 + (exportDayType(t) === 'weekend' ? 1 : 0)) * 24 + t.hour];
    },
  });
}

const NONE: ExportSchedule = Object.freeze({ compensation: 'none' as const, vintage: null, usdPerKwhAt: () => 0 });
const NBT26 = nbtSchedule('NBT26', NBT26_MONTHLY_2026);

/**
 * The export compensation scheme as a schedule. nbt26: PG&E Net Billing Tariff values of vintage
 * NBT26 (applications filed in 2026), bundled generation + delivery, from the monthly 2026 table
 * (`data/pge-export-rates-nbt26-2026.csv`) for any date; the ACC Plus adder is not included.
 * none: exports earn nothing.
 */
export function exportSchedule(compensation: ExportCompensation): ExportSchedule {
  return compensation === 'nbt26' ? NBT26 : NONE;
}

/** NBT26 export value for the hour starting at `t`, USD per exported kWh (exportSchedule('nbt26')). */
export function exportRateUsdPerKwh(t: LocalTime): number {
  return NBT26.usdPerKwhAt(t);
}

/**
 * The export credit of a home on `program` whose plan is `plan`:
 * - nem2 (legacy net metering, PG&E Schedule NEM2): an exported kWh is credited at the interval's
 *   retail rate of the home's plan, less the non-bypassable charges (`nonBypassableUsdPerKwh` of the
 *   sheet in force), which the home pays on every imported kWh and cannot net; the annual true-up's
 *   net surplus compensation is not modelled (a street home rarely exports more than it uses in a year);
 * - nbtYY: the vintage's published hourly values for the interval's calendar year (the nearest
 *   published year outside 2025–2027), generation + delivery, plus ACC Plus for application year
 *   20YY (the low-income amount for CARE/FERA homes) — Schedule NBT.
 */
export function programExportSchedule(program: ExportProgramName, plan: TariffPlan, lowIncome: boolean): ExportSchedule {
  if (program === 'nem2') {
    return Object.freeze({
      compensation: program,
      vintage: null,
      usdPerKwhAt(t: LocalTime): number {
        const r = plan.rateAt(t);
        return r.importUsdPerKwh - r.sheet.nonBypassableUsdPerKwh;
      },
    });
  }
  const vintage = program.toUpperCase();
  const v = EXPORT_VINTAGES[vintage];
  if (!v) throw new RangeError(`unknown NBT vintage: ${vintage} (known: ${Object.keys(EXPORT_VINTAGES).join(', ')})`);
  const applicationYear = 2000 + Number(program.slice(3));
  const adder = (lowIncome ? ACC_PLUS.lowIncomeUsdPerKwh : ACC_PLUS.residentialUsdPerKwh)[applicationYear];
  if (adder === undefined) throw new RangeError(`ACC Plus has no amount for application year ${applicationYear} (${ACC_PLUS.file})`);
  const years = Object.keys(v.years).map(Number).sort((a, b) => a - b);
  const tables = new Map<number, Float64Array>();
  const tableOf = (year: number): Float64Array => {
    const y = Math.min(years[years.length - 1], Math.max(years[0], year));
    let table = tables.get(y);
    if (!table) {
      table = exportTable(nbtExportRows(vintage, y));
      tables.set(y, table);
    }
    return table;
  };
  return Object.freeze({
    compensation: program,
    vintage,
    usdPerKwhAt(t: LocalTime): number {
      assertLocalTime(t);
      return tableOf(t.year)[((t.month - 1) * 2 + (exportDayType(t) === 'weekend' ? 1 : 0)) * 24 + t.hour] + adder;
    },
  });
}
