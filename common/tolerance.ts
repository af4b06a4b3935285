/**
 * The float tolerances of wattswap, in one place. Each is a different question with a different
 * answer, so they are not one number; do not change a value without rerunning the golden tests
 * (every comparison against these decides a branch, so any change moves the outputs).
 */

/**
 * Energy below this is zero when a decision branches on it: a battery step, a deficit or surplus,
 * a bid or ask worth placing (kWh). Used by the battery physics, the agents and the engine.
 */
export const ENERGY_EPSILON_KWH = 1e-9;

/**
 * A tariff rate counts as higher than another only by more than this (USD per kWh): the expensive
 * blocks of a day, the refill-versus-block comparisons. The same number as the energy tolerance,
 * named for its unit.
 */
export const RATE_EPSILON_USD_PER_KWH = 1e-9;

/**
 * The market's dust: an order or remaining quantity at or below this is skipped (kWh). Finer than
 * `ENERGY_EPSILON_KWH` because matching subtracts fills from quantities the agents already checked
 * against that tolerance, and what the market sees is the float residue of those subtractions.
 */
export const MARKET_EPSILON_KWH = 1e-12;

/**
 * A meter in the perfect-foresight optimum counts as importing (or exporting) above this much
 * energy in one interval (kWh). Coarser than the others: it reads a MILP solution, whose values
 * HiGHS guarantees only to its feasibility tolerance (1e-7).
 */
export const NETTING_TOLERANCE_KWH = 1e-6;
