/**
 * Matching only *recommends* matches (bid order, ask order, kWh sent, price); settlement checks
 * the market bounds, the sell caps and the trade size. Pure over the book; writes into `out` and
 * reuses `scratch`, so a steady-state call allocates nothing.
 *
 * Ordering. Bids are ranked by limit, highest first; asks by limit, lowest first. Equal limits
 * are ranked by a rotated household index, key = (household + tieBreakOffset) mod N with
 * N = largest household index among the participating orders + 1, smallest key first; the engine
 * passes the interval index as the offset, so the home that goes first among equals moves by one
 * place every interval instead of always being household 0. Orders of one household with equal
 * limits fall back to order index. The ranking is a total order, so the result does not depend on
 * the sort algorithm (a merge sort by limit of the rotated order list for books filled home by home,
 * else an in-place heapsort over an Int32Array of order indices; both O(n log n)).
 *
 * Pairing is greedy over the two ranked lists: each bid in turn takes the best remaining ask of
 * another household until the bid is filled or no compatible ask is left. A household is never
 * paired with itself: validateOrders already refuses the later of a household's bid/ask pair, and
 * for an unvalidated book the pairing skips that household's own asks.
 */
import type { MatchingRule } from './config.ts';
import { MARKET_EPSILON_KWH } from '../common/index.ts';
import { doubledCapacity, grownTypedArray, SIDE_BUY, type OrderBook } from './order-book.ts';

export interface MatchList {
  count: number;
  buyOrder: Int32Array;
  sellOrder: Int32Array;
  /** kWh sent by the seller */
  quantityKwh: Float64Array;
  /** USD per kWh sent, fee excluded */
  priceUsdPerKwh: Float64Array;
}

export function createMatchList(capacity: number): MatchList {
  const c = Math.max(1, Math.floor(capacity));
  return {
    count: 0,
    buyOrder: new Int32Array(c),
    sellOrder: new Int32Array(c),
    quantityKwh: new Float64Array(c),
    priceUsdPerKwh: new Float64Array(c),
  };
}

export function resetMatchList(list: MatchList): void {
  list.count = 0;
}

/** Appends one match (grows by doubling when full). */
export function pushMatch(list: MatchList, buyOrder: number, sellOrder: number, quantityKwh: number, priceUsdPerKwh: number): void {
  const m = list.count;
  if (m >= list.buyOrder.length) {
    const c = doubledCapacity(list.buyOrder.length, m + 1);
    list.buyOrder = grownTypedArray(list.buyOrder, c);
    list.sellOrder = grownTypedArray(list.sellOrder, c);
    list.quantityKwh = grownTypedArray(list.quantityKwh, c);
    list.priceUsdPerKwh = grownTypedArray(list.priceUsdPerKwh, c);
  }
  list.buyOrder[m] = buyOrder;
  list.sellOrder[m] = sellOrder;
  list.quantityKwh[m] = quantityKwh;
  list.priceUsdPerKwh[m] = priceUsdPerKwh;
  list.count = m + 1;
}

/** Preallocated working memory for matchOrders (ranked order indices, asks' unmatched kWh, the ranking's merge buffers). */
export interface MatchScratch {
  bids: Int32Array;
  asks: Int32Array;
  /** unmatched kWh of the ask at each ranked position */
  askRemainingKwh: Float64Array;
  /** two order-index buffers and their sort keys, for the ranking's merge passes */
  rankOrder: Int32Array;
  rankOrderNext: Int32Array;
  rankKey: Float64Array;
  rankKeyNext: Float64Array;
  /** the few distinct limits of one side (counting sort), and each one's place in the ranking */
  distinctKeys: Float64Array;
  bucketStart: Int32Array;
}

/** Most distinct limits one side may have for the counting sort (more take the merge sort). */
const FEW_KEYS = 16;

