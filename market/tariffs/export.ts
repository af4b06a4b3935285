import { NBT26_EXPORT_ROWS, type ExportDayType } from './export-rates-nbt26.ts';
import { isPgeHoliday } from './holidays.ts';
import { assertLocalTime } from './time.ts';
import type { LocalTime } from './types.ts';

/** Dense lookup: index ((month−1)·2 + (weekend ? 1 : 0))·24 + hour. Built once from the embedded rows. */
const TABLE: Float64Array = (() => {
  const table = new Float64Array(576).fill(Number.NaN);
  for (const [month, dayType, hour, usd] of NBT26_EXPORT_ROWS) table[exportIndex(month, dayType, hour)] = usd;
  if (table.some(Number.isNaN)) throw new Error('NBT26 export table is incomplete');
  return table;
})();

function exportIndex(month: number, dayType: ExportDayType, hour: number): number {
  return ((month - 1) * 2 + (dayType === 'weekend' ? 1 : 0)) * 24 + hour;
}

/**
 * Day type used by the NBT export table: 'weekend' for Saturdays, Sundays and PG&E holidays as
 * labelled in PG&E's export files (Saturday holidays observed the preceding Friday, Sunday
 * holidays the following Monday), otherwise 'weekday'.
 */
export function exportDayType(t: Pick<LocalTime, 'year' | 'month' | 'day' | 'weekday'>): ExportDayType {
  return t.weekday >= 6 || isPgeHoliday(t.year, t.month, t.day, 'nbt-export') ? 'weekend' : 'weekday';
}

/**
 * PG&E Net Billing Tariff (vintage NBT26) export value for the hour starting at `t`, USD per
 * exported kWh, bundled generation + delivery, from the 2026 table (month × day type × hour).
 * The 2026 table is used for any `t.year` (PG&E publishes one table per calendar year; only 2026 is
 * embedded). Does not include the ACC Plus adder (see PROVENANCE.md).
 */
export function exportRateUsdPerKwh(t: LocalTime): number {
  assertLocalTime(t);
  return TABLE[exportIndex(t.month, exportDayType(t), t.hour)];
}
