/**
 * summary.json's `payback` section: does each battery pay for itself, and does joining the market
 * change that? Simple payback = the battery's installed cost ÷ what the battery saves its home in
 * a year, measured by reruns of the same homes with the same draws:
 * - with P2P: the same street trading without any batteries − this run;
 * - without P2P: the baseline bill (no battery, no trading) − the battery-only run.
 * Costs are the headline's adjusted costs (bill − stored-energy value + wear). Only a run of a
 * whole year (365 days or more, scaled to 365) says what a battery saves in a year; a shorter run
 * reports null with the reason. Pure.
 */
import type { Summary } from './contract.ts';
import type { RunMeta, RunTotals } from './engine/index.ts';

/** Days a run must cover to report an annual saving (a whole year of seasons). */
export const PAYBACK_MIN_DAYS = 365;

/** A comparison rerun with its own fixed facts (its homes' initial stored energy differs from this run's). */
export interface Rerun {
  meta: RunMeta;
  totals: RunTotals;
}

/** Whether a run covers the year a payback needs. */
export function coversAYear(days: number): boolean {
  return days >= PAYBACK_MIN_DAYS;
}

/** Capital ÷ annual savings, or null when the battery saves nothing (it never pays back). */
export function simplePaybackYears(capitalUsd: number, annualSavingsUsd: number | null): number | null {
  if (annualSavingsUsd === null || !(annualSavingsUsd > 0)) return null;
  return capitalUsd / annualSavingsUsd;
}

/** Each home's adjusted cost in this run and in the reruns (null: that rerun was not run). */
export interface PaybackCosts {
  baselineUsd: readonly number[];
  runUsd: readonly number[];
  /** the same batteries without P2P */
  batteryOnlyUsd: readonly number[] | null;
  /** the same street trading with no batteries */
  noBatteryUsd: readonly number[] | null;
}

/** The payback section from each home's adjusted costs. */
export function paybackOf(meta: Pick<RunMeta, 'config' | 'households' | 'hasBattery'>, costs: PaybackCosts): Summary['payback'] {
  const { config } = meta;
  const capital = config.battery.capitalCostUsd;
  const days = config.time.days;
  const base = { capital_cost_usd: capital, run_days: days };
  const owners = meta.households.flatMap((hh, h) => (meta.hasBattery[h] ? [{ id: hh.id, h }] : []));
  if (!coversAYear(days)) {
    return { ...base, status: 'not-computed', reason: `a payback needs a run of at least ${PAYBACK_MIN_DAYS} days (time.days is ${days}): a shorter run does not say what a battery saves in a year`, households: [] };
  }
  if (owners.length === 0) return { ...base, status: 'not-computed', reason: 'no home has a battery', households: [] };
  const perYear = PAYBACK_MIN_DAYS / days;
  const households = owners.map(({ id, h }) => {
    const { baselineUsd, runUsd, batteryOnlyUsd, noBatteryUsd } = costs;
    const withP2p = config.market.enabled && noBatteryUsd ? (noBatteryUsd[h] - runUsd[h]) * perYear : null;
    const withoutP2p = !config.market.enabled ? (baselineUsd[h] - runUsd[h]) * perYear : batteryOnlyUsd ? (baselineUsd[h] - batteryOnlyUsd[h]) * perYear : null;
    return {
      id,
      annual_battery_savings_usd: withP2p,
      simple_payback_years: simplePaybackYears(capital, withP2p),
      annual_battery_savings_without_p2p_usd: withoutP2p,
      simple_payback_years_without_p2p: simplePaybackYears(capital, withoutP2p),
    };
  });
  const missing = [
    ...(!config.market.enabled ? ['with P2P: market.enabled is false'] : costs.noBatteryUsd ? [] : ['with P2P: the no-battery rerun was not run']),
    ...(config.market.enabled && !costs.batteryOnlyUsd ? ['without P2P: baselines.batteryOnly is false'] : []),
  ];
  return { ...base, status: missing.length ? 'partial' : 'computed', ...(missing.length ? { reason: missing.join('; ') } : {}), households };
}
