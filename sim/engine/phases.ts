/**
 * The engine's phases: each a function over the explicit engine state and the day's context, with
 * tight, allocation-free loops over the homes inside. The run loop in `index.ts` calls them in
 * order: beginDay, then per interval observe → forecast → priceSignal → decide → clearMarket →
 * settle → frameOf, then endDay.
 */
import { dayRateStructure, resetDecision, type DayView, type HomeView, type PlanDay, type PriceResponsivePlanner, type Strategy, type TickView } from '../../agents/index.ts';
import {
  batteryParams,
  chargeCapKwh,
  checkStorageRules,
  dischargeCapKwh,
  mayChargeFromImports,
  p2pSaleCapKwh,
  storedEnergyMayLeave,
  type StorageFlows,
  equivalentFullCycles,
  fadedCapacityKwh,
  maxChargeKwhAt,
  maxDischargeKwhAt,
  stepBattery,
  type BatteryParams,
} from '../../battery/index.ts';
import { coordinatePrices, initialPrices, priceSignalUsdPerKwh } from '../../central/index.ts';
import { ENERGY_EPSILON_KWH } from '../../common/index.ts';
import type { DayBlock } from '../../data-gen/index.ts';
import {
  addOrder,
  exportSchedule,
  intervalEnergyCostUsd,
  matchOrders,
  p2pDeliveryUsdPerKwh,
  resetMatchList,
  resetOrderBook,
  resetRejectionList,
  resetTradeList,
  settleMatches,
  SIDE_BUY,
  SIDE_SELL,
  validateOrders,
  type OrderSide,
} from '../../market/index.ts';
import { localTimeOf } from '../calendar.ts';
import type { SimConfig } from '../config.ts';
import type { ForecastSource } from '../forecasting.ts';
import { GRID_DOWN, GRID_NOTICE } from '../outages.ts';
import { gridOfDay, noteCritical, preChargeOnNotice } from './island.ts';
import { setHomeBatteryColumns, type EngineState } from './state.ts';
import { assertStorageRules, landTrades, settledFlows, stepHomeBattery } from './home-step.ts';
import { ACTION_BUY, ACTION_HOLD, ACTION_SELL, type RunMeta, type SettleMeta, type TickFrame } from './types.ts';

const EPS = ENERGY_EPSILON_KWH;

/** One trading day: its tariffs, their rate structures and the homes' day-ahead forecasts. */
export interface DayContext {
  dayIndex: number;
  block: DayBlock;
  view: DayView;
  /** scratch: each plan's import rate in the current interval */
  importByPlan: Float64Array;
  /** scratch: each plan's charge per delivered P2P kWh in the current interval */
  deliveryByPlan: Float64Array;
  /** how many homes are on each plan */
  homesOnPlan: Float64Array;
  /** the grid in each interval of the day (GRID_UP, GRID_NOTICE, GRID_DOWN) and, while down, hours until it is back */
  gridState: Uint8Array;
  restoreHours: Float64Array;
}