export function createMatchScratch(capacity: number): MatchScratch {
  const c = Math.max(1, Math.floor(capacity));
  return {
    bids: new Int32Array(c),
    asks: new Int32Array(c),
    askRemainingKwh: new Float64Array(c),
    rankOrder: new Int32Array(c),
    rankOrderNext: new Int32Array(c),
    rankKey: new Float64Array(c),
    rankKeyNext: new Float64Array(c),
    distinctKeys: new Float64Array(FEW_KEYS),
    bucketStart: new Int32Array(FEW_KEYS + 1),
  };
}

function ensureScratch(scratch: MatchScratch, needed: number): void {
  if (needed <= scratch.bids.length) return;
  Object.assign(scratch, createMatchScratch(doubledCapacity(scratch.bids.length, needed)));
}

/** Tie-break rank of a household: (household + rotation) mod n, with rotation already in [0, n). */
function tieKey(household: number, rotation: number, n: number): number {
  const k = household + rotation;
  return k >= n ? k - n : k;
}

/** Does order a rank before order b? Bids: higher limit first; asks: lower limit first; then tie key, then index. */
function ranksBefore(book: OrderBook, bids: boolean, rotation: number, n: number, a: number, b: number): boolean {
  const la = book.limitUsdPerKwh[a];
  const lb = book.limitUsdPerKwh[b];
  if (la !== lb) return bids ? la > lb : la < lb;
  const ka = tieKey(book.household[a], rotation, n);
  const kb = tieKey(book.household[b], rotation, n);
  if (ka !== kb) return ka < kb;
  return a < b;
}

function siftDown(
  idx: Int32Array,
  start: number,
  end: number,
  book: OrderBook,
  bids: boolean,
  rotation: number,
  n: number,
): void {
  let root = start;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= end) return;
    // max-heap in ranking order: the element that ranks *last* sits on top
    if (child + 1 < end && ranksBefore(book, bids, rotation, n, idx[child], idx[child + 1])) child++;
    if (!ranksBefore(book, bids, rotation, n, idx[root], idx[child])) return;
    const t = idx[root];
    idx[root] = idx[child];
    idx[child] = t;
    root = child;
  }
}

/** In-place heapsort of idx[0, len) into ranking order. O(len log len), no allocation. */
function sortRanked(idx: Int32Array, len: number, book: OrderBook, bids: boolean, rotation: number, n: number): void {
  for (let start = (len >> 1) - 1; start >= 0; start--) siftDown(idx, start, len, book, bids, rotation, n);
  for (let end = len - 1; end > 0; end--) {
    const t = idx[0];
    idx[0] = idx[end];
    idx[end] = t;
    siftDown(idx, 0, end, book, bids, rotation, n);
  }
}

/**
 * Sorts idx[0, len) into ranking order, like `sortRanked`, faster for the usual book: when the
 * households do not decrease along idx (a book filled home by home, as the engine's is), the
 * (tie key, index) order is idx rotated to start at the first household whose key wrapped round,
 * and a stable sort by limit alone completes the ranking: a counting sort when the side has few
 * distinct limits, else a bottom-up merge sort over typed arrays.
 * Any other book takes the heapsort. The ranking is a total order, so both give the same result.
 */
