/**
 * Money, computed once: a home's energy cost in one interval, and its bill over a run (energy +
 * fixed charges + baseline credit). Pure functions; the engine, the summary, the optimum's
 * comparison and the sweeps all call these.
 */
import { FIXED_CHARGE_USD_PER_DAY, baselineCreditUsd } from './charges.ts';

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

/** Fixed charges of one home over `days` days (USD). */
export function fixedChargesUsd(kind: FixedChargeKind, days: number): number {
  return FIXED_CHARGE_USD_PER_DAY[kind] * days;
}

export interface BillTerms {
  fixedCharge: FixedChargeKind;
  days: number;
  /** Σ over the run's days of the baseline allowance (kWh) */
  baselineAllowanceKwh: number;
  /** magnitude of the baseline credit (0 for plans without one) */
  baselineCreditUsdPerKwh: number;
}

export interface Bill {
  energyUsd: number;
  fixedUsd: number;
  creditsUsd: number;
  totalUsd: number;
}

/** A household's bill over a run: energy + fixed charges + baseline credit on its grid import. */
export function householdBill(terms: BillTerms, energyUsd: number, gridImportKwh: number): Bill {
  const fixedUsd = fixedChargesUsd(terms.fixedCharge, terms.days);
  const creditsUsd = baselineCreditUsd(gridImportKwh, terms.baselineAllowanceKwh, terms.baselineCreditUsdPerKwh);
  return { energyUsd, fixedUsd, creditsUsd, totalUsd: energyUsd + fixedUsd + creditsUsd };
}
