import { Observable } from 'rxjs';
import {
  createDecision,
  dayRateStructure,
  decideRuleBased,
  PerfectForecaster,
  SeasonalNaiveForecaster,
  createHorizonPlanner,
  RecordingForecaster,
  ReplayForecaster,
  type HorizonPlanInput,
  type HorizonRisk,
  type Forecaster,
  type HouseholdTickInput,
} from '../agents/index.ts';
import {
  batteryParams,
  initialSocKwh,
  maxChargeKwh,
  maxDischargeKwh,
  stepBattery,
  fadedCapacityKwh,
  equivalentFullCycles,
  type BatteryParams,
} from '../battery/index.ts';
import { createFederatedSession, priceSignalUsdPerKwh, type FederatedSession, type FederatedSummary } from '../central/index.ts';
import type { FederatedRoundRecord } from '../federated/index.ts';
import { generateDays, generatePopulation, type DayBlock, type HouseholdProfile, type RngFactory } from '../data-gen/index.ts';
import {
  addOrder,
  createMatchList,
  createMatchScratch,
  createOrderBook,
  createRejectionList,
  createTradeList,
  exportRateUsdPerKwh,
  getTariff,
  matchOrders,
  resetOrderBook,
  resetMatchList,
  resetRejectionList,
  resetTradeList,
  settleMatches,
  SIDE_BUY,
  SIDE_SELL,
  validateOrders,
  baselineAllowanceKwhPerDay,
  seasonOf,
  REJECTION_REASONS,
  type RejectionList,
  type TariffPlan,
  type TradeList,
} from '../market/index.ts';
import { addDays, localTimeOf, startOfDayIso, intervalsInRange } from './calendar.ts';
import { TIMEZONE, type SimConfig } from './config.ts';
import { createRngFactory } from './rng.ts';

export const ACTION_HOLD = 0;
export const ACTION_BUY = 1;
export const ACTION_SELL = 2;
export const ACTION_NAMES = ['hold', 'buy', 'sell'] as const;

/** Everything fixed for a run before its first interval. Plain data. */
export interface RunMeta {
  config: SimConfig;
  households: HouseholdProfile[];
  hasBattery: Uint8Array;
  intervals: number;
  intervalHours: number;
  startIso: string;
  endIso: string;
  tariff: TariffPlan;
  nominalBattery: BatteryParams;
  initialSocKwh: Float64Array;
  horizon: number;
  forecaster: string;
  marketEnabled: boolean;
}

/**
 * One interval's results. The typed arrays are views the engine reuses: a subscriber that keeps
 * data beyond its callback must copy it.
 */
export interface TickFrame {
  index: number;
  dayIndex: number;
  intervalInDay: number;
  date: string;
  startIso: string;
  priceSignalUsdPerKwh: number;
  importUsdPerKwh: number;
  exportUsdPerKwh: number;
  loadKwh: Float64Array;
  pvKwh: Float64Array;
  chargeKwh: Float64Array;
  dischargeKwh: Float64Array;
  selfDischargeKwh: Float64Array;
  socKwh: Float64Array;
  boughtKwh: Float64Array;
  soldKwh: Float64Array;
  gridImportKwh: Float64Array;
  gridExportKwh: Float64Array;
  energyCostUsd: Float64Array;
  baselineEnergyCostUsd: Float64Array;
  action: Uint8Array;
  horizon: number;
  forecastLoadKwh: Float64Array;
  forecastPvKwh: Float64Array;
  trades: TradeList;
  rejections: RejectionList;
  bidsKwh: number;
  asksKwh: number;
}

/** Run totals, per household unless named community; plain data the summary is built from. */
export interface RunTotals {
  intervals: number;
  days: number;
  loadKwh: Float64Array;
  pvKwh: Float64Array;
  chargeKwh: Float64Array;
  dischargeKwh: Float64Array;
  selfDischargeKwh: Float64Array;
  boughtKwh: Float64Array;
  soldKwh: Float64Array;
  gridImportKwh: Float64Array;
  gridExportKwh: Float64Array;
  baselineImportKwh: Float64Array;
  baselineExportKwh: Float64Array;
  energyCostUsd: Float64Array;
  baselineEnergyCostUsd: Float64Array;
  p2pPaidUsd: Float64Array;
  p2pReceivedUsd: Float64Array;
  peakImportKw: Float64Array;
  baselinePeakImportKw: Float64Array;
  finalSocKwh: Float64Array;
  capacityKwh: Float64Array;
  equivalentCycles: Float64Array;
  /** Σ over days of the baseline allowance for the day's season (kWh per home) */
  baselineAllowanceKwh: number;
  communityPeakImportKw: number;
  communityBaselinePeakImportKw: number;
  tradesExecuted: number;
  sentKwh: number;
  deliveredKwh: number;
  feesUsd: number;
  buyerPaidUsd: number;
  sellerReceivedUsd: number;
  rejectionCounts: Record<string, { count: number; kwh: number }>;
  priceSignalMin: number;
  priceSignalMax: number;
  priceSignalSum: number;
  lastDayMinImportUsdPerKwh: number;
  /** mean absolute load forecast error by step ahead (kWh), and how many forecasts each covers */
  forecastLoadAbsErrorKwh: Float64Array;
  forecastPvAbsErrorKwh: Float64Array;
  forecastCount: Float64Array;
  /** the federated-learning summary when the agents used a learned forecaster (null otherwise) */
  federated: FederatedSummary | null;
}

