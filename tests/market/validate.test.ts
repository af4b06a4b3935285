import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addOrder,
  createOrderBook,
  createRejectionList,
  MarketConfigSchema,
  pushRejection,
  REJECTION_REASONS,
  resetOrderBook,
  resetRejectionList,
  SIDE_BUY,
  SIDE_SELL,
  validateOrders,
  type MarketConfig,
  type OrderBook,
  type RejectionList,
  type RejectionReason,
} from '../../market/index.ts';

const rules = (over: Partial<MarketConfig> = {}): MarketConfig => MarketConfigSchema.parse(over);

type Row = [household: number, side: 'buy' | 'sell', quantityKwh: number, limitUsdPerKwh: number];

function bookOf(rows: Row[], capacity = 4): OrderBook {
  const book = createOrderBook(capacity);
  for (const [h, s, q, l] of rows) addOrder(book, h, s === 'buy' ? SIDE_BUY : SIDE_SELL, q, l);
  return book;
}

function rejectionsOf(list: RejectionList): { order: number; household: number; reason: RejectionReason; kwh: number }[] {
  const out = [];
  for (let r = 0; r < list.count; r++) {
    out.push({ order: list.order[r], household: list.household[r], reason: REJECTION_REASONS[list.reason[r]], kwh: list.quantityKwh[r] });
  }
  return out;
}

function validate(rows: Row[], soldToday: number[] = [], over: Partial<MarketConfig> = {}) {
  const book = bookOf(rows);
  const sold = new Float64Array(10);
  sold.set(soldToday);
  const rejections = createRejectionList(1);
  validateOrders(book, rules(over), sold, rejections);
  return { book, rejections: rejectionsOf(rejections), valid: Array.from(book.valid.subarray(0, book.count)) };
}

describe('order book', () => {
  it('adds orders as valid, grows past its capacity by doubling, and resets without reallocating', () => {
    const book = createOrderBook(2);
    for (let o = 0; o < 5; o++) expect(addOrder(book, o, o % 2 === 0 ? SIDE_BUY : SIDE_SELL, o + 1, 0.1 * o)).toBe(o);
    expect(book.count).toBe(5);
    expect(book.household.length).toBe(8);
    expect(Array.from(book.household.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(book.side.subarray(0, 5))).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(book.quantityKwh.subarray(0, 5))).toEqual([1, 2, 3, 4, 5]);
    expect(book.limitUsdPerKwh[3]).toBeCloseTo(0.3, 12);
    expect(Array.from(book.valid.subarray(0, 5))).toEqual([1, 1, 1, 1, 1]);
    const arrays = book.quantityKwh;
    resetOrderBook(book);
    expect(book.count).toBe(0);
    addOrder(book, 7, SIDE_SELL, 1, 0.2);
    expect(book.quantityKwh).toBe(arrays);
    expect(book.household[0]).toBe(7);
  });

  it('refuses a household index that is not a non-negative integer (a caller bug)', () => {
    const book = createOrderBook(1);
    expect(() => addOrder(book, -1, SIDE_BUY, 1, 0.5)).toThrow(RangeError);
    expect(() => addOrder(book, 1.5, SIDE_BUY, 1, 0.5)).toThrow(RangeError);
    expect(book.count).toBe(0);
  });

  it('sizes its per-household scratch for household indices beyond the capacity', () => {
    const book = createOrderBook(2);
    addOrder(book, 40, SIDE_SELL, 3, 0.2);
    addOrder(book, 40, SIDE_BUY, 1, 0.5);
    const rejections = createRejectionList(1);
    const sold = new Float64Array(41);
    sold[40] = 8;
    validateOrders(book, rules(), sold, rejections);
    expect(rejectionsOf(rejections).map((r) => r.reason)).toEqual(['sell_cap_reached', 'self_trade']);
    expect(book.quantityKwh[0]).toBeCloseTo(2, 12);
  });
});

