import { BASELINE_KWH_PER_DAY as SHARED_BASELINE_KWH_PER_DAY } from '../../common/index.ts';
import { TARIFF_SHEETS } from './catalogue.ts';
import type { BaselineTerritory, FixedChargeTier, Season } from './types.ts';

const MARCH_2026_BSC = TARIFF_SHEETS['E-TOU-C'].at(-1)!.baseServicesChargeUsdPerDay!;

/**
 * PG&E residential Base Services Charge from 1 March 2026, USD per day, by tier, from the E-TOU-C
 * sheet of that date: standard = tier 3, fera = tier 2, care = tier 1, none = 0. ×365/12 gives
 * ≈ $24.13 / $12.07 / $6.00 a month, PG&E's published ~$24 / $12 / $6 for non-CARE / FERA / CARE.
 */
export const FIXED_CHARGE_USD_PER_DAY: Readonly<Record<FixedChargeTier, number>> = Object.freeze({
  standard: MARCH_2026_BSC.tier3,
  fera: MARCH_2026_BSC.tier2,
  care: MARCH_2026_BSC.tier1,
  none: 0,
});

/** Basic (non-all-electric) baseline allowance, kWh per day: one table in common/ (shared with data-gen). */
const BASELINE_KWH_PER_DAY: Readonly<Record<BaselineTerritory, Readonly<Record<Season, number>>>> = SHARED_BASELINE_KWH_PER_DAY;

export function baselineAllowanceKwhPerDay(territory: BaselineTerritory, season: Season): number {
  const row = BASELINE_KWH_PER_DAY[territory];
  if (!row) throw new RangeError(`unknown baseline territory: ${String(territory)}`);
  const kwh = row[season];
  if (kwh === undefined) throw new RangeError(`unknown season: ${String(season)}`);
  return kwh;
}

/**
 * Baseline credit (a negative number of USD, or 0) for usage over a billing span:
 * −creditRate × min(usageKwh, allowanceKwh). Net usage below zero earns no credit.
 * allowanceKwh is the span's allowance (allowance kWh/day × days); creditUsdPerKwh is the plan's
 * `baselineCreditUsdPerKwh` (a magnitude, ≥ 0).
 */
export function baselineCreditUsd(usageKwh: number, allowanceKwh: number, creditUsdPerKwh: number): number {
  for (const [name, v] of [['usageKwh', usageKwh], ['allowanceKwh', allowanceKwh], ['creditUsdPerKwh', creditUsdPerKwh]] as const) {
    if (!Number.isFinite(v)) throw new RangeError(`${name} must be finite, got ${v}`);
  }
  if (allowanceKwh < 0) throw new RangeError(`allowanceKwh must be >= 0, got ${allowanceKwh}`);
  if (creditUsdPerKwh < 0) throw new RangeError(`creditUsdPerKwh is a magnitude and must be >= 0, got ${creditUsdPerKwh}`);
  const creditedKwh = Math.min(Math.max(usageKwh, 0), allowanceKwh);
  const credit = creditUsdPerKwh * creditedKwh;
  return credit === 0 ? 0 : -credit;
}
