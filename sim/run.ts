import { lastValueFrom, Observable } from 'rxjs';
import { filter } from 'rxjs/operators';
import { storageModeName } from '../battery/index.ts';
import { createOptimumSolver, type OptimumInput } from '../central/index.ts';
import type { StrategyRegistry } from '../agents/index.ts';
import { strategyOfRun, type SimConfig } from './config.ts';
import { isLearnedForecaster } from './forecasting.ts';
import { loadMeasuredHomes } from './households.ts';
import type { Summary } from './contract.ts';
import { simulate, type RunMeta, type RunSeries, type RunTotals, type SimEvent } from './engine/index.ts';
import { coversAYear, type Rerun } from './payback.ts';
import { buildSummary, fixedChargeTierOf, planTermsOf, type OptimumOutcome } from './summary.ts';

export type RunEvent =
  | SimEvent
  | { type: 'baseline'; name: 'battery-only' | 'perfect-forecasts' | 'no-battery' | 'perfect-foresight'; status: 'started' | 'done'; detail?: string }
  | { type: 'summary'; summary: Summary };

/**
 * A whole run as one cold stream: the simulation's ticks, then the comparisons that make its
 * savings honest (the same agents without P2P; the perfect-foresight optimum), then the summary.
 */
export function runWithComparisons(config: SimConfig, options: { cwd?: string; strategies?: StrategyRegistry } = {}): Observable<RunEvent> {
  const strategies = options.strategies ? { strategies: options.strategies } : {};
  return new Observable<RunEvent>((subscriber) => {
    const control = { cancelled: false };
    let inner: { unsubscribe(): void } | null = null;
    (async () => {
      let meta: RunMeta | null = null;
      let totals: RunTotals | null = null;
      let series: RunSeries | null = null;
      let tape: Float64Array[] | null = null;
      const learned = isLearnedForecaster(config.agents.forecaster);
      // the battery-only rerun replays the main run's learned forecasts (same homes, no retraining)
      // when the tape fits comfortably in memory and the strategy reads no band (a replay has none);
      // otherwise it trains its own models again
      const readsBand = strategyOfRun(config, options.strategies).usesForecastBand;
      const recordForecasts = learned && !readsBand && config.baselines.batteryOnly && config.market.enabled && config.households.count * config.time.days <= 20_000;
      // measured homes are imported once and shared with the comparison reruns
      const measured = await loadMeasuredHomes(config, options.cwd);
      await new Promise<void>((resolve, reject) => {
        inner = simulate(config, { collectSeries: config.baselines.perfectForesight, yieldEveryDay: true, recordForecasts, measured, ...strategies }).subscribe({
          next: (e) => {
            if (e.type === 'end') {
              meta = e.meta;
              totals = e.totals;
              series = e.series;
              tape = e.forecastTape;
            }
            subscriber.next(e);
          },
          error: reject,
          complete: resolve,
        });
      });
      if (control.cancelled || !meta || !totals) return;

      let batteryOnly: RunTotals | null = null;
      if (config.baselines.batteryOnly) {
        subscriber.next({ type: 'baseline', name: 'battery-only', status: 'started' });
        if (!config.market.enabled) batteryOnly = totals;
        else {
          const noP2p = { ...config, market: { ...config.market, enabled: false } };
          const replay = tape ? { replayForecasts: tape } : {};
          const end = await lastValueFrom(simulate(noP2p, { yieldEveryDay: true, measured, ...replay, ...strategies }).pipe(filter((e) => e.type === 'end')));
          batteryOnly = end.totals;
          tape = null;
        }
        subscriber.next({ type: 'baseline', name: 'battery-only', status: 'done' });
      }
      if (control.cancelled) return;

      let perfectForecast: RunTotals | null = null;
      if (config.baselines.perfectForecast) {
        subscriber.next({ type: 'baseline', name: 'perfect-forecasts', status: 'started' });
        if (config.agents.forecaster === 'perfect') perfectForecast = totals;
        else {
          const perfect = { ...config, agents: { ...config.agents, forecaster: 'perfect' as const } };
          const end = await lastValueFrom(simulate(perfect, { yieldEveryDay: true, measured, ...strategies }).pipe(filter((e) => e.type === 'end')));
          perfectForecast = end.totals;
        }
        subscriber.next({ type: 'baseline', name: 'perfect-forecasts', status: 'done' });
      }
      if (control.cancelled) return;

      // the battery's value with P2P (payback.ts): the same street trading without batteries, over a year
      let noBattery: Rerun | null = null;
      if (coversAYear(config.time.days) && config.market.enabled && (meta as RunMeta).hasBattery.some((x) => x === 1)) {
        subscriber.next({ type: 'baseline', name: 'no-battery', status: 'started' });
        const without = { ...config, battery: { ...config.battery, share: 0 } };
        const end = await lastValueFrom(simulate(without, { yieldEveryDay: true, measured, ...strategies }).pipe(filter((e) => e.type === 'end')));
        noBattery = { meta: end.meta, totals: end.totals };
        subscriber.next({ type: 'baseline', name: 'no-battery', status: 'done' });
      }
      if (control.cancelled) return;

      let optimum: OptimumOutcome = {
        status: 'disabled',
        reason: 'baselines.perfectForesight is false',
        costUsd: null,
        billsUsd: null,
        storedEnergyChangeKwh: null,
        variables: null,
        constraints: null,
        gridImportKwh: null,
        p2pSentKwh: null,
        peakGridImportKw: null,
      };
      if (config.baselines.perfectForesight && series) {
        subscriber.next({ type: 'baseline', name: 'perfect-foresight', status: 'started' });
        optimum = await solveOptimum(meta, totals, series, config);
        subscriber.next({ type: 'baseline', name: 'perfect-foresight', status: 'done', detail: optimum.status });
      }
      subscriber.next({ type: 'summary', summary: buildSummary(meta, totals, batteryOnly, optimum, perfectForecast, noBattery) });
      subscriber.complete();
    })().catch((err: unknown) => subscriber.error(err));
    return () => {
      control.cancelled = true;
      inner?.unsubscribe();
    };
  });
}

