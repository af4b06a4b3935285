/**
 * The engine's public data: what is fixed for a run (`RunMeta`), what one interval produced
 * (`TickFrame`) and the events a run emits. Plain data.
 */
import type { StrategyRegistry } from '../../agents/index.ts';
import type { HouseholdProfile, InputsReport } from '../../data-gen/index.ts';
import type { MeasuredHomes } from '../households.ts';
import type { FederatedSummary } from '../../central/index.ts';
import type { FederatedRoundRecord } from '../../federated/index.ts';
import type { BatteryParams } from '../../battery/index.ts';
import type { RejectionList, TariffPlan, TradeList } from '../../market/index.ts';
import type { SimConfig } from '../config.ts';
import type { OutageWindow } from '../outages.ts';
import type { RunSeries, RunTotals } from './collector.ts';

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
  /** history days the run observed (fewer than configured when meter data starts later) */
  historyDays: number;
  /** what was imported, when the homes come from meter data (summary.json `inputs`) */
  inputs: InputsReport | null;
  /** the configured plan (`tariff.plan`) */
  tariff: TariffPlan;
  /** the plans homes are on (index 0 is the configured plan) and each home's index into it */
  plans: TariffPlan[];
  planOfHome: Uint8Array;
  /** each home's storage mode (battery/storage-mode.ts codes; 0 without a battery) */
  storageMode: Uint8Array;
  /** battery wear, USD per kWh discharged */
  wearUsdPerKwh: number;
  nominalBattery: BatteryParams;
  initialSocKwh: Float64Array;
  horizon: number;
  forecaster: string;
  marketEnabled: boolean;
  /** the configured grid outages as instants (empty: the grid never goes down) */
  outages: OutageWindow[];
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
  /** local calendar month of the interval (1–12) */
  month: number;
  startIso: string;
  priceSignalUsdPerKwh: number;
  /** the import rate the price signal was set against (the one plan's, or the community mean over homes) */
  importUsdPerKwh: number;
  exportUsdPerKwh: number;
  /** each plan's import rate this interval (`meta.plans` order) */
  importUsdPerKwhByPlan: Float64Array;
  /** the grid this interval: GRID_UP (0), GRID_NOTICE (1: an outage is announced), GRID_DOWN (2: islanded) */
  gridState: number;
  loadKwh: Float64Array;
  /** PV the inverters delivered (less than `pvAvailableKwh` only when an islanded community curtailed it) */
  pvKwh: Float64Array;
  pvAvailableKwh: Float64Array;
  curtailedKwh: Float64Array;
  /** critical part of the load (refrigerator, lighting, plug/medical baseline) */
  criticalKwh: Float64Array;
  /** demand not served (0 while the grid is up), and its critical part */
  unservedKwh: Float64Array;
  unservedCriticalKwh: Float64Array;
  chargeKwh: Float64Array;
  dischargeKwh: Float64Array;
  selfDischargeKwh: Float64Array;
  socKwh: Float64Array;
  boughtKwh: Float64Array;
  soldKwh: Float64Array;
  gridImportKwh: Float64Array;
  gridExportKwh: Float64Array;
  /** what each home would import / export with no battery and no P2P */
  baselineImportKwh: Float64Array;
  baselineExportKwh: Float64Array;
  /** P2P payments made and received this interval (USD) */
  p2pPaidUsd: Float64Array;
  p2pReceivedUsd: Float64Array;
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
  /** the central agent's price coordination this interval (null when the strategy does not coordinate or trading is off) */
  coordination: TickCoordination | null;
}

/** One interval's price coordination: proposals the homes answered, the planned imbalance left, each home's planned net P2P position. */
export interface TickCoordination {
  iterations: number;
  /** planned bought − sold at the final proposal, kWh sent (positive: more planned demand than supply) */
  residualKwh: number;
  /** each home's planned net position: sold (kWh sent) − bought (kWh delivered); compare with soldKwh − boughtKwh */
  plannedNetKwh: Float64Array;
}

/** What the engine knows only at the end of a run (the collector turns the ticks into totals). */
export interface RunEnd {
  finalSocKwh: Float64Array;
  capacityKwh: Float64Array;
  equivalentCycles: Float64Array;
  federated: FederatedSummary | null;
  forecastTape: Float64Array[] | null;
}

/** Events of the engine itself, before the collector adds the totals. */
export type EngineEvent =
  | { type: 'start'; meta: RunMeta }
  | { type: 'history'; day: number; days: number }
  | { type: 'tick'; meta: RunMeta; frame: TickFrame }
  | { type: 'federated'; record: FederatedRoundRecord }
  | { type: 'engine-end'; meta: RunMeta; end: RunEnd };

export type SimEvent =
  | Exclude<EngineEvent, { type: 'engine-end' }>
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
  /** imported homes (loaded once by the run and shared with its reruns); undefined = load them if the config says so */
  measured?: MeasuredHomes | null;
  /**
   * synthetic days on a worker thread a day ahead of the engine (day-thread.ts; `auto`: on the main
   * thread, with two cores, at least 1,000 homes and 200,000 home-days of trading); the blocks, and
   * so every output, are the same either way
   */
  dataThread?: 'auto' | 'on' | 'off';
  /** strategies of your own, by the name `agents.strategy` may then give (beside the built-ins; not under a built-in's name) */
  strategies?: StrategyRegistry;
}
