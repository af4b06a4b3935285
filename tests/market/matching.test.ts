import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addOrder,
  createMatchList,
  createMatchScratch,
  createOrderBook,
  createRejectionList,
  MarketConfigSchema,
  matchOrders,
  resetMatchList,
  SIDE_BUY,
  SIDE_SELL,
  validateOrders,
  type MatchingRule,
  type MatchList,
  type OrderBook,
} from '../../market/index.ts';

type Row = [household: number, side: 'buy' | 'sell', quantityKwh: number, limitUsdPerKwh: number];

function bookOf(rows: Row[]): OrderBook {
  const book = createOrderBook(2);
  for (const [h, s, q, l] of rows) addOrder(book, h, s === 'buy' ? SIDE_BUY : SIDE_SELL, q, l);
  return book;
}

/** Matches as [buy order, sell order, kWh, price] tuples. */
function match(book: OrderBook, rule: MatchingRule, signal = 0.3, offset = 0): [number, number, number, number][] {
  const out = createMatchList(1);
  matchOrders(book, rule, signal, offset, out, createMatchScratch(1));
  return rows(out);
}

function rows(out: MatchList): [number, number, number, number][] {
  const r: [number, number, number, number][] = [];
  for (let m = 0; m < out.count; m++) r.push([out.buyOrder[m], out.sellOrder[m], out.quantityKwh[m], out.priceUsdPerKwh[m]]);
  return r;
}

const RULES: MatchingRule[] = ['instant', 'pay-as-bid', 'uniform-price'];

describe('instant rule', () => {
  it('pairs two buyers with one seller at the signal, the higher limit first', () => {
    // bids: h0 3 kWh at 0.50, h1 2 kWh at 0.40; ask: h2 4 kWh at 0.20; signal 0.30
    const m = match(bookOf([[1, 'buy', 2, 0.4], [0, 'buy', 3, 0.5], [2, 'sell', 4, 0.2]]), 'instant', 0.3);
    expect(m).toEqual([
      [1, 2, 3, 0.3],
      [0, 2, 1, 0.3],
    ]);
  });

  it('leaves out bids below the signal and asks above it', () => {
    const m = match(
      bookOf([[0, 'buy', 2, 0.29], [1, 'buy', 2, 0.3], [2, 'sell', 1, 0.31], [3, 'sell', 5, 0.3]]),
      'instant',
      0.3,
    );
    expect(m).toEqual([[1, 3, 2, 0.3]]);
  });

  it('matches min(total eligible bids, total eligible asks), sellers cheapest first', () => {
    const m = match(bookOf([[0, 'buy', 1, 0.9], [1, 'sell', 2, 0.25], [2, 'sell', 2, 0.1]]), 'instant', 0.3);
    expect(m).toEqual([[0, 2, 1, 0.3]]);
  });
});

describe('pay-as-bid rule', () => {
  it('trades in price priority at the bid’s limit while the best bid covers the best ask', () => {
    // bids 0.8 (2 kWh), 0.5 (2 kWh); asks 0.3 (3 kWh), 0.6 (2 kWh)
    const book = bookOf([[0, 'buy', 2, 0.8], [1, 'buy', 2, 0.5], [2, 'sell', 3, 0.3], [3, 'sell', 2, 0.6]]);
    expect(match(book, 'pay-as-bid')).toEqual([
      [0, 2, 2, 0.8],
      [1, 2, 1, 0.5],
    ]);
  });

  it('does not depend on the signal', () => {
    const book = bookOf([[0, 'buy', 2, 0.8], [1, 'sell', 1, 0.7]]);
    expect(match(book, 'pay-as-bid', 0.1)).toEqual(match(book, 'pay-as-bid', 0.95));
  });

  it('matches nothing when the best bid is below the best ask', () => {
    expect(match(bookOf([[0, 'buy', 2, 0.4], [1, 'sell', 2, 0.41]]), 'pay-as-bid')).toEqual([]);
  });
});

