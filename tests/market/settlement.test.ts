import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addOrder,
  createMatchList,
  createMatchScratch,
  createOrderBook,
  createRejectionList,
  createTradeList,
  MarketConfigSchema,
  matchOrders,
  pushMatch,
  REJECTION_REASONS,
  resetMatchList,
  resetTradeList,
  settleMatches,
  SIDE_BUY,
  SIDE_SELL,
  validateOrders,
  type MarketConfig,
  type MatchingRule,
  type OrderBook,
  type RejectionList,
  type TradeList,
} from '../../market/index.ts';

const rules = (over: Partial<MarketConfig> = {}): MarketConfig => MarketConfigSchema.parse(over);

type Row = [household: number, side: 'buy' | 'sell', quantityKwh: number, limitUsdPerKwh: number];

function bookOf(rows: Row[]): OrderBook {
  const book = createOrderBook(2);
  for (const [h, s, q, l] of rows) addOrder(book, h, s === 'buy' ? SIDE_BUY : SIDE_SELL, q, l);
  return book;
}

function tradesOf(t: TradeList) {
  const out = [];
  for (let k = 0; k < t.count; k++) {
    out.push({
      buyer: t.buyer[k],
      seller: t.seller[k],
      sentKwh: t.sentKwh[k],
      deliveredKwh: t.deliveredKwh[k],
      priceUsdPerKwh: t.priceUsdPerKwh[k],
      buyerPaysUsd: t.buyerPaysUsd[k],
      sellerReceivesUsd: t.sellerReceivesUsd[k],
      deliveryChargeUsd: t.deliveryChargeUsd[k],
    });
  }
  return out;
}

function rejectionsOf(list: RejectionList) {
  const out = [];
  for (let r = 0; r < list.count; r++) {
    out.push({ order: list.order[r], household: list.household[r], reason: REJECTION_REASONS[list.reason[r]], kwh: list.quantityKwh[r] });
  }
  return out;
}

/** Settles the given [buy order, sell order, kWh, price] matches against a book. */
/** Each household's delivery charge per delivered kWh in the tests: household h pays 0.01·h. */
const DELIVERY_USD_PER_KWH = Float64Array.from({ length: 10 }, (_, h) => 0.01 * h);

function settle(book: OrderBook, matches: [number, number, number, number][], over: Partial<MarketConfig> = {}, soldToday: number[] = [], delivery = DELIVERY_USD_PER_KWH) {
  const list = createMatchList(1);
  for (const [b, a, q, p] of matches) pushMatch(list, b, a, q, p);
  const sold = new Float64Array(10);
  sold.set(soldToday);
  const trades = createTradeList(1);
  const rejections = createRejectionList(1);
  settleMatches(list, book, rules(over), sold, delivery, trades, rejections);
  return { trades: tradesOf(trades), rejections: rejectionsOf(rejections), sold };
}

