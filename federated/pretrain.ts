import type { Rng } from '../common/index.ts';
import type { DpOptions } from './dp.ts';
import type { ClientUpdate } from './fedavg.ts';
import { runRound } from './round.ts';
import type { FederatedRoundRecord } from './schema.ts';

export interface PretrainRoundsInput {
  /** FedAvg rounds over the clients' history (≥ 1; 1 = one average of models trained apart) */
  rounds: number;
  /** every eligible client id (household index) */
  clients: readonly number[];
  /** the weights round 1 starts from (the same for every client) */
  initialWeights: readonly Float32Array[];
  sampleFraction: number;
  minClients: number;
  /** seeded stream of round r (client sampling, DP noise) */
  roundRng: (round: number) => Rng;
  /** trains one client from the global weights on its share of history for round `round`; null = dropped out */
  train: (client: number, globalWeights: readonly Float32Array[], round: number) => ClientUpdate | null;
  /** differential privacy of every round; omit to switch it off */
  dp?: DpOptions;
  /** called after each round (progress) */
  onRound?: (record: FederatedRoundRecord) => void;
}

export interface PretrainRoundsResult {
  globalWeights: readonly Float32Array[];
  records: FederatedRoundRecord[];
  /** mean local training loss of the used clients, per round (null when no client was used) */
  roundLosses: (number | null)[];
}

/**
 * Federated pre-training: `rounds` FedAvg rounds (`runRound`: sampled clients, validation of
 * every update, minClients, DP) in which each client trains the current global model on its own
 * history and the central agent averages. The global model of round r is the start of round
 * r + 1; with one round this is one-shot averaging. Pure given `train`.
 */
export function runPretrainRounds(input: PretrainRoundsInput): PretrainRoundsResult {
  if (!Number.isInteger(input.rounds) || input.rounds < 1) throw new RangeError(`pre-training needs a whole number of rounds ≥ 1 (got ${input.rounds})`);
  let global = input.initialWeights;
  const records: FederatedRoundRecord[] = [];
  const roundLosses: (number | null)[] = [];
  for (let round = 1; round <= input.rounds; round++) {
    const result = runRound({
      round,
      tick: 0,
      clients: input.clients,
      globalWeights: global,
      sampleFraction: input.sampleFraction,
      minClients: input.minClients,
      rng: input.roundRng(round),
      train: (client, weights) => input.train(client, weights, round),
      dp: input.dp,
    });
    global = result.globalWeights;
    const losses = result.record.local_losses;
    roundLosses.push(losses.length > 0 ? losses.reduce((a, b) => a + b, 0) / losses.length : null);
    records.push(result.record);
    input.onRound?.(result.record);
  }
  return { globalWeights: global, records, roundLosses };
}
