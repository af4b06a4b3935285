/**
 * The central agent's allocation of scarce energy while the grid is down (a Public Safety Power
 * Shutoff). Assumption: the homes' grid-forming inverters and the neighbourhood's own lines form an
 * island, as a community microgrid would — no grid import or export; energy moves only between the
 * homes (P2P, with the market's transmission loss, per-trade size and daily sell cap).
 *
 * Each home's load is split into critical (refrigerator, lighting, the always-on plug / medical
 * baseline: `DayBlock.criticalKwh`) and deferrable (the rest, which may be shed — it is not
 * rescheduled). The order, in one interval:
 *  1. each home's own PV serves its own load, critical then deferrable (behind the meter; the
 *     no-export storage rule also requires it before a sale);
 *  2. each home's battery serves its own remaining critical load;
 *  3. P2P: PV surplus first, then stored energy above each home's reserve (where its storage mode
 *     lets stored energy leave), to the other homes' unserved critical load — when short, every
 *     home gets the same share of its unserved critical load (proportional fairness);
 *  4. PV surplus refills each home's own battery up to its reserve (its coming critical load);
 *  5. each home's stored energy above its reserve serves its own deferrable load, then P2P (as in
 *     3) serves the other homes' deferrable load, again the same share for every home;
 *  6. what PV is left charges the home's own battery, then (P2P) the batteries that may charge
 *     from neighbours (no-export mode), of homes that did not sell this interval;
 *  7. the rest of the PV is curtailed (the inverters ramp down).
 * Demand not served is `unservedKwh` (critical part `unservedCriticalKwh`).
 *
 * Pure: typed arrays in, typed arrays out (the result is reused every interval, no allocation).
 */
import { storedEnergyMayLeave, mayChargeFromImports } from '../battery/index.ts';

export interface IslandInput {
  households: number;
  loadKwh: ArrayLike<number>;
  /** critical part of the load (clamped to the load) */
  criticalKwh: ArrayLike<number>;
  pvKwh: ArrayLike<number>;
  /** storage-mode codes (battery/storage-mode.ts; 0 without a battery) */
  storageMode: ArrayLike<number>;
  /** most each battery may deliver this interval, bus kWh (0 without a battery) */
  dischargeMaxKwh: ArrayLike<number>;
  /** the part of that above the home's reserve (stored energy it may spend on deferrable load or share) */
  spareDischargeKwh: ArrayLike<number>;
  /** most each battery may take this interval, bus kWh */
  chargeMaxKwh: ArrayLike<number>;
  /** bus kWh that would bring the battery up to its reserve (≤ chargeMaxKwh) */
  reserveChargeKwh: ArrayLike<number>;
  /** most each home may still send today (the market's daily sell cap) */
  sendCapKwh: ArrayLike<number>;
  /** whether homes may trade (false: each home alone, the battery-only rerun) */
  p2p: boolean;
  transmissionLoss: number;
}

export interface IslandResult {
  servedKwh: Float64Array;
  unservedKwh: Float64Array;
  unservedCriticalKwh: Float64Array;
  chargeKwh: Float64Array;
  dischargeKwh: Float64Array;
  /** kWh each home sent into P2P transfers, and kWh delivered to it */
  sentKwh: Float64Array;
  receivedKwh: Float64Array;
  /** PV the inverter did not deliver (no load, battery or neighbour to take it) */
  curtailedKwh: Float64Array;
  /** scratch */
  needCritical: Float64Array;
  needDeferrable: Float64Array;
  surplus: Float64Array;
  spare: Float64Array;
  sendLeft: Float64Array;
  chargeRoom: Float64Array;
  chargeNeed: Float64Array;
  receivedBefore: Float64Array;
  buyer: Uint8Array;
}

