/**
 * Grid outages in the engine: which intervals of a day the grid is down or an outage is announced,
 * the pre-charge every strategy's plan gets on notice, and the islanded settlement (the central
 * agent's allocation, `central/island.ts`, settled into the state's result columns).
 *
 * - Notice (from start − noticeHours until the start): whatever the strategy planned, every battery
 *   charges as much as it may this interval (its power limit and ceiling), from the home's PV or,
 *   where its storage mode allows (no-export), from the grid; it sends no stored energy away. A
 *   solar-only battery still charges only from its own PV (the storage-mode rule holds in notice).
 * - Down: no grid import or export; the homes form an islanded microgrid and trade only with each
 *   other, at the central agent's price signal, within the market's per-trade size and daily sell
 *   cap (its bid/ask limits do not apply: the central agent allocates). The owner's backup reserve
 *   is there to be used: an islanded battery may empty (`islandBatteryColumns`). Each battery keeps
 *   back for its own critical load its mean critical load so far over the next min(24 h, time
 *   until the grid is back) — PV refills batteries by day.
 */
import { maxChargeKwhAt, maxDischargeKwhAt } from '../../battery/index.ts';
import { allocateIsland, pairTransfers } from '../../central/index.ts';
import type { DayView, HomeView, HouseholdDecision } from '../../agents/index.ts';
import type { DayBlock } from '../../data-gen/index.ts';
import { intervalEnergyCostUsd, pushTrade, resetTradeList } from '../../market/index.ts';
import { DateTime } from 'luxon';
import { GRID_UP, gridStateAt, hoursUntilRestored, type OutageWindow } from '../outages.ts';
import { assertStorageRules, landTrades, settledFlows, stepHomeBattery } from './home-step.ts';
import type { EngineState } from './state.ts';
import { ACTION_BUY, ACTION_HOLD, ACTION_SELL, type RunMeta } from './types.ts';

/** Critical load of a home whose data has no appliance split (measured meter data), kW: NRDC's 164 W median idle load plus some lighting. */
export const FALLBACK_CRITICAL_KW = 0.2;

/** How far ahead a battery keeps its reserve for its own critical load, hours (a day: PV refills it by day). */
export const RESERVE_HORIZON_HOURS = 24;

/** The grid in each interval of the day, and hours until it is back while down. */
export function gridOfDay(block: DayBlock, outages: readonly OutageWindow[]): { gridState: Uint8Array; restoreHours: Float64Array } {
  const D = block.intervals;
  const gridState = new Uint8Array(D).fill(GRID_UP);
  const restoreHours = new Float64Array(D);
  if (outages.length === 0) return { gridState, restoreHours };
  for (let t = 0; t < D; t++) {
    const ms = DateTime.fromISO(block.intervalStartIso[t], { setZone: true }).toMillis();
    gridState[t] = gridStateAt(outages, ms);
    restoreHours[t] = hoursUntilRestored(outages, ms);
  }
  return { gridState, restoreHours };
}

/** On notice: charge as much as the home's limits allow (they include its storage mode), send no stored energy. */
export function preChargeOnNotice(d: HouseholdDecision, home: HomeView): void {
  d.chargeKwh = home.maxChargeKwh;
  d.dischargeKwh = 0;
  d.askBatteryKwh = 0;
  d.bidChargeKwh = 0;
  d.bidDeficitKwh = Math.min(d.bidDeficitKwh, Math.max(0, home.loadKwh - home.pvKwh));
  d.askSurplusKwh = Math.min(d.askSurplusKwh, Math.max(0, home.pvKwh - home.loadKwh - d.chargeKwh));
  if (d.askSurplusKwh <= 0 && d.action === 'sell') d.action = 'hold';
}

/** The interval's critical load per home (the generator's split, or the fallback for measured data), and the running total. */
export function noteCritical(s: EngineState, block: DayBlock, t: number, intervalHours: number): void {
  const n = s.households;
  const off = t * n;
  for (let h = 0; h < n; h++) {
    const load = block.loadKwh[off + h];
    const c = block.criticalKwh ? block.criticalKwh[off + h] : FALLBACK_CRITICAL_KW * intervalHours;
    s.criticalKwh[h] = Math.min(load, Math.max(0, c));
    s.criticalSeenKwh[h] += s.criticalKwh[h];
  }
  s.criticalSeenIntervals++;
}

