import { DateTime } from 'luxon';
import { z } from 'zod';
import { BatteryConfigSchema } from '../battery/index.ts';
import { FederatedConfigSchema } from '../federated/index.ts';
import { PopulationConfigSchema, WeatherConfigSchema } from '../data-gen/index.ts';
import { MarketConfigSchema, TariffConfigSchema } from '../market/index.ts';

import { INTERVAL_MINUTES, TIMEZONE } from '../common/index.ts';
import { chooseStrategy, CvarOptionsSchema, DEFAULT_STRATEGY, RuleBasedOptionsSchema, STRATEGIES, strategyOptionFields, withStrategies, type ChosenStrategy, type StrategyRegistry } from '../agents/index.ts';
import { DEFAULT_FORECASTER, FORECASTER_NAMES, FORECASTERS } from './forecasting.ts';
import { GridConfigSchema, outagesOutsideWindow } from './outages.ts';

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s, { zone: TIMEZONE }).isValid, 'not a real calendar date');

export const TimeConfigSchema = z.strictObject({
  start: IsoDate.default('2026-07-15').describe('first trading day (local date, America/Los_Angeles)'),
  days: z.number().int().min(1).max(3660).default(1).describe('trading days simulated'),
  historyDays: z
    .number()
    .int()
    .min(0)
    .max(3660)
    .refine((d) => d >= 7, {
      error: (iss) => `a trading window needs at least 7 days of history before it for the forecasters (got ${String(iss.input)})`,
    })
    .default(365)
    .describe('days of generated history before the trading window that forecasters learn from (at least 7)'),
  intervalMinutes: z.literal(INTERVAL_MINUTES).default(INTERVAL_MINUTES).describe('length of one tick; the tariffs and the contract assume 30 minutes'),
});

export const CentralConfigSchema = z.strictObject({
  priceSensitivity: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe(
      'how far the previous interval’s demand/supply imbalance moves the price signal from the middle of the band between the export value and the import tariff (0 = always the middle, 1 = to the band’s edge)',
    ),
  coordination: z
    .strictObject({
      maxIterations: z.number().int().min(1).max(100).default(16).describe('most price proposals per interval (each one: every home re-plans)'),
      toleranceKwh: z.number().min(0).max(100).default(0.05).describe('planned imbalance (kWh sent) below which every interval counts as balanced and the centre stops proposing'),
      stepUsdPerKwh: z
        .number()
        .gt(0)
        .max(10)
        .default(0.1)
        .describe('first price step: USD per kWh the price moves for 1 kWh of planned excess demand per home (an interval’s step halves each time its planned imbalance changes sign)'),
    })
    .prefault({})
    .describe('the central agent’s price iteration under agents.strategy = coordinated'),
});

/**
 * The config's `agents` section for a registry of strategies: `strategy` names one of them, and the
 * option fields they read join the section. The built-in strategies' fields keep the places
 * config.json has always given them; any other strategy's follow the section's own fields.
 */
function agentsConfigSchema(strategies: StrategyRegistry) {
  const placed = { cvar: CvarOptionsSchema.shape.cvar, reserveQuantile: RuleBasedOptionsSchema.shape.reserveQuantile };
  const later = Object.entries(strategyOptionFields(strategies)).filter(([key]) => !Object.hasOwn(placed, key));
  const section = z.strictObject({
    strategy: z
      .enum(Object.keys(strategies))
      .default(DEFAULT_STRATEGY)
      .describe(`trading and battery strategy of every household — ${Object.entries(strategies).map(([name, s]) => `${name}: ${s.description ?? 'no description'}`).join('; ')}`),
    cvar: placed.cvar,
    forecaster: z
      .enum(FORECASTER_NAMES)
      .default(DEFAULT_FORECASTER)
      .describe(Object.entries(FORECASTERS).map(([name, f]) => `${name}: ${f.description}`).join('; ')),
    horizonIntervals: z.number().int().min(1).max(48).default(6).describe('trading forecast horizon (6 = 3 hours)'),
    reserveQuantile: placed.reserveQuantile,
  });
  // other strategies' option fields are read by their own optionsSchema, not through the config's type
  return later.length > 0 ? (section.extend(Object.fromEntries(later)) as unknown as typeof section) : section;
}

export const AgentsConfigSchema = agentsConfigSchema(STRATEGIES);

export const BaselinesConfigSchema = z.strictObject({
  batteryOnly: z.boolean().default(true).describe('also run the same agents with P2P trading switched off'),
  perfectForesight: z.boolean().default(true).describe('solve the community’s perfect-foresight optimum (MILP, HiGHS)'),
  perfectForecast: z
    .boolean()
    .default(true)
    .describe('also run the same agents with perfect forecasts of their own load and PV (prices the forecast error in the attribution)'),
  maxOptimumVariables: z
    .number()
    .int()
    .min(1000)
    .max(5_000_000)
    .default(20_000)
    .describe(
      'the optimum is skipped (and says so) above this many LP variables: a 10-home day is about 2,700; a 10-home week (18,700) takes 20–30 s to solve on 2 cores',
    ),
});