function rankOrders(idx: Int32Array, len: number, book: OrderBook, bids: boolean, rotation: number, n: number, scratch: MatchScratch): void {
  const household = book.household;
  for (let i = 1; i < len; i++) {
    if (household[idx[i]] < household[idx[i - 1]]) {
      sortRanked(idx, len, book, bids, rotation, n);
      return;
    }
  }
  // tie key (household + rotation) mod n: the households from n − rotation on come first
  const wrap = n - rotation;
  let first = 0;
  while (first < len && household[idx[first]] < wrap) first++;
  let order = scratch.rankOrder;
  let key = scratch.rankKey;
  let next = scratch.rankOrderNext;
  let nextKey = scratch.rankKeyNext;
  const limit = book.limitUsdPerKwh;
  for (let i = 0; i < len; i++) {
    const o = idx[i < len - first ? first + i : i - (len - first)];
    order[i] = o;
    key[i] = bids ? -limit[o] : limit[o]; // ascending key: bids highest limit first, asks lowest first
  }
  if (countingRank(order, key, len, idx, scratch)) return;
  for (let width = 1; width < len; width *= 2) {
    for (let lo = 0; lo < len; lo += 2 * width) {
      const mid = lo + width < len ? lo + width : len;
      const hi = lo + 2 * width < len ? lo + 2 * width : len;
      let i = lo;
      let j = mid;
      let out = lo;
      if (mid < hi && key[mid] < key[mid - 1]) {
        while (i < mid && j < hi) {
          // stable: on equal keys the left run's order goes first
          if (key[j] < key[i]) {
            next[out] = order[j];
            nextKey[out++] = key[j++];
          } else {
            next[out] = order[i];
            nextKey[out++] = key[i++];
          }
        }
      }
      for (; i < mid; i++, out++) {
        next[out] = order[i];
        nextKey[out] = key[i];
      }
      for (; j < hi; j++, out++) {
        next[out] = order[j];
        nextKey[out] = key[j];
      }
    }
    const t = order;
    order = next;
    next = t;
    const tk = key;
    key = nextKey;
    nextKey = tk;
  }
  for (let i = 0; i < len; i++) idx[i] = order[i];
}

/**
 * Stable counting sort of order[0, len) by ascending key into idx, when the keys take at most
 * FEW_KEYS distinct values (limits are usually a tariff rate or two): returns false, idx untouched,
 * when they take more. Same result as any stable sort by key.
 */
function countingRank(order: Int32Array, key: Float64Array, len: number, idx: Int32Array, scratch: MatchScratch): boolean {
  const distinct = scratch.distinctKeys;
  const start = scratch.bucketStart;
  const bucket = scratch.rankOrderNext; // each position's index into distinct
  let m = 0;
  for (let i = 0; i < len; i++) {
    const k = key[i];
    let j = 0;
    while (j < m && distinct[j] !== k) j++;
    if (j === m) {
      if (m === FEW_KEYS) return false;
      distinct[m++] = k;
    }
    bucket[i] = j;
  }
  // each distinct key's rank among them, then where its run starts in the ranking
  start.fill(0);
  for (let j = 0; j < m; j++) {
    let rank = 0;
    for (let q = 0; q < m; q++) if (distinct[q] < distinct[j]) rank++;
    start[j] = rank;
  }
  const count = scratch.rankKeyNext; // count of each rank, then its first position
  for (let r = 0; r < m; r++) count[r] = 0;
  for (let i = 0; i < len; i++) count[start[bucket[i]]]++;
  let at = 0;
  for (let r = 0; r < m; r++) {
    const c = count[r];
    count[r] = at;
    at += c;
  }
  for (let i = 0; i < len; i++) {
    const r = start[bucket[i]];
    idx[count[r]++] = order[i];
  }
  return true;
}

/**
 * Pairs the valid orders of `book` under `rule` and appends the matches to `out`.
 * - instant: every bid with limit ≥ signal and every ask with limit ≤ signal take part, all at the
 *   signal price; matched volume = min(eligible bid volume, eligible ask volume).
 * - pay-as-bid: continuous double auction in price priority; while the best bid's limit ≥ the best
 *   ask's limit they trade min(remaining) at the bid's limit (settlement clamps to the bounds).
 * - uniform-price: the same pairing finds where demand and supply cross; every pair trades at one
 *   clearing price, the midpoint of the marginal (last matched) bid and ask limits, which lies
 *   inside every matched pair's limits.
 * `tieBreakOffset` rotates the ranking of equal limits (see the file comment).
 */
