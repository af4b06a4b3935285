import { getTariff } from './plans.ts';
import type { TariffConfig, TariffId, TariffPlan } from './types.ts';

/** The plan Net Billing Tariff (solar) customers take: PG&E requires E-ELEC of them since April 2023. */
const NBT_PLAN: TariffId = 'E-ELEC';

/** Each home's plan as an index into `plans`; the configured plan is always `plans[0]`. */
export interface TariffAssignment {
  plans: TariffPlan[];
  planOfHome: Uint8Array;
}

/**
 * Each home's PG&E plan: under `nbt`, homes with PV take E-ELEC (Net Billing Tariff customers
 * must), the others the configured plan; under `uniform`, every home the configured plan.
 */
export function tariffsFor(config: Pick<TariffConfig, 'plan' | 'assignment'>, homes: readonly { hasPv: boolean }[]): TariffAssignment {
  const plans: TariffPlan[] = [getTariff(config.plan)];
  const planOfHome = new Uint8Array(homes.length);
  if (config.assignment === 'uniform') return { plans, planOfHome };
  for (let h = 0; h < homes.length; h++) {
    if (!homes[h].hasPv || config.plan === NBT_PLAN) continue;
    if (plans.length === 1) plans.push(getTariff(NBT_PLAN));
    planOfHome[h] = 1;
  }
  return { plans, planOfHome };
}