export const OutputsConfigSchema = z.strictObject({
  dir: z
    .string()
    .min(1)
    .default('runs/{scenario}-seed{seed}')
    .describe('output directory; {scenario} and {seed} are replaced'),
  timeline: z
    .enum(['auto', 'json', 'ndjson', 'none'])
    .default('auto')
    .describe('auto: timeline.json up to 500,000 household-intervals, timeline.ndjson (one interval a line) above'),
  trades: z.boolean().default(true).describe('write trades.json (trades.ndjson above the timeline threshold)'),
  format: z
    .enum(['json', 'parquet'])
    .default('json')
    .describe(
      'json: timeline and trades as JSON/NDJSON (for the frontend); parquet: timeline.parquet (one row per home per interval; none when timeline is none) and trades.parquet (when trades) instead, for pandas, polars and DuckDB. summary.json, config.json and federated.json are JSON either way',
    ),
});

/** The whole config, with `agents.strategy` naming one of `strategies`. */
function simConfigSchema(strategies: StrategyRegistry) {
  return z
    .strictObject({
      $schema: z.string().optional().describe('path of the JSON Schema, for editors'),
      seed: z.number().int().min(0).max(4294967295).default(42).describe('the one seed every random draw derives from'),
      scenario: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes')
        .default('baseline-summer')
        .describe('name recorded in the outputs'),
      time: TimeConfigSchema.prefault({}),
      households: PopulationConfigSchema.prefault({}),
      weather: WeatherConfigSchema.prefault({}),
      battery: BatteryConfigSchema.prefault({}),
      tariff: TariffConfigSchema.prefault({}),
      market: MarketConfigSchema.prefault({}),
      central: CentralConfigSchema.prefault({}),
      agents: (strategies === STRATEGIES ? AgentsConfigSchema : agentsConfigSchema(strategies)).prefault({}),
      federated: FederatedConfigSchema.prefault({}).describe('transformer training by federated averaging (used when agents.forecaster is transformer or gated)'),
      grid: GridConfigSchema.prefault({}),
      baselines: BaselinesConfigSchema.prefault({}),
      outputs: OutputsConfigSchema.prefault({}),
    })
    .refine((c) => c.battery.storageMode !== 'solar-only' || c.households.pvShare >= 1, {
      message: 'solar-only charging needs PV at every home with a battery, but households.pvShare is below 1 (use auto: solar-only where there is PV, no-export elsewhere)',
      path: ['battery', 'storageMode'],
    })
    .superRefine((c, ctx) => {
      for (const i of outagesOutsideWindow(c.grid.outages, c.time.start, c.time.days)) {
        ctx.addIssue({
          code: 'custom',
          message: `the outage starting ${c.grid.outages[i].start} for ${c.grid.outages[i].hours} h lies outside the run (${c.time.start}, ${c.time.days} day(s)); an outage must lie inside or overlap the trading window`,
          path: ['grid', 'outages', i, 'start'],
        });
      }
    });
}

export const SimConfigSchema = simConfigSchema(STRATEGIES);

export type SimConfig = z.infer<typeof SimConfigSchema>;
export type SimConfigInput = z.input<typeof SimConfigSchema>;

export const CONFIG_ERROR_CODE = 'WATTSWAP_ERR_CONFIG';

/** A configuration that failed validation; `message` lists every problem with its field path. */
export class ConfigError extends Error {
  readonly code = CONFIG_ERROR_CODE;
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** What a config is checked against beyond the built-ins: a user's own strategies, by name. */
export interface ConfigContext {
  strategies?: StrategyRegistry;
}

/**
 * Validates once and returns a frozen config, or throws a ConfigError naming every bad field.
 * `agents.strategy` may name a built-in strategy or one of `context.strategies`.
 */
export function parseSimConfig(raw: unknown, context: ConfigContext = {}): SimConfig {
  const schema = context.strategies ? simConfigSchema(withStrategies(context.strategies)) : SimConfigSchema;
  return deepFreeze(checked(schema, raw));
}

function checked<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ConfigError(z.prettifyError(result.error), issues);
  }
  return result.data;
}

/**
 * The run's strategy: the one `agents.strategy` names among the built-ins and `extra`, with its
 * options read from `agents`; a name neither knows is a ConfigError at `agents.strategy` (a config
 * parsed against other strategies than the run is given).
 */
export function strategyOfRun(config: SimConfig, extra?: StrategyRegistry): ChosenStrategy {
  const strategies = withStrategies(extra);
  checked(z.object({ agents: z.object({ strategy: z.enum(Object.keys(strategies)) }) }), config);
  return chooseStrategy(strategies, config.agents.strategy, config.agents);
}

/** Deep-merges plain-object overlays (scenario presets, CLI flags) onto a raw config, before validation. */
export function mergeConfig(base: unknown, ...overlays: unknown[]): unknown {
  let out = base;
  for (const o of overlays) out = mergeTwo(out, o);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeTwo(a: unknown, b: unknown): unknown {
  if (b === undefined) return a;
  if (!isPlainObject(a) || !isPlainObject(b)) return b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = mergeTwo(a[k], v);
  return out;
}

/** Resolves `{scenario}` and `{seed}` in the configured output directory. */
export function outputDirOf(config: SimConfig): string {
  return config.outputs.dir.replaceAll('{scenario}', config.scenario).replaceAll('{seed}', String(config.seed));
}
