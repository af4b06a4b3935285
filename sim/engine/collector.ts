/**
 * The run's data collector (Mesa's DataCollector): a subscriber to the engine's event stream that
 * adds every interval into the run totals the summary is built from, and — when asked — keeps the
 * per-home series the perfect-foresight optimum needs. The engine's step never touches a total.
 */
import { Observable } from 'rxjs';
import { STORAGE_SOLAR_ONLY } from '../../battery/index.ts';
import { REJECTION_REASONS, baselineAllowanceKwhPerDay, seasonOf } from '../../market/index.ts';
import { communityNetImportKw, isFeederOverload } from '../feeder.ts';
import { GRID_DOWN } from '../outages.ts';
import { createColumnTotaller, HOME_COLUMNS, type ColumnTotals } from './columns.ts';
import type { CollectorMeta, EngineEvent, OutageTotals, RunEnd, RunSeries, RunTotals, SimEvent, TickCoordination, TickFrame } from './types.ts';

/** A critical load counts as fully served when less than this much of it is unserved (kWh). */
export const CRITICAL_SERVED_TOLERANCE_KWH = 1e-9;

/** Adds the engine's ticks into totals; `finish` completes them with what only the end knows. */
export interface TotalsCollector {
  tick(frame: TickFrame): void;
  finish(end: RunEnd): { totals: RunTotals; series: RunSeries | null };
}

export function createTotalsCollector(meta: CollectorMeta, collectSeries: boolean): TotalsCollector {
  const n = meta.households.length;
  const H = meta.horizon;
  const intervalHours = meta.intervalHours;
  const territory = meta.config.households.territory;
  const f64 = () => new Float64Array(n);
  const columns = createColumnTotaller(HOME_COLUMNS, n);
  const totals: RunTotals = {
    ...(columns.totals as ColumnTotals),
    intervals: meta.intervals,
    days: meta.config.time.days,
    peakImportKw: f64(), baselinePeakImportKw: f64(), capacityKwh: f64(), equivalentCycles: f64(),
    baselineAllowanceKwh: 0, communityPeakImportKw: 0, communityBaselinePeakImportKw: 0,
    feederLimitKw: meta.config.grid.feederLimitKw, feederOverloadIntervals: 0, baselineFeederOverloadIntervals: 0, feederPeakAbsNetKw: 0,
    tradesExecuted: 0, sentKwh: 0, deliveredKwh: 0, deliveryChargesUsd: 0, buyerPaidUsd: 0, sellerReceivedUsd: 0,
    rejectionCounts: {}, priceSignalMin: Infinity, priceSignalMax: -Infinity, priceSignalSum: 0,
    coordinatedIntervals: 0, coordinationIterations: 0, coordinationAbsResidualKwh: 0, coordinationAbsPlanGapKwh: 0,
    batteryWearUsd: f64(), refillUsdPerStoredKwh: f64(),
    forecastLoadAbsErrorKwh: new Float64Array(H), forecastPvAbsErrorKwh: new Float64Array(H),
    forecastCount: new Float64Array(H),
    federated: null,
    outage: {
      intervals: 0, demandKwh: f64(), criticalDemandKwh: f64(), unservedKwh: f64(), unservedCriticalKwh: f64(),
      criticalServedIntervals: f64(), communityCriticalServedIntervals: 0, curtailedKwh: f64(), boughtKwh: f64(), socAtStartKwh: f64(),
    },
  };
  const series: RunSeries | null = collectSeries
    ? {
        loadKwh: meta.households.map(() => new Float64Array(meta.intervals)),
        pvKwh: meta.households.map(() => new Float64Array(meta.intervals)),
        criticalKwh: meta.households.map(() => new Float64Array(meta.intervals)),
        gridDown: new Uint8Array(meta.intervals),
        importUsdPerKwhByPlan: meta.plans.map(() => new Float64Array(meta.intervals)),
        p2pDeliveryUsdPerKwhByPlan: meta.plans.map(() => new Float64Array(meta.intervals)),
        exportUsdPerKwh: new Float64Array(meta.intervals),
        homeExportUsdPerKwh: meta.households.map(() => new Float64Array(meta.intervals)),
        dayOfInterval: new Int32Array(meta.intervals),
      }
    : null;
  const forecasts = createForecastScorer(n, H);
  const refill = createRefillTracker(meta);
  const rejections = createRejectionTally();
  let day = -1;
  let wasDown = false;
  const lastSoc = Float64Array.from(meta.initialSocKwh);

  return {
    tick(f: TickFrame) {
      if (f.dayIndex !== day) {
        day = f.dayIndex;
        refill.newDay();
        totals.baselineAllowanceKwh += baselineAllowanceKwhPerDay(territory, seasonOf(f.month));
      }
      refill.tick(f);
      forecasts.score(totals, f);
      addMarket(totals, f);
      rejections.add(f.rejections);
      columns.add(f);
      addHouseholds(totals, f, intervalHours, meta.wearUsdPerKwh, refill.minSurplusExport);
      const down = f.gridState === GRID_DOWN;
      if (down) addOutage(totals.outage, f, wasDown ? null : lastSoc);
      wasDown = down;
      lastSoc.set(f.socKwh);
      if (series) addSeries(series, f);
      totals.priceSignalMin = Math.min(totals.priceSignalMin, f.priceSignalUsdPerKwh);
      totals.priceSignalMax = Math.max(totals.priceSignalMax, f.priceSignalUsdPerKwh);
      totals.priceSignalSum += f.priceSignalUsdPerKwh;
      if (f.coordination) addCoordination(totals, f, f.coordination);
    },
    finish(end: RunEnd) {
      totals.capacityKwh = end.capacityKwh;
      totals.equivalentCycles = end.equivalentCycles;
      totals.federated = end.federated;
      refill.write(totals.refillUsdPerStoredKwh);
      rejections.write(totals.rejectionCounts);
      return { totals, series };
    },
  };
}

