/**
 * The live server's API as zod schemas: the one source of the request validation, the response
 * types, the OpenAPI document (@fastify/swagger reads the JSON Schemas generated here) and the
 * socket.io messages. Keys are snake_case like the run outputs' contract.
 */
import { z } from 'zod';
import { SimConfigSchema, SummarySchema, TimelineIntervalSchema, TradeSchema } from '../../sim/index.ts';

export const SERVER_ERROR_CODES = {
  request: 'WATTSWAP_ERR_REQUEST',
  config: 'WATTSWAP_ERR_CONFIG',
  scenario: 'WATTSWAP_ERR_UNKNOWN_SCENARIO',
  limit: 'WATTSWAP_ERR_RUN_LIMIT',
  busy: 'WATTSWAP_ERR_TOO_MANY_RUNS',
  notFound: 'WATTSWAP_ERR_NOT_FOUND',
  notReady: 'WATTSWAP_ERR_NOT_READY',
  unauthorized: 'WATTSWAP_ERR_UNAUTHORIZED',
} as const;

export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{4,32}$/;
export const MAX_SPEED = 1000;
/** homes in one server run (the dashboard's Homes field); the CLI runs more */
export const MAX_HOUSEHOLDS = 1000;

const Speed = z
  .number()
  .min(0)
  .max(MAX_SPEED)
  .describe('broadcast pace for viewers, intervals per second (0 = as fast as the engine runs); the engine itself is never slowed');

// ---------------------------------------------------------------- requests

/**
 * The config overlay of a request: any keys (sim's resolveConfig checks them with the base config
 * and scenario), with the server's own cap on the number of homes checked here.
 */
const ConfigOverlaySchema = z.looseObject({
  households: z
    .looseObject({
      count: z
        .number()
        .max(MAX_HOUSEHOLDS, `a server run has at most ${MAX_HOUSEHOLDS.toLocaleString('en-US')} homes: use the CLI for more`)
        .optional(),
    })
    .optional(),
});

/** What the server validates; `config` is a raw overlay, checked by sim's resolveConfig with the base config and scenario. */
export const RunRequestSchema = z.strictObject({
  scenario: z.string().min(1).max(100).optional().describe('named scenario (GET /api/scenarios); its overlay is applied first'),
  seed: z.number().int().min(0).max(4294967295).optional().describe('overrides config.seed'),
  speed: Speed.optional(),
  paused: z.boolean().optional().describe('start with the broadcast paused (the engine runs regardless)'),
  config: ConfigOverlaySchema.optional().describe(
    `partial config overlay on sim.config.json and the scenario, validated by the same schema as the CLI; households.count at most ${MAX_HOUSEHOLDS}`,
  ),
});
export type RunRequest = z.infer<typeof RunRequestSchema>;

/** The same request for the OpenAPI document: `config` shown with the config's own (input) schema. */
const RunRequestDocSchema = RunRequestSchema.extend({
  config: SimConfigSchema.optional().describe(`validated by the same schema as the CLI; households.count at most ${MAX_HOUSEHOLDS} on the server`),
});

export const PacingRequestSchema = z.strictObject({
  speed: Speed.optional(),
  paused: z.boolean().optional().describe('pause or resume the broadcast of this run to every viewer'),
});
export type PacingRequest = z.infer<typeof PacingRequestSchema>;

export const RunParamsSchema = z.strictObject({
  id: z.string().regex(RUN_ID_PATTERN, 'not a run id'),
});

export const FileParamsSchema = z.strictObject({
  id: z.string().regex(RUN_ID_PATTERN, 'not a run id'),
  name: z.string().regex(/^[a-z0-9_-]+\.(json|ndjson)$/, 'not an output file name'),
});

const intQuery = (def: number, min: number, max: number) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int('expected a whole number')
    .min(min)
    .max(max)
    .default(def);

export const TIMELINE_PAGE_MAX = 500;
export const TRADES_PAGE_MAX = 5000;

export const TimelineQuerySchema = z.strictObject({
  offset: intQuery(0, 0, 1e9).describe('first interval index'),
  limit: intQuery(48, 1, TIMELINE_PAGE_MAX).describe(`intervals per page (≤ ${TIMELINE_PAGE_MAX})`),
});
export const TradesQuerySchema = z.strictObject({
  offset: intQuery(0, 0, 1e9).describe('first trade (0-based, in clearing order)'),
  limit: intQuery(1000, 1, TRADES_PAGE_MAX).describe(`trades per page (≤ ${TRADES_PAGE_MAX})`),
});

