/**
 * Settlement turns recommended matches into trades, enforcing what matching does not know: the
 * market's price bounds, each seller's daily sell cap, the largest trade, transmission loss and
 * the buyer's delivery charge (what the utility bills per delivered kWh under the market's
 * settlement regime). Writes into `out` and `rejections`; updates `soldTodayKwh`.
 */
import type { MarketConfig } from './config.ts';
import type { MatchList } from './matching.ts';
import { MARKET_EPSILON_KWH } from '../common/index.ts';
import { doubledCapacity, grownTypedArray, type OrderBook } from './order-book.ts';
import { pushRejection, type RejectionList } from './validate.ts';

export interface TradeList {
  count: number;
  /** household indices */
  buyer: Int32Array;
  seller: Int32Array;
  /** kWh leaving the seller (what the buyer pays for and the sell cap counts) */
  sentKwh: Float64Array;
  /** kWh reaching the buyer: sent × (1 − transmissionLoss) */
  deliveredKwh: Float64Array;
  /** USD per kWh sent, delivery charge excluded */
  priceUsdPerKwh: Float64Array;
  /** sellerReceives + deliveryCharge */
  buyerPaysUsd: Float64Array;
  /** sent × price */
  sellerReceivesUsd: Float64Array;
  /** delivered × the buyer's delivery charge per kWh, paid to the utility */
  deliveryChargeUsd: Float64Array;
}

export function createTradeList(capacity: number): TradeList {
  const c = Math.max(1, Math.floor(capacity));
  return {
    count: 0,
    buyer: new Int32Array(c),
    seller: new Int32Array(c),
    sentKwh: new Float64Array(c),
    deliveredKwh: new Float64Array(c),
    priceUsdPerKwh: new Float64Array(c),
    buyerPaysUsd: new Float64Array(c),
    sellerReceivesUsd: new Float64Array(c),
    deliveryChargeUsd: new Float64Array(c),
  };
}

export function resetTradeList(list: TradeList): void {
  list.count = 0;
}

/**
 * Appends one trade from its sent energy, price, the share lost in delivery and the buyer's delivery
 * charge per delivered kWh (grows by doubling when full).
 */
export function pushTrade(
  list: TradeList,
  buyer: number,
  seller: number,
  sentKwh: number,
  priceUsdPerKwh: number,
  transmissionLoss: number,
  deliveryUsdPerKwh: number,
): void {
  const t = list.count;
  if (t >= list.buyer.length) {
    const c = doubledCapacity(list.buyer.length, t + 1);
    list.buyer = grownTypedArray(list.buyer, c);
    list.seller = grownTypedArray(list.seller, c);
    list.sentKwh = grownTypedArray(list.sentKwh, c);
    list.deliveredKwh = grownTypedArray(list.deliveredKwh, c);
    list.priceUsdPerKwh = grownTypedArray(list.priceUsdPerKwh, c);
    list.buyerPaysUsd = grownTypedArray(list.buyerPaysUsd, c);
    list.sellerReceivesUsd = grownTypedArray(list.sellerReceivesUsd, c);
    list.deliveryChargeUsd = grownTypedArray(list.deliveryChargeUsd, c);
  }
  const sellerReceives = sentKwh * priceUsdPerKwh;
  const delivered = sentKwh * (1 - transmissionLoss);
  const delivery = delivered * deliveryUsdPerKwh;
  list.buyer[t] = buyer;
  list.seller[t] = seller;
  list.sentKwh[t] = sentKwh;
  list.deliveredKwh[t] = delivered;
  list.priceUsdPerKwh[t] = priceUsdPerKwh;
  list.sellerReceivesUsd[t] = sellerReceives;
  list.deliveryChargeUsd[t] = delivery;
  list.buyerPaysUsd[t] = sellerReceives + delivery;
  list.count = t + 1;
}

/**
 * Settles the matches in order. For each match:
 * - quantity ≤ MARKET_EPSILON_KWH (1e-12) (or not a number): skipped;
 * - buyer and seller the same household: refused as self_trade (recorded on the later order);
 * - price clamped to [minPrice, maxPrice]; if the clamped price leaves the pair's limits the match
 *   is refused as price_out_of_bounds (recorded on the ask when the price fell below its limit,
 *   on the bid when it rose above its limit);
 * - the seller's remaining allowance (maxDailySellKwh − soldToday[seller]) cuts the quantity, the
 *   excess recorded as sell_cap_reached on the ask;
 * - the rest is split into trades of at most maxTradeKwh sent (4.5 kWh at 2 → 2, 2, 0.5), each
 *   added to soldToday[seller], the buyer charged `deliveryUsdPerKwh[buyer]` per delivered kWh.
 * Money is conserved per trade: buyerPays = sellerReceives + deliveryCharge (paid to the utility).
 */
export function settleMatches(
  matches: MatchList,
  book: OrderBook,
  rules: MarketConfig,
  soldTodayKwh: Float64Array,
  deliveryUsdPerKwh: Float64Array,
  out: TradeList,
  rejections: RejectionList,
): void {
  // unary + : plain doubles in registers, so the clamps below box nothing per match
  const minPrice = +rules.minPriceUsdPerKwh;
  const maxPrice = +rules.maxPriceUsdPerKwh;
  const maxTrade = +rules.maxTradeKwh;
  for (let m = 0; m < matches.count; m++) {
    let q = matches.quantityKwh[m];
    if (!(q > MARKET_EPSILON_KWH)) continue;
    const b = matches.buyOrder[m];
    const a = matches.sellOrder[m];
    const buyer = book.household[b];
    const seller = book.household[a];
    if (buyer === seller) {
      const later = a > b ? a : b;
      pushRejection(rejections, later, buyer, 'self_trade', q);
      continue;
    }
    const raw = matches.priceUsdPerKwh[m];
    const price = raw < minPrice ? minPrice : raw > maxPrice ? maxPrice : raw;
    const askLimit = book.limitUsdPerKwh[a];
    const bidLimit = book.limitUsdPerKwh[b];
    if (!(price >= askLimit)) {
      pushRejection(rejections, a, seller, 'price_out_of_bounds', q);
      continue;
    }
    if (!(price <= bidLimit)) {
      pushRejection(rejections, b, buyer, 'price_out_of_bounds', q);
      continue;
    }
    const allowance = rules.maxDailySellKwh - soldTodayKwh[seller];
    if (!(allowance > MARKET_EPSILON_KWH)) {
      pushRejection(rejections, a, seller, 'sell_cap_reached', q);
      continue;
    }
    if (q > allowance) {
      pushRejection(rejections, a, seller, 'sell_cap_reached', q - allowance);
      q = allowance;
    }
    while (q > MARKET_EPSILON_KWH) {
      const sent = q < maxTrade ? q : maxTrade;
      pushTrade(out, buyer, seller, sent, price, rules.transmissionLoss, deliveryUsdPerKwh[buyer]);
      soldTodayKwh[seller] += sent;
      q -= sent;
    }
  }
}