/**
 * Tracks, over the current day, each plan's cheapest import and each home's cheapest export while it
 * has a PV surplus (`minSurplusExport`, which `addHouseholds` keeps in its pass over the homes).
 */
function createRefillTracker(meta: CollectorMeta) {
  const n = meta.households.length;
  const minImport = new Float64Array(meta.plans.length);
  const minSurplusExport = new Float64Array(n);
  return {
    minSurplusExport,
    newDay() {
      minImport.fill(Infinity);
      minSurplusExport.fill(Infinity);
    },
    tick(f: TickFrame) {
      for (let p = 0; p < minImport.length; p++) minImport[p] = Math.min(minImport[p], f.importUsdPerKwhByPlan[p]);
    },
    write(out: Float64Array) {
      const eta = meta.nominalBattery.chargeEfficiency;
      for (let h = 0; h < n; h++) {
        const fromPv = meta.storageMode[h] === STORAGE_SOLAR_ONLY && Number.isFinite(minSurplusExport[h]);
        const price = fromPv ? minSurplusExport[h] : minImport[meta.planOfHome[h]];
        out[h] = (Number.isFinite(price) ? price : 0) / eta;
      }
    },
  };
}

/**
 * The rejections by reason, counted in typed arrays (adding a key to a record as each reason first
 * appears would change the record's shape in the middle of the run); `write` fills the totals'
 * record in the order the reasons first appeared.
 */
function createRejectionTally() {
  const count = new Float64Array(REJECTION_REASONS.length);
  const kwh = new Float64Array(REJECTION_REASONS.length);
  const order: number[] = [];
  return {
    add(rejections: TickFrame['rejections']): void {
      for (let r = 0; r < rejections.count; r++) {
        const reason = rejections.reason[r];
        if (count[reason] === 0) order.push(reason);
        count[reason]++;
        kwh[reason] += rejections.quantityKwh[r];
      }
    },
    write(out: RunTotals['rejectionCounts']): void {
      for (const reason of order) out[REJECTION_REASONS[reason]] = { count: count[reason], kwh: kwh[reason] };
    },
  };
}

/** The interval's trades into the community totals (the same additions in the same order, on locals: a running total kept in the object was boxed at every trade). */
function addMarket(totals: RunTotals, f: TickFrame): void {
  const trades = f.trades;
  let sent = totals.sentKwh;
  let delivered = totals.deliveredKwh;
  let delivery = totals.deliveryChargesUsd;
  let buyerPaid = totals.buyerPaidUsd;
  let sellerReceived = totals.sellerReceivedUsd;
  for (let k = 0; k < trades.count; k++) {
    sent += trades.sentKwh[k];
    delivered += trades.deliveredKwh[k];
    delivery += trades.deliveryChargeUsd[k];
    buyerPaid += trades.buyerPaysUsd[k];
    sellerReceived += trades.sellerReceivesUsd[k];
  }
  totals.sentKwh = sent;
  totals.deliveredKwh = delivered;
  totals.deliveryChargesUsd = delivery;
  totals.buyerPaidUsd = buyerPaid;
  totals.sellerReceivedUsd = sellerReceived;
  totals.tradesExecuted += trades.count;
}

