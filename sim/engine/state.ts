/**
 * The engine's state: typed-array columns, one entry per home, allocated once per run and reused
 * every interval (the per-tick phases allocate nothing). Plain data.
 */
import { createDecision, type HomeView, type HouseholdDecision } from '../../agents/index.ts';
import { createBatteryColumns, setBatteryColumns, type BatteryColumns, type BatteryConfig, type BatteryParams, type BatteryStepOut } from '../../battery/index.ts';
import { createIslandResult, type IslandInput, type IslandResult } from '../../central/index.ts';
import { createStateColumns, type StateColumnArrays } from './columns.ts';

/** The island allocation's input as writable columns. */
export type IslandColumns = { [K in keyof IslandInput]: IslandInput[K] extends ArrayLike<number> ? (K extends 'storageMode' ? Uint8Array : Float64Array) : IslandInput[K] };
import {
  createMatchList,
  createMatchScratch,
  createOrderBook,
  createRejectionList,
  createTradeList,
  type RejectionList,
  type TradeList,
} from '../../market/index.ts';

type OrderBook = ReturnType<typeof createOrderBook>;
type MatchList = ReturnType<typeof createMatchList>;
type MatchScratch = ReturnType<typeof createMatchScratch>;

/**
 * The engine's state: its result columns (`StateColumnArrays`, one per registry column the
 * settlement writes: columns.ts) and what the phases keep between intervals.
 */
export interface EngineState extends StateColumnArrays {
  households: number;
  hasBattery: Uint8Array;
  /** each home's battery (capacity fades day by day), and the settings it was built from */
  battery: BatteryParams[];
  batteryConfig: BatteryConfig[];
  /** the same batteries as columns (kept in step with `battery`), for the per-interval loops over the homes */
  batteryColumns: BatteryColumns;
  /** the same batteries while the grid is down: the backup reserve is there to be used, so the floor is empty */
  islandBatteryColumns: BatteryColumns;
  /** where a home's battery step writes its result (reused) */
  batteryStep: BatteryStepOut;
  /** energy each home has sent into trades today (the daily sell cap) */
  soldTodayKwh: Float64Array;
  /** cell-side energy in and out over the run (cycle counting) */
  chargedCellsKwh: Float64Array;
  dischargedCellsKwh: Float64Array;
  /** this interval's plan: battery charge/discharge on the home's own account, and the surplus-PV part of its ask */
  planChargeKwh: Float64Array;
  planDischargeKwh: Float64Array;
  askSurplusKwh: Float64Array;
  /** most each home may send into trades this interval under its storage mode (the central agent enforces it) */
  askCapKwh: Float64Array;
  /** what each home pays the utility per P2P kWh delivered to it this interval (the settlement regime) */
  p2pDeliveryRateUsdPerKwh: Float64Array;
  /** Σ critical load each home has had over the trading intervals so far (its reserve estimate) */
  criticalSeenKwh: Float64Array;
  criticalSeenIntervals: number;
  /** the central agent's island allocation: its input columns and result */
  island: IslandColumns;
  islandResult: IslandResult;
  /** the state's result columns as one object (the tick frame copies its properties) */
  columns: StateColumnArrays;
  /**
   * the day-ahead forecast of every home, `[h * intervals + k]` (the day view's arrays: reused from
   * day to day, reallocated when a day has another number of intervals; every entry is rewritten)
   */
  dayAheadLoadKwh: Float64Array;
  dayAheadPvKwh: Float64Array;
  socFraction: Float64Array;
  /** the market's reusable buffers */
  book: OrderBook;
  matches: MatchList;
  scratch: MatchScratch;
  trades: TradeList;
  rejections: RejectionList;
  decision: HouseholdDecision;
  home: HomeView;
  /** the central agent's memory: last interval's admitted bids and asks, and the price signal's lows */
  previousDemandKwh: number;
  previousSupplyKwh: number;
  yesterdayMinSignalUsdPerKwh: number;
  dayMinSignalUsdPerKwh: number;
  /** global index of the next trading interval */
  tick: number;
  /** price coordination (strategies with a price response): the day's proposed P2P prices, the homes' last answer, each home's planned net position this interval (sold − bought, kWh), and the last iteration's count and residual (null when the interval was not coordinated) */
  coordination: {
    pricesUsdPerKwh: Float64Array;
    excessKwh: Float64Array;
    plannedNetKwh: Float64Array;
    iterations: number;
    residualKwh: number;
    active: boolean;
  };
}