/** Series the perfect-foresight optimum needs (collected only when asked). */
export interface RunSeries {
  loadKwh: Float64Array[];
  pvKwh: Float64Array[];
  importUsdPerKwh: Float64Array;
  exportUsdPerKwh: Float64Array;
  dayOfInterval: Int32Array;
}

export type SimEvent =
  | { type: 'start'; meta: RunMeta }
  | { type: 'history'; day: number; days: number }
  | { type: 'tick'; meta: RunMeta; frame: TickFrame }
  | { type: 'federated'; record: FederatedRoundRecord }
  | { type: 'end'; meta: RunMeta; totals: RunTotals; series: RunSeries | null; forecastTape: Float64Array[] | null };

export interface SimulateOptions {
  /** collect per-home load/PV series for the perfect-foresight optimum */
  collectSeries?: boolean;
  /** yield to the event loop after each simulated day (lets progress bars draw and cancellation land) */
  yieldEveryDay?: boolean;
  /** record every forecast (returned with the end event) so a comparison run can replay them */
  recordForecasts?: boolean;
  /** replay a recorded run's forecasts instead of forecasting (same homes, same calendar) */
  replayForecasts?: readonly Float64Array[];
}

const EPS = 1e-9;

/** Cancellation flag and the clean-ups a run registers (called once when it ends). */
interface EngineControl {
  cancelled: boolean;
  release: (() => void)[];
}

/** The run as a cold stream of events: subscribing starts it, unsubscribing cancels it. */
export function simulate(config: SimConfig, options: SimulateOptions = {}): Observable<SimEvent> {
  return new Observable<SimEvent>((subscriber) => {
    const state: EngineControl = { cancelled: false, release: [] };
    // start on a microtask so every synchronous subscriber is attached before the first event
    Promise.resolve()
      .then(() => runEngine(config, options, (e) => subscriber.next(e), state))
      .finally(() => {
        // free what the run held outside the JS heap (TensorFlow.js tensors), however it ended
        for (const release of state.release.splice(0)) release();
      })
      .then(
        () => subscriber.complete(),
        (err: unknown) => subscriber.error(err),
      );
    return () => {
      state.cancelled = true;
    };
  });
}

/** Chooses which homes own a battery: round(share × n) homes by a seeded permutation. */
function batteryOwners(n: number, share: number, rngFor: RngFactory): Uint8Array {
  const owners = new Uint8Array(n);
  const k = Math.round(share * n);
  if (k >= n) return owners.fill(1);
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = rngFor('sim/battery-owners');
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let i = 0; i < k; i++) owners[order[i]] = 1;
  return owners;
}

