/**
 * The sweep outputs' contract as zod schemas: `sweep.json`, one `runs/<key>.json` per finished run,
 * and the row both carry. snake_case keys; money in USD, energy in kWh, percentages 0–100.
 * Risk measures are of a *bill* (a loss: higher is worse); see RISK_DEFINITIONS.
 */
import { z } from 'zod';

export const SWEEP_SCHEMA_VERSION = 1;

const usd = z.number().describe('USD');
const kwh = z.number().describe('kWh');
const pct = z.number().describe('percent');
const jsonValue = z.json();

/** How the risk and spread figures of the aggregates are computed; also written into sweep.json. */
export const RISK_DEFINITIONS = {
  percentiles:
    'mean, median, p5 and p95 use linear interpolation between order statistics (numpy "linear", R type 7): for sorted x_1 ≤ … ≤ x_n, q(p) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋) with h = 1 + (n − 1)p',
  var95:
    'value at risk at 95 % of a bill (a loss): the empirical order statistic x_k, k = ⌈0.95 n⌉, of the sorted bills — the smallest observed bill that at least 95 % of runs do not exceed (no interpolation)',
  cvar95:
    'conditional value at risk at 95 % (expected shortfall) of a bill: the mean of the worst 5 % of the probability mass, (Σ_{i>k} x_i + (k − 0.95 n) x_k) / (0.05 n) with k = ⌈0.95 n⌉; the boundary run is counted by the fraction of it inside the tail, so CVaR95 ≥ VaR95; with fewer than 20 runs both equal the largest bill',
  home_risk:
    'a home is a household slot (h01, h02, …) across the seeds of one scenario and parameter set; each seed draws a new population, so its figures describe the n-th home of a community drawn from the population',
  worst_home:
    'the home whose bill change (optimized − baseline, USD; positive = pays more than without battery and P2P) has the highest CVaR95 across seeds',
  capture:
    'mean of the perfect-foresight capture_percent over the runs where the optimum was solved; runs where it was skipped, disabled, infeasible or failed are left out and counted',
} as const;

export const ParamsSchema = z.record(z.string(), jsonValue).describe('the swept config values, by dotted config path, in the order given');
export type SweepParams = z.infer<typeof ParamsSchema>;

export const HomeBillSchema = z.object({
  id: z.string(),
  baseline_cost_usd: usd,
  optimized_cost_usd: usd,
});