async function solveOptimum(meta: RunMeta, totals: RunTotals, series: RunSeries, config: SimConfig): Promise<OptimumOutcome> {
  const b = meta.nominalBattery;
  const terms = meta.plans.map((_, p) => planTermsOf(meta, totals, p));
  const input: OptimumInput = {
    intervalHours: meta.intervalHours,
    exportUsdPerKwh: series.exportUsdPerKwh,
    dayOfInterval: series.dayOfInterval,
    households: meta.households.map((home, h) => ({
      loadKwh: series.loadKwh[h],
      pvKwh: series.pvKwh[h],
      importUsdPerKwh: series.importUsdPerKwhByPlan[meta.planOfHome[h]],
      exportUsdPerKwh: series.homeExportUsdPerKwh[h],
      p2pDeliveryUsdPerKwh: series.p2pDeliveryUsdPerKwhByPlan[meta.planOfHome[h]],
      battery: meta.hasBattery[h]
        ? {
            capacityKwh: b.capacityKwh,
            minSocKwh: b.minSocKwh,
            maxSocKwh: b.maxSocKwh,
            maxPowerKw: b.maxPowerKw,
            chargeEfficiency: b.chargeEfficiency,
            dischargeEfficiency: b.dischargeEfficiency,
            initialSocKwh: meta.initialSocKwh[h],
            storageMode: storageModeName(meta.storageMode[h])!,
            wearUsdPerKwh: meta.wearUsdPerKwh,
          }
        : null,
      baselineAllowanceKwh: terms[meta.planOfHome[h]].baselineCreditUsdPerKwh > 0 ? totals.baselineAllowanceKwh : 0,
      baselineCreditUsdPerKwh: terms[meta.planOfHome[h]].baselineCreditUsdPerKwh,
      criticalKwh: series.criticalKwh[h],
    })),
    p2p: config.market.enabled
      ? { maxDailySellKwh: config.market.maxDailySellKwh, transmissionLoss: config.market.transmissionLoss }
      : null,
    terminalSocAtLeastInitial: true,
    outage:
      config.grid.outages.length > 0
        ? { gridDown: series.gridDown, vollUsdPerKwh: config.grid.vollUsdPerKwh, criticalVollUsdPerKwh: config.grid.criticalVollUsdPerKwh }
        : null,
  };
  const solver = await createOptimumSolver();
  const r = solver.solve(input, { maxVariables: config.baselines.maxOptimumVariables });
  const ok = r.status === 'optimal';
  let fixed = 0;
  for (let h = 0; h < meta.households.length; h++) fixed += planTermsOf(meta, totals, meta.planOfHome[h], fixedChargeTierOf(meta, h)).fixedUsd;
  // the Energy Commission tax on what the grid delivers: its imports and the P2P kWh that arrive
  const deliveredKwh = ok ? r.gridImportKwh + r.p2pSentKwh * (1 - config.market.transmissionLoss) : 0;
  const taxUsd = terms[0].taxUsdPerKwh * deliveredKwh;
  // on the headline's basis: bills + wear (what the optimum minimises), less the value of any stored
  // energy it ends with above the start (it may not end below), priced as the agents' is
  let storedValue = 0;
  let storedChange = 0;
  if (ok)
    r.perHousehold.forEach((x, h) => {
      if (x.finalSocKwh === null) return;
      storedChange += x.finalSocKwh - meta.initialSocKwh[h];
      storedValue += (x.finalSocKwh - meta.initialSocKwh[h]) * totals.refillUsdPerStoredKwh[h];
    });
  return {
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
    costUsd: ok ? r.totalCostUsd + fixed + taxUsd - storedValue : null,
    billsUsd: ok ? r.billsUsd + fixed + taxUsd : null,
    storedEnergyChangeKwh: ok ? storedChange : null,
    variables: r.variables,
    constraints: r.constraints,
    gridImportKwh: ok ? r.gridImportKwh : null,
    p2pSentKwh: ok ? r.p2pSentKwh : null,
    peakGridImportKw: ok ? r.peakGridImportKw : null,
    unserved: ok && input.outage ? { kwh: r.unservedKwh, criticalKwh: r.unservedCriticalKwh, valueUsd: r.unservedValueUsd } : null,
  };
}