// ---------------------------------------------------------------- responses

export const IssueSchema = z.object({ path: z.string(), message: z.string() });

export const ErrorSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  code: z.string(),
  message: z.string(),
  issues: z.array(IssueSchema).optional().describe('one entry per invalid field, with its path in the request'),
  known: z.array(z.string()).optional().describe('the valid names (unknown scenario, unknown file)'),
});
export type ErrorBody = z.infer<typeof ErrorSchema>;

export const RunStateSchema = z.enum(['running', 'done', 'failed', 'cancelled']);
export const RunPhaseSchema = z.enum(['starting', 'history', 'trading', 'baselines', 'done']);

export const RunStatusSchema = z.object({
  id: z.string(),
  status: RunStateSchema.describe('running until the engine has produced the summary (or failed / was cancelled)'),
  phase: RunPhaseSchema,
  scenario: z.string(),
  seed: z.number().int(),
  households: z.number().int(),
  days: z.number().int(),
  created_at: z.string().describe('wall-clock time the server accepted the run (ISO 8601)'),
  finished_at: z.string().nullable(),
  progress: z.object({
    history_day: z.number().int(),
    history_days: z.number().int(),
    interval: z.number().int().describe('intervals the engine has produced'),
    intervals: z.number().int().describe('intervals in the run'),
    broadcast: z.number().int().describe('intervals released to viewers by the pacing (≤ interval)'),
    trades: z.number().int(),
  }),
  speed: z.number(),
  paused: z.boolean(),
  viewers: z.number().int(),
  dropped: z.number().int().describe('intervals skipped for slow viewers (coalesced), summed over viewers'),
  federated_rounds: z.number().int(),
  files: z.array(z.string()).describe('downloadable outputs (GET …/files/:name), once the run is done'),
  error: z.string().nullable(),
});
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const RunCreatedSchema = z.object({ id: z.string(), status: RunStateSchema, run: RunStatusSchema });
export const RunListSchema = z.object({ runs: z.array(RunStatusSchema) });
export const RunDeletedSchema = z.object({ id: z.string(), status: z.enum(['cancelled', 'deleted']) });

export const TimelinePageSchema = z.object({
  schema_version: z.literal(1),
  run_id: z.string(),
  offset: z.number().int(),
  limit: z.number().int(),
  available: z.number().int().describe('intervals produced so far'),
  total: z.number().int().describe('intervals in the run'),
  intervals: z.array(TimelineIntervalSchema).describe('records exactly as in timeline.json'),
});
export const TradesPageSchema = z.object({
  schema_version: z.literal(1),
  run_id: z.string(),
  offset: z.number().int(),
  limit: z.number().int(),
  available: z.number().int().describe('trades cleared so far'),
  trades: z.array(TradeSchema).describe('records exactly as in trades.json'),
});

export const ScenarioListSchema = z.object({
  scenarios: z.array(z.object({ name: z.string(), description: z.string(), overlay: z.record(z.string(), z.unknown()) })),
  default: z.string(),
});

export const LimitsSchema = z.object({
  max_households: z.number().int().describe('homes in one run (body.config.households.count)'),
  max_concurrent_runs: z.number().int(),
  max_finished_runs: z.number().int(),
  max_household_intervals: z.number().int(),
  max_history_days: z.number().int(),
  max_optimum_variables: z.number().int(),
  body_limit_bytes: z.number().int(),
  socket_buffer_messages: z.number().int(),
  max_lag_intervals: z.number().int(),
  max_lag_ms: z.number(),
});

export const HealthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptime_s: z.number(),
  auth_required: z.boolean().describe('POST/PATCH/DELETE need `Authorization: Bearer <token>`'),
  runs: z.object({ active: z.number().int(), retained: z.number().int() }),
  default_speed: z.number(),
  limits: LimitsSchema,
});

export { SummarySchema };

// ---------------------------------------------------------------- socket.io messages

