/**
 * PG&E baseline allowances: the one table the tariffs (baseline credit) and the data generator
 * (what a territory's homes should use) share.
 */

/** PG&E baseline territories modelled (only the five given in the reference). Sacramento Valley is S. */
export const BASELINE_TERRITORIES = ['T', 'X', 'S', 'R', 'W'] as const;
export type BaselineTerritoryCode = (typeof BASELINE_TERRITORIES)[number];

/**
 * Basic (non-all-electric) baseline allowance, kWh per day, by territory and season (summer =
 * June–September, winter = October–May). Source: REFERENCE-DATA.md; all ten figures agree with the
 * E-TOU-C 2026-03-01 "basic" baseline quantities vendored by eman/tariffkit. Other territories (P, Q,
 * V, Y, Z) and all-electric quantities are not modelled.
 */
export const BASELINE_KWH_PER_DAY: Readonly<Record<BaselineTerritoryCode, Readonly<{ summer: number; winter: number }>>> = Object.freeze({
  T: { summer: 6.5, winter: 7.5 },
  X: { summer: 9.8, winter: 9.7 },
  S: { summer: 15.0, winter: 10.2 },
  R: { summer: 17.7, winter: 10.4 },
  W: { summer: 19.2, winter: 9.8 },
});

/**
 * The CPUC sets baseline quantities at 50–60 % of average residential use in each territory and
 * season (Public Utilities Code §739): the average home's use is the allowance ÷ 0.6 … ÷ 0.5.
 */
export const BASELINE_SHARE_OF_AVERAGE_USE = Object.freeze({ low: 0.5, high: 0.6 });

/** The average daily use a territory's baseline implies for a season, kWh/day: allowance ÷ 0.6 … ÷ 0.5. */
export function impliedAverageUseKwhPerDay(territory: BaselineTerritoryCode, season: 'summer' | 'winter'): { low: number; high: number } {
  const row = BASELINE_KWH_PER_DAY[territory];
  if (!row) throw new RangeError(`unknown baseline territory: ${String(territory)}`);
  const kwh = row[season];
  return { low: kwh / BASELINE_SHARE_OF_AVERAGE_USE.high, high: kwh / BASELINE_SHARE_OF_AVERAGE_USE.low };
}