/** Prices the day for every plan and asks every home for its day-ahead forecast; the strategy prepares the day. */
export function beginDay(
  s: EngineState,
  block: DayBlock,
  dayIndex: number,
  lastDay: boolean,
  meta: RunMeta,
  source: ForecastSource,
  strategy: Strategy,
): DayContext {
  const D = block.intervals;
  const n = s.households;
  source.beginDay(block);
  const exportRate = exportSchedule(meta.config.tariff.exportCompensation);
  const m = meta.config.market;
  const plans: PlanDay[] = meta.plans.map(() => ({
    importUsdPerKwh: new Float64Array(D),
    exportUsdPerKwh: new Float64Array(D),
    generationUsdPerKwh: new Float64Array(D),
    p2pDeliveryUsdPerKwh: new Float64Array(D),
    structure: null as unknown as PlanDay['structure'],
  }));
  const exportUsdPerKwh = new Float64Array(D);
  for (let t = 0; t < D; t++) {
    const lt = localTimeOf(block.date, block.localHour[t], block.weekday);
    for (let p = 0; p < plans.length; p++) {
      const rate = meta.plans[p].rateAt(lt);
      plans[p].importUsdPerKwh[t] = rate.importUsdPerKwh;
      plans[p].generationUsdPerKwh[t] = rate.generationUsdPerKwh ?? rate.importUsdPerKwh;
      plans[p].p2pDeliveryUsdPerKwh[t] = p2pDeliveryUsdPerKwh(m.settlement, rate.importUsdPerKwh, rate.generationUsdPerKwh, m.feeUsdPerKwh);
      plans[p].exportUsdPerKwh[t] = meta.exports[p].usdPerKwhAt(lt);
    }
    exportUsdPerKwh[t] = exportRate.usdPerKwhAt(lt);
  }
  for (const plan of plans) plan.structure = dayRateStructure(plan.importUsdPerKwh, D);
  // day-ahead forecast (before the day's first interval), into the state's arrays: the forecasters
  // write every entry, and the views are only valid for their day (agents/strategy.ts)
  if (s.dayAheadLoadKwh.length !== n * D) {
    s.dayAheadLoadKwh = new Float64Array(n * D);
    s.dayAheadPvKwh = new Float64Array(n * D);
  }
  const loadKwh = s.dayAheadLoadKwh;
  const pvKwh = s.dayAheadPvKwh;
  source.forecaster.forecast(D, loadKwh, pvKwh);
  const view: DayView = {
    intervals: D,
    lastDay,
    plans,
    planOfHome: meta.planOfHome,
    exportUsdPerKwh,
    loadKwh,
    pvKwh,
    yesterdayMinSignalUsdPerKwh: s.yesterdayMinSignalUsdPerKwh,
  };
  strategy.prepareDay(view);
  s.dayMinSignalUsdPerKwh = Infinity;
  const { gridState, restoreHours } = gridOfDay(block, meta.outages);
  return { dayIndex, block, view, importByPlan: new Float64Array(plans.length), deliveryByPlan: new Float64Array(plans.length), homesOnPlan: homesPerPlan(meta), gridState, restoreHours };
}

function homesPerPlan(meta: RunMeta): Float64Array {
  const count = new Float64Array(meta.plans.length);
  for (let h = 0; h < meta.planOfHome.length; h++) count[meta.planOfHome[h]]++;
  return count;
}

/**
 * The import rate the community faces in interval t: the one plan's rate when every home is on it,
 * else the mean over homes.
 */
export function communityImportUsdPerKwh(day: DayContext, t: number): number {
  return communityMean(day, t, false);
}

/**
 * What a delivered P2P kWh saves the community's buyers in interval t: the import rate less the
 * delivery charge (the mean over homes, as communityImportUsdPerKwh). The central agent sets its
 * price band's top against it.
 */
export function communityBuyerValueUsdPerKwh(day: DayContext, t: number): number {
  return communityMean(day, t, true);
}

function communityMean(day: DayContext, t: number, lessDelivery: boolean): number {
  const plans = day.view.plans;
  const at = (p: number) => plans[p].importUsdPerKwh[t] - (lessDelivery ? plans[p].p2pDeliveryUsdPerKwh[t] : 0);
  if (plans.length === 1) return at(0);
  let sum = 0;
  let homes = 0;
  for (let p = 0; p < plans.length; p++) {
    sum += day.homesOnPlan[p] * at(p);
    homes += day.homesOnPlan[p];
  }
  return sum / homes;
}

/** Every home meters its own interval t (and the learned models see each battery's state). */
export function observe(s: EngineState, day: DayContext, t: number, source: ForecastSource): void {
  source.forecaster.observe(day.block.loadKwh, day.block.pvKwh, t * s.households);
  if (source.wantsSoc) {
    for (let h = 0; h < s.households; h++) s.socFraction[h] = s.hasBattery[h] ? s.socKwh[h] / s.batteryColumns.capacityKwh[h] : 0;
    source.observeSoc(s.socFraction);
  }
}