export function createIslandResult(n: number): IslandResult {
  const f = () => new Float64Array(n);
  return {
    servedKwh: f(), unservedKwh: f(), unservedCriticalKwh: f(), chargeKwh: f(), dischargeKwh: f(), sentKwh: f(), receivedKwh: f(), curtailedKwh: f(),
    needCritical: f(), needDeferrable: f(), surplus: f(), spare: f(), sendLeft: f(), chargeRoom: f(), chargeNeed: f(),
    receivedBefore: f(), buyer: new Uint8Array(n),
  };
}

const EPS = 1e-12;

/** Allocates one islanded interval into `out` (see the module comment for the order). */
export function allocateIsland(x: IslandInput, out: IslandResult): void {
  const n = x.households;
  const { needCritical, needDeferrable, surplus, spare, sendLeft, chargeRoom, chargeNeed } = out;
  out.sentKwh.fill(0);
  out.receivedKwh.fill(0);
  out.chargeKwh.fill(0);
  for (let h = 0; h < n; h++) {
    const load = Math.max(0, x.loadKwh[h]);
    const crit = Math.min(Math.max(0, x.criticalKwh[h]), load);
    const pv = Math.max(0, x.pvKwh[h]);
    const useCritical = Math.min(pv, crit);
    const useDeferrable = Math.min(pv - useCritical, load - crit);
    surplus[h] = pv - useCritical - useDeferrable;
    const ownCritical = Math.min(x.dischargeMaxKwh[h], crit - useCritical);
    needCritical[h] = crit - useCritical - ownCritical;
    needDeferrable[h] = load - crit - useDeferrable;
    out.dischargeKwh[h] = ownCritical;
    spare[h] = Math.max(0, Math.min(x.dischargeMaxKwh[h] - ownCritical, x.spareDischargeKwh[h]));
    sendLeft[h] = x.p2p ? Math.max(0, x.sendCapKwh[h]) : 0;
    chargeRoom[h] = Math.max(0, x.chargeMaxKwh[h]);
  }
  if (x.p2p) share(x, out, needCritical, true);
  for (let h = 0; h < n; h++) {
    const toReserve = Math.min(surplus[h], Math.max(0, x.reserveChargeKwh[h]), chargeRoom[h]);
    out.chargeKwh[h] += toReserve;
    surplus[h] -= toReserve;
    chargeRoom[h] -= toReserve;
    const ownDeferrable = Math.min(spare[h], needDeferrable[h]);
    out.dischargeKwh[h] += ownDeferrable;
    spare[h] -= ownDeferrable;
    needDeferrable[h] -= ownDeferrable;
  }
  if (x.p2p) share(x, out, needDeferrable, true);
  for (let h = 0; h < n; h++) {
    const own = Math.min(surplus[h], chargeRoom[h]);
    out.chargeKwh[h] += own;
    surplus[h] -= own;
    chargeRoom[h] -= own;
    chargeNeed[h] = x.p2p && out.sentKwh[h] === 0 && mayChargeFromImports(x.storageMode[h]) ? chargeRoom[h] : 0;
  }
  if (x.p2p) {
    out.receivedBefore.set(out.receivedKwh);
    share(x, out, chargeNeed, false);
    for (let h = 0; h < n; h++) out.chargeKwh[h] += out.receivedKwh[h] - out.receivedBefore[h];
  }
  for (let h = 0; h < n; h++) finishHome(x, out, h);
}

/** Unserved load, curtailment and the battery's net step of home h. */
function finishHome(x: IslandInput, out: IslandResult, h: number): void {
  const load = Math.max(0, x.loadKwh[h]);
  out.unservedCriticalKwh[h] = clean(out.needCritical[h]);
  out.unservedKwh[h] = clean(out.needCritical[h] + out.needDeferrable[h]);
  out.servedKwh[h] = load - out.unservedKwh[h];
  out.curtailedKwh[h] = clean(out.surplus[h]);
  // a battery never charges and discharges at once: net the two (the balance is unchanged)
  const net = out.chargeKwh[h] - out.dischargeKwh[h];
  out.chargeKwh[h] = net > 0 ? clean(net) : 0;
  out.dischargeKwh[h] = net < 0 ? clean(-net) : 0;
}

const clean = (v: number) => (v > EPS ? v : 0);

