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

export interface TariffRate {
  importUsdPerKwh: number;
  period: Period;
  season: Season;
}

export interface TariffPlan {
  id: TariffId;
  name: string;
  description: string;
  /** Where the figures come from and what was checked against which source. */
  source: string;
  /** Magnitude of the credit per kWh of usage within the baseline allowance (0 where the plan has none). */
  baselineCreditUsdPerKwh: number;
  rateAt(t: LocalTime): TariffRate;
}