/** Every home forecasts the next `horizon` intervals (and the band, when the run's strategy asked for one: `ForecastSourceOptions.wantsBand`). */
export function forecast(s: EngineState, horizon: number, source: ForecastSource): TickView['band'] {
  source.forecaster.forecast(horizon, s.forecastLoadKwh, s.forecastPvKwh);
  return source.band(horizon);
}

/**
 * The central agent's price signal for interval t. With a strategy whose homes answer price
 * proposals (and trading on), the centre coordinates: it proposes prices for the rest of the day,
 * the homes plan against them, it moves them toward balance (central/coordination.ts), and the
 * signal is the final proposal for interval t. Otherwise the tariff band nudged by last interval's
 * imbalance.
 */
export function priceSignal(s: EngineState, day: DayContext, tick: TickView, config: SimConfig, strategy: Strategy, meta: RunMeta): number {
  const t = tick.t;
  const m = config.market;
  const response = strategy.priceResponse;
  s.coordination.active = false;
  let signal: number;
  if (response && m.enabled) signal = coordinatedSignal(s, day, tick, config, response, meta);
  else
    signal = priceSignalUsdPerKwh({
      buyerValueUsdPerKwh: communityBuyerValueUsdPerKwh(day, t),
      exportUsdPerKwh: day.view.exportUsdPerKwh[t],
      previousDemandKwh: s.previousDemandKwh,
      previousSupplyKwh: s.previousSupplyKwh,
      transmissionLoss: m.transmissionLoss,
      minPriceUsdPerKwh: m.minPriceUsdPerKwh,
      maxPriceUsdPerKwh: m.maxPriceUsdPerKwh,
      sensitivity: config.central.priceSensitivity,
    });
  s.dayMinSignalUsdPerKwh = Math.min(s.dayMinSignalUsdPerKwh, signal);
  return signal;
}

/** Price coordination for interval t: the day's proposals start at the band's middle and carry over (warm start) from interval to interval. */
function coordinatedSignal(s: EngineState, day: DayContext, tick: TickView, config: SimConfig, response: PriceResponsivePlanner, meta: RunMeta): number {
  const t = tick.t;
  const D = day.view.intervals;
  const c = s.coordination;
  const m = config.market;
  const options = {
    maxIterations: config.central.coordination.maxIterations,
    toleranceKwh: config.central.coordination.toleranceKwh,
    stepUsdPerKwhPerKwh: config.central.coordination.stepUsdPerKwh / Math.max(1, s.households),
    minPriceUsdPerKwh: m.minPriceUsdPerKwh,
    maxPriceUsdPerKwh: m.maxPriceUsdPerKwh,
  };
  if (c.pricesUsdPerKwh.length < D) {
    c.pricesUsdPerKwh = new Float64Array(D);
    c.excessKwh = new Float64Array(D);
  }
  if (t === 0) {
    const community = new Float64Array(D);
    for (let k = 0; k < D; k++) community[k] = communityBuyerValueUsdPerKwh(day, k);
    initialPrices(community, day.view.exportUsdPerKwh, m.transmissionLoss, options, c.pricesUsdPerKwh.subarray(0, D));
  }
  const prices = c.pricesUsdPerKwh.subarray(t, D);
  const excess = c.excessKwh.subarray(t, D);
  const homeAt = (h: number): HomeView => fillHomeView(s, day, t, h, meta, s.hasBattery[h] === 1 ? maxDischargeKwhAt(s.batteryColumns, h, s.socKwh[h], meta.intervalHours) : 0);
  const result = coordinatePrices(prices, excess, (p, e) => response.respond(tick, homeAt, p, e, c.plannedNetKwh), options);
  c.iterations = result.iterations;
  c.residualKwh = result.residualKwh;
  c.active = true;
  return prices[0];
}

/**
 * Home h's view of interval t: its metered actuals and its battery's limits under its storage mode
 * (fills the state's reused HomeView). `physicalDischargeKwh`: what its battery could deliver this
 * interval before the storage mode's rules (0 without one).
 */