/**
 * P2P transfer into `need` (delivered kWh per home): from the homes' PV surplus first, then — when
 * `fromBatteries` — from stored energy above their reserve where it may leave. When supply is short
 * every home receives the same share of its need.
 */
function share(x: IslandInput, out: IslandResult, need: Float64Array, fromBatteries: boolean): void {
  const n = x.households;
  const keep = 1 - x.transmissionLoss;
  const { surplus, spare, sendLeft, sentKwh } = out;
  // a home that sent this interval does not buy back (no home is both seller and buyer)
  const buys = (h: number) => need[h] > EPS && sentKwh[h] === 0;
  let needTotal = 0;
  for (let h = 0; h < n; h++) if (buys(h)) needTotal += need[h];
  if (needTotal <= EPS || keep <= 0) return;
  const demandSent = needTotal / keep;
  let supplyPv = 0;
  for (let h = 0; h < n; h++) if (!buys(h)) supplyPv += Math.min(surplus[h], sendLeft[h]);
  let sent = 0;
  if (supplyPv > EPS) {
    const f = Math.min(1, demandSent / supplyPv);
    for (let h = 0; h < n; h++) {
      if (buys(h)) continue;
      const s = Math.min(surplus[h], sendLeft[h]) * f;
      surplus[h] -= s;
      sendLeft[h] -= s;
      out.sentKwh[h] += s;
      sent += s;
    }
  }
  if (fromBatteries && demandSent - sent > EPS) {
    let supplyBattery = 0;
    for (let h = 0; h < n; h++) if (!buys(h) && storedEnergyMayLeave(x.storageMode[h])) supplyBattery += Math.min(spare[h], sendLeft[h]);
    if (supplyBattery > EPS) {
      const f = Math.min(1, (demandSent - sent) / supplyBattery);
      for (let h = 0; h < n; h++) {
        if (buys(h) || !storedEnergyMayLeave(x.storageMode[h])) continue;
        const s = Math.min(spare[h], sendLeft[h]) * f;
        spare[h] -= s;
        sendLeft[h] -= s;
        out.dischargeKwh[h] += s;
        out.sentKwh[h] += s;
        sent += s;
      }
    }
  }
  const fraction = Math.min(1, (sent * keep) / needTotal);
  const buyer = out.buyer;
  for (let h = 0; h < n; h++) buyer[h] = buys(h) ? 1 : 0;
  for (let h = 0; h < n; h++) {
    if (!buyer[h]) continue;
    const got = need[h] * fraction;
    out.receivedKwh[h] += got;
    need[h] -= got;
  }
}

/**
 * Turns the interval's per-home transfers into seller→buyer trades (sellers and buyers in index
 * order, each trade at most `maxTradeKwh` sent): `push(buyer, seller, sentKwh)`. Σ sent per seller
 * equals `sentKwh`, Σ sent × (1 − loss) per buyer equals `receivedKwh`.
 */
export function pairTransfers(
  sentKwh: Float64Array,
  receivedKwh: Float64Array,
  transmissionLoss: number,
  maxTradeKwh: number,
  push: (buyer: number, seller: number, sentKwh: number) => void,
): void {
  const n = sentKwh.length;
  const keep = 1 - transmissionLoss;
  let s = 0;
  let b = 0;
  let sellerLeft = n > 0 ? sentKwh[0] : 0;
  let buyerLeft = n > 0 ? receivedKwh[0] / keep : 0;
  while (s < n && b < n) {
    if (sellerLeft <= EPS) {
      s++;
      sellerLeft = s < n ? sentKwh[s] : 0;
      continue;
    }
    if (buyerLeft <= EPS) {
      b++;
      buyerLeft = b < n ? receivedKwh[b] / keep : 0;
      continue;
    }
    // the last buyer takes whatever its sellers have left (float round-off only)
    const q = Math.min(sellerLeft, buyerLeft, maxTradeKwh);
    push(b, s, q);
    sellerLeft -= q;
    buyerLeft -= q;
  }
}
