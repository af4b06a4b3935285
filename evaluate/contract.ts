/**
 * The forecast evaluation's report (`wattswap evaluate-forecasts --out FILE.json`) as zod schemas.
 * snake_case keys; energy in kWh per 30-minute interval; shares 0–1.
 */
import { z } from 'zod';

export const EVALUATION_SCHEMA_VERSION = 1;

/** How every figure of the report is computed; also written into the report. */
export const METRIC_DEFINITIONS = {
  forecast_origins:
    'rolling origin: after observing every interval before it, each model forecasts from every interval start of the test days; targets after the last test interval are not scored',
  horizons:
    '1 … 6 = the forecast made k intervals (k × 30 min) before the target; "1-6" pools the six (the 3 h trading horizon); "day" = the whole local day forecast once, at local midnight (steps 1–6 from the trading head, 7–48 from the day head for the transformers)',
  pooling: 'every metric pools all (home, target interval) pairs of the cohort; it is not a mean of per-home figures',
  mae_kwh: 'mean |P50 − actual|, kWh per interval',
  rmse_kwh: 'sqrt(mean (P50 − actual)²), kWh per interval',
  wape: 'load-safe MAPE variant: weighted absolute percentage error Σ|P50 − actual| / Σ|actual| (a share, 0.1 = 10 %); null when Σ|actual| = 0',
  pinball_kwh:
    'pinball (quantile) loss averaged over τ = 0.1, 0.5, 0.9: mean of (ρ₀.₁(y − P10) + ρ₀.₅(y − P50) + ρ₀.₉(y − P90)) / 3 with ρ_τ(u) = max(τu, (τ − 1)u); a point forecast (seasonal naive) uses its value as all three quantiles, which gives MAE / 2',
  crps_kwh:
    'CRPS of the distribution whose quantile function is linear between (0.1, P10), (0.5, P50), (0.9, P90) and flat beyond (P10 below τ = 0.1, P90 above τ = 0.9), computed exactly as 2∫₀¹ ρ_τ(y − q(τ)) dτ (quantile decomposition of the CRPS, Laio & Tamea 2007); the three quantiles are sorted first; a point forecast gives CRPS = MAE',
  coverage_p10_p90: 'share of actuals with P10 ≤ actual ≤ P90 (nominal 0.8); null for the point forecasts (seasonal naive, seasonal mean, gated), which have no quantiles',
  pv_scope:
    'PV metrics count only daylight intervals (mean global horizontal irradiance of the interval > 0) of homes with PV; load metrics count every interval of every home of the cohort',
  cohorts:
    'established = homes with the full history; cold_start = the last ⌈n/5⌉ homes, which joined cold_start_days before the test days (their data before that is never seen by any model)',
  gate:
    'per home and series: the member (seasonal naive same time yesterday, or the FedAvg global model) with the lower pooled 1–6 step MAE on the first half of the test days is recommended; the engine’s gate as deployed (members seasonal naive, seasonal mean 7 d, FedAvg global; default options) runs over all test days from an empty score; its MAE and the members’ are compared on the second half; gate_share_global counts the forecasts for which it used the FedAvg global model. Per horizon band: leads 1–6 come from the member with the lowest recent 1–6 step error; the later leads of the midnight forecast are the members’ forecasts weighted by 1 / their recent MSE on those leads (half-life far_half_life_intervals)',
} as const;

export const EvaluatedModelSchema = z.enum(['seasonal-naive-day', 'seasonal-naive-week', 'seasonal-mean-7d', 'local', 'fedavg-global', 'centralised', 'gated', 'personalised']);
export type EvaluatedModel = z.infer<typeof EvaluatedModelSchema>;