export function createEngineState(hasBattery: Uint8Array, battery: BatteryParams[], socKwh: Float64Array, horizon: number, batteryConfig: BatteryConfig[]): EngineState {
  const n = hasBattery.length;
  const f64 = () => new Float64Array(n);
  const batteryColumns = createBatteryColumns(n);
  const islandBatteryColumns = createBatteryColumns(n);
  for (let h = 0; h < n; h++) setHomeBatteryColumns({ batteryColumns, islandBatteryColumns }, h, battery[h]);
  const columns = createStateColumns(n, horizon);
  columns.socKwh.set(socKwh);
  return {
    ...columns,
    columns,
    households: n,
    hasBattery,
    battery,
    batteryConfig,
    batteryColumns,
    islandBatteryColumns,
    batteryStep: { socKwh: 0, selfDischargeKwh: 0 },
    soldTodayKwh: f64(),
    chargedCellsKwh: f64(),
    dischargedCellsKwh: f64(),
    planChargeKwh: f64(),
    planDischargeKwh: f64(),
    askSurplusKwh: f64(),
    askCapKwh: f64(),
    p2pDeliveryRateUsdPerKwh: f64(),
    criticalSeenKwh: f64(),
    criticalSeenIntervals: 0,
    island: {
      households: n,
      loadKwh: f64(),
      criticalKwh: f64(),
      pvKwh: f64(),
      storageMode: new Uint8Array(n),
      dischargeMaxKwh: f64(),
      spareDischargeKwh: f64(),
      chargeMaxKwh: f64(),
      reserveChargeKwh: f64(),
      sendCapKwh: f64(),
      p2p: true,
      transmissionLoss: 0,
    },
    islandResult: createIslandResult(n),
    dayAheadLoadKwh: new Float64Array(0),
    dayAheadPvKwh: new Float64Array(0),
    socFraction: f64(),
    book: createOrderBook(2 * n),
    matches: createMatchList(2 * n),
    scratch: createMatchScratch(2 * n),
    trades: createTradeList(4 * n),
    rejections: createRejectionList(2 * n),
    decision: createDecision(),
    home: { storageMode: 0, storedMayLeave: true, mayChargeFromImports: true, loadKwh: 0, pvKwh: 0, hasBattery: false, socKwh: 0, minSocKwh: 0, maxSocKwh: 0, maxChargeKwh: 0, maxDischargeKwh: 0, sellAllowanceKwh: 0 },
    previousDemandKwh: 0,
    previousSupplyKwh: 0,
    yesterdayMinSignalUsdPerKwh: Infinity,
    dayMinSignalUsdPerKwh: Infinity,
    tick: 0,
    coordination: { pricesUsdPerKwh: new Float64Array(0), excessKwh: new Float64Array(0), plannedNetKwh: f64(), iterations: 0, residualKwh: 0, active: false },
  };
}

/** Writes home h's battery into both column sets: the grid-up one (floor: the backup reserve) and the islanded one (floor: empty). */
export function setHomeBatteryColumns(s: Pick<EngineState, 'batteryColumns' | 'islandBatteryColumns'>, h: number, p: BatteryParams): void {
  setBatteryColumns(s.batteryColumns, h, p);
  setBatteryColumns(s.islandBatteryColumns, h, p);
  s.islandBatteryColumns.minSocKwh[h] = 0;
}