/** What a run asked for in detail (a community of a city) returns beside its row: its summary and its feeder's net flow per interval. */
export const RunDetailSchema = z.object({
  summary: z.record(z.string(), z.unknown()).describe('the run’s summary.json (summary.schema.json), as the run wrote it'),
  community_net_import_kw: z.array(z.number()).describe('per interval: (Σ grid import − Σ grid export) / interval hours, kW; negative = reverse flow'),
  baseline_community_net_import_kw: z.array(z.number()).describe('the same for the same homes without batteries and P2P'),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const SweepRowSchema = z.object({
  key: z.string().describe('file-system-safe run key: readable parts + a hash of (scenario, params, seed)'),
  scenario: z.string(),
  seed: z.number().int(),
  params: ParamsSchema,
  households: z.number().int(),
  baseline_cost_usd: usd.describe('community bill with no battery and no P2P'),
  optimized_cost_usd: usd.describe('community bill in the simulation'),
  savings_usd: usd,
  savings_percent: pct.nullable().describe('null when the baseline bill is not positive'),
  savings_adjusted_usd: usd.describe('savings + value of the change in stored energy'),
  battery_only_status: z.string(),
  battery_only_cost_usd: usd.nullable(),
  battery_only_savings_usd: usd.nullable().describe('savings of the same agents with P2P switched off'),
  battery_only_savings_percent: pct.nullable(),
  p2p_extra_savings_usd: usd.nullable().describe('what P2P adds on top of the battery-only rerun: the summary’s attribution.community.p2p_extra_usd (stored-energy adjusted)'),
  p2p_extra_savings_percent: pct.nullable().describe('100 × p2p_extra_savings_usd / baseline_cost_usd'),
  perfect_foresight_status: z.string(),
  perfect_foresight_savings_percent: pct.nullable(),
  capture_percent: pct.nullable().describe('agents’ share of the perfect-foresight optimum’s savings'),
  trades: z.number().int(),
  p2p_sent_kwh: kwh,
  p2p_delivered_kwh: kwh,
  peak_reduction_percent: pct.nullable(),
  worst_home_id: z.string().nullable(),
  worst_home_bill_change_usd: usd.nullable().describe('largest optimized − baseline bill among the homes (positive = worse off)'),
  homes: z.array(HomeBillSchema),
  attribution: z
    .record(z.string(), z.number().nullable())
    .nullable()
    .describe('numeric fields of the summary’s attribution section, flattened with dotted keys; null when the summary has none'),
  detail: RunDetailSchema.optional().describe('only for runs asked for in detail (the communities of `wattswap city`)'),
});
export type SweepRow = z.infer<typeof SweepRowSchema>;

export const RunSpecSchema = z.object({
  scenario: z.string(),
  seed: z.number().int(),
  params: ParamsSchema,
  config_hash: z.string().describe('sha256 of the resolved config (without outputs), canonical JSON'),
});
export type RunSpec = z.infer<typeof RunSpecSchema>;

export const RunFileSchema = z.object({
  schema_version: z.literal(SWEEP_SCHEMA_VERSION),
  key: z.string(),
  spec: RunSpecSchema,
  config: z.record(z.string(), z.unknown()).describe('the resolved config the run used (outputs removed)'),
  row: SweepRowSchema,
});
export type RunFile = z.infer<typeof RunFileSchema>;

const Spread = z.object({
  mean: z.number().nullable(),
  median: z.number().nullable(),
  p5: z.number().nullable(),
  p95: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  n: z.number().int().describe('runs with a value'),
});
export type SpreadStats = z.infer<typeof Spread>;

const Risk = z.object({
  mean: usd,
  var95: usd,
  cvar95: usd,
  max: usd,
});
export type RiskStats = z.infer<typeof Risk>;

export const HomeRiskSchema = z.object({
  id: z.string(),
  runs: z.number().int(),
  bill_usd: Risk,
  bill_change_usd: Risk.describe('optimized − baseline bill; positive = pays more than without battery and P2P'),
});

export const SweepAggregateSchema = z.object({
  scenario: z.string(),
  params: ParamsSchema,
  runs: z.number().int(),
  seeds: z.array(z.number().int()),
  savings_percent: Spread,
  savings_usd: Spread,
  battery_only_savings_percent: Spread,
  p2p_extra_savings_percent: Spread,
  community_bill_usd: Risk.describe('risk of the community bill (Σ of the homes’ optimized bills) across seeds'),
  baseline_community_bill_usd: Risk,
  mean_battery_only_savings_usd: usd.nullable(),
  mean_p2p_extra_savings_usd: usd.nullable(),
  mean_attribution: z.record(z.string(), z.number()).describe('mean of each attribution field over the runs that report it'),
  homes: z.array(HomeRiskSchema),
  worst_home: z
    .object({ id: z.string(), bill_change_cvar95_usd: usd, bill_cvar95_usd: usd })
    .nullable()
    .describe(RISK_DEFINITIONS.worst_home),
  perfect_foresight: z.object({
    mean_capture_percent: pct.nullable(),
    mean_savings_percent: pct.nullable(),
    runs_with_optimum: z.number().int(),
    runs_without_optimum: z.number().int().describe('skipped, disabled, infeasible or failed'),
  }),
});
export type SweepAggregate = z.infer<typeof SweepAggregateSchema>;

export const SweepSpecSchema = z.object({
  scenarios: z.array(z.string()),
  seeds: z.array(z.number().int()),
  params: z.array(z.object({ path: z.string(), values: z.array(jsonValue) })),
  households: z.number().int().nullable(),
  days: z.number().int().nullable(),
  config_file: z.string().nullable(),
  hash: z.string().describe('hash of every run’s key and resolved config; names the default output directory'),
});
export type SweepSpecOut = z.infer<typeof SweepSpecSchema>;

export const SweepDocumentSchema = z.object({
  schema_version: z.literal(SWEEP_SCHEMA_VERSION),
  spec: SweepSpecSchema,
  runs: z.number().int(),
  definitions: z.record(z.string(), z.string()),
  aggregates: z.array(SweepAggregateSchema).describe('one per scenario and parameter set, in spec order'),
  rows: z.array(SweepRowSchema).describe('one per run, sorted by scenario (spec order), parameter set (spec order), seed'),
});
export type SweepDocument = z.infer<typeof SweepDocumentSchema>;
