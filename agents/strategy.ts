/**
 * The strategy plugin interface: how a household agent turns its own forecasts, its battery and the
 * central agent's price signal into a battery plan and market orders. The engine drives every
 * strategy the same way — `prepareDay` once before a day's first interval, `prepareTick` once per
 * interval, then `decide` once per home — and never names a concrete strategy.
 *
 * The views are read-only windows the engine reuses (no allocation per call): a strategy that keeps
 * data beyond the call must copy it. A strategy sees one home at a time and only that home's rows.
 */
import type { z } from 'zod';
import type { HouseholdDecision } from './decision.ts';
import type { QuantileForecast } from './quantile-forecast.ts';

/** What is fixed for the whole run. */
export interface StrategyContext {
  households: number;
  /** each home's storage mode (battery/storage-mode.ts codes; 0 without a battery) */
  storageMode: Uint8Array;
  /** battery wear, USD per kWh discharged */
  wearUsdPerKwh: number;
  /** stored energy each home started the run with (kWh): agents plan to end the run with it */
  initialSocKwh: Float64Array;
  /** rolling forecast horizon (intervals) */
  horizon: number;
  intervalHours: number;
  /** nominal battery efficiencies and power (the same for every home) */
  chargeEfficiency: number;
  dischargeEfficiency: number;
  maxPowerKw: number;
  marketEnabled: boolean;
  transmissionLoss: number;
}

/**
 * The shape of one day's import tariff (agents/day-plan.ts computes it): where the expensive blocks
 * are (any interval priced above the day's cheapest rate) and how many cheap intervals remain
 * before the next block. `[t]` per interval.
 */
export interface DayRateStructure {
  intervals: number;
  dayMinUsdPerKwh: number;
  dayMaxUsdPerKwh: number;
  /** first interval of the expensive block at or after t (`intervals` when none is left) */
  blockStart: Int32Array;
  /** one past the last interval of that block */
  blockEnd: Int32Array;
  /** highest import rate within that block */
  blockMaxUsdPerKwh: Float64Array;
  /** cheap intervals in [t, blockStart) */
  cheapLeft: Int32Array;
}


/** One tariff plan's day: its import rate per interval and where its expensive blocks are. */
export interface PlanDay {
  importUsdPerKwh: Float64Array;
  /** what an exported kWh earns the plan's homes per interval (their export program's credit) */
  exportUsdPerKwh: Float64Array;
  /** the generation component of the import rate (the whole rate where the sheet does not unbundle it) */
  generationUsdPerKwh: Float64Array;
  /** what the buyer pays the utility per P2P kWh delivered to it, under the market's settlement regime */
  p2pDeliveryUsdPerKwh: Float64Array;
  structure: DayRateStructure;
}

/** One trading day, known before its first interval. Arrays are interval-major per home: `[h * intervals + k]`. */
export interface DayView {
  intervals: number;
  /** the day is the run's last (agents plan to end it with the stored energy they started with) */
  lastDay: boolean;
  /** each plan in use, and each home's index into `plans` */
  plans: PlanDay[];
  planOfHome: Uint8Array;
  /** the community's reference export value per interval (the configured exportCompensation; the central price band's floor); each home's own credit is its plan's */
  exportUsdPerKwh: Float64Array;
  /** day-ahead forecast of every home's load and PV, `[h * intervals + k]` */
  loadKwh: Float64Array;
  pvKwh: Float64Array;
  /** the lowest price signal of the previous trading day (Infinity on the first day) */
  yesterdayMinSignalUsdPerKwh: number;
}

/** One interval, shared by every home's decision. */
export interface TickView {
  /** interval within the day */
  t: number;
  /** rolling forecast of the `horizon` intervals after this one, `[h * horizon + k]` */
  loadKwh: Float64Array;
  pvKwh: Float64Array;
  /** the learned forecaster's P10/P50/P90 band over the same horizon, when the strategy's definition asks for it and one exists */
  band: QuantileForecast | null;
  priceSignalUsdPerKwh: number;
}

/**
 * One home in one interval: its metered actuals and its battery's limits (bus kWh), with the
 * storage mode's rules already applied to the limits (a no-export battery's discharge is capped at
 * the home's own deficit; a solar-only battery's charge at its own PV).
 */
export interface HomeView {
  /** battery/storage-mode.ts code */
  storageMode: number;
  /** whether stored energy may leave the home (to the grid or a neighbour) */
  storedMayLeave: boolean;
  /** whether the battery may charge from imports (the grid or neighbours) */
  mayChargeFromImports: boolean;
  loadKwh: number;
  pvKwh: number;
  hasBattery: boolean;
  socKwh: number;
  minSocKwh: number;
  maxSocKwh: number;
  maxChargeKwh: number;
  maxDischargeKwh: number;
  /** energy this home may still sell today (sent kWh) */
  sellAllowanceKwh: number;
}

export interface Strategy {
  prepareDay(day: DayView): void;
  prepareTick(tick: TickView): void;
  /** writes home h's decision for the current interval into `out` (which arrives reset: hold, no energy, no orders) */
  decide(h: number, home: HomeView, out: HouseholdDecision): void;
  /**
   * Optional: the homes plan against a P2P price per interval (transactive coordination). When a
   * strategy has it and trading is on, the central agent proposes prices over the rest of the day,
   * the homes answer each proposal, and the market clears at the proposal for the current
   * interval; `decide` then acts on the homes' last answer.
   */
  readonly priceResponse?: PriceResponsivePlanner;
}

export interface PriceResponsivePlanner {
  /**
   * Every home plans its battery and P2P trades over the rest of the day against
   * `pricesUsdPerKwh` (index 0 is interval `tick.t`) on its own forecasts, and reports only its
   * plan's P2P position: the community's excess demand per interval (Σ bought − Σ sold, kWh sent)
   * goes into `excessKwh`, each home's planned net position in the current interval (sold, kWh
   * sent, − bought, kWh delivered) into `plannedNetKwh[h]`. `homeAt(h)` is home h's view of the
   * current interval (a reused object: read it before the next call).
   */
  respond(tick: TickView, homeAt: (h: number) => HomeView, pricesUsdPerKwh: Float64Array, excessKwh: Float64Array, plannedNetKwh: Float64Array): void;
}

/**
 * A strategy as data: what the registry (`agents/strategies.ts`) and `simulate(config, { strategies })`
 * hold under its name (the config's `agents.strategy`). The run reads `optionsSchema` and
 * `usesForecastBand` before the strategy exists (the forecaster is set up first), then calls
 * `create` once, after the history days.
 */
export interface StrategyDefinition<O = unknown> {
  /** what it does, in a clause (the config's documentation of `agents.strategy` lists every one) */
  readonly description?: string;
  /**
   * The fields of the config's `agents` section it reads, with their defaults and descriptions: they
   * join the config schema, and the run parses the strategy's options out of `agents` with it.
   * Without one, `create` is given `{}`.
   */
  readonly optionsSchema?: z.ZodType<O> & { readonly shape: Readonly<Record<string, z.ZodType>> };
  /** asks the forecaster for its P10/P50/P90 band every interval under these options (absent: never) */
  usesForecastBand?(options: O): boolean;
  create(ctx: StrategyContext, options: O): Strategy | Promise<Strategy>;
}

/** Strategies by the name `agents.strategy` gives them. */
export type StrategyRegistry = Readonly<Record<string, StrategyDefinition>>;
