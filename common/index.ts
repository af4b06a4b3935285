/**
 * common: the few definitions every part of wattswap shares: float tolerances, the seeded random
 * stream type and its normal draw, the time zone and the interval length. Plain values and
 * types; depends on nothing (no package either), so every folder may import it and the
 * dependencies still point one way.
 */
export { ENERGY_EPSILON_KWH, MARKET_EPSILON_KWH, NETTING_TOLERANCE_KWH, RATE_EPSILON_USD_PER_KWH } from './tolerance.ts';
export { normal, type Rng, type RngFactory } from './rng.ts';
export { INTERVAL_MINUTES, INTERVALS_PER_DAY, TIMEZONE, intervalsPerDay } from './time.ts';
export {
  BASELINE_KWH_PER_DAY,
  BASELINE_SHARE_OF_AVERAGE_USE,
  BASELINE_TERRITORIES,
  impliedAverageUseKwhPerDay,
  type BaselineTerritoryCode,
} from './baseline.ts';
export { closestName, didYouMean, editDistance } from './suggest.ts';