describe('uniform-price rule', () => {
  it('clears every pair at the midpoint of the marginal bid and ask limits', () => {
    // same curves as the pay-as-bid example: marginal bid 0.5, marginal ask 0.3 → 0.4
    const book = bookOf([[0, 'buy', 2, 0.8], [1, 'buy', 2, 0.5], [2, 'sell', 3, 0.3], [3, 'sell', 2, 0.6]]);
    const m = match(book, 'uniform-price');
    expect(m.map(([b, a, q]) => [b, a, q])).toEqual([
      [0, 2, 2],
      [1, 2, 1],
    ]);
    for (const [, , , p] of m) expect(p).toBeCloseTo(0.4, 12);
  });

  it('uses the last matched ask when supply runs past the first seller', () => {
    // bids 0.9 (3), 0.7 (1); asks 0.2 (2), 0.4 (3) → pairs (0.9,0.2) 2, (0.9,0.4) 1, (0.7,0.4) 1; price (0.7+0.4)/2
    const book = bookOf([[0, 'buy', 3, 0.9], [1, 'buy', 1, 0.7], [2, 'sell', 2, 0.2], [3, 'sell', 3, 0.4]]);
    const m = match(book, 'uniform-price');
    expect(m.map(([b, a, q]) => [b, a, q])).toEqual([
      [0, 2, 2],
      [0, 3, 1],
      [1, 3, 1],
    ]);
    for (const [, , , p] of m) expect(p).toBeCloseTo(0.55, 12);
  });
});

describe('all rules', () => {
  it('ignore orders validateOrders refused', () => {
    for (const rule of RULES) {
      const book = bookOf([[0, 'buy', 2, 0.8], [1, 'sell', 2, 0.2], [2, 'sell', 2, 0.1]]);
      book.valid[2] = 0;
      expect(match(book, rule).map(([, a]) => a)).toEqual([1]);
    }
  });

  it('never pair a household with itself, even in a book nobody validated', () => {
    for (const rule of RULES) {
      // h0 bids and asks; its bid must take h1's ask, its ask must go to h2's bid
      const book = bookOf([[0, 'buy', 1, 0.9], [0, 'sell', 1, 0.1], [1, 'sell', 1, 0.2], [2, 'buy', 1, 0.3]]);
      const m = match(book, rule, 0.25);
      for (const [b, a] of m) expect(book.household[b]).not.toBe(book.household[a]);
      expect(m.map(([b, a]) => [b, a])).toEqual([
        [0, 2],
        [3, 1],
      ]);
    }
  });

  it('uniform-price keeps one price inside every pair’s limits when skipping a self pair would break it', () => {
    // h0's bid (1.0) skips its own ask (0.1) and takes h1's at 0.9; h2's bid (0.5) could only take
    // h0's ask, but no single price fits both pairs, so the later pair is dropped
    const book = bookOf([[0, 'buy', 2, 1.0], [0, 'sell', 2, 0.1], [1, 'sell', 2, 0.9], [2, 'buy', 2, 0.5]]);
    const m = match(book, 'uniform-price');
    expect(m).toHaveLength(1);
    expect(m[0].slice(0, 3)).toEqual([0, 2, 2]);
    expect(m[0][3]).toBeCloseTo(0.95, 12);
  });

  it('rotate equal limits by household with the tie-break offset', () => {
    // sellers h0; buyers h1 and h2 at equal limits; N = 3 households
    const book = bookOf([[1, 'buy', 2, 0.5], [2, 'buy', 2, 0.5], [0, 'sell', 2, 0.2]]);
    for (const rule of RULES) {
      expect(match(book, rule, 0.3, 0)[0][0]).toBe(0); // keys h1→1, h2→2
      expect(match(book, rule, 0.3, 1)[0][0]).toBe(1); // keys h1→2, h2→0
      expect(match(book, rule, 0.3, 2)[0][0]).toBe(0); // keys h1→0, h2→1
      expect(match(book, rule, 0.3, 3)[0][0]).toBe(0); // a full turn
    }
  });

  it('append to the list (the caller resets it), grow it, and reuse the scratch once it is large enough', () => {
    const book = bookOf([[0, 'buy', 5, 0.8], [1, 'sell', 1, 0.2], [2, 'sell', 1, 0.3], [3, 'sell', 1, 0.4]]);
    const out = createMatchList(1);
    const scratch = createMatchScratch(1);
    matchOrders(book, 'pay-as-bid', 0.3, 0, out, scratch);
    expect(out.count).toBe(3);
    matchOrders(book, 'pay-as-bid', 0.3, 0, out, scratch);
    expect(out.count).toBe(6);
    expect(rows(out).slice(3)).toEqual(rows(out).slice(0, 3));
    const arrays = [scratch.bids, scratch.asks, scratch.askRemainingKwh, out.buyOrder, out.priceUsdPerKwh];
    resetMatchList(out);
    matchOrders(book, 'pay-as-bid', 0.3, 0, out, scratch);
    expect(out.count).toBe(3);
    const after = [scratch.bids, scratch.asks, scratch.askRemainingKwh, out.buyOrder, out.priceUsdPerKwh];
    for (let k = 0; k < arrays.length; k++) expect(after[k]).toBe(arrays[k]);
  });

  it('sort a large book into price priority', () => {
    const book = createOrderBook(16);
    const n = 20_000;
    for (let h = 0; h < n; h++) {
      const limit = ((h * 7919) % 1000) / 1000 + 0.1;
      addOrder(book, h, h % 2 === 0 ? SIDE_BUY : SIDE_SELL, 1, limit);
    }
    const out = createMatchList(16);
    matchOrders(book, 'pay-as-bid', 0.5, 0, out, createMatchScratch(16));
    expect(out.count).toBeGreaterThan(1000);
    for (let m = 1; m < out.count; m++) {
      expect(book.limitUsdPerKwh[out.buyOrder[m]]).toBeLessThanOrEqual(book.limitUsdPerKwh[out.buyOrder[m - 1]]);
      expect(book.limitUsdPerKwh[out.sellOrder[m]]).toBeGreaterThanOrEqual(book.limitUsdPerKwh[out.sellOrder[m - 1]]);
    }
  });
});