describe('settleMatches examples', () => {
  it('splits a 4.5 kWh match into 2, 2 and 0.5 kWh trades with loss, the buyer\'s delivery charge and conserved money', () => {
    const book = bookOf([[0, 'buy', 4.5, 0.6], [1, 'sell', 4.5, 0.2]]);
    const r = settle(book, [[0, 1, 4.5, 0.4]], { transmissionLoss: 0.05, maxTradeKwh: 2 }, [], Float64Array.of(0.02, 0));
    expect(r.trades.map((t) => t.sentKwh)).toEqual([2, 2, 0.5]);
    const last = r.trades[2];
    expect(last.buyer).toBe(0);
    expect(last.seller).toBe(1);
    expect(last.deliveredKwh).toBeCloseTo(0.475, 12);
    expect(last.priceUsdPerKwh).toBeCloseTo(0.4, 12);
    expect(last.sellerReceivesUsd).toBeCloseTo(0.2, 12);
    expect(last.deliveryChargeUsd).toBeCloseTo(0.475 * 0.02, 12);
    expect(last.buyerPaysUsd).toBeCloseTo(0.2 + 0.475 * 0.02, 12);
    expect(r.trades[0].buyerPaysUsd).toBeCloseTo(2 * 0.4 + 1.9 * 0.02, 12);
    expect(r.sold[1]).toBeCloseTo(4.5, 12);
    expect(r.rejections).toEqual([]);
  });

  it('clamps a pay-as-bid price above the maximum to the maximum', () => {
    const book = bookOf([[0, 'buy', 1, 1.5], [1, 'sell', 1, 0.3]]);
    const r = settle(book, [[0, 1, 1, 1.5]]);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0].priceUsdPerKwh).toBe(1.0);
    expect(r.trades[0].sellerReceivesUsd).toBeCloseTo(1.0, 12);
  });

  it('clamps a price below the minimum up to the minimum', () => {
    const book = bookOf([[0, 'buy', 1, 0.5], [1, 'sell', 1, 0]]);
    expect(settle(book, [[0, 1, 1, 0.02]]).trades[0].priceUsdPerKwh).toBe(0.1);
  });

  it('refuses a match as price_out_of_bounds when the clamp leaves the pair’s limits, blaming the order it violates', () => {
    const book = bookOf([[0, 'buy', 1, 1.5], [1, 'sell', 1, 1.2], [2, 'buy', 2, 0.05], [3, 'sell', 2, 0.01]]);
    const r = settle(book, [[0, 1, 1, 1.2], [2, 3, 2, 0.05]]);
    expect(r.trades).toEqual([]);
    expect(r.rejections).toEqual([
      { order: 1, household: 1, reason: 'price_out_of_bounds', kwh: 1 },
      { order: 2, household: 2, reason: 'price_out_of_bounds', kwh: 2 },
    ]);
    expect(r.sold[1]).toBe(0);
  });

  it('cuts a match to the seller’s remaining daily allowance and records the excess', () => {
    const book = bookOf([[0, 'buy', 3, 0.5], [1, 'sell', 3, 0.2]]);
    const r = settle(book, [[0, 1, 3, 0.4]], {}, [0, 9]);
    expect(r.trades.map((t) => t.sentKwh)).toEqual([1]);
    expect(r.rejections).toHaveLength(1);
    expect(r.rejections[0]).toMatchObject({ order: 1, household: 1, reason: 'sell_cap_reached' });
    expect(r.rejections[0].kwh).toBeCloseTo(2, 12);
    expect(r.sold[1]).toBeCloseTo(10, 12);
  });

  it('refuses the whole match when the seller is at the cap, and counts earlier matches of this interval', () => {
    const book = bookOf([[0, 'buy', 3, 0.5], [2, 'buy', 3, 0.5], [1, 'sell', 6, 0.2]]);
    const r = settle(book, [[0, 2, 3, 0.4], [1, 2, 3, 0.4]], { maxDailySellKwh: 3 });
    expect(r.trades.map((t) => [t.buyer, t.sentKwh])).toEqual([
      [0, 2],
      [0, 1],
    ]);
    expect(r.rejections).toEqual([{ order: 2, household: 1, reason: 'sell_cap_reached', kwh: 3 }]);
    expect(settle(book, [[0, 2, 3, 0.4]], {}, [0, 10]).trades).toEqual([]);
  });

  it('refuses a match of a household with itself as self_trade on the later order', () => {
    const book = bookOf([[4, 'sell', 1, 0.2], [4, 'buy', 1, 0.5]]);
    const r = settle(book, [[1, 0, 1, 0.3]]);
    expect(r.trades).toEqual([]);
    expect(r.rejections).toEqual([{ order: 1, household: 4, reason: 'self_trade', kwh: 1 }]);
  });

  it('skips quantities of 1e-12 kWh or less without recording anything', () => {
    const book = bookOf([[0, 'buy', 1, 0.5], [1, 'sell', 1, 0.2]]);
    const r = settle(book, [[0, 1, 1e-12, 0.3], [0, 1, 0, 0.3], [0, 1, Number.NaN, 0.3]]);
    expect(r.trades).toEqual([]);
    expect(r.rejections).toEqual([]);
  });

  it('grows the trade list past its capacity', () => {
    const book = bookOf([[0, 'buy', 9, 0.5], [1, 'sell', 9, 0.2]]);
    const trades = createTradeList(1);
    const list = createMatchList(1);
    pushMatch(list, 0, 1, 9, 0.3);
    settleMatches(list, book, rules({ maxTradeKwh: 1 }), new Float64Array(2), new Float64Array(2), trades, createRejectionList(1));
    expect(trades.count).toBe(9);
    expect(trades.buyer.length).toBeGreaterThanOrEqual(9);
    resetTradeList(trades);
    expect(trades.count).toBe(0);
  });
});

