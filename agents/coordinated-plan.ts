/**
 * One home's plan against the centre's prices, solved exactly without an LP solver.
 *
 * The home's problem is an LP (`coordinatedLp` in coordinated-lp.ts states it), but it has the
 * structure of a single store: with u_k the change of stored energy in step k (u > 0 charges
 * u / ηc from the bus, u < 0 delivers −u · ηd to it), every step's cost is a convex piecewise-
 * linear function h_k(u_k) of its own u_k alone, and the steps are coupled only by the stored
 * energy S_k = S_0 + Σ_{j≤k} u_j staying within its bounds, a value of the energy left at the end,
 * and the day's sell allowance.
 *
 * h_k: the bus is netted each interval (a home imports or exports, never both, as its meter sees
 * it). A kWh the home needs costs a_k = min(import rate, (P2P price + fee) / (1 − loss)); a kWh
 * it has over is worth b_k = max(export value, P2P price − λ) (λ prices the sell allowance, below).
 * h_k has at most four linear pieces: discharging beyond the home's deficit (slope (b − wear)·ηd
 * per stored kWh), discharging into the deficit ((a − wear)·ηd), charging from surplus PV (b / ηc)
 * and charging from imports (a / ηc), capped by the power limits and the storage mode. With b ≤ a
 * they are convex and the plan is exact. Where a kWh sold is worth more than one bought costs
 * (b > a: a proposal far below the export value, or above the import rate, as the centre's
 * iterations pass through) netting makes h_k concave there; the solver then plans on its convex
 * envelope (as if the home could split the interval between buying and selling), and the plan's
 * flows are still netted.
 *
 * The minimum over the horizon is then a forward pass over the pieces (the "slope trick" for
 * convex separable problems with running-sum bounds): the value of ending step k with stored
 * energy S is the infimal convolution of the value at k − 1 with h_k, which for convex piecewise-
 * linear functions is the merge of their pieces in order of slope; the stored-energy bounds cut
 * the cheapest pieces in (they must be used) and the dearest out (they cannot be). At the end the
 * home uses every remaining piece cheaper than what a stored kWh is worth at the end. Each piece
 * remembers its step, so the plan's u_k is read back from the pieces used. Ties between equal
 * slopes keep their insertion order, so what a step uses is always a prefix of its own pieces and
 * every intermediate bound holds. The sell allowance is a Lagrange multiplier λ found by
 * bisection when the unconstrained plan would sell more than the allowance.
 *
 * Cost: O(K²) per solve for K steps with preallocated arrays (about 10⁴ operations at K = 48),
 * against a HiGHS solve of the same LP built and parsed as text; the tests check both give the
 * same objective on random instances where netting cannot bind.
 */
import { chargeCapKwh, dischargeCapKwh } from '../battery/index.ts';
import { MAX_PLAN_STEPS } from './horizon-input.ts';
import type { HorizonPlanInput } from './receding-horizon.ts';

/** A home's plan against the centre's prices: the receding-horizon input plus the P2P price per step. */
export interface CoordinatedPlanInput extends HorizonPlanInput {
  /** the proposed P2P price per step (USD per kWh sent; buyers pay it plus the fee, sellers receive it) */
  p2pUsdPerKwh: Float64Array;
}

/** The plan's P2P position and battery per step (kWh; sold and bought are kWh sent). */
export interface CoordinatedPlan {
  soldKwh: Float64Array;
  boughtKwh: Float64Array;
  chargeKwh: Float64Array;
  dischargeKwh: Float64Array;
}

export function createCoordinatedPlan(steps = MAX_PLAN_STEPS): CoordinatedPlan {
  return { soldKwh: new Float64Array(steps), boughtKwh: new Float64Array(steps), chargeKwh: new Float64Array(steps), dischargeKwh: new Float64Array(steps) };
}

const PIECES_PER_STEP = 4;
const TINY_KWH = 1e-12;
const LAMBDA_BISECTIONS = 24; // λ to within 2⁻²⁴ of the widest price gap (< 10⁻⁷ USD)

