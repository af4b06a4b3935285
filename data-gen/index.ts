/**
 * data-gen: synthetic California households, weather and rooftop PV. Depends on nothing else of
 * wattswap but the shared constants and types in common/. Every random draw comes from the
 * `RngFactory` passed in, one stream per purpose.
 */
// defined in common/ (one definition); re-exported so existing callers of data-gen's surface keep working
export { normal, type Rng, type RngFactory } from '../common/index.ts';
export {
  EXPORT_PROGRAMS,
  ExportMixSchema,
  HeatWaveConfigSchema,
  FlexAlertConfigSchema,
  PopulationConfigSchema,
  TERRITORIES,
  WeatherConfigSchema,
  type ExportMix,
  type ExportProgram,
  type HeatWaveConfig,
  type PopulationConfig,
  type WeatherConfig,
} from './config.ts';
export {
  EV_CHARGING_HABITS,
  HouseholdProfileSchema,
  OCCUPANCY_TYPES,
  balancedCategories,
  drawBatteryOwners,
  drawBatteryOwnersByProgram,
  drawExportPrograms,
  drawLowIncome,
  type LowIncomeTier,
  type AttachmentShares,
  generatePopulation,
  type EvChargingHabit,
  type HouseholdProfile,
  type Occupancy,
} from './population.ts';
export { APPLIANCES, generateDays, type ApplianceName, type DayBlock, type GenerateDaysOptions } from './days.ts';
export { sunPosition, type SunPosition } from './solar.ts';
export {
  PopulationReportSchema,
  ReportCheckSchema,
  formatPopulationReport,
  populationReport,
  type PopulationReport,
  type ReportCheck,
} from './report.ts';
export * from './meter/index.ts';