export const MODEL_DESCRIPTIONS: Record<EvaluatedModel, string> = {
  'seasonal-naive-day': 'seasonal naive: the same interval one day earlier',
  'seasonal-naive-week': 'seasonal naive: the same interval one week earlier',
  'seasonal-mean-7d': 'seasonal mean: the mean of the same interval over the last 7 days',
  local: 'each home’s own transformer, pre-trained on its own history only',
  'fedavg-global': 'the global model of federated pre-training on the established homes (FedAvg rounds, each on a share of every home’s windows; with one round the sample-weighted average of their local models), plus the configured FedAvg rounds',
  centralised: 'one transformer trained on the pooled windows of all established homes (upper reference; not private)',
  personalised: 'the FedAvg global model fine-tuned on each home’s own history (the pre-training settings, starting from the global weights instead of the shared initial ones)',
  gated: 'the engine’s gate as deployed: per home and series, whichever of seasonal naive (day), seasonal mean (7 d) and the FedAvg global model had the lowest recent 1–6 step error (a point forecast: P50 only)',
};

export const CohortSchema = z.enum(['established', 'cold_start']);
export const SeriesSchema = z.enum(['load', 'pv']);
export const HorizonSchema = z.union([z.number().int().min(1).max(6), z.literal('1-6'), z.literal('day')]);
export type Horizon = z.infer<typeof HorizonSchema>;
export const HORIZONS: readonly Horizon[] = [1, 2, 3, 4, 5, 6, '1-6', 'day'];

const kwh = z.number().describe('kWh per interval');

export const MetricsSchema = z.strictObject({
  count: z.number().int().min(0).describe('scored (home, target interval) pairs'),
  mae_kwh: kwh.nullable(),
  rmse_kwh: kwh.nullable(),
  wape: z.number().nullable(),
  pinball_kwh: kwh.nullable(),
  crps_kwh: kwh.nullable(),
  coverage_p10_p90: z.number().min(0).max(1).nullable(),
  mean_actual_kwh: kwh.nullable(),
});
export type Metrics = z.infer<typeof MetricsSchema>;

export const MetricRowSchema = MetricsSchema.extend({
  model: EvaluatedModelSchema,
  cohort: CohortSchema,
  series: SeriesSchema,
  horizon: HorizonSchema,
  lead_minutes: z.number().int().nullable().describe('k × 30 for horizons 1–6, null for "1-6" and "day"'),
  quantiles: z.boolean().describe('false: a point forecast (pinball and CRPS of a point mass, no coverage)'),
});
export type MetricRow = z.infer<typeof MetricRowSchema>;

const GateMemberMaeSchema = z.strictObject({ seasonal_naive: kwh.nullable(), fedavg_global: kwh.nullable() });
export const GateChoiceSchema = z.enum(['seasonal-naive', 'fedavg-global']);

export const GateSeriesReportSchema = z.strictObject({
  first_half_mae_kwh: GateMemberMaeSchema,
  recommended: GateChoiceSchema.nullable().describe('lower first-half MAE (seasonal naive on a tie); null when nothing was scored'),
  second_half_mae_kwh: GateMemberMaeSchema.extend({
    gated: kwh.nullable().describe('the GatedForecaster’s output'),
    recommended: kwh.nullable().describe('the recommended member alone'),
  }),
  gate_share_global: z.number().min(0).max(1).nullable().describe('share of second-half forecasts for which the gate used the FedAvg global model'),
});
export type GateSeriesReport = z.infer<typeof GateSeriesReportSchema>;

export const GateHomeSchema = z.strictObject({
  home: z.string(),
  cohort: CohortSchema,
  load: GateSeriesReportSchema,
  pv: GateSeriesReportSchema.nullable().describe('null for homes without PV'),
});

export const GateSummarySchema = z.strictObject({
  homes_recommending_global: z.number().int().min(0),
  homes_recommending_naive: z.number().int().min(0),
  second_half_mae_kwh: z.strictObject({
    seasonal_naive: kwh.nullable(),
    fedavg_global: kwh.nullable(),
    gated: kwh.nullable(),
    recommended: kwh.nullable(),
  }),
});

export const GateReportSchema = z.strictObject({
  members: z.array(z.string()),
  options: z.strictObject({ scored_horizon: z.number().int(), half_life_intervals: z.number(), far_half_life_intervals: z.number(), preferred: z.string() }),
  first_half_days: z.number().int().min(1),
  second_half_days: z.number().int().min(1),
  homes: z.array(GateHomeSchema),
  summary: z.strictObject({ load: GateSummarySchema, pv: GateSummarySchema }),
});
export type GateReport = z.infer<typeof GateReportSchema>;

