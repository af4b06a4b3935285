import type { LocalTime, TariffPlan, TariffRate } from './types.ts';

/** A home's low-income programme: CARE, FERA, or neither. */
export type LowIncomeProgram = 'care' | 'fera' | 'none';

/**
 * Discount on the energy charges (PG&E Schedules E-CARE and E-FERA): CARE 35 % off every energy
 * charge except the wildfire fund charge; FERA 18 % off the same charges (the same exclusion is
 * assumed for FERA). The Base Services Charge has its own tiers (FIXED_CHARGE_USD_PER_DAY).
 */
export const LOW_INCOME_DISCOUNT: Readonly<Record<LowIncomeProgram, number>> = { care: 0.35, fera: 0.18, none: 0 };

/**
 * `plan` as a CARE or FERA home pays it: every interval's import rate less the discount on all but
 * the sheet's wildfire fund charge. `none` returns the plan itself. Pure; the generation/delivery
 * split is scaled alike.
 */
export function lowIncomePlan(plan: TariffPlan, program: LowIncomeProgram): TariffPlan {
  const d = LOW_INCOME_DISCOUNT[program];
  if (d === 0) return plan;
  const scale = (usd: number | null, fund: number) => (usd === null ? null : usd - d * (usd - fund));
  return Object.freeze({
    ...plan,
    name: `${plan.name} (${program.toUpperCase()})`,
    rateAt(t: LocalTime): TariffRate {
      const r = plan.rateAt(t);
      const fund = r.sheet.wildfireFundUsdPerKwh;
      return {
        ...r,
        importUsdPerKwh: r.importUsdPerKwh - d * (r.importUsdPerKwh - fund),
        deliveryUsdPerKwh: scale(r.deliveryUsdPerKwh, fund)!,
        generationUsdPerKwh: scale(r.generationUsdPerKwh, 0),
      };
    },
  });
}
