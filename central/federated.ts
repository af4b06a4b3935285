/**
 * The central agent's federated-learning coordinator: pre-trains the first global model by FedAvg
 * rounds over the households' history (each round every sampled home trains the global model on
 * its share of its own windows, the central agent averages), then every few intervals runs
 * a FedAvg round (selected clients train on their own recent data, send weights, never data; the
 * central agent aggregates and redistributes). Training is a side effect (TensorFlow.js); the
 * aggregation itself is `federated/`'s pure `fedAvg`.
 */
import {
  LEARNED_MEMBER,
  TransformerForecaster,
  createDeployedGate,
  calendarContext,
  initBackend,
  parameterCount,
  type BackendInfo,
  type ContextProvider,
} from '../agents/transformer/index.ts';
import type { Forecaster } from '../agents/index.ts';
import { INTERVALS_PER_DAY, type RngFactory } from '../common/index.ts';
import { runPretrainRounds, runRound, type DpOptions, type FederatedConfig, type FederatedRoundRecord, type PretrainRoundsResult } from '../federated/index.ts';

export interface FederatedSummary {
  backend: string;
  backend_detail: string;
  preset: string;
  parameters: number;
  rounds: number;
  rounds_aggregated: number;
  pretrain: {
    households: number;
    samples: number;
    mean_local_loss: number | null;
    rounds: number;
    round_losses: (number | null)[];
    selected_round: number;
    selection_rounds: number;
    validation_loss_before: number | null;
    validation_loss_after: number | null;
  } | null;
  final_validation_loss: number | null;
  /** households × series (load, pv) where the gate used the learned model at the end, when gated */
  gate: { learned_load_homes: number; learned_pv_homes: number; households: number } | null;
  dp_epsilon: number | null;
}

export interface FederatedSession {
  /** the forecaster the agents use (the gate, or the transformer alone) */
  readonly forecaster: Forecaster;
  readonly transformer: TransformerForecaster;
  readonly backend: BackendInfo;
  /** pre-trains on the history observed so far (each home on its own data) and sets the first global model */
  pretrain(): void;
  /** runs a round when one is due after trading interval `tick` (0-based); returns its record */
  afterInterval(tick: number): FederatedRoundRecord | null;
  summary(): FederatedSummary;
  dispose(): void;
}

export interface FederatedSessionOptions {
  households: number;
  config: FederatedConfig;
  gated: boolean;
  rngFor: RngFactory;
  /** ISO start of the first observed interval (the first history interval) */
  startIso: string;
  intervalMinutes: number;
  /** public context per observed step: temperature, cloud cover, import price */
  extra: Parameters<typeof calendarContext>[0]['extra'];
}

export async function createFederatedSession(o: FederatedSessionOptions): Promise<FederatedSession> {
  const backend = await initBackend();
  const context: ContextProvider = calendarContext({ startIso: o.startIso, intervalMinutes: o.intervalMinutes, extra: o.extra });
  const transformer = new TransformerForecaster(o.households, {
    rngFor: o.rngFor,
    context,
    preset: o.config.preset,
    localHistoryIntervals: o.config.localHistoryIntervals,
    ...(o.extra ? { weather: o.extra } : {}),
  });
  const gate = o.gated ? createDeployedGate(o.households, transformer) : null;
  const clients = Array.from({ length: o.households }, (_, h) => h);
  const c = o.config;
  let round = 0;
  let aggregated = 0;
  let lastValidation: number | null = null;
  let lastEpsilon: number | null = null;
  let pretrainInfo: FederatedSummary['pretrain'] = null;
  /** pre-training rounds released before the live ones (the DP accountant counts them all) */
  let pretrainRounds = 0;

  return {
    forecaster: gate ?? transformer,
    transformer,
    backend,
    pretrain() {
      if (!c.pretrain.enabled) return;
      const before = transformer.validationLoss(transformer.globalWeights);
      const result = pretrainFederated(transformer, clients, c, o.rngFor);
      pretrainRounds = result.selectionRounds + result.records.length;
      if (result.globalWeights !== transformer.initialWeights) transformer.setGlobalWeights(result.globalWeights);
      const after = transformer.validationLoss(transformer.globalWeights);
      lastValidation = Number.isFinite(after) ? after : null;
      if (result.records.length > 0 && result.records[result.records.length - 1].dp) lastEpsilon = result.records[result.records.length - 1].dp!.epsilon;
      const last = result.roundLosses[result.roundLosses.length - 1];
      pretrainInfo = {
        households: new Set(result.records.flatMap((r) => r.clients)).size,
        samples: result.records.reduce((a, r) => a + r.samples, 0),
        mean_local_loss: last ?? null,
        rounds: result.records.length,
        round_losses: result.roundLosses,
        selected_round: result.selectedRound,
        selection_rounds: result.selectionRounds,
        validation_loss_before: Number.isFinite(before) ? before : null,
        validation_loss_after: lastValidation,
      };
    },
    afterInterval(tick: number) {
      if (!c.enabled || (tick + 1) % c.roundEveryIntervals !== 0) return null;
      round++;
      const result = runRound({
        round,
        tick,
        clients,
        globalWeights: transformer.globalWeights,
        sampleFraction: c.sampleFraction,
        minClients: Math.min(c.minClients, o.households),
        rng: o.rngFor(`federated/round/${round}`),
        train: (h, global) =>
          transformer.trainClient(h, global, {
            epochs: c.localEpochs,
            batchSize: c.batchSize,
            learningRate: c.learningRate,
            rng: o.rngFor(`federated/round/${round}/h${h}`),
            proximalMu: c.proximalMu,
          }),
        validate: (w) => transformer.validationLoss(w),
        dp: dpOf(c),
        dpRoundsBefore: pretrainRounds + round - 1,
      });
      transformer.setGlobalWeights(result.globalWeights);
      if (result.record.status === 'aggregated') aggregated++;
      if (result.record.global_validation_loss_after !== null) lastValidation = result.record.global_validation_loss_after;
      if (result.record.dp) lastEpsilon = result.record.dp.epsilon;
      return result.record;
    },
    summary(): FederatedSummary {
      let gateInfo: FederatedSummary['gate'] = null;
      if (gate) {
        let load = 0;
        let pv = 0;
        for (let h = 0; h < o.households; h++) {
          if (gate.choice(h, 'load') === LEARNED_MEMBER) load++;
          if (gate.choice(h, 'pv') === LEARNED_MEMBER) pv++;
        }
        gateInfo = { learned_load_homes: load, learned_pv_homes: pv, households: o.households };
      }
      return {
        backend: backend.name,
        backend_detail: backend.detail,
        preset: c.preset,
        parameters: parameterCount(c.preset),
        rounds: round,
        rounds_aggregated: aggregated,
        pretrain: pretrainInfo,
        final_validation_loss: lastValidation,
        gate: gateInfo,
        dp_epsilon: lastEpsilon,
      };
    },
    dispose() {
      transformer.dispose();
    },
  };
}