function fillHomeView(s: EngineState, day: DayContext, t: number, h: number, meta: RunMeta, physicalDischargeKwh: number): HomeView {
  const home = s.home;
  const n = s.households;
  const c = s.batteryColumns;
  const has = s.hasBattery[h] === 1;
  const mode = meta.storageMode[h];
  const load = day.block.loadKwh[t * n + h];
  const pv = day.block.pvKwh[t * n + h];
  home.storageMode = mode;
  home.storedMayLeave = storedEnergyMayLeave(mode);
  home.mayChargeFromImports = mayChargeFromImports(mode);
  home.loadKwh = load;
  home.pvKwh = pv;
  home.hasBattery = has;
  home.socKwh = s.socKwh[h];
  home.minSocKwh = c.minSocKwh[h];
  home.maxSocKwh = c.maxSocKwh[h];
  home.maxChargeKwh = has ? chargeCapKwh(mode, pv, maxChargeKwhAt(c, h, s.socKwh[h], meta.intervalHours)) : 0;
  home.maxDischargeKwh = has ? dischargeCapKwh(mode, load, pv, physicalDischargeKwh) : 0;
  home.sellAllowanceKwh = meta.config.market.maxDailySellKwh - s.soldTodayKwh[h];
  return home;
}

/**
 * Every home decides its battery plan and places at most one bid and one ask. The storage mode's
 * rules are applied to the limits each home sees, and to what it may offer (`askCapKwh`, which
 * the central agent enforces).
 */
export function decide(s: EngineState, day: DayContext, tick: TickView, strategy: Strategy, meta: RunMeta): void {
  const n = s.households;
  const off = tick.t * n;
  const decision = s.decision;
  resetOrderBook(s.book);
  strategy.prepareTick(tick);
  const grid = day.gridState[tick.t];
  for (let h = 0; h < n; h++) {
    const has = s.hasBattery[h] === 1;
    const load = day.block.loadKwh[off + h];
    const pv = day.block.pvKwh[off + h];
    const physicalDischarge = has ? maxDischargeKwhAt(s.batteryColumns, h, s.socKwh[h], meta.intervalHours) : 0;
    const home = fillHomeView(s, day, tick.t, h, meta, physicalDischarge);
    s.askCapKwh[h] = p2pSaleCapKwh(meta.storageMode[h], load, pv, physicalDischarge);
    resetDecision(decision);
    strategy.decide(h, home, decision);
    if (grid === GRID_NOTICE && has) preChargeOnNotice(decision, home);
    s.planChargeKwh[h] = decision.chargeKwh;
    s.planDischargeKwh[h] = decision.dischargeKwh;
    s.askSurplusKwh[h] = decision.askSurplusKwh;
    s.action[h] = decision.action === 'buy' ? ACTION_BUY : decision.action === 'sell' ? ACTION_SELL : ACTION_HOLD;
    if (grid === GRID_DOWN) continue; // islanded: the central agent allocates (island.ts), no orders
    const bid = decision.bidDeficitKwh + decision.bidChargeKwh;
    const ask = decision.askSurplusKwh + decision.askBatteryKwh;
    // the bid, then the ask, through one call site: the compiler inlines it once within this loop's
    // budget (a second, non-inlined call would box its two numbers for every order)
    for (let side = SIDE_BUY; side <= SIDE_SELL; side++) {
      const quantity = side === SIDE_BUY ? bid : ask;
      if (quantity > EPS) addOrder(s.book, h, side as OrderSide, quantity, side === SIDE_BUY ? decision.bidLimitUsdPerKwh : decision.askLimitUsdPerKwh);
    }
  }
}

/**
 * The central agent enforces the rules; the market matches; settlement validates. Returns the bids
 * and asks the rules admitted (what the next price signal reacts to).
 */
