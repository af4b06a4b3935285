/**
 * The simulation engine: a run is a small loop over named phases (see `phases.ts`) over explicit
 * state (`state.ts`). The engine names no concrete strategy or forecaster — both come from their
 * registries — and keeps no totals: the collector (`collector.ts`) subscribes to its events.
 *
 *   history days:  observe every interval (learned models pre-train before the last one)
 *   trading days:  beginDay → per interval [observe → forecast → priceSignal → decide →
 *                  clearMarket → settle → record (tick event) → FedAvg round] → endDay
 */
import { Observable } from 'rxjs';
import { autoStorageMode, batteryParams, equivalentFullCycles, initialSocKwh, storageModeCode, type BatteryConfig, type BatteryParams, type StorageMode } from '../../battery/index.ts';
import { drawBatteryOwners, drawBatteryOwnersByProgram, drawExportPrograms, drawLowIncome, generatePopulation } from '../../data-gen/index.ts';
import type { ChosenStrategy } from '../../agents/index.ts';
import { TIMEZONE, type RngFactory } from '../../common/index.ts';
import { getTariff, reassignPlan, tariffsFor, TariffIdSchema, type TariffAssignment, type TariffHome } from '../../market/index.ts';
import { InputError, type HouseholdProfile } from '../../data-gen/index.ts';
import { loadMeasuredHomes, type MeasuredHomes } from '../households.ts';
import { addDays, intervalsInRange, startOfDayIso } from '../calendar.ts';
import { strategyOfRun, type SimConfig } from '../config.ts';
import { createForecastSource, type ForecastSource } from '../forecasting.ts';
import { createRngFactory } from '../rng.ts';
import { GRID_DOWN, outageWindows } from '../outages.ts';
import { withTotals } from './collector.ts';
import { dataThreadWanted, daysOnThisThread, daysOnWorker, prewarmDayWorker, type DataThreadMode, type DaySource } from './day-thread.ts';
import { beginDay, clearMarket, decide, endDay, forecast, frameOf, observe, priceSignal, settle } from './phases.ts';
import { settleIsland } from './island.ts';
import { createEngineState, type EngineState } from './state.ts';
import type { EngineEvent, RunEnd, RunMeta, SimEvent, SimulateOptions } from './types.ts';
import { createDataWindow, type DataWindow } from './window.ts';

export * from './types.ts';
export { HOME_COLUMNS, PARQUET_COLUMNS, TIMELINE_COLUMNS, type HomeColumn, type HomeColumnKey, type TimelineColumn } from './columns.ts';

/** Cancellation flag and the clean-ups a run registers (called once when it ends). */
interface RunControl {
  cancelled: boolean;
  release: (() => void)[];
}

/**
 * The run as a cold stream of events: subscribing starts it, unsubscribing cancels it. A strategy
 * `config.agents.strategy` names in neither the built-ins nor `options.strategies` is a ConfigError,
 * thrown here.
 */
export function simulate(config: SimConfig, options: SimulateOptions = {}): Observable<SimEvent> {
  const strategy = strategyOfRun(config, options.strategies);
  return withTotals(engineEvents(config, strategy, options), options.collectSeries === true);
}