async function runEngine(
  config: SimConfig,
  options: SimulateOptions,
  emit: (e: SimEvent) => void,
  control: EngineControl,
): Promise<void> {
  const rngFor = createRngFactory(config.seed);
  const households = generatePopulation(config.households, rngFor);
  const n = households.length;
  const hasBattery = batteryOwners(n, config.battery.share, rngFor);
  const intervalHours = config.time.intervalMinutes / 60;
  const tariff = getTariff(config.tariff.plan);
  const market = config.market;
  const marketEnabled = market.enabled;
  const horizon = config.agents.horizonIntervals;
  const tradingDays = config.time.days;
  const historyDays = config.time.historyDays;
  const totalIntervals = intervalsInRange(config.time.start, tradingDays, config.time.intervalMinutes);

  const nominal = batteryParams(config.battery);
  const params: BatteryParams[] = households.map(() => batteryParams(config.battery));
  const soc = new Float64Array(n);
  const initialSoc = new Float64Array(n);
  for (let h = 0; h < n; h++) {
    if (hasBattery[h]) soc[h] = initialSocKwh(config.battery, params[h]);
    initialSoc[h] = soc[h];
  }

  const meta: RunMeta = {
    config,
    households,
    hasBattery,
    intervals: totalIntervals,
    intervalHours,
    startIso: startOfDayIso(config.time.start),
    endIso: startOfDayIso(addDays(config.time.start, tradingDays)),
    tariff,
    nominalBattery: nominal,
    initialSocKwh: initialSoc,
    horizon,
    forecaster: config.agents.forecaster,
    marketEnabled,
  };
  emit({ type: 'start', meta });

  // --- data: history, the trading window, and one day of look-ahead for planning ---
  const days = generateDays(
    {
      households,
      weather: config.weather,
      startDate: addDays(config.time.start, -historyDays),
      days: historyDays + tradingDays + 1,
      timezone: TIMEZONE,
      intervalMinutes: config.time.intervalMinutes,
    },
    rngFor,
  );
  const nextBlock = (): DayBlock => {
    const r = days.next();
    if (r.done) throw new Error('data generator ended early');
    return r.value;
  };

  // --- forecaster ---
  let current: DayBlock = nextBlock();
  let lookahead: DayBlock | null = null;
  let cursor = 0; // index within `current` of the next interval to observe
  const future = {
    at(stepsAhead: number): { block: DayBlock; t: number } {
      let t = cursor + stepsAhead;
      if (t < current.intervals) return { block: current, t };
      t -= current.intervals;
      if (lookahead && t < lookahead.intervals) return { block: lookahead, t };
      // beyond the look-ahead day: repeat its last interval (never used within a 3 h horizon)
      const b = lookahead ?? current;
      return { block: b, t: b.intervals - 1 };
    },
    loadKwh(k: number, h: number): number {
      const { block, t } = this.at(k);
      return block.loadKwh[t * n + h];
    },
    pvKwh(k: number, h: number): number {
      const { block, t } = this.at(k);
      return block.pvKwh[t * n + h];
    },
  };
  // --- forecaster: public context per observed step (weather, tariff) for the learned models ---
  const learned = config.agents.forecaster === 'transformer' || config.agents.forecaster === 'gated';
  const ctxTemperature: number[] = [];
  const ctxCloud: number[] = [];
  const ctxPrice: number[] = [];
  const pushContext = (block: DayBlock) => {
    for (let t = 0; t < block.intervals; t++) {
      ctxTemperature.push(block.temperatureC[t]);
      ctxCloud.push(block.cloudCover[t]);
      ctxPrice.push(tariff.rateAt(localTimeOf(block.date, block.localHour[t], block.weekday)).importUsdPerKwh);
    }
  };
  let session: FederatedSession | null = null;
  let base: Forecaster;
  if (options.replayForecasts) base = new ReplayForecaster(config.agents.forecaster, options.replayForecasts);
  else if (config.agents.forecaster === 'perfect') base = new PerfectForecaster(n, future);
  else if (learned) {
    session = await createFederatedSession({
      households: n,
      config: config.federated,
      gated: config.agents.forecaster === 'gated',
      rngFor,
      startIso: current.intervalStartIso[0],
      intervalMinutes: config.time.intervalMinutes,
      extra: (step) => ({ temperatureC: ctxTemperature[step], cloudCover: ctxCloud[step], importPriceUsdPerKwh: ctxPrice[step] }),
    });
    const created = session;
    control.release.push(() => created.dispose());
    base = session.forecaster;
  } else base = new SeasonalNaiveForecaster(n, 48);
  const recorder = options.recordForecasts && !options.replayForecasts ? new RecordingForecaster(base) : null;
  const forecaster: Forecaster = recorder ?? base;
  const warmLoad = new Float64Array(n * horizon);
  const warmPv = new Float64Array(n * horizon);

  for (let d = 0; d < historyDays; d++) {
    pushContext(current);
    const lastDay = d === historyDays - 1;
    // learned models pre-train on all history but its last day, which then warms up the gate
    if (learned && lastDay) {
      session?.pretrain();
      if (options.yieldEveryDay) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    for (let t = 0; t < current.intervals; t++) {
      forecaster.observe(current.loadKwh, current.pvKwh, t * n);
      if (learned && lastDay) forecaster.forecast(horizon, warmLoad, warmPv);
    }
    current = nextBlock();
    if (d % 30 === 29 || d === historyDays - 1) {
      emit({ type: 'history', day: d + 1, days: historyDays });
      if (options.yieldEveryDay) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (control.cancelled) return;
  }
  lookahead = nextBlock();

  // --- preallocated per-tick state ---
  const f64 = () => new Float64Array(n);
  const frameArrays = {
    chargeKwh: f64(),
    dischargeKwh: f64(),
    selfDischargeKwh: f64(),
    boughtKwh: f64(),
    soldKwh: f64(),
    gridImportKwh: f64(),
    gridExportKwh: f64(),
    energyCostUsd: f64(),
    baselineEnergyCostUsd: f64(),
    action: new Uint8Array(n),
  };
  const paidUsd = f64();
  const receivedUsd = f64();
  const planCharge = f64();
  const planDischarge = f64();
  const askSurplus = f64();
  const soldToday = f64();
  const rollLoad = new Float64Array(n * horizon);
  const rollPv = new Float64Array(n * horizon);
  // what the battery reserves for the expensive block against: the point forecast, or its P90/P10 band
  const useBand = session !== null && (config.agents.reserveQuantile === 'p90' || config.agents.strategy === 'receding-horizon-cvar');
  const bandQuantiles = useBand ? session!.transformer.forecastQuantiles(horizon) : null;
  const reserveLoad = useBand ? new Float64Array(n * horizon) : rollLoad;
  const reservePv = useBand ? new Float64Array(n * horizon) : rollPv;
  const book = createOrderBook(2 * n);
  const matches = createMatchList(2 * n);
  const scratch = createMatchScratch(2 * n);
  const trades = createTradeList(4 * n);
  const rejections = createRejectionList(2 * n);
  const decision = createDecision();
  const planner = config.agents.strategy === 'rule-based' ? null : await createHorizonPlanner();
  // the CVaR-aware planner weighs three futures of each home: its forecast, and a high- and a low-net-load band
  const cvar = config.agents.strategy === 'receding-horizon-cvar' ? config.agents.cvar : null;
  const scenario = (probability: number) => ({ loadKwh: new Float64Array(50), pvKwh: new Float64Array(50), probability });
  const risk: HorizonRisk | null = cvar
    ? { scenarios: [scenario(1 - 2 * cvar.tailProbability), scenario(cvar.tailProbability), scenario(cvar.tailProbability)], alpha: cvar.alpha, weight: cvar.weight }
    : null;
  const maxDay = 50;
  const plan: HorizonPlanInput = {
    steps: 0, loadKwh: new Float64Array(maxDay), pvKwh: new Float64Array(maxDay),
    importUsdPerKwh: new Float64Array(maxDay), exportUsdPerKwh: new Float64Array(maxDay),
    socKwh: 0, minSocKwh: 0, maxSocKwh: 0, chargeEfficiency: nominal.chargeEfficiency, dischargeEfficiency: nominal.dischargeEfficiency,
    stepKwh: nominal.maxPowerKw * intervalHours, maxChargeKwh: 0, maxDischargeKwh: 0, terminalUsdPerStoredKwh: 0,
    hasBattery: false, marketEnabled, transmissionLoss: market.transmissionLoss, feeUsdPerKwh: market.feeUsdPerKwh, sellAllowanceKwh: 0,
  };
  const input: HouseholdTickInput = {
    loadKwh: 0, pvKwh: 0, hasBattery: false, socKwh: 0, minSocKwh: 0, maxSocKwh: 0,
    chargeEfficiency: nominal.chargeEfficiency, dischargeEfficiency: nominal.dischargeEfficiency,
    maxChargeKwh: 0, maxDischargeKwh: 0, importUsdPerKwh: 0, exportUsdPerKwh: 0, priceSignalUsdPerKwh: 0,
    marketEnabled, transmissionLoss: market.transmissionLoss, feeUsdPerKwh: market.feeUsdPerKwh,
    sellAllowanceKwh: 0, dayMinUsdPerKwh: 0, inExpensiveBlock: false, blockMaxUsdPerKwh: 0, blockNeedKwh: 0,
    higherRateNeedKwh: 0, surplusBeforeBlockKwh: 0, cheapLeft: 0, refillUsdPerKwh: 0,
  };

  // forecast-error bookkeeping: forecasts made at tick τ for τ+1…τ+H, checked when the actual arrives
  const pendingLoad = new Float64Array(horizon * n * horizon);
  const pendingPv = new Float64Array(horizon * n * horizon);
  const pendingTick = new Float64Array(horizon).fill(-1);

  const totals: RunTotals = {
    intervals: totalIntervals,
    days: tradingDays,
    loadKwh: f64(), pvKwh: f64(), chargeKwh: f64(), dischargeKwh: f64(), selfDischargeKwh: f64(),
    boughtKwh: f64(), soldKwh: f64(), gridImportKwh: f64(), gridExportKwh: f64(),
    baselineImportKwh: f64(), baselineExportKwh: f64(), energyCostUsd: f64(), baselineEnergyCostUsd: f64(),
    p2pPaidUsd: f64(), p2pReceivedUsd: f64(), peakImportKw: f64(), baselinePeakImportKw: f64(),
    finalSocKwh: soc, capacityKwh: f64(), equivalentCycles: f64(),
    baselineAllowanceKwh: 0, communityPeakImportKw: 0, communityBaselinePeakImportKw: 0,
    tradesExecuted: 0, sentKwh: 0, deliveredKwh: 0, feesUsd: 0, buyerPaidUsd: 0, sellerReceivedUsd: 0,
    rejectionCounts: {}, priceSignalMin: Infinity, priceSignalMax: -Infinity, priceSignalSum: 0,
    lastDayMinImportUsdPerKwh: 0,
    forecastLoadAbsErrorKwh: new Float64Array(horizon), forecastPvAbsErrorKwh: new Float64Array(horizon),
    forecastCount: new Float64Array(horizon),
    federated: null,
  };
  const chargedCells = f64();
  const dischargedCells = f64();

  const series: RunSeries | null = options.collectSeries
    ? {
        loadKwh: households.map(() => new Float64Array(totalIntervals)),
        pvKwh: households.map(() => new Float64Array(totalIntervals)),
        importUsdPerKwh: new Float64Array(totalIntervals),
        exportUsdPerKwh: new Float64Array(totalIntervals),
        dayOfInterval: new Int32Array(totalIntervals),
      }
    : null;

  let previousDemandKwh = 0;
  let previousSupplyKwh = 0;
  let yesterdayMinSignal = Infinity;
  let globalIndex = 0;

  const socFraction = new Float64Array(n);
  for (let day = 0; day < tradingDays; day++) {
    const D = current.intervals;
    pushContext(current);
    const importRate = new Float64Array(D);
    const exportRate = new Float64Array(D);
    for (let t = 0; t < D; t++) {
      const lt = localTimeOf(current.date, current.localHour[t], current.weekday);
      importRate[t] = tariff.rateAt(lt).importUsdPerKwh;
      exportRate[t] = config.tariff.exportCompensation === 'nbt26' ? exportRateUsdPerKwh(lt) : 0;
    }
    const structure = dayRateStructure(importRate, D);
    totals.lastDayMinImportUsdPerKwh = structure.dayMinUsdPerKwh;
    totals.baselineAllowanceKwh += baselineAllowanceKwhPerDay(config.households.territory, seasonOf(current.month));

    // day-ahead forecast (before the day's first interval) and per-home prefix sums of deficit/surplus
    const dayLoad = new Float64Array(n * D);
    const dayPv = new Float64Array(n * D);
    forecaster.forecast(D, dayLoad, dayPv);
    const deficit = new Float64Array(n * D);
    const surplusF = new Float64Array(n * D);
    const refill = new Float64Array(n);
    const roundTrip = nominal.chargeEfficiency * nominal.dischargeEfficiency;
    const marketRefill = marketEnabled && Number.isFinite(yesterdayMinSignal)
      ? (yesterdayMinSignal + market.feeUsdPerKwh) / (1 - market.transmissionLoss)
      : Infinity;
    for (let h = 0; h < n; h++) {
      let surplusSum = 0;
      let exportWeighted = 0;
      for (let k = 0; k < D; k++) {
        const net = dayLoad[h * D + k] - dayPv[h * D + k];
        deficit[h * D + k] = Math.max(0, net);
        surplusF[h * D + k] = Math.max(0, -net);
        surplusSum += Math.max(0, -net);
        exportWeighted += Math.max(0, -net) * exportRate[k];
      }
      let refillPrice = Math.min(structure.dayMinUsdPerKwh, marketRefill);
      if (surplusSum >= 1) {
        // a home with its own expected surplus refills from energy it could otherwise sell or export
        const saleValue = marketEnabled && Number.isFinite(yesterdayMinSignal)
          ? Math.max(yesterdayMinSignal, exportWeighted / surplusSum)
          : exportWeighted / surplusSum;
        refillPrice = Math.min(refillPrice, saleValue);
      }
      refill[h] = refillPrice / roundTrip;
    }
    let daySignalMin = Infinity;

    for (let t = 0; t < D; t++) {
      if (control.cancelled) return;
      const off = t * n;
      // the household meters its own interval, then forecasts the next `horizon` intervals
      forecaster.observe(current.loadKwh, current.pvKwh, off);
      if (session) {
        for (let h = 0; h < n; h++) socFraction[h] = hasBattery[h] ? soc[h] / params[h].capacityKwh : 0;
        session.transformer.observeSoc(socFraction);
      }
      cursor = t + 1;
      scoreForecasts(totals, pendingLoad, pendingPv, pendingTick, current, off, n, horizon, globalIndex);
      forecaster.forecast(horizon, rollLoad, rollPv);
      if (bandQuantiles) {
        // act on uncertainty: reserve for the expensive block against the transformer's P90 load
        // and P10 PV, as a spread around whichever point forecast the agent uses
        const q = session!.transformer.forecastQuantiles(horizon, bandQuantiles);
        for (let i = 0; i < n * horizon; i++) {
          reserveLoad[i] = rollLoad[i] + Math.max(0, q.loadP90[i] - q.loadP50[i]);
          reservePv[i] = Math.max(0, rollPv[i] - Math.max(0, q.pvP50[i] - q.pvP10[i]));
        }
      }
      rememberForecasts(pendingLoad, pendingPv, pendingTick, rollLoad, rollPv, n, horizon, globalIndex);

      const signal = priceSignalUsdPerKwh({
        importUsdPerKwh: importRate[t],
        exportUsdPerKwh: exportRate[t],
        previousDemandKwh,
        previousSupplyKwh,
        transmissionLoss: market.transmissionLoss,
        feeUsdPerKwh: market.feeUsdPerKwh,
        minPriceUsdPerKwh: market.minPriceUsdPerKwh,
        maxPriceUsdPerKwh: market.maxPriceUsdPerKwh,
        sensitivity: config.central.priceSensitivity,
      });
      daySignalMin = Math.min(daySignalMin, signal);

      resetOrderBook(book);
      const inBlock = importRate[t] > structure.dayMinUsdPerKwh + EPS;
      const bStart = structure.blockStart[t];
      const bEnd = structure.blockEnd[t];
      for (let h = 0; h < n; h++) {
        const p = params[h];
        // forecast deficit/surplus of interval k (> t): the rolling 3 h forecast where it reaches, else day-ahead
        let blockNeed = 0;
        let higherNeed = 0;
        let surplusBefore = 0;
        const from = inBlock ? t + 1 : Math.max(bStart, t + 1);
        for (let k = from; k < bEnd; k++) {
          const j = k - t - 1;
          const x = j < horizon ? Math.max(0, reserveLoad[h * horizon + j] - reservePv[h * horizon + j]) : deficit[h * D + k];
          blockNeed += x;
          if (inBlock && importRate[k] > importRate[t] + EPS) higherNeed += x;
        }
        if (!inBlock) {
          for (let k = t + 1; k < bStart; k++) {
            const j = k - t - 1;
            surplusBefore += j < horizon ? Math.max(0, rollPv[h * horizon + j] - rollLoad[h * horizon + j]) : surplusF[h * D + k];
          }
        }
        input.loadKwh = current.loadKwh[off + h];
        input.pvKwh = current.pvKwh[off + h];
        input.hasBattery = hasBattery[h] === 1;
        input.socKwh = soc[h];
        input.minSocKwh = p.minSocKwh;
        input.maxSocKwh = p.maxSocKwh;
        input.maxChargeKwh = hasBattery[h] ? maxChargeKwh(p, soc[h], intervalHours) : 0;
        input.maxDischargeKwh = hasBattery[h] ? maxDischargeKwh(p, soc[h], intervalHours) : 0;
        input.importUsdPerKwh = importRate[t];
        input.exportUsdPerKwh = exportRate[t];
        input.priceSignalUsdPerKwh = signal;
        input.sellAllowanceKwh = market.maxDailySellKwh - soldToday[h];
        input.dayMinUsdPerKwh = structure.dayMinUsdPerKwh;
        input.inExpensiveBlock = inBlock;
        input.blockMaxUsdPerKwh = structure.blockMaxUsdPerKwh[t];
        input.blockNeedKwh = blockNeed;
        input.higherRateNeedKwh = higherNeed;
        input.surplusBeforeBlockKwh = surplusBefore;
        input.cheapLeft = structure.cheapLeft[t];
        input.refillUsdPerKwh = refill[h];
        if (planner) {
          // re-plan the battery over the rest of the day: actuals now, rolling forecast, then day-ahead
          const K = D - t;
          plan.steps = K;
          for (let k = 0; k < K; k++) {
            const j = k - 1;
            plan.loadKwh[k] = k === 0 ? input.loadKwh : j < horizon ? rollLoad[h * horizon + j] : dayLoad[h * D + t + k];
            plan.pvKwh[k] = k === 0 ? input.pvKwh : j < horizon ? rollPv[h * horizon + j] : dayPv[h * D + t + k];
            plan.importUsdPerKwh[k] = importRate[t + k];
            plan.exportUsdPerKwh[k] = exportRate[t + k];
          }
          plan.socKwh = soc[h];
          plan.minSocKwh = p.minSocKwh;
          plan.maxSocKwh = p.maxSocKwh;
          plan.maxChargeKwh = input.maxChargeKwh;
          plan.maxDischargeKwh = input.maxDischargeKwh;
          plan.terminalUsdPerStoredKwh = structure.dayMinUsdPerKwh * p.dischargeEfficiency;
          plan.hasBattery = input.hasBattery;
          plan.sellAllowanceKwh = input.sellAllowanceKwh;
          if (risk && cvar) {
            const [base, high, low] = risk.scenarios;
            const band = cvar.bandShare;
            for (let k = 0; k < K; k++) {
              const l = plan.loadKwh[k];
              const v = plan.pvKwh[k];
              base.loadKwh[k] = l;
              base.pvKwh[k] = v;
              // now is known; later the band widens: the transformer's P10–P90 where it reaches, else ± bandShare
              const j = k - 1;
              const q = k > 0 && j < horizon ? bandQuantiles : null;
              const upL = k === 0 ? 0 : q ? Math.max(0, q.loadP90[h * horizon + j] - q.loadP50[h * horizon + j]) : band * l;
              const dnL = k === 0 ? 0 : q ? Math.max(0, q.loadP50[h * horizon + j] - q.loadP10[h * horizon + j]) : band * l;
              const upV = k === 0 ? 0 : q ? Math.max(0, q.pvP90[h * horizon + j] - q.pvP50[h * horizon + j]) : band * v;
              const dnV = k === 0 ? 0 : q ? Math.max(0, q.pvP50[h * horizon + j] - q.pvP10[h * horizon + j]) : band * v;
              high.loadKwh[k] = l + upL;
              high.pvKwh[k] = Math.max(0, v - dnV);
              low.loadKwh[k] = Math.max(0, l - dnL);
              low.pvKwh[k] = v + upV;
            }
          }
          planner.plan(plan, decision, risk);
        } else decideRuleBased(input, decision);
        planCharge[h] = decision.chargeKwh;
        planDischarge[h] = decision.dischargeKwh;
        askSurplus[h] = decision.askSurplusKwh;
        const bid = decision.bidDeficitKwh + decision.bidChargeKwh;
        const ask = decision.askSurplusKwh + decision.askBatteryKwh;
        if (bid > EPS) addOrder(book, h, SIDE_BUY, bid, decision.bidLimitUsdPerKwh);
        if (ask > EPS) addOrder(book, h, SIDE_SELL, ask, decision.askLimitUsdPerKwh);
        frameArrays.action[h] = decision.action === 'buy' ? ACTION_BUY : decision.action === 'sell' ? ACTION_SELL : ACTION_HOLD;
      }

      // --- the central agent enforces the rules; the market matches; settlement validates ---
      resetRejectionList(rejections);
      resetMatchList(matches);
      resetTradeList(trades);
      validateOrders(book, market, soldToday, rejections);
      let bidsKwh = 0;
      let asksKwh = 0;
      for (let o = 0; o < book.count; o++) {
        if (!book.valid[o]) continue; // the signal reacts to orders the rules admitted
        if (book.side[o] === SIDE_BUY) bidsKwh += book.quantityKwh[o];
        else asksKwh += book.quantityKwh[o];
      }
      if (marketEnabled) {
        matchOrders(book, market.rule, signal, globalIndex, matches, scratch);
        settleMatches(matches, book, market, soldToday, trades, rejections);
      }
      previousDemandKwh = bidsKwh;
      previousSupplyKwh = asksKwh;

      const { boughtKwh, soldKwh, chargeKwh, dischargeKwh, selfDischargeKwh, gridImportKwh, gridExportKwh, energyCostUsd, baselineEnergyCostUsd } = frameArrays;
      boughtKwh.fill(0);
      soldKwh.fill(0);
      paidUsd.fill(0);
      receivedUsd.fill(0);
      for (let k = 0; k < trades.count; k++) {
        boughtKwh[trades.buyer[k]] += trades.deliveredKwh[k];
        soldKwh[trades.seller[k]] += trades.sentKwh[k];
        paidUsd[trades.buyer[k]] += trades.buyerPaysUsd[k];
        receivedUsd[trades.seller[k]] += trades.sellerReceivesUsd[k];
        totals.sentKwh += trades.sentKwh[k];
        totals.deliveredKwh += trades.deliveredKwh[k];
        totals.feesUsd += trades.feeUsd[k];
        totals.buyerPaidUsd += trades.buyerPaysUsd[k];
        totals.sellerReceivedUsd += trades.sellerReceivesUsd[k];
      }
      totals.tradesExecuted += trades.count;
      for (let r = 0; r < rejections.count; r++) {
        const reason = REJECTION_REASONS[rejections.reason[r]];
        const entry = (totals.rejectionCounts[reason] ??= { count: 0, kwh: 0 });
        entry.count++;
        entry.kwh += rejections.quantityKwh[r];
      }

      // --- close each household's energy balance; the grid settles what the market did not ---
      let communityImport = 0;
      let communityBaselineImport = 0;
      for (let h = 0; h < n; h++) {
        const load = current.loadKwh[off + h];
        const pv = current.pvKwh[off + h];
        const sold = soldKwh[h];
        const bought = boughtKwh[h];
        const soldFromSurplus = Math.min(sold, askSurplus[h]);
        const discharge = planDischarge[h] + (sold - soldFromSurplus);
        const deficitLeft = Math.max(0, load - pv - planDischarge[h]);
        const charge = planCharge[h] + Math.max(0, bought - deficitLeft);
        let selfDis = 0;
        if (hasBattery[h]) {
          const step = stepBattery(params[h], soc[h], charge, discharge, intervalHours);
          if (!step.ok) {
            throw new Error(
              `internal: household ${households[h].id} interval ${globalIndex}: battery step refused (${step.reason}); charge ${charge} discharge ${discharge} soc ${soc[h]}`,
            );
          }
          soc[h] = step.socKwh;
          selfDis = step.selfDischargeKwh;
          chargedCells[h] += charge * params[h].chargeEfficiency;
          dischargedCells[h] += discharge / params[h].dischargeEfficiency;
        }
        let residual = load + charge + sold - pv - discharge - bought;
        if (Math.abs(residual) < 1e-12) residual = 0; // float round-off, not grid energy
        const imp = residual > 0 ? residual : 0;
        const exp = residual < 0 ? -residual : 0;
        chargeKwh[h] = charge;
        dischargeKwh[h] = discharge;
        selfDischargeKwh[h] = selfDis;
        gridImportKwh[h] = imp;
        gridExportKwh[h] = exp;
        const cost = imp * importRate[t] - exp * exportRate[t] + paidUsd[h] - receivedUsd[h];
        energyCostUsd[h] = cost;
        const baseNet = load - pv;
        const baseImp = baseNet > 0 ? baseNet : 0;
        const baseExp = baseNet < 0 ? -baseNet : 0;
        baselineEnergyCostUsd[h] = baseImp * importRate[t] - baseExp * exportRate[t];

        totals.loadKwh[h] += load;
        totals.pvKwh[h] += pv;
        totals.chargeKwh[h] += charge;
        totals.dischargeKwh[h] += discharge;
        totals.selfDischargeKwh[h] += selfDis;
        totals.boughtKwh[h] += bought;
        totals.soldKwh[h] += sold;
        totals.gridImportKwh[h] += imp;
        totals.gridExportKwh[h] += exp;
        totals.baselineImportKwh[h] += baseImp;
        totals.baselineExportKwh[h] += baseExp;
        totals.energyCostUsd[h] += cost;
        totals.baselineEnergyCostUsd[h] += baselineEnergyCostUsd[h];
        totals.p2pPaidUsd[h] += paidUsd[h];
        totals.p2pReceivedUsd[h] += receivedUsd[h];
        totals.peakImportKw[h] = Math.max(totals.peakImportKw[h], imp / intervalHours);
        totals.baselinePeakImportKw[h] = Math.max(totals.baselinePeakImportKw[h], baseImp / intervalHours);
        communityImport += imp;
        communityBaselineImport += baseImp;
        if (series) {
          series.loadKwh[h][globalIndex] = load;
          series.pvKwh[h][globalIndex] = pv;
        }
      }
      if (series) {
        series.importUsdPerKwh[globalIndex] = importRate[t];
        series.exportUsdPerKwh[globalIndex] = exportRate[t];
        series.dayOfInterval[globalIndex] = day;
      }
      totals.communityPeakImportKw = Math.max(totals.communityPeakImportKw, communityImport / intervalHours);
      totals.communityBaselinePeakImportKw = Math.max(totals.communityBaselinePeakImportKw, communityBaselineImport / intervalHours);
      totals.priceSignalMin = Math.min(totals.priceSignalMin, signal);
      totals.priceSignalMax = Math.max(totals.priceSignalMax, signal);
      totals.priceSignalSum += signal;

      emit({
        type: 'tick',
        meta,
        frame: {
          index: globalIndex,
          dayIndex: day,
          intervalInDay: t,
          date: current.date,
          startIso: current.intervalStartIso[t],
          priceSignalUsdPerKwh: signal,
          importUsdPerKwh: importRate[t],
          exportUsdPerKwh: exportRate[t],
          loadKwh: current.loadKwh.subarray(off, off + n),
          pvKwh: current.pvKwh.subarray(off, off + n),
          ...frameArrays,
          socKwh: soc,
          horizon,
          forecastLoadKwh: rollLoad,
          forecastPvKwh: rollPv,
          trades,
          rejections,
          bidsKwh,
          asksKwh,
        },
      });
      if (session) {
        const record = session.afterInterval(globalIndex);
        if (record) emit({ type: 'federated', record });
      }
      globalIndex++;
    }

    // --- end of the day: reset the sell caps, age the batteries, move the data window ---
    soldToday.fill(0);
    yesterdayMinSignal = daySignalMin;
    const ageYears = config.battery.degradation.ageYears + (day + 1) / 365.25;
    for (let h = 0; h < n; h++) {
      if (!hasBattery[h]) continue;
      const cycles = equivalentFullCycles(chargedCells[h], dischargedCells[h], nominal.nominalCapacityKwh);
      params[h] = batteryParams(config.battery, fadedCapacityKwh(config.battery, cycles, ageYears));
    }
    current = lookahead!;
    lookahead = day + 1 < tradingDays ? nextBlock() : null;
    cursor = 0;
    if (options.yieldEveryDay) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  for (let h = 0; h < n; h++) {
    totals.capacityKwh[h] = hasBattery[h] ? params[h].capacityKwh : 0;
    totals.equivalentCycles[h] = hasBattery[h]
      ? equivalentFullCycles(chargedCells[h], dischargedCells[h], nominal.nominalCapacityKwh)
      : 0;
  }
  totals.federated = session ? session.summary() : null;
  emit({ type: 'end', meta, totals, series, forecastTape: recorder ? recorder.tape : null });
}

/** Scores the forecasts made 1…H intervals ago against the interval just observed (global index g). */
function scoreForecasts(
  totals: RunTotals,
  pendingLoad: Float64Array,
  pendingPv: Float64Array,
  pendingTick: Float64Array,
  block: DayBlock,
  off: number,
  n: number,
  horizon: number,
  g: number,
): void {
  for (let k = 1; k <= horizon; k++) {
    const tau = g - k;
    if (tau < 0) break;
    const slot = tau % horizon;
    if (pendingTick[slot] !== tau) continue;
    const base = slot * n * horizon;
    let errLoad = 0;
    let errPv = 0;
    for (let h = 0; h < n; h++) {
      errLoad += Math.abs(pendingLoad[base + h * horizon + (k - 1)] - block.loadKwh[off + h]);
      errPv += Math.abs(pendingPv[base + h * horizon + (k - 1)] - block.pvKwh[off + h]);
    }
    totals.forecastLoadAbsErrorKwh[k - 1] += errLoad;
    totals.forecastPvAbsErrorKwh[k - 1] += errPv;
    totals.forecastCount[k - 1] += n;
  }
}

function rememberForecasts(
  pendingLoad: Float64Array,
  pendingPv: Float64Array,
  pendingTick: Float64Array,
  rollLoad: Float64Array,
  rollPv: Float64Array,
  n: number,
  horizon: number,
  g: number,
): void {
  const slot = g % horizon;
  pendingLoad.set(rollLoad, slot * n * horizon);
  pendingPv.set(rollPv, slot * n * horizon);
  pendingTick[slot] = g;
}