const num = z.number();
export const CompactHouseholdsSchema = z
  .object({
    soc_kwh: z.array(num),
    load_kwh: z.array(num),
    pv_kwh: z.array(num),
    battery_charge_kwh: z.array(num),
    battery_discharge_kwh: z.array(num),
    grid_import_kwh: z.array(num),
    grid_export_kwh: z.array(num),
    p2p_bought_kwh: z.array(num),
    p2p_sold_kwh: z.array(num),
    energy_cost_usd: z.array(num),
    baseline_energy_cost_usd: z.array(num),
    action: z.array(z.enum(['buy', 'sell', 'hold'])),
  })
  .describe('one array per field, indexed like meta.households (columns, not one object per home)');

export const CompactTickSchema = z.object({
  run_id: z.string(),
  index: z.number().int(),
  intervals: z.number().int(),
  start: z.string(),
  price_signal_usd_per_kwh: num,
  tariff_rate_usd_per_kwh: num.describe('the community’s mean import rate: each home at its own plan’s rate, averaged over homes'),
  tariff_rates_usd_per_kwh: z.array(num).describe('each plan’s import rate, in meta.plans order'),
  export_rate_usd_per_kwh: num,
  market: TimelineIntervalSchema.shape.market,
  households: CompactHouseholdsSchema,
  coordination: TimelineIntervalSchema.shape.coordination.unwrap().describe(
    'the central agent’s price coordination this interval (coordinated strategy): proposals answered, planned imbalance at the final price, each home’s planned net P2P position (sold − bought; the actual is in households); null otherwise',
  ),
  trades: z.array(
    z.object({ buyer: z.string(), seller: z.string(), sent_kwh: num, delivered_kwh: num, price_usd_per_kwh: num }),
  ),
  running: z
    .object({
      energy_cost_usd: num,
      baseline_energy_cost_usd: num,
      energy_savings_usd: num.describe('Σ (baseline − simulated) energy cost so far; the final savings add fixed charges and credits'),
      trades: z.number().int(),
      p2p_sent_kwh: num,
    })
    .describe('community running totals through this interval'),
});
export type CompactTick = z.infer<typeof CompactTickSchema>;

export const RunMetaSchema = z.object({
  run_id: z.string(),
  scenario: z.string(),
  seed: z.number().int(),
  start: z.string(),
  end: z.string(),
  intervals: z.number().int(),
  interval_minutes: z.number().int(),
  tariff: z.string(),
  market_enabled: z.boolean(),
  forecaster: z.string(),
  fedavg_every_intervals: z
    .number()
    .int()
    .nullable()
    .describe('a FedAvg round every this many trading intervals (after pre-training on the history); null when the run learns no forecaster'),
  battery: z.object({ capacity_kwh: num, min_soc_kwh: num, max_soc_kwh: num, max_power_kw: num }),
  plans: z
    .array(z.object({ id: z.string(), households: z.number().int() }))
    .describe('the PG&E plans the homes are on and how many homes each (the order of each tick’s tariff_rates_usd_per_kwh)'),
  households: z.array(z.object({ id: z.string(), has_pv: z.boolean(), has_ev: z.boolean(), has_battery: z.boolean(), pv_kw: num, tariff: z.string().describe('the home’s plan') })),
});
export type RunMetaMessage = z.infer<typeof RunMetaSchema>;

export const FederatedMessageSchema = z.object({ run_id: z.string(), at_interval: z.number().int(), record: z.unknown() });
export const GapMessageSchema = z.object({
  run_id: z.string(),
  from: z.number().int().describe('first skipped interval'),
  to: z.number().int().describe('last skipped interval'),
  dropped: z.number().int(),
});
export const SnapshotSchema = z.object({
  run: RunStatusSchema,
  meta: RunMetaSchema.nullable().describe('null until the engine has started'),
  ticks: z.array(CompactTickSchema).describe('every interval released so far, in order'),
  federated: z.array(FederatedMessageSchema),
  summary: SummarySchema.nullable().describe('present when the run is done and every interval was released'),
});
export const SummaryMessageSchema = z.object({ run_id: z.string(), summary: SummarySchema });

// ---------------------------------------------------------------- comparing two runs

export const CompareQuerySchema = z.strictObject({
  a: z.string().regex(RUN_ID_PATTERN, 'not a run id').describe('the first run (the reference)'),
  b: z.string().regex(RUN_ID_PATTERN, 'not a run id').describe('the second run, compared with a'),
});