/** One islanded interval: the central agent allocates, P2P transfers become trades, batteries step, no grid. */
export function settleIsland(
  s: EngineState,
  day: { block: DayBlock; restoreHours: Float64Array; view: Pick<DayView, 'plans'> },
  t: number,
  meta: RunMeta,
  signalUsdPerKwh: number,
): void {
  const n = s.households;
  const off = t * n;
  const block = day.block;
  const market = meta.config.market;
  noteCritical(s, block, t, meta.intervalHours);
  fillIslandInput(s, block, t, meta, day.restoreHours[t]);
  const r = s.islandResult;
  allocateIsland(s.island, r);
  const price = Math.min(market.maxPriceUsdPerKwh, Math.max(market.minPriceUsdPerKwh, signalUsdPerKwh));
  const { boughtKwh, soldKwh, p2pPaidUsd, p2pReceivedUsd, trades } = s;
  resetTradeList(trades);
  // islanded, the utility bills nothing: no delivery charge on the community's transfers
  pairTransfers(r.sentKwh, r.receivedKwh, market.transmissionLoss, market.maxTradeKwh, (buyer, seller, sent) => {
    pushTrade(trades, buyer, seller, sent, price, market.transmissionLoss, 0);
    s.soldTodayKwh[seller] += sent;
  });
  landTrades(trades, boughtKwh, soldKwh, p2pPaidUsd, p2pReceivedUsd, s.p2pDeliveryChargeUsd);
  const plans = day.view.plans;
  for (let h = 0; h < n; h++) {
    // the rates the home's plan would bill (nothing is billed while islanded)
    s.tariffRateUsdPerKwh[h] = plans[meta.planOfHome[h]].importUsdPerKwh[t];
    s.generationRateUsdPerKwh[h] = plans[meta.planOfHome[h]].generationUsdPerKwh[t];
    s.exportRateUsdPerKwh[h] = plans[meta.planOfHome[h]].exportUsdPerKwh[t];
    const load = block.loadKwh[off + h];
    const pv = block.pvKwh[off + h] - r.curtailedKwh[h];
    const charge = r.chargeKwh[h];
    const discharge = r.dischargeKwh[h];
    s.chargeKwh[h] = charge;
    s.dischargeKwh[h] = discharge;
    stepHomeBattery(s, h, meta, s.tick, s.islandBatteryColumns);
    s.pvKwh[h] = pv;
    s.curtailedKwh[h] = r.curtailedKwh[h];
    s.unservedKwh[h] = r.unservedKwh[h];
    s.unservedCriticalKwh[h] = r.unservedCriticalKwh[h];
    s.gridImportKwh[h] = 0;
    s.gridExportKwh[h] = 0;
    const flows = settledFlows;
    flows.servedLoadKwh = load - r.unservedKwh[h];
    flows.pvKwh = pv;
    flows.chargeKwh = charge;
    flows.dischargeKwh = discharge;
    flows.p2pSoldKwh = soldKwh[h];
    flows.gridExportKwh = 0;
    assertStorageRules(meta, h, s.tick);
    s.energyCostUsd[h] = intervalEnergyCostUsd(0, 0, 0, 0, p2pPaidUsd[h], p2pReceivedUsd[h]);
    // the same homes without batteries or P2P are dark too: no grid flow, nothing billed
    s.baselineImportKwh[h] = 0;
    s.baselineExportKwh[h] = 0;
    s.baselineEnergyCostUsd[h] = 0;
    s.gridImportUsd[h] = 0;
    s.gridImportGenerationUsd[h] = 0;
    s.gridExportCreditUsd[h] = 0;
    s.baselineImportUsd[h] = 0;
    s.baselineImportGenerationUsd[h] = 0;
    s.baselineExportCreditUsd[h] = 0;
    s.action[h] = soldKwh[h] > 0 ? ACTION_SELL : boughtKwh[h] > 0 ? ACTION_BUY : ACTION_HOLD;
  }
}

/** The allocation's inputs: each battery's limits, its reserve for its own critical load, each home's sell allowance. */
function fillIslandInput(s: EngineState, block: DayBlock, t: number, meta: RunMeta, restoreHours: number): void {
  const n = s.households;
  const off = t * n;
  const x = s.island;
  const dtH = meta.intervalHours;
  const horizonH = Math.min(RESERVE_HORIZON_HOURS, restoreHours);
  const seen = Math.max(1, s.criticalSeenIntervals);
  x.p2p = meta.marketEnabled;
  x.transmissionLoss = meta.config.market.transmissionLoss;
  for (let h = 0; h < n; h++) {
    x.loadKwh[h] = block.loadKwh[off + h];
    x.pvKwh[h] = block.pvKwh[off + h];
    x.criticalKwh[h] = s.criticalKwh[h];
    x.storageMode[h] = meta.storageMode[h];
    x.sendCapKwh[h] = Math.max(0, meta.config.market.maxDailySellKwh - s.soldTodayKwh[h]);
    if (!s.hasBattery[h]) {
      x.dischargeMaxKwh[h] = 0;
      x.spareDischargeKwh[h] = 0;
      x.chargeMaxKwh[h] = 0;
      x.reserveChargeKwh[h] = 0;
      continue;
    }
    const c = s.islandBatteryColumns;
    const soc = s.socKwh[h];
    const criticalKw = s.criticalSeenKwh[h] / seen / dtH;
    const reserveSoc = Math.min(c.maxSocKwh[h], (criticalKw * horizonH) / c.dischargeEfficiency[h]);
    x.dischargeMaxKwh[h] = maxDischargeKwhAt(c, h, soc, dtH);
    x.chargeMaxKwh[h] = maxChargeKwhAt(c, h, soc, dtH);
    x.spareDischargeKwh[h] = Math.min(x.dischargeMaxKwh[h], Math.max(0, soc - reserveSoc) * c.dischargeEfficiency[h]);
    x.reserveChargeKwh[h] = Math.min(x.chargeMaxKwh[h], Math.max(0, reserveSoc - soc) / c.chargeEfficiency[h]);
  }
}
