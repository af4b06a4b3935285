/**
 * One interval's order book as a structure of typed arrays. Households add at most a few orders
 * per interval, the engine reuses one book for the whole run: `resetOrderBook` empties it without
 * allocating, `addOrder` grows the arrays by doubling only when they are full (rare).
 *
 * Quantities are kWh *sent* by the seller (the buyer receives `sent × (1 − loss)`); limits are
 * USD per kWh sent, fee excluded: a buyer's highest price, a seller's lowest price.
 */

export const SIDE_BUY = 0;
export const SIDE_SELL = 1;
export type OrderSide = typeof SIDE_BUY | typeof SIDE_SELL;

export interface OrderBook {
  count: number;
  household: Int32Array;
  side: Uint8Array;
  quantityKwh: Float64Array;
  limitUsdPerKwh: Float64Array;
  /** 1 = accepted by validateOrders (addOrder sets 1; validateOrders sets 0 for a rejected order) */
  valid: Uint8Array;
  /**
   * Scratch indexed by household for validateOrders (which must not allocate): sides already
   * holding a valid order (bit 1 = bid, bit 2 = ask) and ask volume already accepted this interval.
   * Sized by addOrder to the largest household index seen. Not part of the book's meaning.
   */
  householdSidesSeen: Uint8Array;
  householdAskedKwh: Float64Array;
}

/** Copy of `a` with room for `capacity` elements (same element type). */
export function grownTypedArray<T extends Int32Array | Uint8Array | Float64Array>(a: T, capacity: number): T {
  const next = new (a.constructor as new (length: number) => T)(capacity);
  (next as Float64Array).set(a as Float64Array);
  return next;
}

/** The next power-of-two-ish capacity (doubling) that holds `needed` elements. */
export function doubledCapacity(current: number, needed: number): number {
  let c = Math.max(1, current);
  while (c < needed) c *= 2;
  return c;
}

export function createOrderBook(capacity: number): OrderBook {
  const c = Math.max(1, Math.floor(capacity));
  return {
    count: 0,
    household: new Int32Array(c),
    side: new Uint8Array(c),
    quantityKwh: new Float64Array(c),
    limitUsdPerKwh: new Float64Array(c),
    valid: new Uint8Array(c),
    householdSidesSeen: new Uint8Array(c),
    householdAskedKwh: new Float64Array(c),
  };
}

/** Empties the book for the next interval; keeps the arrays. */
export function resetOrderBook(book: OrderBook): void {
  book.count = 0;
}

/**
 * Appends one order and returns its index. The order starts valid (validateOrders decides).
 * Throws RangeError for a household index that is not a non-negative integer (a caller bug, not a
 * market outcome); quantity and limit are not checked here, validateOrders rejects them as values.
 */
export function addOrder(
  book: OrderBook,
  household: number,
  side: OrderSide,
  quantityKwh: number,
  limitUsdPerKwh: number,
): number {
  const o = book.count;
  // the common case stays small, so callers' loops inline it (a call would box the two numbers)
  if (!(o < book.household.length && household >= 0 && household < book.householdSidesSeen.length && (household | 0) === household)) makeRoomForOrder(book, household, o);
  book.household[o] = household;
  book.side[o] = side;
  book.quantityKwh[o] = quantityKwh;
  book.limitUsdPerKwh[o] = limitUsdPerKwh;
  book.valid[o] = 1;
  book.count = o + 1;
  return o;
}

/** `addOrder`'s rare path: checks the household index, grows the arrays to hold order `o` and the household. */
function makeRoomForOrder(book: OrderBook, household: number, o: number): void {
  if (!Number.isInteger(household) || household < 0 || household > 0x7fffffff) {
    throw new RangeError(`addOrder: household index must be a non-negative integer, got ${household}`);
  }
  if (o >= book.household.length) {
    const c = doubledCapacity(book.household.length, o + 1);
    book.household = grownTypedArray(book.household, c);
    book.side = grownTypedArray(book.side, c);
    book.quantityKwh = grownTypedArray(book.quantityKwh, c);
    book.limitUsdPerKwh = grownTypedArray(book.limitUsdPerKwh, c);
    book.valid = grownTypedArray(book.valid, c);
  }
  if (household >= book.householdSidesSeen.length) {
    const c = doubledCapacity(book.householdSidesSeen.length, household + 1);
    book.householdSidesSeen = grownTypedArray(book.householdSidesSeen, c);
    book.householdAskedKwh = grownTypedArray(book.householdAskedKwh, c);
  }
}