describe('rejection list', () => {
  it('grows by doubling and stores the reason as an index into REJECTION_REASONS', () => {
    const list = createRejectionList(1);
    for (let r = 0; r < 3; r++) pushRejection(list, r, 10 + r, REJECTION_REASONS[r], r * 0.5);
    expect(list.count).toBe(3);
    expect(Array.from(list.reason.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(rejectionsOf(list)[2]).toEqual({ order: 2, household: 12, reason: 'sell_cap_reached', kwh: 1 });
    resetRejectionList(list);
    expect(list.count).toBe(0);
  });
});

describe('validateOrders', () => {
  it('accepts orders within the rules and records nothing', () => {
    const r = validate([
      [0, 'buy', 2, 0.5],
      [1, 'sell', 3, 0.2],
      [2, 'buy', 1, 5], // a bid above the max price can still trade at the max
      [3, 'sell', 1, 0], // an ask below the min price can still trade at the min
    ]);
    expect(r.valid).toEqual([1, 1, 1, 1]);
    expect(r.rejections).toEqual([]);
  });

  it('refuses quantities that are not finite or not positive as invalid_quantity, recording 0 kWh', () => {
    const r = validate([
      [0, 'buy', 0, 0.5],
      [1, 'sell', -1, 0.2],
      [2, 'buy', Number.NaN, 0.5],
      [3, 'sell', Number.POSITIVE_INFINITY, 0.2],
    ]);
    expect(r.valid).toEqual([0, 0, 0, 0]);
    expect(r.rejections.map((x) => [x.order, x.reason, x.kwh])).toEqual([
      [0, 'invalid_quantity', 0],
      [1, 'invalid_quantity', 0],
      [2, 'invalid_quantity', 0],
      [3, 'invalid_quantity', 0],
    ]);
  });

  it('refuses limits no price within the bounds satisfies as price_out_of_bounds, with the order quantity', () => {
    const r = validate([
      [0, 'buy', 2, 0.05], // below min 0.10
      [1, 'sell', 3, 1.2], // above max 1.00
      [2, 'buy', 1, Number.NaN],
      [3, 'sell', 1.5, Number.NEGATIVE_INFINITY],
      [4, 'buy', 1, 0.1], // exactly the min: fine
      [5, 'sell', 1, 1.0], // exactly the max: fine
    ]);
    expect(r.valid).toEqual([0, 0, 0, 0, 1, 1]);
    expect(r.rejections.map((x) => [x.order, x.household, x.reason, x.kwh])).toEqual([
      [0, 0, 'price_out_of_bounds', 2],
      [1, 1, 'price_out_of_bounds', 3],
      [2, 2, 'price_out_of_bounds', 1],
      [3, 3, 'price_out_of_bounds', 1.5],
    ]);
  });

  it('refuses a whole ask when the seller has reached the daily cap', () => {
    const r = validate([[0, 'sell', 2, 0.2], [1, 'sell', 2, 0.2]], [10, 12]);
    expect(r.valid).toEqual([0, 0]);
    expect(r.rejections.map((x) => [x.order, x.reason, x.kwh])).toEqual([
      [0, 'sell_cap_reached', 2],
      [1, 'sell_cap_reached', 2],
    ]);
  });

  it('clips an ask to the remaining allowance and records the clipped part', () => {
    const r = validate([[0, 'sell', 3, 0.2]], [9]);
    expect(r.valid).toEqual([1]);
    expect(r.book.quantityKwh[0]).toBeCloseTo(1, 12);
    expect(r.rejections).toHaveLength(1);
    expect(r.rejections[0].reason).toBe('sell_cap_reached');
    expect(r.rejections[0].kwh).toBeCloseTo(2, 12);
  });

  it('counts earlier asks of the same household this interval against the allowance', () => {
    const r = validate([[0, 'sell', 0.6, 0.2], [0, 'sell', 0.6, 0.3], [0, 'sell', 0.6, 0.4]], [9]);
    expect(r.valid).toEqual([1, 1, 0]);
    expect(r.book.quantityKwh[0]).toBeCloseTo(0.6, 12);
    expect(r.book.quantityKwh[1]).toBeCloseTo(0.4, 12);
    expect(r.rejections.map((x) => [x.order, x.reason])).toEqual([
      [1, 'sell_cap_reached'],
      [2, 'sell_cap_reached'],
    ]);
    expect(r.rejections[0].kwh).toBeCloseTo(0.2, 12);
    expect(r.rejections[1].kwh).toBeCloseTo(0.6, 12);
  });

  it('refuses the later of a household’s bid and ask as self_trade, whichever side comes first', () => {
    const bidFirst = validate([[4, 'buy', 1, 0.5], [4, 'sell', 2, 0.2]]);
    expect(bidFirst.valid).toEqual([1, 0]);
    expect(bidFirst.rejections).toEqual([{ order: 1, household: 4, reason: 'self_trade', kwh: 2 }]);
    const askFirst = validate([[4, 'sell', 2, 0.2], [5, 'buy', 1, 0.5], [4, 'buy', 1, 0.5]]);
    expect(askFirst.valid).toEqual([1, 1, 0]);
    expect(askFirst.rejections).toEqual([{ order: 2, household: 4, reason: 'self_trade', kwh: 1 }]);
  });

  it('does not count an already refused order towards a self trade', () => {
    const r = validate([[4, 'sell', 2, 1.5], [4, 'buy', 1, 0.5]]);
    expect(r.valid).toEqual([0, 1]);
    expect(r.rejections.map((x) => x.reason)).toEqual(['price_out_of_bounds']);
  });

  it('does not allocate: the book’s arrays are the same objects afterwards, and a second pass gives the same marks', () => {
    const book = bookOf([[0, 'buy', 1, 0.5], [0, 'sell', 1, 0.2], [1, 'sell', 5, 0.2], [2, 'buy', 0, 0.5]]);
    const arrays = [book.household, book.side, book.quantityKwh, book.limitUsdPerKwh, book.valid, book.householdSidesSeen, book.householdAskedKwh];
    const sold = new Float64Array(3);
    sold[1] = 7;
    const rejections = createRejectionList(8);
    const rejectionArrays = [rejections.order, rejections.household, rejections.reason, rejections.quantityKwh];
    validateOrders(book, rules(), sold, rejections);
    const first = Array.from(book.valid.subarray(0, 4));
    resetRejectionList(rejections);
    validateOrders(book, rules(), sold, rejections);
    expect(Array.from(book.valid.subarray(0, 4))).toEqual(first);
    expect(first).toEqual([1, 0, 1, 0]);
    const after = [book.household, book.side, book.quantityKwh, book.limitUsdPerKwh, book.valid, book.householdSidesSeen, book.householdAskedKwh];
    for (let k = 0; k < arrays.length; k++) expect(after[k]).toBe(arrays[k]);
    expect(rejections.order).toBe(rejectionArrays[0]);
    expect(sold[1]).toBe(7);
  });
});

const orderArb = fc.record({
  household: fc.integer({ min: 0, max: 9 }),
  side: fc.constantFrom(SIDE_BUY, SIDE_SELL),
  quantityKwh: fc.oneof(
    { weight: 9, arbitrary: fc.double({ min: 0, max: 10, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, -1, Number.POSITIVE_INFINITY) },
  ),
  limitUsdPerKwh: fc.oneof(
    { weight: 9, arbitrary: fc.double({ min: 0, max: 1.5, noNaN: true }) },
    { weight: 1, arbitrary: fc.constant(Number.NaN) },
  ),
});

describe('validateOrders properties', () => {
  it('leaves no household with both sides valid, every valid ask within the allowance, and every refusal accounted for', () => {
    fc.assert(
      fc.property(
        fc.array(orderArb, { maxLength: 40 }),
        fc.array(fc.double({ min: 0, max: 12, noNaN: true }), { minLength: 10, maxLength: 10 }),
        fc.double({ min: 0.5, max: 15, noNaN: true }),
        (orders, soldList, cap) => {
          const config = rules({ maxDailySellKwh: cap });
          const book = createOrderBook(4);
          for (const o of orders) addOrder(book, o.household, o.side, o.quantityKwh, o.limitUsdPerKwh);
          const sold = Float64Array.from(soldList);
          const rejections = createRejectionList(2);
          validateOrders(book, config, sold, rejections);
          const sides = new Map<number, Set<number>>();
          const asked = new Float64Array(10);
          const refusedKwh = new Float64Array(book.count);
          for (let r = 0; r < rejections.count; r++) refusedKwh[rejections.order[r]] += rejections.quantityKwh[r];
          for (let o = 0; o < book.count; o++) {
            const original = orders[o].quantityKwh;
            if (book.valid[o]) {
              const h = book.household[o];
              if (!sides.has(h)) sides.set(h, new Set());
              sides.get(h)!.add(book.side[o]);
              expect(book.quantityKwh[o]).toBeGreaterThan(0);
              expect(Number.isFinite(book.limitUsdPerKwh[o])).toBe(true);
              if (book.side[o] === SIDE_SELL) {
                asked[h] += book.quantityKwh[o];
                expect(book.limitUsdPerKwh[o]).toBeLessThanOrEqual(config.maxPriceUsdPerKwh);
              } else {
                expect(book.limitUsdPerKwh[o]).toBeGreaterThanOrEqual(config.minPriceUsdPerKwh);
              }
              // a valid order keeps what it was not clipped of
              expect(book.quantityKwh[o] + refusedKwh[o]).toBeCloseTo(original, 9);
            } else if (Number.isFinite(original) && original > 0) {
              expect(refusedKwh[o]).toBeCloseTo(original, 9);
            } else {
              expect(refusedKwh[o]).toBe(0);
            }
          }
          for (const s of sides.values()) expect(s.size).toBe(1);
          for (let h = 0; h < 10; h++) expect(sold[h] + asked[h]).toBeLessThanOrEqual(Math.max(cap, sold[h]) + 1e-9);
          for (let h = 0; h < 10; h++) expect(sold[h]).toBe(soldList[h]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