/**
 * One interval into the per-home totals the registry does not declare, in one pass over the homes:
 * peaks, battery wear, and (into `minSurplusExport`) the cheapest export while the home has a PV
 * surplus; then the community's net flow through its feeder, with and without batteries and P2P.
 */
function addHouseholds(totals: RunTotals, f: TickFrame, intervalHours: number, wearUsdPerKwh: number, minSurplusExport: Float64Array): void {
  let communityImport = 0;
  let communityBaselineImport = 0;
  for (let h = 0; h < f.loadKwh.length; h++) {
    const exportRate = f.exportRateUsdPerKwh[h];
    const imp = f.gridImportKwh[h];
    const baseImp = f.baselineImportKwh[h];
    const load = f.loadKwh[h];
    const pv = f.pvKwh[h];
    if (pv > load) minSurplusExport[h] = Math.min(minSurplusExport[h], exportRate);
    totals.batteryWearUsd[h] += wearUsdPerKwh * f.dischargeKwh[h];
    totals.peakImportKw[h] = Math.max(totals.peakImportKw[h], imp / intervalHours);
    totals.baselinePeakImportKw[h] = Math.max(totals.baselinePeakImportKw[h], baseImp / intervalHours);
    communityImport += imp;
    communityBaselineImport += baseImp;
  }
  const n = f.loadKwh.length;
  const netKw = communityNetImportKw(f.gridImportKwh, f.gridExportKwh, n, intervalHours);
  const baselineNetKw = communityNetImportKw(f.baselineImportKwh, f.baselineExportKwh, n, intervalHours);
  if (isFeederOverload(netKw, totals.feederLimitKw)) totals.feederOverloadIntervals++;
  if (isFeederOverload(baselineNetKw, totals.feederLimitKw)) totals.baselineFeederOverloadIntervals++;
  totals.feederPeakAbsNetKw = Math.max(totals.feederPeakAbsNetKw, Math.abs(netKw));
  totals.communityPeakImportKw = Math.max(totals.communityPeakImportKw, communityImport / intervalHours);
  totals.communityBaselinePeakImportKw = Math.max(totals.communityBaselinePeakImportKw, communityBaselineImport / intervalHours);
}

/** One islanded interval into the outage totals (`socBefore`: the stored energy when the grid just went down, else null). */
function addOutage(o: OutageTotals, f: TickFrame, socBefore: Float64Array | null): void {
  o.intervals++;
  let allServed = true;
  for (let h = 0; h < f.loadKwh.length; h++) {
    if (socBefore) o.socAtStartKwh[h] += socBefore[h];
    o.demandKwh[h] += f.loadKwh[h];
    o.criticalDemandKwh[h] += f.criticalKwh[h];
    o.unservedKwh[h] += f.unservedKwh[h];
    o.unservedCriticalKwh[h] += f.unservedCriticalKwh[h];
    o.curtailedKwh[h] += f.curtailedKwh[h];
    o.boughtKwh[h] += f.boughtKwh[h];
    if (f.unservedCriticalKwh[h] <= CRITICAL_SERVED_TOLERANCE_KWH) o.criticalServedIntervals[h]++;
    else allServed = false;
  }
  if (allServed) o.communityCriticalServedIntervals++;
}

function addSeries(series: RunSeries, f: TickFrame): void {
  const g = f.index;
  for (let h = 0; h < f.loadKwh.length; h++) {
    series.loadKwh[h][g] = f.loadKwh[h];
    series.pvKwh[h][g] = f.pvAvailableKwh[h];
    series.criticalKwh[h][g] = f.criticalKwh[h];
    series.homeExportUsdPerKwh[h][g] = f.exportRateUsdPerKwh[h];
  }
  series.gridDown[g] = f.gridState === GRID_DOWN ? 1 : 0;
  for (let p = 0; p < series.importUsdPerKwhByPlan.length; p++) {
    series.importUsdPerKwhByPlan[p][g] = f.importUsdPerKwhByPlan[p];
    series.p2pDeliveryUsdPerKwhByPlan[p][g] = f.p2pDeliveryUsdPerKwhByPlan[p];
  }
  series.exportUsdPerKwh[g] = f.exportUsdPerKwh;
  series.dayOfInterval[g] = f.dayIndex;
}