/** The figures a comparison puts side by side; each taken from the run's summary.json. */
export const HeadlineSchema = z.object({
  savings_usd: num.describe('summary.savings'),
  savings_percent: num.nullable().describe('summary.savings_percent'),
  optimized_cost_usd: num.describe('the community’s bills in the run: summary.optimized_cost'),
  baseline_cost_usd: num.describe('the same homes’ bills without battery or P2P: summary.baseline_pge_cost'),
  p2p_delivered_kwh: num.describe('summary.community.p2p_delivered_kwh'),
  trades: z.number().int().describe('summary.trades_executed'),
  peak_grid_import_kw: num.describe('summary.community.peak_grid_import_kw'),
  self_sufficiency_percent: num.nullable().describe('summary.community.self_sufficiency_percent'),
});
export type Headline = z.infer<typeof HeadlineSchema>;

/** A run's community per interval, at the stream's display precision. */
export const CommunitySeriesSchema = z.object({
  price_signal_usd_per_kwh: z.array(num),
  import_rate_usd_per_kwh: z.array(num).describe('the community’s mean import rate (each home at its plan’s rate)'),
  export_rate_usd_per_kwh: z.array(num),
  load_kwh: z.array(num),
  pv_kwh: z.array(num),
  grid_import_kwh: z.array(num),
  grid_export_kwh: z.array(num),
  p2p_delivered_kwh: z.array(num),
  battery_charge_kwh: z.array(num),
  battery_discharge_kwh: z.array(num),
  energy_savings_usd: z.array(num).describe('running Σ (baseline − simulated) energy cost through each interval'),
});
export type CommunitySeries = z.infer<typeof CommunitySeriesSchema>;

export const ComparedRunSchema = z.object({
  run: RunStatusSchema,
  label: z.string().describe('scenario · seed · homes · days · strategy · matching rule, for legends'),
  start: z.string(),
  interval_minutes: z.number().int(),
  plans: RunMetaSchema.shape.plans,
  headline: HeadlineSchema,
  series: CommunitySeriesSchema,
});
export const ComparisonSchema = z.object({
  a: ComparedRunSchema,
  b: ComparedRunSchema,
  difference: HeadlineSchema.describe('b − a, field by field (null when either is null)'),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

// ---------------------------------------------------------------- zod → JSON Schema for fastify

const registry = new WeakMap<object, z.ZodType>();

/**
 * The JSON Schema of a zod schema for a route (draft-07, which @fastify/swagger turns into
 * OpenAPI). Request schemas are remembered so the validator compiler validates with zod itself:
 * the JSON Schema is for the document, zod is the checker (one schema, one behaviour).
 */
export function routeSchema(schema: z.ZodType, options: { io?: 'input' | 'output'; doc?: z.ZodType } = {}): Record<string, unknown> {
  const json = z.toJSONSchema(options.doc ?? schema, { target: 'draft-07', io: options.io ?? 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  registry.set(json, schema);
  return json;
}

export const runRequestJsonSchema = () => routeSchema(RunRequestSchema, { io: 'input', doc: RunRequestDocSchema });

/** A request-validation failure: 400 with every bad field and its path in the request. */
export class RequestError extends Error {
  readonly statusCode = 400;
  readonly code = SERVER_ERROR_CODES.request;
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** fastify validator compiler: looks up the zod schema a route's JSON Schema was generated from. */
export function zodValidatorCompiler({ schema, httpPart }: { schema: unknown; httpPart?: string }) {
  const zodSchema = typeof schema === 'object' && schema !== null ? registry.get(schema) : undefined;
  if (!zodSchema) throw new Error(`internal: route schema for ${httpPart ?? 'request'} was not made by routeSchema()`);
  const part = httpPart === 'querystring' ? 'query' : (httpPart ?? 'body');
  return (data: unknown) => {
    const input = part === 'body' && (data === null || data === undefined) ? {} : data;
    const r = zodSchema.safeParse(input);
    if (r.success) return { value: r.data };
    const issues = r.error.issues.map((i) => ({ path: [part, ...i.path.map(String)].join('.'), message: i.message }));
    return { error: new RequestError(`invalid ${part}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues) };
  };
}