// ---------- the whole interval pipeline over random books and rules ----------

const orderArb = fc.record({
  household: fc.integer({ min: 0, max: 9 }),
  side: fc.constantFrom(SIDE_BUY, SIDE_SELL),
  quantityKwh: fc.oneof(
    { weight: 19, arbitrary: fc.double({ min: 0, max: 10, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, -1) },
  ),
  limitUsdPerKwh: fc.double({ min: 0, max: 1.5, noNaN: true }),
});

const caseArb = fc.record({
  orders: fc.array(orderArb, { maxLength: 30 }),
  rule: fc.constantFrom<MatchingRule>('instant', 'pay-as-bid', 'uniform-price'),
  maxTradeKwh: fc.double({ min: 0.1, max: 5, noNaN: true }),
  maxDailySellKwh: fc.double({ min: 0.5, max: 15, noNaN: true }),
  minPriceUsdPerKwh: fc.double({ min: 0, max: 0.3, noNaN: true }),
  maxPriceUsdPerKwh: fc.double({ min: 0.5, max: 1.2, noNaN: true }),
  transmissionLoss: fc.double({ min: 0, max: 0.3, noNaN: true }),
  feeUsdPerKwh: fc.double({ min: 0, max: 0.1, noNaN: true }),
  soldToday: fc.array(fc.double({ min: 0, max: 12, noNaN: true }), { minLength: 10, maxLength: 10 }),
  signalShare: fc.double({ min: 0, max: 1, noNaN: true }),
  offset: fc.nat({ max: 1000 }),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * validate → match → settle, settling the matches one at a time so each trade can be traced to
 * its match (settlement handles matches in order, so this equals settling the list at once).
 */
function pipeline(c: Case) {
  const config = rules({
    rule: c.rule,
    maxTradeKwh: c.maxTradeKwh,
    maxDailySellKwh: c.maxDailySellKwh,
    minPriceUsdPerKwh: c.minPriceUsdPerKwh,
    maxPriceUsdPerKwh: c.maxPriceUsdPerKwh,
    transmissionLoss: c.transmissionLoss,
    feeUsdPerKwh: c.feeUsdPerKwh,
  });
  const book = createOrderBook(4);
  for (const o of c.orders) addOrder(book, o.household, o.side as 0 | 1, o.quantityKwh, o.limitUsdPerKwh);
  const soldBefore = Float64Array.from(c.soldToday);
  const sold = Float64Array.from(c.soldToday);
  const rejections = createRejectionList(2);
  validateOrders(book, config, sold, rejections);
  const validationRefusals = rejections.count;
  const signal = config.minPriceUsdPerKwh + c.signalShare * (config.maxPriceUsdPerKwh - config.minPriceUsdPerKwh);
  const matches = createMatchList(2);
  matchOrders(book, config.rule, signal, c.offset, matches, createMatchScratch(2));
  const trades = createTradeList(2);
  const one = createMatchList(1);
  const matchOfTrade: number[] = [];
  for (let m = 0; m < matches.count; m++) {
    resetMatchList(one);
    pushMatch(one, matches.buyOrder[m], matches.sellOrder[m], matches.quantityKwh[m], matches.priceUsdPerKwh[m]);
    const before = trades.count;
    settleMatches(one, book, config, sold, DELIVERY_USD_PER_KWH, trades, rejections);
    for (let k = before; k < trades.count; k++) matchOfTrade.push(m);
  }
  // the same matches settled at once give the same trades and caps
  const soldAtOnce = Float64Array.from(c.soldToday);
  const tradesAtOnce = createTradeList(2);
  settleMatches(matches, book, config, soldAtOnce, DELIVERY_USD_PER_KWH, tradesAtOnce, createRejectionList(2));
  expect(tradesOf(tradesAtOnce)).toEqual(tradesOf(trades));
  expect(Array.from(soldAtOnce)).toEqual(Array.from(sold));
  return { config, book, matches, trades, rejections, validationRefusals, sold, soldBefore, matchOfTrade };
}

describe('validate → match → settle properties', () => {
  it('trade within the rules: no self trade, size, price bounds and limits, loss, fee, money, caps', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { config, book, matches, trades, sold, soldBefore, matchOfTrade } = pipeline(c);
        const sentBySeller = new Float64Array(10);
        const tradedPerOrder = new Float64Array(book.count);
        for (let k = 0; k < trades.count; k++) {
          const m = matchOfTrade[k];
          const b = matches.buyOrder[m];
          const a = matches.sellOrder[m];
          const sent = trades.sentKwh[k];
          const price = trades.priceUsdPerKwh[k];
          expect(trades.buyer[k]).toBe(book.household[b]);
          expect(trades.seller[k]).toBe(book.household[a]);
          expect(trades.buyer[k], 'a household traded with itself').not.toBe(trades.seller[k]);
          expect(book.valid[b] && book.valid[a], 'a refused order traded').toBe(1);
          expect(sent).toBeGreaterThan(1e-12);
          expect(sent).toBeLessThanOrEqual(config.maxTradeKwh);
          expect(price).toBeGreaterThanOrEqual(config.minPriceUsdPerKwh);
          expect(price).toBeLessThanOrEqual(config.maxPriceUsdPerKwh);
          expect(price, 'price below the seller’s limit').toBeGreaterThanOrEqual(book.limitUsdPerKwh[a]);
          expect(price, 'price above the buyer’s limit').toBeLessThanOrEqual(book.limitUsdPerKwh[b]);
          expect(trades.deliveredKwh[k]).toBeCloseTo(sent * (1 - config.transmissionLoss), 12);
          expect(trades.deliveryChargeUsd[k]).toBeCloseTo(trades.deliveredKwh[k] * DELIVERY_USD_PER_KWH[trades.buyer[k]], 12);
          expect(trades.sellerReceivesUsd[k]).toBeCloseTo(sent * price, 12);
          expect(Math.abs(trades.buyerPaysUsd[k] - trades.sellerReceivesUsd[k] - trades.deliveryChargeUsd[k])).toBeLessThan(1e-12);
          sentBySeller[trades.seller[k]] += sent;
          tradedPerOrder[b] += sent;
          tradedPerOrder[a] += sent;
        }
        for (let o = 0; o < book.count; o++) {
          if (book.valid[o]) expect(tradedPerOrder[o], `order ${o} traded more than it offered`).toBeLessThanOrEqual(book.quantityKwh[o] + 1e-9);
          else expect(tradedPerOrder[o], `refused order ${o} traded`).toBe(0);
        }
        for (let h = 0; h < 10; h++) {
          expect(sold[h]).toBeCloseTo(soldBefore[h] + sentBySeller[h], 9);
          if (sentBySeller[h] > 0) expect(sold[h], `household ${h} sold past its daily cap`).toBeLessThanOrEqual(config.maxDailySellKwh + 1e-9);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('account for every matched kWh: traded plus refused at settlement equals the match volume', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { matches, trades, rejections, validationRefusals } = pipeline(c);
        let matched = 0;
        for (let m = 0; m < matches.count; m++) matched += matches.quantityKwh[m];
        let traded = 0;
        for (let k = 0; k < trades.count; k++) traded += trades.sentKwh[k];
        let refused = 0;
        for (let r = validationRefusals; r < rejections.count; r++) refused += rejections.quantityKwh[r];
        expect(traded + refused).toBeCloseTo(matched, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same input gives identical trades, refusals and caps', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const a = pipeline(c);
        const b = pipeline(c);
        expect(tradesOf(b.trades)).toEqual(tradesOf(a.trades));
        expect(rejectionsOf(b.rejections)).toEqual(rejectionsOf(a.rejections));
        expect(Array.from(b.sold)).toEqual(Array.from(a.sold));
      }),
      { numRuns: 200 },
    );
  });
});