function engineEvents(config: SimConfig, strategy: ChosenStrategy, options: SimulateOptions): Observable<EngineEvent> {
  return new Observable<EngineEvent>((subscriber) => {
    const control: RunControl = { cancelled: false, release: [] };
    // start on a microtask so every synchronous subscriber is attached before the first event
    Promise.resolve()
      .then(() => runEngine(config, strategy, options, (e) => subscriber.next(e), control))
      .finally(() => {
        // free what the run held outside the JS heap (TensorFlow.js tensors), however it ended
        for (const release of control.release.splice(0)) release();
      })
      .then(
        () => subscriber.complete(),
        (err: unknown) => subscriber.error(err),
      );
    return () => {
      control.cancelled = true;
    };
  });
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The synthetic homes' days: on a worker thread ahead of the engine when that pays (day-thread.ts), else here. */
function syntheticDays(config: SimConfig, meta: RunMeta, firstDay: string, totalDays: number, rngFor: RngFactory, mode: DataThreadMode | undefined): DaySource {
  const options = { households: meta.households, weather: config.weather, startDate: firstDay, days: totalDays, timezone: TIMEZONE, intervalMinutes: config.time.intervalMinutes };
  return dataThreadWanted(mode, meta.households.length, config.time.days) ? daysOnWorker(options, rngFor, config.seed) : daysOnThisThread(options, rngFor);
}

/** The homes, their batteries and the run's fixed facts. */
function prepareRun(config: SimConfig, rngFor: RngFactory, measured: MeasuredHomes | null): { meta: RunMeta; state: EngineState } {
  const households = measured ? measured.households : generatePopulation(config.households, rngFor);
  const n = households.length;
  // drawn for measured homes too, so a metadata file that names batteries changes no other draw
  const exportProgram = drawExportPrograms(households.map((home) => home.hasPv), config.households.exportMix, rngFor);
  const share = config.battery.share;
  const hasBattery = share === undefined ? drawBatteryOwnersByProgram(exportProgram, config.battery.attachment, rngFor) : drawBatteryOwners(n, share, rngFor);
  const batteryConfig: BatteryConfig[] = households.map(() => config.battery);
  const homeModes: (StorageMode | null)[] = households.map((home) => (config.battery.storageMode === 'auto' ? autoStorageMode(home.hasPv) : config.battery.storageMode));
  const lowIncome = drawLowIncome(n, config.households.careShare, config.households.feraShare, rngFor);
  const tariffHomes = households.map((home, h) => ({ hasPv: home.hasPv, exportProgram: exportProgram[h], lowIncome: lowIncome[h] }));
  const assignment = tariffsFor(config.tariff, tariffHomes);
  const { plans, exports, planOfHome } = assignment;
  if (measured) applyOverrides(config, measured, { households, hasBattery, batteryConfig, homeModes, assignment, tariffHomes });
  const battery: BatteryParams[] = batteryConfig.map((b) => batteryParams(b));
  const soc = new Float64Array(n);
  const storageMode = new Uint8Array(n);
  for (let h = 0; h < n; h++) {
    if (!hasBattery[h]) continue;
    soc[h] = initialSocKwh(batteryConfig[h], battery[h]);
    storageMode[h] = storageModeCode(homeModes[h]);
  }
  const horizon = config.agents.horizonIntervals;
  const meta: RunMeta = {
    config,
    households,
    hasBattery,
    exportProgram,
    lowIncome,
    intervals: intervalsInRange(config.time.start, config.time.days, config.time.intervalMinutes),
    intervalHours: config.time.intervalMinutes / 60,
    startIso: startOfDayIso(config.time.start),
    endIso: startOfDayIso(addDays(config.time.start, config.time.days)),
    historyDays: measured ? measured.historyDays : config.time.historyDays,
    inputs: measured ? measured.report : null,
    tariff: plans[0],
    plans,
    exports,
    planOfHome,
    storageMode,
    wearUsdPerKwh: config.battery.wearCostUsdPerKwh,
    nominalBattery: batteryParams(config.battery),
    initialSocKwh: Float64Array.from(soc),
    horizon,
    forecaster: config.agents.forecaster,
    marketEnabled: config.market.enabled,
    outages: outageWindows(config.grid.outages),
  };
  return { meta, state: createEngineState(hasBattery, battery, soc, horizon, batteryConfig) };
}

/**
 * A household metadata file's per-home settings (INPUTS.md): battery size (0 = none), plan and
 * storage mode; anything it leaves out keeps the config's value. Bad values are input errors
 * naming the file and the home.
 */
function applyOverrides(
  config: SimConfig,
  measured: MeasuredHomes,
  homes: { households: HouseholdProfile[]; hasBattery: Uint8Array; batteryConfig: BatteryConfig[]; homeModes: (StorageMode | null)[]; assignment: TariffAssignment; tariffHomes: TariffHome[] },
): void {
  const source = config.households.source;
  const file = source.kind === 'meter' && source.homes ? source.homes : 'household metadata';
  homes.households.forEach((home, h) => {
    const o = measured.overrides[home.id];
    if (!o) return;
    if (o.batteryKwh !== undefined) {
      homes.hasBattery[h] = o.batteryKwh > 0 ? 1 : 0;
      if (o.batteryKwh > 0) homes.batteryConfig[h] = { ...config.battery, capacityKwh: o.batteryKwh };
    }
    if (o.tariff !== undefined) {
      const plan = TariffIdSchema.safeParse(o.tariff);
      if (!plan.success) throw new InputError({ file }, `household ${home.id}: unknown tariff "${o.tariff}" (known: ${TariffIdSchema.options.join(', ')})`);
      reassignPlan(config.tariff, homes.assignment, h, getTariff(plan.data), homes.tariffHomes[h]);
    }
    if (o.storageMode !== undefined) {
      if (o.storageMode !== 'solar-only' && o.storageMode !== 'no-export') {
        throw new InputError({ file }, `household ${home.id}: unknown storage_mode "${o.storageMode}" (solar-only or no-export)`);
      }
      if (o.storageMode === 'solar-only' && !home.hasPv) throw new InputError({ file }, `household ${home.id}: storage_mode solar-only needs PV, and the home has none`);
      homes.homeModes[h] = o.storageMode;
    }
  });
}

/** History: every home observes its past; learned models pre-train before the last day and warm up on it. */
async function observeHistory(
  window: DataWindow,
  source: ForecastSource,
  meta: RunMeta,
  options: SimulateOptions,
  emit: (e: EngineEvent) => void,
  control: RunControl,
): Promise<boolean> {
  const n = meta.households.length;
  const historyDays = meta.historyDays;
  const warmLoad = new Float64Array(n * meta.horizon);
  const warmPv = new Float64Array(n * meta.horizon);
  for (let d = 0; d < historyDays; d++) {
    const block = window.current;
    source.beginDay(block);
    const warmUp = source.warmsUpOnLastHistoryDay && d === historyDays - 1;
    if (warmUp) {
      source.beforeLastHistoryDay();
      if (options.yieldEveryDay) await yieldToEventLoop();
    }
    for (let t = 0; t < block.intervals; t++) {
      source.forecaster.observe(block.loadKwh, block.pvKwh, t * n);
      if (warmUp) source.forecaster.forecast(meta.horizon, warmLoad, warmPv);
    }
    window.skip();
    if (d % 30 === 29 || d === historyDays - 1) {
      emit({ type: 'history', day: d + 1, days: historyDays });
      if (options.yieldEveryDay) await yieldToEventLoop();
    }
    if (control.cancelled) return false;
  }
  return true;
}

async function runEngine(config: SimConfig, chosen: ChosenStrategy, options: SimulateOptions, emit: (e: EngineEvent) => void, control: RunControl): Promise<void> {
  const rngFor = createRngFactory(config.seed);
  const measured = options.measured !== undefined ? options.measured : await loadMeasuredHomes(config);
  if (!measured && dataThreadWanted(options.dataThread, config.households.count, config.time.days)) prewarmDayWorker(); // loads while the run sets up
  const { meta, state } = prepareRun(config, rngFor, measured);
  const n = meta.households.length;
  const horizon = meta.horizon;
  const tradingDays = config.time.days;
  emit({ type: 'start', meta });

  // data: history, the trading window, and one day of look-ahead for planning
  const firstDay = addDays(config.time.start, -meta.historyDays);
  const totalDays = meta.historyDays + tradingDays + 1;
  const days = measured ? measured.days(firstDay, totalDays) : syntheticDays(config, meta, firstDay, totalDays, rngFor, options.dataThread);
  if (!measured) control.release.push(() => (days as DaySource).dispose());
  const window = createDataWindow(days, n);
  const strategyContext = {
    households: n,
    storageMode: meta.storageMode,
    wearUsdPerKwh: meta.wearUsdPerKwh,
    initialSocKwh: meta.initialSocKwh,
    horizon,
    intervalHours: meta.intervalHours,
    chargeEfficiency: meta.nominalBattery.chargeEfficiency,
    dischargeEfficiency: meta.nominalBattery.dischargeEfficiency,
    maxPowerKw: meta.nominalBattery.maxPowerKw,
    marketEnabled: meta.marketEnabled,
    transmissionLoss: config.market.transmissionLoss,
  };
  const source = await createForecastSource({
    name: config.agents.forecaster,
    federated: config.federated,
    intervalMinutes: config.time.intervalMinutes,
    households: n,
    horizon,
    tariff: meta.tariff,
    rngFor,
    future: window,
    startIso: window.current.intervalStartIso[0],
    ...(options.replayForecasts ? { replay: options.replayForecasts } : {}),
    record: options.recordForecasts === true,
    wantsBand: chosen.usesForecastBand,
  });
  control.release.push(() => source.dispose());

  if (!(await observeHistory(window, source, meta, options, emit, control))) return;
  window.openLookahead();
  const strategy = await chosen.create(strategyContext);

  for (let dayIndex = 0; dayIndex < tradingDays; dayIndex++) {
    const day = beginDay(state, window.current, dayIndex, dayIndex === tradingDays - 1, meta, source, strategy);
    for (let t = 0; t < day.view.intervals; t++) {
      if (control.cancelled) return;
      observe(state, day, t, source);
      window.cursor = t + 1;
      const band = forecast(state, horizon, source);
      const tick = { t, loadKwh: state.forecastLoadKwh, pvKwh: state.forecastPvKwh, band, priceSignalUsdPerKwh: 0 };
      const signal = priceSignal(state, day, tick, config, strategy, meta);
      tick.priceSignalUsdPerKwh = signal;
      decide(state, day, tick, strategy, meta);
      const orders = clearMarket(state, day, t, config, signal);
      if (day.gridState[t] === GRID_DOWN) settleIsland(state, day, t, meta, signal);
      else settle(state, day, t, meta);
      emit({ type: 'tick', meta, frame: frameOf(state, day, t, signal, horizon, orders) });
      const record = source.afterInterval(state.tick);
      if (record) emit({ type: 'federated', record });
      state.tick++;
    }
    endDay(state, dayIndex, config, meta.nominalBattery);
    window.advance(dayIndex + 1 < tradingDays);
    if (options.yieldEveryDay) await yieldToEventLoop();
  }
  emit({ type: 'engine-end', meta, end: endOfRun(state, meta, source) });
}

function endOfRun(s: EngineState, meta: RunMeta, source: ForecastSource): RunEnd {
  const n = s.households;
  const capacityKwh = new Float64Array(n);
  const equivalentCycles = new Float64Array(n);
  for (let h = 0; h < n; h++) {
    capacityKwh[h] = s.hasBattery[h] ? s.battery[h].capacityKwh : 0;
    equivalentCycles[h] = s.hasBattery[h] ? equivalentFullCycles(s.chargedCellsKwh[h], s.dischargedCellsKwh[h], s.battery[h].nominalCapacityKwh) : 0;
  }
  return { capacityKwh, equivalentCycles, federated: source.summary(), forecastTape: source.tape };
}