export const TrainingReportSchema = z.strictObject({
  local: z.array(
    z.strictObject({
      home: z.string(),
      cohort: CohortSchema,
      samples: z.number().int().min(0),
      steps: z.number().int().min(0),
      loss: z.number().nullable().describe('mean pinball loss over the training steps, normalised units; null without samples'),
    }),
  ),
  local_steps_established: z.number().int().min(0).describe('gradient steps of the established homes’ local models together'),
  fedavg: z.strictObject({
    clients: z.number().int().min(0),
    samples: z.number().int().min(0),
    pretrain_rounds: z
      .array(z.strictObject({ round: z.number().int().min(1), clients: z.number().int().min(0), samples: z.number().int().min(0), mean_local_loss: z.number().nullable() }))
      .describe('the federated pre-training rounds: clients used, windows trained on and their mean local pinball loss (normalised units)'),
    pretrain_validation: z
      .array(z.strictObject({ round: z.number().int().min(0), loss: z.number() }))
      .describe('pinball loss of the global model on the held-out newest days of history at each checkpoint (round 0 = untrained)'),
    pretrain_selected_round: z.number().int().min(0).describe('rounds behind the FedAvg global model: the best checkpoint on the held-out days, rerun on all the history'),
    pretrain_selection_rounds: z.number().int().min(0).describe('rounds run with the newest days held out to choose them'),
    rounds: z.array(z.strictObject({ round: z.number().int().min(1), clients: z.number().int().min(0), samples: z.number().int().min(0) })),
  }),
  centralised: z.strictObject({ samples: z.number().int().min(0), steps: z.number().int().min(0), loss: z.number().nullable() }),
});

export const EvaluationSettingsSchema = z.strictObject({
  preset: z.string(),
  parameters: z.number().int(),
  backend: z.string().nullable(),
  pretrain: z.strictObject({
    rounds: z.number().int(),
    epochs: z.number().int(),
    batch_size: z.number().int(),
    learning_rate: z.number(),
    stride_intervals: z.number().int(),
    max_samples_per_home: z.number().int(),
    note: z.string(),
  }),
  fedavg_rounds: z.number().int().min(0),
  round: z.strictObject({
    every_intervals: z.number().int(),
    local_epochs: z.number().int(),
    batch_size: z.number().int(),
    learning_rate: z.number(),
    local_history_intervals: z.number().int(),
    note: z.string(),
  }),
  centralised_budget: z.string(),
  cold_start_days: z.number().int(),
  calibration: z.string().describe('how the transformers’ P10–P90 bands were calibrated'),
  context: z.string(),
  models: z.record(z.string(), z.string()),
  definitions: z.record(z.string(), z.string()),
});

export const EvaluationReportSchema = z.strictObject({
  schema_version: z.literal(EVALUATION_SCHEMA_VERSION),
  generated_by: z.literal('wattswap evaluate-forecasts'),
  data: z.strictObject({
    seed: z.number().int().nullable(),
    households: z.number().int().min(1),
    established_homes: z.array(z.string()),
    cold_start_homes: z.array(z.string()),
    pv_homes: z.array(z.string()),
    interval_minutes: z.literal(30),
    history: z.strictObject({ first_day: z.string(), last_day: z.string(), days: z.number().int() }),
    test: z.strictObject({ first_day: z.string(), last_day: z.string(), days: z.number().int(), intervals: z.number().int() }),
  }),
  settings: EvaluationSettingsSchema,
  rows: z.array(MetricRowSchema),
  gate: GateReportSchema,
  training: TrainingReportSchema,
  verdicts: z.array(z.string()),
  timing: z
    .strictObject({ total_s: z.number(), data_s: z.number(), training_s: z.number(), forecasting_s: z.number() })
    .nullable()
    .describe('wall-clock seconds when a clock was given (the CLI), else null so the report is reproducible'),
});
export type EvaluationReport = z.infer<typeof EvaluationReportSchema>;
