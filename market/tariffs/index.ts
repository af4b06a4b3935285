/**
 * PG&E tariff layer: import prices (TOU plans), fixed charges, baseline credit and NBT export values.
 * The grid is the market's fallback counterparty, so these prices belong to `market`.
 * Pure functions over plain data; no file or clock access at run time.
 */
export {
  TariffIdSchema,
  TariffConfigSchema,
  FixedChargeTierSchema,
  BaselineTerritorySchema,
  type TariffId,
  type TariffConfig,
  type FixedChargeTier,
  type BaselineTerritory,
  type LocalTime,
  type Season,
  type Period,
  type TariffRate,
  type TariffPlan,
} from './types.ts';
export { seasonOf } from './time.ts';
export { getTariff, listTariffs, LEGACY_TOU_C_NOTE, E_TOU_C_BASELINE_CREDIT_USD_PER_KWH } from './plans.ts';
export { isPgeHoliday, pgeHolidays, type HolidayObservance, type PgeHoliday, type PgeHolidayName } from './holidays.ts';
export { exportRateUsdPerKwh, exportDayType } from './export.ts';
export { NBT26_EXPORT_ROWS, type ExportDayType, type ExportRateRow } from './export-rates-nbt26.ts';
export { FIXED_CHARGE_USD_PER_DAY, baselineAllowanceKwhPerDay, baselineCreditUsd } from './charges.ts';
export { intervalEnergyCostUsd, fixedChargesUsd, householdBill, type Bill, type BillTerms, type FixedChargeKind } from './bill.ts';
