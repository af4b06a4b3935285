import { DateTime } from 'luxon';
import { z } from 'zod';
import { BatteryConfigSchema } from '../battery/index.ts';
import { FederatedConfigSchema } from '../federated/index.ts';
import { PopulationConfigSchema, WeatherConfigSchema } from '../data-gen/index.ts';
import { MarketConfigSchema, TariffConfigSchema } from '../market/index.ts';

import { INTERVAL_MINUTES, TIMEZONE } from '../common/index.ts';
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

export const AgentsConfigSchema = z.strictObject({
  strategy: z
    .enum(['rule-based', 'receding-horizon', 'receding-horizon-cvar', 'coordinated'])
    .default('rule-based')
    .describe(
      'trading and battery strategy of every household: the proposal’s rules; a battery re-planned every interval over the rest of the day with HiGHS; the same planner minimising a mix of expected cost and CVaR over three futures of the home (see cvar); or coordinated: every interval the central agent proposes a P2P price per interval for the rest of the day, each home plans its battery and trades against it with HiGHS and reports its planned net position, and the centre moves the prices toward balance before the market clears (see central.coordination)',
    ),
  cvar: z
    .strictObject({
      weight: z.number().min(0).max(1).default(0.5).describe('0 = expected cost only, 1 = CVaR only'),
      alpha: z.number().min(0.5).lt(1).default(0.8).describe('CVaR level: the mean cost of the worst (1 − alpha) share of futures'),
      tailProbability: z.number().gt(0).max(0.45).default(0.2).describe('probability of the high- and of the low-net-load future each'),
      bandShare: z
        .number()
        .min(0)
        .max(2)
        .default(0.25)
        .describe('width of the high/low futures as a share of the forecast where no learned P10–P90 band is available'),
    })
    .prefault({})
    .describe('receding-horizon-cvar only'),
  forecaster: z
    .enum(['seasonal-naive', 'perfect', 'transformer', 'gated'])
    .default('seasonal-naive')
    .describe(
      'seasonal-naive: same time yesterday; transformer: each home’s transformer, trained on its own data and averaged by FedAvg; gated: per home, whichever of seasonal-naive and the transformer has been more accurate recently; perfect: the realised future (an upper bound for forecast quality)',
    ),
  horizonIntervals: z.number().int().min(1).max(48).default(6).describe('trading forecast horizon (6 = 3 hours)'),
  reserveQuantile: z
    .enum(['p50', 'p90'])
    .default('p50')
    .describe(
      'what the rule-based battery manager keeps stored energy for the coming expensive block against: the point forecast (p50) or, with a learned forecaster, the P90 load / P10 PV band of the next 3 hours (p90)',
    ),
});

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

export const SimConfigSchema = z
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
    agents: AgentsConfigSchema.prefault({}),
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

/** Validates once and returns a frozen config, or throws a ConfigError naming every bad field. */
export function parseSimConfig(raw: unknown): SimConfig {
  const result = SimConfigSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ConfigError(z.prettifyError(result.error), issues);
  }
  return deepFreeze(result.data);
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
