/**
 * The central agent's side of transactive coordination (dual decomposition): it proposes a P2P
 * price per interval over the planning horizon, every home plans its own battery and P2P position
 * against those prices on its own forecasts and reports only its planned net position, and the
 * centre moves each price toward balance — up where the homes plan to buy more than they plan to
 * sell, down where they plan to sell more — a projected subgradient step on the dual of the
 * community's P2P balance (Σ bought = Σ sold, kWh sent). A few iterations per re-plan, warm-started
 * from the previous interval's prices; the market then clears at the price of the current interval.
 *
 * Pure: the homes' answer is a callback, the prices a caller-owned array the loop updates in place.
 */

export interface CoordinationOptions {
  /** most price proposals per re-plan (≥ 1) */
  maxIterations: number;
  /** a price whose projected imbalance is at most this is balanced (kWh sent) */
  toleranceKwh: number;
  /** first step: USD per kWh the price moves per kWh of imbalance; an interval's step halves each time its imbalance changes sign */
  stepUsdPerKwhPerKwh: number;
  /** the market's price bounds (USD per kWh sent) */
  minPriceUsdPerKwh: number;
  maxPriceUsdPerKwh: number;
}

export interface CoordinationResult {
  /** price proposals the homes answered */
  iterations: number;
  /** planned bought − sold in the first (current) interval at the final proposal, kWh sent */
  residualKwh: number;
}

/**
 * The homes' answer to a proposal: writes the community's planned excess demand (Σ bought − Σ
 * sold, kWh sent) of each interval of the horizon into `excessKwh` (same length as `prices`).
 */
export type PriceResponse = (pricesUsdPerKwh: Float64Array, excessKwh: Float64Array) => void;

/**
 * The imbalance the price can still act on: zero where the price sits at a bound and the imbalance
 * pushes it further out (excess supply at the floor, excess demand at the ceiling).
 */
export function projectedImbalanceKwh(priceUsdPerKwh: number, excessKwh: number, o: CoordinationOptions): number {
  if (excessKwh < 0 && priceUsdPerKwh <= o.minPriceUsdPerKwh) return 0;
  if (excessKwh > 0 && priceUsdPerKwh >= o.maxPriceUsdPerKwh) return 0;
  return excessKwh;
}

/**
 * One projected subgradient step on every price of the horizon (in place): p ← clamp(p + step·scale·excess).
 * `scale` (per interval, caller-owned) halves where the imbalance changed sign since the last step
 * (`lastExcessKwh`), so the price settles between the homes' answers instead of jumping across
 * them; LP answers are piecewise constant in the price.
 */
export function stepPrices(prices: Float64Array, excessKwh: Float64Array, lastExcessKwh: Float64Array, scale: Float64Array, o: CoordinationOptions): void {
  for (let k = 0; k < prices.length; k++) {
    if (excessKwh[k] * lastExcessKwh[k] < 0) scale[k] *= 0.5;
    lastExcessKwh[k] = excessKwh[k];
    const p = prices[k] + o.stepUsdPerKwhPerKwh * scale[k] * excessKwh[k];
    prices[k] = Math.min(o.maxPriceUsdPerKwh, Math.max(o.minPriceUsdPerKwh, p));
  }
}

/**
 * Proposes prices until the homes' plans balance (every interval's projected imbalance within the
 * tolerance) or the iterations run out. The market clears at the last proposal the homes answered:
 * `prices` ends holding it (no step after the last answer), and `excessKwh` the answer.
 */
export function coordinatePrices(prices: Float64Array, excessKwh: Float64Array, respond: PriceResponse, o: CoordinationOptions): CoordinationResult {
  if (!(o.maxIterations >= 1)) throw new RangeError(`maxIterations must be at least 1, got ${o.maxIterations}`);
  const scale = new Float64Array(prices.length).fill(1);
  const lastExcess = new Float64Array(prices.length);
  // the highest current-interval price at which the homes still planned to buy more than was offered
  let demandSidePrice = -Infinity;
  let iterations = 0;
  for (;;) {
    respond(prices, excessKwh);
    iterations++;
    if (prices.length > 0 && excessKwh[0] > o.toleranceKwh) demandSidePrice = Math.max(demandSidePrice, prices[0]);
    let worst = 0;
    for (let k = 0; k < prices.length; k++) worst = Math.max(worst, Math.abs(projectedImbalanceKwh(prices[k], excessKwh[k], o)));
    if (worst <= o.toleranceKwh || iterations >= o.maxIterations) break;
    stepPrices(prices, excessKwh, lastExcess, scale, o);
  }
  if (prices.length > 0 && excessKwh[0] < -o.toleranceKwh && Number.isFinite(demandSidePrice) && demandSidePrice < prices[0]) {
    // still more offered than wanted now: clear on the demand side of the step instead (one more
    // answer), so every offered kWh finds a buyer and the market rations the buyers, who fall back
    // on the grid, rather than the sellers, whose surplus would leave at the export value
    prices[0] = demandSidePrice;
    respond(prices, excessKwh);
    iterations++;
  }
  return { iterations, residualKwh: prices.length > 0 ? excessKwh[0] : 0 };
}

/**
 * The day's first proposal: the middle of the band in which a trade helps both sides, between the
 * seller's alternative (the export value) and the buyer's (what a delivered kWh saves it, net of loss),
 * within the market's bounds — the same place the uncoordinated signal starts from.
 */
export function initialPrices(
  buyerValueUsdPerKwh: Float64Array,
  exportUsdPerKwh: Float64Array,
  transmissionLoss: number,
  o: Pick<CoordinationOptions, 'minPriceUsdPerKwh' | 'maxPriceUsdPerKwh'>,
  out: Float64Array,
): void {
  for (let k = 0; k < out.length; k++) {
    const ceiling = buyerValueUsdPerKwh[k] * (1 - transmissionLoss);
    const mid = exportUsdPerKwh[k] + 0.5 * (ceiling - exportUsdPerKwh[k]);
    out[k] = Math.min(o.maxPriceUsdPerKwh, Math.max(o.minPriceUsdPerKwh, mid));
  }
}
