export {
  fedAvg,
  validateUpdate,
  weightSizesOf,
  WeightedMeanAccumulator,
  EXCLUSION_REASONS,
  type ClientUpdate,
  type WeightedWeights,
  type ExclusionReason,
  type UpdateCheck,
} from './fedavg.ts';
export { runRound, selectClients, type RoundInput, type RoundResult } from './round.ts';
export { clippedDelta, l2Norm, addGaussianNoise, gaussianRdpEpsilon, type DpOptions } from './dp.ts';
export {
  FederatedConfigSchema,
  FederatedDpConfigSchema,
  FederatedPretrainConfigSchema,
  FederatedRoundRecordSchema,
  ExclusionReasonSchema,
  type FederatedConfig,
  type FederatedConfigInput,
  type FederatedRoundRecord,
} from './schema.ts';
export { runPretrainRounds, type PretrainRoundsInput, type PretrainRoundsResult } from './pretrain.ts';
export { createServerAdam, serverAdamStep, type ServerAdamOptions, type ServerAdamState } from './server-adam.ts';