/** Preallocated working arrays for plans of up to `maxSteps` steps (one per strategy, reused). */
export interface PlanWorkspace {
  slope: Float64Array;
  lengthKwh: Float64Array;
  step: Int32Array;
  /** per step: u at the bottom of its range, and what its used pieces add */
  baseKwh: Float64Array;
  usedKwh: Float64Array;
  buyUsd: Float64Array;
  sellUsd: Float64Array;
  chargeMaxKwh: Float64Array;
  dischargeMaxKwh: Float64Array;
  /** one step's pieces before they are merged in */
  newSlope: Float64Array;
  newLengthKwh: Float64Array;
}

export function createPlanWorkspace(maxSteps: number): PlanWorkspace {
  const pieces = maxSteps * PIECES_PER_STEP + PIECES_PER_STEP;
  return {
    slope: new Float64Array(pieces),
    lengthKwh: new Float64Array(pieces),
    step: new Int32Array(pieces),
    baseKwh: new Float64Array(maxSteps),
    usedKwh: new Float64Array(maxSteps),
    buyUsd: new Float64Array(maxSteps),
    sellUsd: new Float64Array(maxSteps),
    chargeMaxKwh: new Float64Array(maxSteps),
    dischargeMaxKwh: new Float64Array(maxSteps),
    newSlope: new Float64Array(PIECES_PER_STEP),
    newLengthKwh: new Float64Array(PIECES_PER_STEP),
  };
}

/**
 * Plans home i against its P2P prices into `out` (exact; see the header). Returns the kWh the plan
 * sells to neighbours over the horizon.
 */
export function solveStoragePlan(i: CoordinatedPlanInput, ws: PlanWorkspace, out: CoordinatedPlan): number {
  setLimits(i, ws);
  let soldKwh = planAt(i, ws, out, 0);
  const allowance = Math.max(0, i.sellAllowanceKwh);
  if (!i.marketEnabled || soldKwh <= allowance + TINY_KWH) return soldKwh;
  // the allowance binds: the smallest λ whose plan sells no more than it (sales fall as λ rises)
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < i.steps; k++) hi = Math.max(hi, i.p2pUsdPerKwh[k] - i.exportUsdPerKwh[k]);
  for (let it = 0; it < LAMBDA_BISECTIONS; it++) {
    const mid = 0.5 * (lo + hi);
    if (planAt(i, ws, out, mid) > allowance + TINY_KWH) lo = mid;
    else hi = mid;
  }
  soldKwh = planAt(i, ws, out, hi);
  return topUpSales(i, out, allowance - soldKwh, lo);
}

function setLimits(i: CoordinatedPlanInput, ws: PlanWorkspace): void {
  const battery = i.hasBattery;
  for (let k = 0; k < i.steps; k++) {
    const load = i.loadKwh[k];
    const pv = i.pvKwh[k];
    const chargeLimit = k === 0 ? i.maxChargeKwh : i.stepKwh;
    const dischargeLimit = k === 0 ? i.maxDischargeKwh : i.stepKwh;
    ws.chargeMaxKwh[k] = battery ? Math.max(0, chargeCapKwh(i.storageMode, pv, chargeLimit)) : 0;
    ws.dischargeMaxKwh[k] = battery ? Math.max(0, dischargeCapKwh(i.storageMode, load, pv, dischargeLimit)) : 0;
  }
}

/** The buy cost a and sell value b of a bus kWh in step k at multiplier λ. */
function setPrices(i: CoordinatedPlanInput, ws: PlanWorkspace, lambda: number): void {
  const keep = 1 - i.transmissionLoss;
  for (let k = 0; k < i.steps; k++) {
    let buy = i.importUsdPerKwh[k];
    let sell = i.exportUsdPerKwh[k];
    if (i.marketEnabled) {
      const p2p = i.p2pUsdPerKwh[k];
      buy = Math.min(buy, p2p / keep + i.p2pDeliveryUsdPerKwh[k]);
      sell = Math.max(sell, p2p - lambda);
    }
    ws.buyUsd[k] = buy;
    ws.sellUsd[k] = sell;
  }
}

