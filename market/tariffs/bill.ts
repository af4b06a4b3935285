/**
 * Money, computed once: a home's energy cost in one interval, a plan's charges over a run's days
 * (Base Services Charge, baseline credit and Energy Commission tax, each from the sheet in force that
 * day), and its bill over a run. Pure functions; the engine, the summary, the optimum's comparison
 * and the sweeps all call these.
 */
import { ENERGY_COMMISSION_TAX } from './catalogue.ts';
import { FIXED_CHARGE_USD_PER_DAY, baselineAllowanceKwhPerDay, baselineCreditUsd } from './charges.ts';
import { daysInMonth, seasonOf } from './time.ts';
import type { BaselineTerritory, FixedChargeTier, LocalDate, TariffPlan, TariffSheet } from './types.ts';

/** Energy cost of one interval: grid import − grid export + P2P payments − P2P receipts (USD). */
export function intervalEnergyCostUsd(
  gridImportKwh: number,
  gridExportKwh: number,
  importUsdPerKwh: number,
  exportUsdPerKwh: number,
  p2pPaidUsd: number,
  p2pReceivedUsd: number,
): number {
  return gridImportKwh * importUsdPerKwh - gridExportKwh * exportUsdPerKwh + p2pPaidUsd - p2pReceivedUsd;
}

export type FixedChargeKind = keyof typeof FIXED_CHARGE_USD_PER_DAY;

/** A sheet's Base Services Charge for a tier, USD/day (0 where the sheet has none, or tier `none`). */
export function baseServicesChargeUsdPerDay(sheet: TariffSheet, tier: FixedChargeTier): number {
  const bsc = sheet.baseServicesChargeUsdPerDay;
  if (!bsc || tier === 'none') return 0;
  return tier === 'standard' ? bsc.tier3 : tier === 'fera' ? bsc.tier2 : bsc.tier1;
}

/**
 * The California Energy Resources Surcharge ("Energy Commission Tax") on a date, USD per kWh of
 * electricity consumed, whoever supplies the generation (CDTFA; `data/pge-2026/tax/`). Before the
 * oldest notice, the oldest rate.
 */
export function energyCommissionTaxUsdPerKwh(date: LocalDate): number {
  const iso = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
  let rate = ENERGY_COMMISSION_TAX[0];
  for (const r of ENERGY_COMMISSION_TAX) if (r.effective <= iso) rate = r;
  return rate.usdPerKwh;
}

/** The calendar dates of `days` days from `first`. */
export function datesFrom(first: LocalDate, days: number): LocalDate[] {
  const out: LocalDate[] = [];
  let { year, month, day } = first;
  for (let d = 0; d < days; d++) {
    out.push({ year, month, day });
    if (++day > daysInMonth(year, month)) {
      day = 1;
      if (++month > 12) {
        month = 1;
        year++;
      }
    }
  }
  return out;
}

/** What a plan charges over a run's days, beyond its energy rates. */
export interface PlanRunTerms {
  /** Σ over the days of the Base Services Charge of the sheet in force (USD) */
  fixedUsd: number;
  /** the baseline credit per kWh, each day's sheet weighted by that day's allowance (0 without a baseline) */
  baselineCreditUsdPerKwh: number;
  /** the Energy Commission tax per kWh consumed, the days' mean (one rate in 2025–2026) */
  taxUsdPerKwh: number;
  /** the sheets in force on the days, oldest first */
  sheets: TariffSheet[];
}

const uniformOrMean = (values: readonly number[], weights: readonly number[]): number => {
  if (values.every((v) => v === values[0])) return values[0] ?? 0;
  let sum = 0;
  let weight = 0;
  values.forEach((v, i) => {
    sum += v * weights[i];
    weight += weights[i];
  });
  return weight > 0 ? sum / weight : 0;
};

/** A plan's fixed charges, baseline credit rate and tax rate over the given days, each day under its own sheet. */
export function planTermsOver(plan: TariffPlan, tier: FixedChargeTier, territory: BaselineTerritory, dates: readonly LocalDate[]): PlanRunTerms {
  let fixedUsd = 0;
  const credits: number[] = [];
  const allowances: number[] = [];
  const sheets: TariffSheet[] = [];
  for (const date of dates) {
    const sheet = plan.sheetOn(date);
    if (!sheets.includes(sheet)) sheets.push(sheet);
    fixedUsd += baseServicesChargeUsdPerDay(sheet, tier);
    credits.push(sheet.baselineCreditUsdPerKwh);
    allowances.push(baselineAllowanceKwhPerDay(territory, seasonOf(date.month)));
  }
  const taxes = dates.map(energyCommissionTaxUsdPerKwh);
  return {
    fixedUsd,
    baselineCreditUsdPerKwh: uniformOrMean(credits, allowances),
    taxUsdPerKwh: uniformOrMean(taxes, taxes.map(() => 1)),
    sheets: sheets.sort((a, b) => (a.effective ?? '').localeCompare(b.effective ?? '')),
  };
}

export interface BillTerms {
  /** the run's fixed charges (PlanRunTerms.fixedUsd) */
  fixedUsd: number;
  /** Σ over the run's days of the baseline allowance (kWh) */
  baselineAllowanceKwh: number;
  /** magnitude of the baseline credit (0 for plans without one) */
  baselineCreditUsdPerKwh: number;
  /** Energy Commission tax per kWh consumed */
  taxUsdPerKwh: number;
}

export interface Bill {
  energyUsd: number;
  fixedUsd: number;
  creditsUsd: number;
  /** Energy Commission tax on the kWh delivered to the home (grid import + P2P bought) */
  taxUsd: number;
  totalUsd: number;
}

/**
 * A household's bill over a run: energy + fixed charges + baseline credit on its grid import +
 * Energy Commission tax on what the grid delivered to it (grid import and P2P purchases alike: the
 * tax falls on electricity consumed, whoever supplies the generation).
 */
export function householdBill(terms: BillTerms, energyUsd: number, gridImportKwh: number, p2pBoughtKwh: number): Bill {
  const creditsUsd = baselineCreditUsd(gridImportKwh, terms.baselineAllowanceKwh, terms.baselineCreditUsdPerKwh);
  const taxUsd = terms.taxUsdPerKwh * (gridImportKwh + p2pBoughtKwh);
  return { energyUsd, fixedUsd: terms.fixedUsd, creditsUsd, taxUsd, totalUsd: energyUsd + terms.fixedUsd + creditsUsd + taxUsd };
}