/** Homes whose held-out days score the pre-training checkpoints, at most. */
const HOLDOUT_HOMES = 64;

function dpOf(c: FederatedConfig): DpOptions | undefined {
  return c.dp.enabled ? { clipNorm: c.dp.clipNorm, noiseMultiplier: c.dp.noiseMultiplier, delta: c.dp.delta } : undefined;
}

/**
 * Federated pre-training of `transformer`'s global model over the history it has observed:
 * `pretrain.rounds` FedAvg rounds from the seeded initial weights; in round r each sampled home
 * trains `pretrain.epochs` local epochs of SGD (`pretrain.clientLearningRate`) on the r-th of
 * `rounds` interleaved shares of its windows (stride `pretrain.strideIntervals`, newest
 * `pretrain.maxSamplesPerHome`), with FedProx and DP as configured, and the central agent moves
 * the global model by an Adam step (`pretrain.learningRate`) on the averaged update (FedAdam).
 * Early stopping: the rounds first run with the newest `pretrain.holdoutDays` of history held
 * out, checkpoints (every 8 rounds, and the untrained start) are scored on them, and the rounds
 * up to the best checkpoint are run again on all the history (the deployed model; round 0: the
 * untrained model, i.e. the 7-day mean). With
 * one round: each home trains alone with Adam on all its windows and the models are averaged
 * once. Seeded streams `federated/pretrain/r<r>` and `…/r<r>/h<h>`.
 */
export function pretrainFederated(
  transformer: TransformerForecaster,
  clients: readonly number[],
  c: FederatedConfig,
  rngFor: RngFactory,
  onRound?: (record: FederatedRoundRecord) => void,
): PretrainRoundsResult & { selectionRounds: number } {
  const p = c.pretrain;
  // one round: one-shot averaging of models trained alone with Adam; more: FedAdam (clients SGD, the central agent Adam)
  const adaptive = p.rounds > 1;
  const rounds = (count: number, holdoutIntervals: number, validate?: (w: readonly Float32Array[]) => number) =>
    runPretrainRounds({
      rounds: count,
      clients,
      initialWeights: transformer.initialWeights,
      sampleFraction: c.sampleFraction,
      minClients: Math.min(c.minClients, clients.length),
      roundRng: (r) => rngFor(`federated/pretrain/r${r}`),
      train: (h, global, r) =>
        transformer.pretrainClient(h, {
          epochs: p.epochs,
          batchSize: p.batchSize,
          learningRate: adaptive ? p.clientLearningRate : p.learningRate,
          optimizer: adaptive ? 'sgd' : 'adam',
          rng: rngFor(`federated/pretrain/r${r}/h${h}`),
          strideIntervals: p.strideIntervals,
          maxSamples: p.maxSamplesPerHome,
          proximalMu: c.proximalMu,
          from: global,
          shard: { index: (r - 1) % p.rounds, count: p.rounds },
          holdoutIntervals,
        }),
      validate,
      dp: dpOf(c),
      server: adaptive ? { learningRate: p.learningRate } : undefined,
      onRound,
    });
  // early stopping: the rounds run once with the newest days held out to choose how many help
  // there, then again on all the history up to that round (the same streams and shares)
  const holdout = adaptive ? p.holdoutDays * INTERVALS_PER_DAY : 0;
  // scored on at most HOLDOUT_HOMES evenly spaced homes (a federated evaluation need not ask every home)
  const scored = clients.length <= HOLDOUT_HOMES ? clients : Array.from({ length: HOLDOUT_HOMES }, (_, i) => clients[Math.floor((i * clients.length) / HOLDOUT_HOMES)]);
  const held = holdout > 0 ? transformer.holdoutSamples(scored, holdout, p.strideIntervals) : null;
  if (!held || held.count === 0) return { ...rounds(p.rounds, 0), selectionRounds: 0 };
  const selection = rounds(p.rounds, holdout, (w) => transformer.lossOn(w, held));
  const chosen = selection.selectedRound;
  const refit = chosen > 0 ? rounds(chosen, 0) : { globalWeights: transformer.initialWeights, records: [], roundLosses: [] };
  return { ...refit, validation: selection.validation, selectedRound: chosen, selectionRounds: selection.records.length };
}