/** The plan at multiplier λ into `out`; returns its P2P sales (kWh sent). */
function planAt(i: CoordinatedPlanInput, ws: PlanWorkspace, out: CoordinatedPlan, lambda: number): number {
  setPrices(i, ws, lambda);
  if (i.hasBattery) forwardPass(i, ws);
  else {
    ws.baseKwh.fill(0, 0, i.steps);
    ws.usedKwh.fill(0, 0, i.steps);
  }
  return writePlan(i, ws, out, lambda);
}

/**
 * Merges step k's pieces (ascending slope = ascending u) into the sorted pieces, each after every
 * piece of equal or lower slope, in one backward pass. Returns the new tail.
 */
function insertPieces(ws: PlanWorkspace, head: number, tail: number, k: number, count: number): number {
  const slopes = ws.newSlope;
  const lengths = ws.newLengthKwh;
  const slope = ws.slope;
  const len = ws.lengthKwh;
  const step = ws.step;
  let i = tail - 1;
  let j = count - 1;
  let at = tail + count - 1;
  while (j >= 0) {
    if (i >= head && slope[i] > slopes[j]) {
      slope[at] = slope[i];
      len[at] = len[i];
      step[at] = step[i];
      i--;
    } else {
      slope[at] = slopes[j];
      len[at] = lengths[j];
      step[at] = k;
      j--;
    }
    at--;
  }
  return tail + count;
}

/** Step k's pieces of h_k in u (stored kWh), ascending; returns how many, and sets its base u. */
function stepPieces(i: CoordinatedPlanInput, ws: PlanWorkspace, k: number): number {
  const net = i.loadKwh[k] - i.pvKwh[k];
  const ec = i.chargeEfficiency;
  const ed = i.dischargeEfficiency;
  const a = ws.buyUsd[k];
  const b = ws.sellUsd[k];
  const w = i.wearUsdPerKwh;
  const dMax = ws.dischargeMaxKwh[k];
  const cMax = ws.chargeMaxKwh[k];
  ws.baseKwh[k] = -dMax / ed;
  const intoDeficit = net > 0 ? Math.min(net, dMax) : 0;
  const fromSurplus = net < 0 ? Math.min(-net, cMax) : 0;
  let count = 0;
  count = pushPiece(ws, count, (b - w) * ed, (dMax - intoDeficit) / ed);
  count = pushPiece(ws, count, (a - w) * ed, intoDeficit / ed);
  count = pushPiece(ws, count, b / ec, fromSurplus * ec);
  count = pushPiece(ws, count, a / ec, (cMax - fromSurplus) * ec);
  return count;
}

/**
 * Appends a piece, merging it with the pieces before it while their slope is higher (the convex
 * envelope: only where a kWh sold would be worth more than one bought costs, b > a).
 */
function pushPiece(ws: PlanWorkspace, count: number, slope: number, lengthKwh: number): number {
  if (!(lengthKwh > TINY_KWH)) return count;
  const slopes = ws.newSlope;
  const lengths = ws.newLengthKwh;
  let s = slope;
  let len = lengthKwh;
  while (count > 0 && slopes[count - 1] > s) {
    count--;
    const merged = lengths[count] + len;
    s = (slopes[count] * lengths[count] + s * len) / merged;
    len = merged;
  }
  slopes[count] = s;
  lengths[count] = len;
  return count + 1;
}

