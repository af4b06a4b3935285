/**
 * PG&E tariff layer: import prices (TOU plans), fixed charges, baseline credit and NBT export values.
 * The grid is the market's fallback counterparty, so these prices belong to `market`.
 * Rates are data files (`data/`, read once at start-up by `catalogue.ts`); the rest are pure functions
 * over them, with no clock access.
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
  type TariffSheet,
  type SheetRate,
  type LocalDate,
} from './types.ts';
export { seasonOf } from './time.ts';
export { getTariff, listTariffs, sheetInForce, generationRateUsdPerKwh, LEGACY_TOU_C_NOTE } from './plans.ts';
export { tariffsFor, type TariffAssignment } from './assignment.ts';
export { isPgeHoliday, pgeHolidays, type HolidayObservance, type PgeHoliday, type PgeHolidayName } from './holidays.ts';
export {
  exportSchedule,
  exportRateUsdPerKwh,
  exportDayType,
  nbtExportRows,
  type ExportSchedule,
  type ExportCompensation,
  type ExportDayType,
  type ExportRateRow,
} from './export.ts';
export { FIXED_CHARGE_USD_PER_DAY, baselineAllowanceKwhPerDay, baselineCreditUsd } from './charges.ts';
export {
  intervalEnergyCostUsd,
  baseServicesChargeUsdPerDay,
  energyCommissionTaxUsdPerKwh,
  datesFrom,
  planTermsOver,
  householdBill,
  type PlanRunTerms,
  type Bill,
  type BillTerms,
  type FixedChargeKind,
} from './bill.ts';
