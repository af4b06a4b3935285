/**
 * The engine's public data: what is fixed for a run (`RunMeta`), what one interval produced
 * (`TickFrame`) and the events a run emits. Plain data.
 */
import type { StrategyRegistry } from '../../agents/index.ts';
import type { ExportProgram, HouseholdProfile, InputsReport, LowIncomeTier } from '../../data-gen/index.ts';
import type { MeasuredHomes } from '../households.ts';
import type { FederatedSummary } from '../../central/index.ts';
import type { FederatedRoundRecord } from '../../federated/index.ts';
import type { BatteryParams } from '../../battery/index.ts';
import type { ExportSchedule, RejectionList, TariffPlan, TradeList } from '../../market/index.ts';
import type { SimConfig } from '../config.ts';
import type { OutageWindow } from '../outages.ts';
import type { ColumnTotals, HomeColumnArrays } from './columns.ts';

export { ACTION_BUY, ACTION_HOLD, ACTION_NAMES, ACTION_SELL } from './columns.ts';

/** Everything fixed for a run before its first interval. Plain data. */
export interface RunMeta {
  config: SimConfig;
  households: HouseholdProfile[];
  hasBattery: Uint8Array;
  /** each home's export compensation program (null without solar) */
  exportProgram: (ExportProgram | null)[];
  /** each home's low-income programme (CARE, FERA or none) */
  lowIncome: LowIncomeTier[];
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
  /** the plans homes are on (index 0 is the configured plan), each with the export credit its homes earn (`exports`, parallel), and each home's index into them */
  plans: TariffPlan[];
  exports: ExportSchedule[];
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

/** What the settlement reads of the run (a RunMeta is one; a test builds one by hand). */
export interface SettleMeta {
  households: readonly { readonly id: string }[];
  intervalHours: number;
  planOfHome: Uint8Array;
  storageMode: Uint8Array;
}

/** What the totals collector reads of the run (a RunMeta is one; a test builds one by hand). */
export interface CollectorMeta extends SettleMeta, Pick<RunMeta, 'intervals' | 'horizon' | 'wearUsdPerKwh' | 'initialSocKwh'> {
  config: { households: Pick<SimConfig['households'], 'territory'>; time: Pick<SimConfig['time'], 'days'>; grid: Pick<SimConfig['grid'], 'feederLimitKw'> };
  /** only how many plans there are */
  plans: readonly unknown[];
  nominalBattery: Pick<BatteryParams, 'chargeEfficiency'>;
}

/**
 * One interval's results: every registry column (columns.ts) as a typed array over the homes, and
 * the interval's community-wide facts. The typed arrays are views the engine reuses: a subscriber
 * that keeps data beyond its callback must copy it.
 */
export interface TickFrame extends HomeColumnArrays {
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
  /** each plan's charge per delivered P2P kWh this interval (0 while islanded: nothing is billed) */
  p2pDeliveryUsdPerKwhByPlan: Float64Array;
  /** the grid this interval: GRID_UP (0), GRID_NOTICE (1: an outage is announced), GRID_DOWN (2: islanded) */
  gridState: number;
  /** forecast steps per home in `forecastLoadKwh` and `forecastPvKwh` */
  horizon: number;
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
  capacityKwh: Float64Array;
  equivalentCycles: Float64Array;
  federated: FederatedSummary | null;
  forecastTape: Float64Array[] | null;
}

/**
 * Run totals, per household unless named community; plain data the summary is built from. The
 * per-home totals of the registry's columns (`ColumnTotals`: Σ of each `sum` column, the last
 * interval's value of each `last` column) come first.
 */
export interface RunTotals extends ColumnTotals {
  intervals: number;
  days: number;
  peakImportKw: Float64Array;
  baselinePeakImportKw: Float64Array;
  capacityKwh: Float64Array;
  equivalentCycles: Float64Array;
  /** Σ over days of the baseline allowance for the day's season (kWh per home) */
  baselineAllowanceKwh: number;
  communityPeakImportKw: number;
  communityBaselinePeakImportKw: number;
  /** the community's feeder: its limit (kW, null = none), intervals whose |net flow| exceeded it (with, and without batteries and P2P), the largest |net flow| (kW) */
  feederLimitKw: number | null;
  feederOverloadIntervals: number;
  baselineFeederOverloadIntervals: number;
  feederPeakAbsNetKw: number;
  tradesExecuted: number;
  sentKwh: number;
  deliveredKwh: number;
  /** Σ over trades of the buyers' delivery charges (paid to the utility) */
  deliveryChargesUsd: number;
  buyerPaidUsd: number;
  sellerReceivedUsd: number;
  rejectionCounts: Record<string, { count: number; kwh: number }>;
  priceSignalMin: number;
  priceSignalMax: number;
  priceSignalSum: number;
  /** price coordination: intervals coordinated, Σ proposals, Σ |residual| (kWh sent), Σ over homes of |planned − actual net position| (kWh) */
  coordinatedIntervals: number;
  coordinationIterations: number;
  coordinationAbsResidualKwh: number;
  coordinationAbsPlanGapKwh: number;
  /** battery wear per home, USD (wear cost × energy discharged) */
  batteryWearUsd: Float64Array;
  /**
   * What putting a stored kWh back would cost each home at the end of the run (USD per stored kWh):
   * a solar-only battery refills from PV it would otherwise export (the last day's cheapest export
   * value in an interval with own PV surplus), any other home from its plan's cheapest import of the
   * last day; either divided by the charge efficiency.
   */
  refillUsdPerStoredKwh: Float64Array;
  /** mean absolute load forecast error by step ahead (kWh), and how many forecasts each covers */
  forecastLoadAbsErrorKwh: Float64Array;
  forecastPvAbsErrorKwh: Float64Array;
  forecastCount: Float64Array;
  /** the federated-learning summary when the agents used a learned forecaster (null otherwise) */
  federated: FederatedSummary | null;
  /** grid outages: intervals the grid was down, and per home over them */
  outage: OutageTotals;
}

/** What the homes got while the grid was down (per home unless named). */
export interface OutageTotals {
  intervals: number;
  demandKwh: Float64Array;
  criticalDemandKwh: Float64Array;
  unservedKwh: Float64Array;
  unservedCriticalKwh: Float64Array;
  /** intervals (while down) in which the home's critical load was fully served */
  criticalServedIntervals: Float64Array;
  /** intervals in which every home's critical load was fully served */
  communityCriticalServedIntervals: number;
  /** PV curtailed (no load, battery or neighbour to take it) */
  curtailedKwh: Float64Array;
  /** P2P energy delivered to each home while islanded */
  boughtKwh: Float64Array;
  /** stored energy (SoC) when the grid went down, summed over outages */
  socAtStartKwh: Float64Array;
}

/** Series the perfect-foresight optimum needs (collected only when asked). */
export interface RunSeries {
  loadKwh: Float64Array[];
  /** PV available (before any curtailment while islanded) */
  pvKwh: Float64Array[];
  /** critical part of the load */
  criticalKwh: Float64Array[];
  /** 1 where the grid was down */
  gridDown: Uint8Array;
  /** each plan's import rate (`meta.plans` order) */
  importUsdPerKwhByPlan: Float64Array[];
  /** each plan's charge per delivered P2P kWh (`meta.plans` order) */
  p2pDeliveryUsdPerKwhByPlan: Float64Array[];
  /** the community's reference export value */
  exportUsdPerKwh: Float64Array;
  /** each home's own export credit per interval */
  homeExportUsdPerKwh: Float64Array[];
  dayOfInterval: Int32Array;
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