export function matchOrders(
  book: OrderBook,
  rule: MatchingRule,
  signalUsdPerKwh: number,
  tieBreakOffset: number,
  out: MatchList,
  scratch: MatchScratch,
): void {
  ensureScratch(scratch, book.count);
  const { bids, asks, askRemainingKwh } = scratch;
  const instant = rule !== 'pay-as-bid' && rule !== 'uniform-price';
  let nBids = 0;
  let nAsks = 0;
  let maxHousehold = -1;
  for (let o = 0; o < book.count; o++) {
    if (book.valid[o] !== 1) continue;
    const q = book.quantityKwh[o];
    const limit = book.limitUsdPerKwh[o];
    if (!(q > MARKET_EPSILON_KWH) || limit !== limit) continue;
    if (book.side[o] === SIDE_BUY) {
      if (instant && !(limit >= signalUsdPerKwh)) continue;
      bids[nBids++] = o;
    } else {
      if (instant && !(limit <= signalUsdPerKwh)) continue;
      asks[nAsks++] = o;
    }
    if (book.household[o] > maxHousehold) maxHousehold = book.household[o];
  }
  if (nBids === 0 || nAsks === 0) return;

  const nKeys = maxHousehold + 1;
  const offset = Number.isFinite(tieBreakOffset) ? Math.floor(tieBreakOffset) : 0;
  const rotation = ((offset % nKeys) + nKeys) % nKeys;
  rankOrders(bids, nBids, book, true, rotation, nKeys, scratch);
  rankOrders(asks, nAsks, book, false, rotation, nKeys, scratch);
  for (let k = 0; k < nAsks; k++) askRemainingKwh[k] = book.quantityKwh[asks[k]];

  const first = out.count;
  let front = 0; // first ranked ask that may still have energy
  for (let i = 0; i < nBids; i++) {
    const b = bids[i];
    const buyer = book.household[b];
    const bidLimit = book.limitUsdPerKwh[b];
    let remaining = book.quantityKwh[b];
    while (remaining > MARKET_EPSILON_KWH) {
      while (front < nAsks && !(askRemainingKwh[front] > MARKET_EPSILON_KWH)) front++;
      let k = front;
      while (k < nAsks && (!(askRemainingKwh[k] > MARKET_EPSILON_KWH) || book.household[asks[k]] === buyer)) k++;
      if (k >= nAsks) break;
      const a = asks[k];
      const askLimit = book.limitUsdPerKwh[a];
      // instant: every eligible pair is compatible; otherwise asks rank cheapest first, so none further fits this bid
      if (!instant && bidLimit < askLimit) break;
      const q = remaining < askRemainingKwh[k] ? remaining : askRemainingKwh[k];
      const price = instant ? clamp(+signalUsdPerKwh, askLimit, bidLimit) : bidLimit; // + : a double in a register (nothing boxed per match)
      pushMatch(out, b, a, q, price);
      remaining -= q;
      askRemainingKwh[k] -= q;
    }
  }

  if (rule === 'uniform-price' && out.count > first) applyClearingPrice(book, out, first);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * Uniform price over matches [first, out.count): the midpoint of the marginal bid limit (the lowest
 * matched) and the marginal ask limit (the highest matched). With validated books these are the
 * last match's limits. Only when the pairing had to skip a household's own ask can a later match
 * bring an ask above an earlier bid; the matches from the first such one on are dropped, so the
 * single price still lies inside every kept pair's limits.
 */
function applyClearingPrice(book: OrderBook, out: MatchList, first: number): void {
  let minBid = Infinity;
  let maxAsk = -Infinity;
  let end = first;
  for (let m = first; m < out.count; m++) {
    const bid = book.limitUsdPerKwh[out.buyOrder[m]];
    const ask = book.limitUsdPerKwh[out.sellOrder[m]];
    const nextMinBid = bid < minBid ? bid : minBid;
    const nextMaxAsk = ask > maxAsk ? ask : maxAsk;
    if (nextMaxAsk > nextMinBid) break;
    minBid = nextMinBid;
    maxAsk = nextMaxAsk;
    end = m + 1;
  }
  out.count = end;
  const price = clamp((minBid + maxAsk) / 2, maxAsk, minBid);
  for (let m = first; m < end; m++) out.priceUsdPerKwh[m] = price;
}