// ---------- properties over random validated books ----------

const orderArb = fc.record({
  household: fc.integer({ min: 0, max: 9 }),
  side: fc.constantFrom(SIDE_BUY, SIDE_SELL),
  quantityKwh: fc.double({ min: 0, max: 10, noNaN: true }),
  limitUsdPerKwh: fc.double({ min: 0, max: 1.5, noNaN: true }),
});

const caseArb = fc.record({
  orders: fc.array(orderArb, { maxLength: 30 }),
  rule: fc.constantFrom<MatchingRule>(...RULES),
  signalShare: fc.double({ min: 0, max: 1, noNaN: true }),
  offset: fc.nat({ max: 1000 }),
  validated: fc.boolean(),
});

type Case = {
  orders: { household: number; side: 0 | 1; quantityKwh: number; limitUsdPerKwh: number }[];
  rule: MatchingRule;
  signalShare: number;
  offset: number;
  validated: boolean;
};

const config = MarketConfigSchema.parse({});

function run(c: Case) {
  const book = createOrderBook(2);
  for (const o of c.orders) addOrder(book, o.household, o.side as 0 | 1, o.quantityKwh, o.limitUsdPerKwh);
  if (c.validated) validateOrders(book, config, new Float64Array(10), createRejectionList(2));
  const signal = config.minPriceUsdPerKwh + c.signalShare * (config.maxPriceUsdPerKwh - config.minPriceUsdPerKwh);
  const out = createMatchList(2);
  matchOrders(book, c.rule, signal, c.offset, out, createMatchScratch(2));
  return { book, out, signal };
}

