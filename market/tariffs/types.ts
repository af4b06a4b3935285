import { z } from 'zod';

export const TariffIdSchema = z
  .enum(['E-TOU-C', 'E-TOU-D', 'EV2-A', 'E-ELEC', 'TOU-C-legacy'])
  .describe('PG&E residential rate schedule; TOU-C-legacy is the seed proposal\'s simplified preset, not a real PG&E schedule');
export type TariffId = z.infer<typeof TariffIdSchema>;

export const FixedChargeTierSchema = z
  .enum(['standard', 'fera', 'care', 'none'])
  .describe('Base Services Charge tier: standard (tier 3), fera (tier 2), care (tier 1), none (no fixed charge)');
export type FixedChargeTier = z.infer<typeof FixedChargeTierSchema>;

export const TariffConfigSchema = z.strictObject({
  plan: TariffIdSchema.default('E-TOU-C'),
  assignment: z
    .enum(['nbt', 'uniform'])
    .default('nbt')
    .describe(
      'nbt: homes with PV are on E-ELEC with Net Billing Tariff export values (PG&E requires it of solar customers since April 2023), homes without PV on `plan`; uniform: every home on `plan` (for comparison)',
    ),
  fixedCharge: FixedChargeTierSchema.default('standard'),
  exportCompensation: z
    .enum(['nbt26', 'none'])
    .default('nbt26')
    .describe('nbt26: PG&E Net Billing Tariff 2026 hourly export values; none: exports are not paid'),
});
export type TariffConfig = z.infer<typeof TariffConfigSchema>;

export const BaselineTerritorySchema = z
  .enum(['T', 'X', 'S', 'R', 'W'])
  .describe('PG&E baseline territory (only the five territories given in the reference are modelled)');
export type BaselineTerritory = z.infer<typeof BaselineTerritorySchema>;

/** A local (Pacific prevailing time) calendar date. */
export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

/** A local (Pacific prevailing time) clock reading at the start of an interval. */
export interface LocalTime {
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  year: number;
  /** 0–23, local clock hour of the interval start */
  hour: number;
  /** 0–59 */
  minute: number;
  /** 1 = Monday … 7 = Sunday (luxon convention) */
  weekday: number;
}

/** Summer is June–September, winter October–May. */
export type Season = 'summer' | 'winter';
export type Period = 'peak' | 'part-peak' | 'off-peak';

export interface TariffRate extends SheetRate {
  period: Period;
  season: Season;
  /** the sheet the rate comes from */
  sheet: TariffSheet;
}

export interface TariffPlan {
  id: TariffId;
  name: string;
  description: string;
  /** Where the figures come from and what was checked against which source. */
  source: string;
  /** Magnitude of the credit per kWh of usage within the baseline allowance on the newest sheet (0 where the plan has none). */
  baselineCreditUsdPerKwh: number;
  /** the plan's rate sheets, oldest first */
  sheets: readonly TariffSheet[];
  /** the sheet in force on a date (before the oldest sheet, the oldest) */
  sheetOn(date: LocalDate): TariffSheet;
  rateAt(t: LocalTime): TariffRate;
}

/** One season × period rate of a sheet, USD/kWh. */
export interface SheetRate {
  /** the generation component (null where the sheet does not unbundle it) */
  generationUsdPerKwh: number | null;
  /** everything else: distribution and the flat riders */
  deliveryUsdPerKwh: number;
  /** generation + delivery */
  importUsdPerKwh: number;
}

export interface PeriodRules {
  /** hour ranges [start, end) of each period; hours in none take `otherHours` */
  ranges: Partial<Record<Period, readonly (readonly [number, number])[]>>;
  otherHours: Period;
  /** peak only on weekdays that are not PG&E TOU holidays */
  peakWeekdaysOnly: boolean;
}

/** One rate sheet: a plan's rates from its effective date until the next sheet's. */
export interface TariffSheet {
  plan: TariffId;
  /** YYYY-MM-DD the sheet took force (null for the undated legacy preset) */
  effective: string | null;
  adviceLetter: string | null;
  /** repo-relative data file */
  file: string;
  /** the document the figures come from */
  sourceUrl: string | null;
  summer: { start: string; end: string };
  periods: PeriodRules;
  rates: Record<Season, Partial<Record<Period, SheetRate>>>;
  /** the sheet's own totals by season × period (null where it publishes none) */
  publishedTotals: Record<Season, Partial<Record<Period, number>>> | null;
  /** magnitude of the baseline credit, USD per kWh within the allowance (0 without a baseline) */
  baselineCreditUsdPerKwh: number;
  /** Base Services Charge by tier (tier 1 CARE, 2 FERA, 3 standard), USD/day; null where the sheet has none */
  baseServicesChargeUsdPerDay: { tier1: number; tier2: number; tier3: number } | null;
  /** the file's free-text fields (legacy preset: name, description, source) */
  notes: Readonly<Record<string, string>>;
}