/**
 * Forecast-error bookkeeping: the forecasts made at tick τ for τ+1…τ+H are kept in a ring of H
 * slots and scored against each actual as it arrives. Each step's error is summed over the homes in
 * order; two steps share one pass over the homes (independent sums, so they run side by side).
 */
function createForecastScorer(n: number, H: number) {
  const pendingLoad = new Float64Array(H * n * H);
  const pendingPv = new Float64Array(H * n * H);
  const pendingTick = new Float64Array(H).fill(-1);
  // the steps scored this tick: step index k − 1, and where its forecasts start in the ring
  const steps = new Int32Array(H);
  const starts = new Int32Array(H);
  const add = (totals: RunTotals, step: number, errLoad: number, errPv: number) => {
    totals.forecastLoadAbsErrorKwh[step] += errLoad;
    totals.forecastPvAbsErrorKwh[step] += errPv;
    totals.forecastCount[step] += n;
  };
  return {
    score(totals: RunTotals, f: TickFrame): void {
      const g = f.index;
      const load = f.loadKwh;
      const pv = f.pvAvailableKwh;
      let m = 0;
      for (let k = 1; k <= H; k++) {
        const tau = g - k;
        if (tau < 0) break;
        const slot = tau % H;
        if (pendingTick[slot] !== tau) continue;
        steps[m] = k - 1;
        starts[m++] = slot * n * H + (k - 1);
      }
      let q = 0;
      for (; q + 1 < m; q += 2) {
        const a = starts[q];
        const b = starts[q + 1];
        let loadA = 0;
        let pvA = 0;
        let loadB = 0;
        let pvB = 0;
        for (let h = 0; h < n; h++) {
          const at = h * H;
          loadA += Math.abs(pendingLoad[a + at] - load[h]);
          pvA += Math.abs(pendingPv[a + at] - pv[h]);
          loadB += Math.abs(pendingLoad[b + at] - load[h]);
          pvB += Math.abs(pendingPv[b + at] - pv[h]);
        }
        add(totals, steps[q], loadA, pvA);
        add(totals, steps[q + 1], loadB, pvB);
      }
      for (; q < m; q++) {
        const a = starts[q];
        let errLoad = 0;
        let errPv = 0;
        for (let h = 0; h < n; h++) {
          errLoad += Math.abs(pendingLoad[a + h * H] - load[h]);
          errPv += Math.abs(pendingPv[a + h * H] - pv[h]);
        }
        add(totals, steps[q], errLoad, errPv);
      }
      const slot = g % H;
      pendingLoad.set(f.forecastLoadKwh, slot * n * H);
      pendingPv.set(f.forecastPvKwh, slot * n * H);
      pendingTick[slot] = g;
    },
  };
}

/** The engine's events with the collector attached: the end event carries the run totals. */
export function withTotals(engine: Observable<EngineEvent>, collectSeries: boolean): Observable<SimEvent> {
  return new Observable<SimEvent>((subscriber) => {
    let collector: TotalsCollector | null = null;
    const inner = engine.subscribe({
      next(e) {
        if (e.type === 'start') collector = createTotalsCollector(e.meta, collectSeries);
        else if (e.type === 'tick') collector!.tick(e.frame);
        if (e.type === 'engine-end') {
          const { totals, series } = collector!.finish(e.end);
          subscriber.next({ type: 'end', meta: e.meta, totals, series, forecastTape: e.end.forecastTape });
        } else subscriber.next(e);
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
    return () => inner.unsubscribe();
  });
}

/** One coordinated interval: its proposals, its planned imbalance, and how far each home's actual P2P position fell from its plan. */
function addCoordination(totals: RunTotals, f: TickFrame, c: TickCoordination): void {
  totals.coordinatedIntervals += 1;
  totals.coordinationIterations += c.iterations;
  totals.coordinationAbsResidualKwh += Math.abs(c.residualKwh);
  for (let h = 0; h < c.plannedNetKwh.length; h++) totals.coordinationAbsPlanGapKwh += Math.abs(c.plannedNetKwh[h] - (f.soldKwh[h] - f.boughtKwh[h]));
}