/** The forward pass (header): fills ws.baseKwh and ws.usedKwh with each step's u. */
function forwardPass(i: CoordinatedPlanInput, ws: PlanWorkspace): void {
  const K = i.steps;
  const lo = Math.min(i.minSocKwh, i.socKwh);
  const hi = Math.max(i.maxSocKwh, i.socKwh);
  let head = 0;
  let tail = 0;
  let left = i.socKwh; // stored energy with every remaining piece unused
  let spanKwh = 0; // Σ remaining piece lengths
  ws.usedKwh.fill(0, 0, K);
  for (let k = 0; k < K; k++) {
    const count = stepPieces(i, ws, k);
    left += ws.baseKwh[k];
    tail = insertPieces(ws, head, tail, k, count);
    for (let p = 0; p < count; p++) spanKwh += ws.newLengthKwh[p];
    // below the floor: the cheapest pieces must be used
    while (left < lo - TINY_KWH && head < tail) {
      const take = Math.min(ws.lengthKwh[head], lo - left);
      ws.usedKwh[ws.step[head]] += take;
      ws.lengthKwh[head] -= take;
      left += take;
      spanKwh -= take;
      if (ws.lengthKwh[head] <= TINY_KWH) head++;
    }
    // above the ceiling: the dearest pieces cannot be
    while (left + spanKwh > hi + TINY_KWH && tail > head) {
      const drop = Math.min(ws.lengthKwh[tail - 1], left + spanKwh - hi);
      ws.lengthKwh[tail - 1] -= drop;
      spanKwh -= drop;
      if (ws.lengthKwh[tail - 1] <= TINY_KWH) tail--;
    }
  }
  // the end: use every piece cheaper than a stored kWh is worth then (the terminal value, and below
  // the target the shortfall penalty as well)
  const target = i.terminalTargetKwh > 0 ? i.terminalTargetKwh : -Infinity;
  for (let p = head; p < tail; p++) {
    const slope = ws.slope[p];
    let take = 0;
    if (slope < i.terminalUsdPerStoredKwh) take = ws.lengthKwh[p];
    else if (left < target && slope < i.terminalUsdPerStoredKwh + i.terminalShortfallUsdPerKwh) take = Math.min(ws.lengthKwh[p], target - left);
    else break;
    ws.usedKwh[ws.step[p]] += take;
    left += take;
  }
}

/** Reads the plan's flows back from each step's u; returns its P2P sales. */
function writePlan(i: CoordinatedPlanInput, ws: PlanWorkspace, out: CoordinatedPlan, lambda: number): number {
  const keep = 1 - i.transmissionLoss;
  let soldKwh = 0;
  for (let k = 0; k < i.steps; k++) {
    const u = ws.baseKwh[k] + ws.usedKwh[k];
    const charge = u > TINY_KWH ? Math.min(ws.chargeMaxKwh[k], u / i.chargeEfficiency) : 0;
    const discharge = u < -TINY_KWH ? Math.min(ws.dischargeMaxKwh[k], -u * i.dischargeEfficiency) : 0;
    out.chargeKwh[k] = charge;
    out.dischargeKwh[k] = discharge;
    out.soldKwh[k] = 0;
    out.boughtKwh[k] = 0;
    if (!i.marketEnabled) continue;
    const need = i.loadKwh[k] - i.pvKwh[k] + charge - discharge;
    const p2p = i.p2pUsdPerKwh[k];
    if (need > TINY_KWH && p2p / keep + i.p2pDeliveryUsdPerKwh[k] < i.importUsdPerKwh[k]) out.boughtKwh[k] = need / keep;
    else if (need < -TINY_KWH && p2p - lambda > i.exportUsdPerKwh[k]) {
      out.soldKwh[k] = -need;
      soldKwh += -need;
    }
  }
  return soldKwh;
}

/**
 * At the bisection's end the plan at the upper λ sells at most the allowance; steps that sold at
 * the lower λ but export at the upper one are indifferent at the threshold, so their surplus goes to
 * neighbours, in time order, until the allowance is used. Returns the plan's P2P sales.
 */
function topUpSales(i: CoordinatedPlanInput, out: CoordinatedPlan, leftKwh: number, lambdaLo: number): number {
  let soldKwh = 0;
  for (let k = 0; k < i.steps; k++) soldKwh += out.soldKwh[k];
  for (let k = 0; k < i.steps && leftKwh > TINY_KWH; k++) {
    if (out.soldKwh[k] > 0) continue;
    const need = i.loadKwh[k] - i.pvKwh[k] + out.chargeKwh[k] - out.dischargeKwh[k];
    if (need < -TINY_KWH && i.p2pUsdPerKwh[k] - lambdaLo > i.exportUsdPerKwh[k]) {
      const add = Math.min(-need, leftKwh);
      out.soldKwh[k] = add;
      leftKwh -= add;
      soldKwh += add;
    }
  }
  return soldKwh;
}