describe('matchOrders properties', () => {
  it('pair only valid orders of different households, within each order’s quantity and both limits', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { book, out, signal } = run(c as Case);
        const used = new Float64Array(book.count);
        for (let m = 0; m < out.count; m++) {
          const b = out.buyOrder[m];
          const a = out.sellOrder[m];
          expect(book.valid[b]).toBe(1);
          expect(book.valid[a]).toBe(1);
          expect(book.side[b]).toBe(SIDE_BUY);
          expect(book.side[a]).toBe(SIDE_SELL);
          expect(book.household[b]).not.toBe(book.household[a]);
          expect(out.quantityKwh[m]).toBeGreaterThan(0);
          const p = out.priceUsdPerKwh[m];
          expect(p).toBeGreaterThanOrEqual(book.limitUsdPerKwh[a]);
          expect(p).toBeLessThanOrEqual(book.limitUsdPerKwh[b]);
          if (c.rule === 'instant') expect(p).toBe(signal);
          if (c.rule === 'pay-as-bid') expect(p).toBe(book.limitUsdPerKwh[b]);
          if (c.rule === 'uniform-price') expect(p).toBe(out.priceUsdPerKwh[0]);
          used[b] += out.quantityKwh[m];
          used[a] += out.quantityKwh[m];
        }
        for (let o = 0; o < book.count; o++) expect(used[o]).toBeLessThanOrEqual(book.quantityKwh[o] + 1e-9);
      }),
      { numRuns: 400 },
    );
  });

  it('leave no crossing pair unmatched in a validated book (instant: volume = min of the eligible sides)', () => {
    fc.assert(
      fc.property(caseArb, (raw) => {
        const c = { ...(raw as Case), validated: true };
        const { book, out, signal } = run(c);
        const used = new Float64Array(book.count);
        let matched = 0;
        for (let m = 0; m < out.count; m++) {
          used[out.buyOrder[m]] += out.quantityKwh[m];
          used[out.sellOrder[m]] += out.quantityKwh[m];
          matched += out.quantityKwh[m];
        }
        const left = (o: number) => book.valid[o] === 1 && book.quantityKwh[o] - used[o] > 1e-9;
        if (c.rule === 'instant') {
          let bids = 0;
          let asks = 0;
          for (let o = 0; o < book.count; o++) {
            if (!book.valid[o]) continue;
            if (book.side[o] === SIDE_BUY && book.limitUsdPerKwh[o] >= signal) bids += book.quantityKwh[o];
            if (book.side[o] === SIDE_SELL && book.limitUsdPerKwh[o] <= signal) asks += book.quantityKwh[o];
          }
          expect(matched).toBeCloseTo(Math.min(bids, asks), 9);
        } else if (c.rule === 'pay-as-bid') {
          for (let b = 0; b < book.count; b++) {
            if (book.side[b] !== SIDE_BUY || !left(b)) continue;
            for (let a = 0; a < book.count; a++) {
              if (book.side[a] !== SIDE_SELL || !left(a)) continue;
              expect(book.limitUsdPerKwh[b] < book.limitUsdPerKwh[a], `bid ${b} and ask ${a} cross but stayed unmatched`).toBe(true);
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('are deterministic: the same book gives identical matches', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const first = run(c as Case).out;
        const second = run(c as Case).out;
        expect(rows(second)).toEqual(rows(first));
      }),
      { numRuns: 200 },
    );
  });

  it('rank a book filled home by home (the counting- and merge-sort paths) exactly as the same orders in any other order (the heapsort path)', () => {
    // one bid and one ask at most per household, limits often from a few values (many ties: the counting sort), else many (the merge sort)
    const sideArb = fc.uniqueArray(
      fc.record({ household: fc.integer({ min: 0, max: 40 }), quantityKwh: fc.double({ min: 0.01, max: 5, noNaN: true }), limit: fc.oneof(fc.constantFrom(0.1, 0.2, 0.25, 0.3, 0.45), fc.double({ min: 0, max: 0.6, noNaN: true })) }),
      { selector: (o) => o.household, maxLength: 40 },
    );
    fc.assert(
      fc.property(sideArb, sideArb, fc.constantFrom<MatchingRule>(...RULES), fc.nat({ max: 1000 }), (bidRows, askRows, rule, offset) => {
        const rowsOf = (order: 'home' | 'reverse') => {
          const all = [...bidRows.map((r) => ({ ...r, side: SIDE_BUY })), ...askRows.map((r) => ({ ...r, side: SIDE_SELL }))];
          all.sort((a, b) => a.household - b.household || a.side - b.side);
          return order === 'home' ? all : all.reverse();
        };
        const matchesOf = (order: 'home' | 'reverse') => {
          const book = createOrderBook(2);
          for (const r of rowsOf(order)) addOrder(book, r.household, r.side as 0 | 1, r.quantityKwh, r.limit);
          const out = createMatchList(2);
          matchOrders(book, rule, 0.3, offset, out, createMatchScratch(2));
          return rows(out).map(([b, a, q, p]) => [book.household[b], book.household[a], q, p]);
        };
        expect(matchesOf('home')).toEqual(matchesOf('reverse'));
      }),
      { numRuns: 300 },
    );
  });

  it('give the first place among equal limits to the household with the smallest rotated index', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 9 }),
        fc.constantFrom<MatchingRule>(...RULES),
        fc.nat({ max: 1000 }),
        (buyers, rule, offset) => {
          const book = createOrderBook(2);
          addOrder(book, 0, SIDE_SELL, 1, 0.2);
          for (const h of buyers) addOrder(book, h, SIDE_BUY, 1, 0.6);
          const n = Math.max(...buyers) + 1;
          const key = (h: number) => (h + offset) % n;
          const expected = buyers.reduce((best, h) => (key(h) < key(best) ? h : best));
          const out = createMatchList(2);
          matchOrders(book, rule, 0.4, offset, out, createMatchScratch(2));
          expect(out.count).toBe(1);
          expect(book.household[out.buyOrder[0]]).toBe(expected);
          // over a full turn of offsets every tied buyer goes first once
          const firsts = new Set<number>();
          for (let k = 0; k < n; k++) {
            resetMatchList(out);
            matchOrders(book, rule, 0.4, k, out, createMatchScratch(2));
            firsts.add(book.household[out.buyOrder[0]]);
          }
          expect(firsts.size).toBe(buyers.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
