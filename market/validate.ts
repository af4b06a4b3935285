/**
 * The central agent's rule enforcement before matching, and the typed list of refusals that both
 * validation and settlement write into. A refused order is a value (an entry in the list with a
 * reason), never an exception.
 */
import type { MarketConfig } from './config.ts';
import { MARKET_EPSILON_KWH } from '../common/index.ts';
import { doubledCapacity, grownTypedArray, SIDE_BUY, type OrderBook } from './order-book.ts';

export const REJECTION_REASONS = ['invalid_quantity', 'price_out_of_bounds', 'sell_cap_reached', 'self_trade', 'storage_rule'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Index of each reason in REJECTION_REASONS (the value stored in RejectionList.reason). */
export const REJECTION_CODE: Readonly<Record<RejectionReason, number>> = Object.freeze({
  invalid_quantity: 0,
  price_out_of_bounds: 1,
  sell_cap_reached: 2,
  self_trade: 3,
  storage_rule: 4,
});

export interface RejectionList {
  count: number;
  /** index of the refused order in the interval's book */
  order: Int32Array;
  household: Int32Array;
  /** index into REJECTION_REASONS */
  reason: Uint8Array;
  /** refused energy, kWh sent (0 when the order's own quantity was not a usable number) */
  quantityKwh: Float64Array;
}

export function createRejectionList(capacity: number): RejectionList {
  const c = Math.max(1, Math.floor(capacity));
  return {
    count: 0,
    order: new Int32Array(c),
    household: new Int32Array(c),
    reason: new Uint8Array(c),
    quantityKwh: new Float64Array(c),
  };
}

export function resetRejectionList(list: RejectionList): void {
  list.count = 0;
}

/** Appends one refusal (grows by doubling when full). */
export function pushRejection(
  list: RejectionList,
  order: number,
  household: number,
  reason: RejectionReason,
  quantityKwh: number,
): void {
  const r = list.count;
  if (r >= list.order.length) {
    const c = doubledCapacity(list.order.length, r + 1);
    list.order = grownTypedArray(list.order, c);
    list.household = grownTypedArray(list.household, c);
    list.reason = grownTypedArray(list.reason, c);
    list.quantityKwh = grownTypedArray(list.quantityKwh, c);
  }
  list.order[r] = order;
  list.household[r] = household;
  list.reason[r] = REJECTION_CODE[reason];
  list.quantityKwh[r] = quantityKwh;
  list.count = r + 1;
}

const SEEN_BID = 1;
const SEEN_ASK = 2;

/**
 * Checks every order of the book against the market rules, in order index, and marks the refused
 * ones `valid[o] = 0`, recording each refusal with its quantity. For each order the first failing
 * check decides:
 * 1. quantity not finite or ≤ 0 → invalid_quantity (recorded with 0 kWh, so totals stay finite);
 * 2. limit not finite; a bid whose limit is below minPrice; an ask whose limit is above maxPrice
 *    (no price within the bounds satisfies it) → price_out_of_bounds;
 * 3. an ask whose household has no daily allowance left (maxDailySellKwh − soldToday − asks
 *    accepted earlier this interval ≤ MARKET_EPSILON_KWH) → sell_cap_reached, whole order;
 * 4. a household that already has a valid order on the other side (an earlier index) →
 *    self_trade, whole order (so the later of a bid/ask pair is refused);
 * 5. an ask larger than the remaining allowance is clipped to it (book.quantityKwh reduced) and
 *    the clipped part recorded as sell_cap_reached; the order stays valid;
 * 6. with `askCapKwh` (what each household may send this interval under its storage mode —
 *    battery/storage-mode.ts: a no-export home only its PV surplus), an ask beyond the cap is
 *    clipped to it and the clipped part recorded as storage_rule; an ask with no room left under
 *    the cap is refused whole as storage_rule.
 * Re-validating a book gives the same marks (every order is re-examined). Allocates nothing.
 */
export function validateOrders(
  book: OrderBook,
  rules: MarketConfig,
  soldTodayKwh: Float64Array,
  rejections: RejectionList,
  askCapKwh?: Float64Array,
): void {
  const n = book.count;
  const { household, side, quantityKwh, limitUsdPerKwh, valid, householdSidesSeen, householdAskedKwh } = book;
  for (let o = 0; o < n; o++) {
    const h = household[o];
    householdSidesSeen[h] = 0;
    householdAskedKwh[h] = 0;
  }
  const minPrice = rules.minPriceUsdPerKwh;
  const maxPrice = rules.maxPriceUsdPerKwh;
  for (let o = 0; o < n; o++) {
    const h = household[o];
    const q = quantityKwh[o];
    const limit = limitUsdPerKwh[o];
    const isBid = side[o] === SIDE_BUY;
    valid[o] = 0;
    if (!Number.isFinite(q) || q <= 0) {
      pushRejection(rejections, o, h, 'invalid_quantity', 0);
      continue;
    }
    if (!Number.isFinite(limit) || (isBid ? limit < minPrice : limit > maxPrice)) {
      pushRejection(rejections, o, h, 'price_out_of_bounds', q);
      continue;
    }
    let allowance = 0;
    if (!isBid) {
      allowance = rules.maxDailySellKwh - soldTodayKwh[h] - householdAskedKwh[h];
      if (!(allowance > MARKET_EPSILON_KWH)) {
        pushRejection(rejections, o, h, 'sell_cap_reached', q);
        continue;
      }
      if (askCapKwh && !(askCapKwh[h] - householdAskedKwh[h] > MARKET_EPSILON_KWH)) {
        pushRejection(rejections, o, h, 'storage_rule', q);
        continue;
      }
    }
    if (householdSidesSeen[h] & (isBid ? SEEN_ASK : SEEN_BID)) {
      pushRejection(rejections, o, h, 'self_trade', q);
      continue;
    }
    valid[o] = 1;
    if (isBid) {
      householdSidesSeen[h] |= SEEN_BID;
    } else {
      householdSidesSeen[h] |= SEEN_ASK;
      if (q > allowance) {
        quantityKwh[o] = allowance;
        pushRejection(rejections, o, h, 'sell_cap_reached', q - allowance);
      }
      const room = askCapKwh ? askCapKwh[h] - householdAskedKwh[h] : Infinity;
      if (quantityKwh[o] > room) {
        pushRejection(rejections, o, h, 'storage_rule', quantityKwh[o] - room);
        quantityKwh[o] = room;
      }
      householdAskedKwh[h] += quantityKwh[o];
    }
  }
}
