import type { Rng } from '../common/index.ts';
import type { DpOptions } from './dp.ts';
import type { ClientUpdate } from './fedavg.ts';
import { runRound } from './round.ts';
import { createServerAdam, serverAdamStep, type ServerAdamOptions } from './server-adam.ts';
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
  /** the server's adaptive step on the averaged update (FedAdam, `server-adam.ts`); omit for plain FedAvg (the average is the new global model) */
  server?: ServerAdamOptions;
  /**
   * loss of a weight list on data the clients did not train on (lower is better): checked on the
   * initial weights and every `validateEvery` rounds, and the best checkpoint is the result
   */
  validate?: (weights: readonly Float32Array[]) => number;
  /** rounds between validations (default 8; the last round is always validated) */
  validateEvery?: number;
  /** called after each round (progress) */
  onRound?: (record: FederatedRoundRecord) => void;
}

export interface PretrainRoundsResult {
  globalWeights: readonly Float32Array[];
  records: FederatedRoundRecord[];
  /** mean local training loss of the used clients, per round (null when no client was used) */
  roundLosses: (number | null)[];
  /** the validated checkpoints (round 0 = the initial weights), with `validate` */
  validation: { round: number; loss: number }[];
  /** the round whose global model is the result (0 = the initial weights) */
  selectedRound: number;
}

/**
 * Federated pre-training: `rounds` FedAvg rounds (`runRound`: sampled clients, validation of
 * every update, minClients, DP) in which each client trains the current global model on its own
 * history and the central agent averages — and, with `server`, moves the global model by an Adam
 * step on the averaged update. The global model of round r is the start of round r + 1; one
 * round of plain FedAvg is one-shot averaging. With `validate`, the result is the checkpoint
 * (every `validateEvery` rounds, and the initial weights) with the lowest held-out loss: early
 * stopping, so training that does not carry over to unseen data leaves the starting model (for
 * the transformer: the 7-day mean). Pure given `train` and `validate`.
 */
export function runPretrainRounds(input: PretrainRoundsInput): PretrainRoundsResult {
  if (!Number.isInteger(input.rounds) || input.rounds < 1) throw new RangeError(`pre-training needs a whole number of rounds ≥ 1 (got ${input.rounds})`);
  let global = input.initialWeights;
  const server = input.server ? createServerAdam(global.map((w) => w.length)) : null;
  const records: FederatedRoundRecord[] = [];
  const roundLosses: (number | null)[] = [];
  const validation: { round: number; loss: number }[] = [];
  const every = input.validateEvery ?? 8;
  if (!(Number.isInteger(every) && every >= 1)) throw new RangeError(`validateEvery must be a whole number ≥ 1 (got ${every})`);
  let best = { round: 0, loss: Infinity, weights: global };
  const check = (round: number) => {
    if (!input.validate) return;
    const loss = input.validate(global);
    validation.push({ round, loss });
    if (loss < best.loss) best = { round, loss, weights: global };
  };
  check(0);
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
    if (server && result.record.status === 'aggregated') global = serverAdamStep(server, global, result.globalWeights, input.server!);
    else global = result.globalWeights;
    const losses = result.record.local_losses;
    roundLosses.push(losses.length > 0 ? losses.reduce((a, b) => a + b, 0) / losses.length : null);
    records.push(result.record);
    input.onRound?.(result.record);
    if (round % every === 0 || round === input.rounds) check(round);
  }
  if (!input.validate) return { globalWeights: global, records, roundLosses, validation, selectedRound: input.rounds };
  return { globalWeights: best.weights, records, roundLosses, validation, selectedRound: best.round };
}