export function clearMarket(s: EngineState, day: DayContext, t: number, config: SimConfig, signal: number): { bidsKwh: number; asksKwh: number } {
  const market = config.market;
  const book = s.book;
  const plans = day.view.plans;
  for (let h = 0; h < s.households; h++) s.p2pDeliveryRateUsdPerKwh[h] = plans[day.view.planOfHome[h]].p2pDeliveryUsdPerKwh[t];
  resetRejectionList(s.rejections);
  resetMatchList(s.matches);
  resetTradeList(s.trades);
  validateOrders(book, market, s.soldTodayKwh, s.rejections, s.askCapKwh);
  let bidsKwh = 0;
  let asksKwh = 0;
  for (let o = 0; o < book.count; o++) {
    if (!book.valid[o]) continue; // the signal reacts to orders the rules admitted
    if (book.side[o] === SIDE_BUY) bidsKwh += book.quantityKwh[o];
    else asksKwh += book.quantityKwh[o];
  }
  if (market.enabled) {
    matchOrders(book, market.rule, signal, s.tick, s.matches, s.scratch);
    settleMatches(s.matches, book, market, s.soldTodayKwh, s.p2pDeliveryRateUsdPerKwh, s.trades, s.rejections);
  }
  s.previousDemandKwh = bidsKwh;
  s.previousSupplyKwh = asksKwh;
  return { bidsKwh, asksKwh };
}

/**
 * Closes each household's energy balance: trades land on the homes, the battery carries out the
 * plan plus what trading changed, and the grid settles the rest. Writes the interval's results and
 * money into the state's result columns.
 */
export function settle(s: EngineState, day: DayContext, t: number, meta: SettleMeta): void {
  const n = s.households;
  const off = t * n;
  const trades = s.trades;
  const { boughtKwh, soldKwh, p2pPaidUsd, p2pReceivedUsd, p2pDeliveryChargeUsd } = s;
  landTrades(trades, boughtKwh, soldKwh, p2pPaidUsd, p2pReceivedUsd, p2pDeliveryChargeUsd);
  const plans = day.view.plans;
  noteCritical(s, day.block, t, meta.intervalHours);
  s.pvKwh.set(day.block.pvKwh.subarray(off, off + n));
  s.curtailedKwh.fill(0);
  s.unservedKwh.fill(0);
  s.unservedCriticalKwh.fill(0);
  const importByPlan = day.importByPlan;
  for (let p = 0; p < plans.length; p++) importByPlan[p] = plans[p].importUsdPerKwh[t];
  for (let h = 0; h < n; h++) {
    const importRate = importByPlan[meta.planOfHome[h]];
    s.tariffRateUsdPerKwh[h] = importRate;
    const exportRate = plans[meta.planOfHome[h]].exportUsdPerKwh[t];
    s.generationRateUsdPerKwh[h] = plans[meta.planOfHome[h]].generationUsdPerKwh[t];
    s.exportRateUsdPerKwh[h] = exportRate;
    const load = day.block.loadKwh[off + h];
    const pv = day.block.pvKwh[off + h];
    const sold = soldKwh[h];
    const bought = boughtKwh[h];
    const soldFromSurplus = Math.min(sold, s.askSurplusKwh[h]);
    const discharge = s.planDischargeKwh[h] + (sold - soldFromSurplus);
    const deficitLeft = Math.max(0, load - pv - s.planDischargeKwh[h]);
    const charge = s.planChargeKwh[h] + Math.max(0, bought - deficitLeft);
    s.chargeKwh[h] = charge;
    s.dischargeKwh[h] = discharge;
    stepHomeBattery(s, h, meta, s.tick);
    let residual = load + charge + sold - pv - discharge - bought;
    if (Math.abs(residual) < 1e-12) residual = 0; // float round-off, not grid energy
    const imp = residual > 0 ? residual : 0;
    const exp = residual < 0 ? -residual : 0;
    s.gridImportKwh[h] = imp;
    s.gridExportKwh[h] = exp;
    const flows = settledFlows;
    flows.servedLoadKwh = load;
    flows.pvKwh = pv;
    flows.chargeKwh = charge;
    flows.dischargeKwh = discharge;
    flows.p2pSoldKwh = sold;
    flows.gridExportKwh = exp;
    assertStorageRules(meta, h, s.tick);
    s.energyCostUsd[h] = intervalEnergyCostUsd(imp, exp, importRate, exportRate, p2pPaidUsd[h], p2pReceivedUsd[h]);
    const baseNet = load - pv;
    const baseImp = baseNet > 0 ? baseNet : 0;
    const baseExp = baseNet < 0 ? -baseNet : 0;
    s.baselineImportKwh[h] = baseImp;
    s.baselineExportKwh[h] = baseExp;
    s.baselineEnergyCostUsd[h] = intervalEnergyCostUsd(baseImp, baseExp, importRate, exportRate, 0, 0);
    const generationRate = s.generationRateUsdPerKwh[h];
    s.gridImportUsd[h] = imp * importRate;
    s.gridImportGenerationUsd[h] = imp * generationRate;
    s.gridExportCreditUsd[h] = exp * exportRate;
    s.baselineImportUsd[h] = baseImp * importRate;
    s.baselineImportGenerationUsd[h] = baseImp * generationRate;
    s.baselineExportCreditUsd[h] = baseExp * exportRate;
  }
}

