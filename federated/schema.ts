import { z } from 'zod';

export const FederatedDpConfigSchema = z.strictObject({
  enabled: z.boolean().default(false).describe('clip each client update and add Gaussian noise to the average (DP-FedAvg)'),
  clipNorm: z.number().positive().default(1).describe('L2 bound C on each client’s update (weights minus global weights)'),
  noiseMultiplier: z
    .number()
    .min(0)
    .default(1)
    .describe('z: the noise on the average has standard deviation z·C / clients used'),
  delta: z.number().gt(0).lt(1).default(1e-5).describe('δ of the reported (ε, δ) privacy budget'),
});

export const FederatedPretrainConfigSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('pre-train the first global model on the households’ history by FedAvg rounds'),
  rounds: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(64)
    .describe(
      'FedAvg rounds of pre-training: in round r every (sampled) household trains the global model for `epochs` local epochs on the r-th of `rounds` interleaved shares of its history windows, and the central agent averages the updates (sampleFraction, minClients, proximalMu and dp apply); every window is used `epochs` times in all, as in one-shot training. 64 with the default 1,000 windows a home: a share of about 16 windows, one local step per round. 1 = each home trains alone on all its windows and the models are averaged once (one-shot averaging)',
    ),
  epochs: z.number().int().min(1).max(100).default(1).describe('local epochs over its share of windows each household makes per pre-training round'),
  batchSize: z.number().int().min(1).max(4096).default(64),
  learningRate: z
    .number()
    .positive()
    .max(1)
    .default(2e-3)
    .describe('Adam step size: the central agent’s step on the averaged update in each pre-training round (FedAdam), or each home’s own with one round'),
  clientLearningRate: z
    .number()
    .positive()
    .max(10)
    .default(0.1)
    .describe('SGD step size of a household’s local training in a pre-training round of more than one (the server’s Adam step sets the pace; this scales the update it normalises)'),
  holdoutDays: z
    .number()
    .int()
    .min(0)
    .max(60)
    .default(7)
    .describe(
      'newest days of history held out of pre-training rounds (more than one): the global model is the checkpoint (every 8 rounds, and the untrained model, which forecasts the 7-day mean) with the lowest pinball loss on them; 0 = no hold-out, the last round',
    ),
  strideIntervals: z
    .number()
    .int()
    .min(1)
    .default(12)
    .describe('one training window every this many intervals of history (12 = every 6 h; 1 = every window)'),
  maxSamplesPerHome: z.number().int().min(1).default(1000).describe('newest windows per household at most'),
});

export const FederatedConfigSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('run FedAvg rounds during the trading window'),
  preset: z
    .enum(['small', 'fast', 'paper'])
    .default('fast')
    .describe('transformer size: small (≈ 42 k parameters), fast (small with 8-interval patches: ≈ 46 k parameters, per-interval inference ≈ 1.8 × cheaper) or paper (6 layers, 8 heads, d_model 512, ≈ 13 M)'),
  roundEveryIntervals: z.number().int().min(1).default(6).describe('a round every this many intervals (6 = every 3 h)'),
  sampleFraction: z.number().gt(0).max(1).default(1).describe('share of households asked to train in each round'),
  minClients: z
    .number()
    .int()
    .min(1)
    .default(2)
    .describe('a round that ends with fewer usable updates keeps the previous global weights'),
  localEpochs: z.number().int().min(1).max(100).default(1).describe('passes over its recent windows each client makes per round'),
  batchSize: z.number().int().min(1).max(4096).default(32),
  learningRate: z.number().positive().max(1).default(1e-3).describe('Adam step size of local training'),
  proximalMu: z.number().min(0).default(0).describe('FedProx μ: adds (μ/2)·‖w − w_global‖² to each client’s loss (0 = FedAvg)'),
  localHistoryIntervals: z
    .number()
    .int()
    .min(1)
    .default(96)
    .describe('newest training windows each client trains on per round (96 = its last 2 days)'),
  calibration: z
    .enum(['conformal', 'none'])
    .default('conformal')
    .describe(
      'the learned P10–P90 band the strategies read (CVaR, P90 reserve): conformal = widened or narrowed online by the 80 % quantile of the last week of each home’s band misses max(P10 − y, y − P90) per lead (conformalized quantile regression, α = 0.2, from one day of scores on); none = the transformer’s raw quantiles',
    ),
  dp: FederatedDpConfigSchema.prefault({}),
  pretrain: FederatedPretrainConfigSchema.prefault({}),
});

export type FederatedConfig = z.infer<typeof FederatedConfigSchema>;
export type FederatedConfigInput = z.input<typeof FederatedConfigSchema>;

export const ExclusionReasonSchema = z.enum(['nan_or_inf', 'shape_mismatch', 'no_samples', 'dropped']);

/** One line of `federated.json`: what happened in one FedAvg round. */
export const FederatedRoundRecordSchema = z.strictObject({
  round: z.number().int().min(1),
  tick: z.number().int().min(0).describe('interval index in the trading window at which the round ran'),
  status: z.enum(['aggregated', 'too_few_clients']),
  note: z.string().nullable().describe('why the previous global weights were kept, else null'),
  clients_asked: z.number().int().min(0),
  clients_used: z.number().int().min(0),
  clients: z.array(z.number().int().min(0)).describe('households whose updates were averaged'),
  excluded: z.array(z.strictObject({ client: z.number().int().min(0), reason: ExclusionReasonSchema })),
  samples: z.number().int().min(0).describe('training windows behind the averaged updates'),
  local_losses: z.array(z.number()).describe('mean local pinball loss of each used client, in `clients` order'),
  global_validation_loss_before: z.number().nullable(),
  global_validation_loss_after: z.number().nullable(),
  dp: z
    .strictObject({
      clip_norm: z.number(),
      noise_multiplier: z.number(),
      noise_std: z.number().describe('σ added to each coordinate of the averaged update'),
      clipped_clients: z.number().int().min(0),
      delta: z.number(),
      epsilon: z.number().nullable().describe('cumulative ε after this round; null when noiseMultiplier is 0 (no guarantee)'),
      accountant: z.literal('rdp-gaussian-no-sampling-amplification'),
    })
    .nullable(),
});

export type FederatedRoundRecord = z.infer<typeof FederatedRoundRecordSchema>;
