/**
 * The community's service transformer (its feeder limit): the default rating and its sources, and
 * the pure arithmetic of overloads on the community's net flow. A net flow is grid import − grid
 * export over all homes, as average kW in an interval: positive draws through the transformer,
 * negative pushes back through it (reverse flow). Both directions load the transformer, so an
 * interval overloads it when |net flow| exceeds the limit.
 *
 * Default rating. Residential distribution transformers in the US are pole-mounted or pad-mounted
 * and serve from one to about a dozen homes:
 * - a residential distribution transformer "supplies the electricity for around four or five
 *   homes, and is usually a 25, 37½ or 50 kVA unit" (a utility engineer's blog, "Hidden Cost of
 *   PHEVs – Part II", https://dddusmma.wordpress.com/2010/11/17/hidden-cost-of-phevs-%E2%80%93-part-ii/);
 * - "Most are between 25 and 35 kVA … They typically serve between 1 and 5 customers" (of some 35
 *   million US service transformers): Energy Central, "The lowly service transformer – barrier to
 *   electrification" (https://www.energycentral.com/energy-management/post/lowly-service-transformer---barrier-electrification-anPaaxVQBIdIjtm).
 * - Transformers below 25 kVA are the most likely to overload with plug-in EVs; each
 *   transformer's remaining capacity per customer is the strongest indicator of that risk: National
 *   Academies, "Overcoming Barriers to Deployment of Plug-in Electric Vehicles" (2015), p. 75,
 *   summarising EPRI TR 1024101 (2012) (http://www.nap.edu/openbook.php?record_id=18185&page=75).
 * The default community is 10 homes; we put it on one 75 kVA pad-mount transformer (7.5 kVA per
 * home, inside the 5–35 kVA per customer the figures above imply). Pad-mount units of 75 and 100
 * kVA, and a 10-home street of a newer subdivision on one 75 kVA unit, are assumptions (no source
 * checked here), not a utility's design rule.
 *
 * Power factor. The limit is in kW (the simulation knows real power only): kVA × power factor. We
 * assume 0.95 for residential load (an assumption: PV inverters export near unity, motors and
 * chargers draw slightly lagging), so the default limit is 75 × 0.95 = 71.25 kW.
 */

/** the default transformer rating, kVA (see above: an assumption for a 10-home street) */
export const DEFAULT_FEEDER_KVA = 75;
/** assumed power factor of the community's net flow */
export const FEEDER_POWER_FACTOR = 0.95;
/** the default feeder limit, kW: DEFAULT_FEEDER_KVA × FEEDER_POWER_FACTOR */
export const DEFAULT_FEEDER_LIMIT_KW = DEFAULT_FEEDER_KVA * FEEDER_POWER_FACTOR;
/** a net flow this far above the limit still counts as within it (float noise of the sums) */
export const FEEDER_TOLERANCE_KW = 1e-9;

/** Whether a net flow (kW; negative = reverse flow) overloads the limit; never with no limit (null). */
export function isFeederOverload(netImportKw: number, limitKw: number | null): boolean {
  return limitKw !== null && Math.abs(netImportKw) > limitKw + FEEDER_TOLERANCE_KW;
}

/** Intervals of a net-flow series (kW) that overload the limit. */
export function countFeederOverloads(netImportKw: ArrayLike<number>, limitKw: number | null): number {
  let count = 0;
  for (let t = 0; t < netImportKw.length; t++) if (isFeederOverload(netImportKw[t], limitKw)) count++;
  return count;
}

/** The largest |net flow| as a percentage of the limit; null with no limit. */
export function feederLoadingPercent(peakAbsNetKw: number, limitKw: number | null): number | null {
  return limitKw === null ? null : (100 * peakAbsNetKw) / limitKw;
}

/** The community's net flow through its feeder in one interval, kW: (Σ import − Σ export) / interval hours over the first n homes. */
export function communityNetImportKw(importKwh: ArrayLike<number>, exportKwh: ArrayLike<number>, n: number, intervalHours: number): number {
  let imported = 0;
  let exported = 0;
  for (let h = 0; h < n; h++) {
    imported += importKwh[h];
    exported += exportKwh[h];
  }
  return (imported - exported) / intervalHours;
}