/** The interval's frame: the state's result columns and views on the day's data (valid until the next interval). */
export function frameOf(
  s: EngineState,
  day: DayContext,
  t: number,
  signal: number,
  horizon: number,
  orders: { bidsKwh: number; asksKwh: number },
): TickFrame {
  const n = s.households;
  const b = day.block;
  const off = t * n;
  return {
    ...s.columns,
    loadKwh: b.loadKwh.subarray(off, off + n),
    pvAvailableKwh: b.pvKwh.subarray(off, off + n),
    index: s.tick,
    dayIndex: day.dayIndex,
    intervalInDay: t,
    date: b.date,
    month: b.month,
    startIso: b.intervalStartIso[t],
    priceSignalUsdPerKwh: signal,
    importUsdPerKwh: communityImportUsdPerKwh(day, t),
    exportUsdPerKwh: day.view.exportUsdPerKwh[t],
    importUsdPerKwhByPlan: importsAt(day, t),
    p2pDeliveryUsdPerKwhByPlan: deliveryAt(day, t),
    gridState: day.gridState[t],
    horizon,
    trades: s.trades,
    rejections: s.rejections,
    bidsKwh: orders.bidsKwh,
    asksKwh: orders.asksKwh,
    coordination: s.coordination.active ? { iterations: s.coordination.iterations, residualKwh: s.coordination.residualKwh, plannedNetKwh: s.coordination.plannedNetKwh } : null,
  };
}

function importsAt(day: DayContext, t: number): Float64Array {
  for (let p = 0; p < day.view.plans.length; p++) day.importByPlan[p] = day.view.plans[p].importUsdPerKwh[t];
  return day.importByPlan;
}

function deliveryAt(day: DayContext, t: number): Float64Array {
  const down = day.gridState[t] === GRID_DOWN;
  for (let p = 0; p < day.view.plans.length; p++) day.deliveryByPlan[p] = down ? 0 : day.view.plans[p].p2pDeliveryUsdPerKwh[t];
  return day.deliveryByPlan;
}

/** End of a day: the sell caps reset, the central agent remembers the day's lowest signal, batteries age. */
export function endDay(s: EngineState, dayIndex: number, config: SimConfig, nominal: BatteryParams): void {
  s.soldTodayKwh.fill(0);
  s.yesterdayMinSignalUsdPerKwh = s.dayMinSignalUsdPerKwh;
  for (let h = 0; h < s.households; h++) {
    if (!s.hasBattery[h]) continue;
    const b = s.batteryConfig[h];
    const ageYears = b.degradation.ageYears + (dayIndex + 1) / 365.25;
    const cycles = equivalentFullCycles(s.chargedCellsKwh[h], s.dischargedCellsKwh[h], s.battery[h].nominalCapacityKwh);
    s.battery[h] = batteryParams(b, fadedCapacityKwh(b, cycles, ageYears));
    setHomeBatteryColumns(s, h, s.battery[h]);
  }
}
