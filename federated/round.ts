import type { Rng } from '../common/index.ts';
import { addGaussianNoise, clippedDelta, gaussianRdpEpsilon, type DpOptions } from './dp.ts';
import { validateUpdate, weightSizesOf, WeightedMeanAccumulator, type ClientUpdate, type ExclusionReason } from './fedavg.ts';
import type { FederatedRoundRecord } from './schema.ts';


export interface RoundInput {
  /** 1-based round number */
  round: number;
  /** interval index at which the round runs (recorded) */
  tick: number;
  /** every eligible client id (household index) */
  clients: readonly number[];
  /** the current global weights every selected client starts from */
  globalWeights: readonly Float32Array[];
  /** share of clients asked (1 = all) */
  sampleFraction: number;
  /** fewer usable updates than this: keep the previous global weights */
  minClients: number;
  /** seeded stream for client sampling and DP noise */
  rng: Rng;
  /** trains one client from the global weights; null = the client dropped out */
  train: (client: number, globalWeights: readonly Float32Array[]) => ClientUpdate | null;
  /** loss of a weight list on held-out data (lower is better); omit to record null */
  validate?: (weights: readonly Float32Array[]) => number;
  /** differential privacy; omit to switch it off */
  dp?: DpOptions;
  /** DP rounds released before this one, for the accountant (default round − 1) */
  dpRoundsBefore?: number;
}

export interface RoundResult {
  /** the new global weights, or the previous ones (same arrays) when the round could not aggregate */
  globalWeights: readonly Float32Array[];
  record: FederatedRoundRecord;
}

/** The clients asked in a round: all, or a seeded sample of max(minClients, ⌈fraction·N⌉), ascending. */
export function selectClients(clients: readonly number[], fraction: number, minClients: number, rng: Rng): number[] {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`sample fraction must lie in (0, 1], got ${fraction}`);
  if (fraction >= 1) return [...clients];
  const n = clients.length;
  const k = Math.min(n, Math.max(minClients, Math.ceil(fraction * n)));
  const pool = [...clients];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k).sort((a, b) => a - b);
}

const finiteOrNull = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/**
 * One FedAvg round. Selected clients train from the global weights one after another; each reply
 * is validated (dropped out, NaN/Inf, wrong shape, no samples → excluded and recorded) and folded
 * into a streaming sample-weighted mean, so memory stays at one model for any number of clients.
 * The round always completes: with fewer than `minClients` usable updates it keeps the previous
 * global weights and says why. With `dp`, updates are clipped deltas averaged with equal weight
 * and Gaussian noise is added (see dp.ts for the mechanism and the ε accountant).
 */
export function runRound(input: RoundInput): RoundResult {
  const { round, tick, globalWeights, minClients, rng, train, validate, dp } = input;
  const sizes = weightSizesOf(globalWeights);
  const asked = selectClients(input.clients, input.sampleFraction, minClients, rng);
  const before = validate ? finiteOrNull(validate(globalWeights)) : null;

  const acc = new WeightedMeanAccumulator(sizes);
  const used: number[] = [];
  const losses: number[] = [];
  const excluded: { client: number; reason: ExclusionReason }[] = [];
  let samples = 0;
  let clipped = 0;
  for (const client of asked) {
    const update = train(client, globalWeights);
    const check = validateUpdate(update, sizes);
    if (!check.ok) {
      excluded.push({ client, reason: check.reason });
      continue;
    }
    const u = update!;
    if (dp) {
      const c = clippedDelta(u.weights, globalWeights, dp.clipNorm);
      if (c.clipped) clipped++;
      acc.add(c.delta, 1);
    } else {
      acc.add(u.weights, u.samples);
    }
    used.push(client);
    losses.push(u.loss);
    samples += u.samples;
  }

  const m = used.length;
  const enough = m >= Math.max(1, minClients);
  let next: readonly Float32Array[] = globalWeights;
  let noiseStd = 0;
  if (enough) {
    const mean = acc.mean();
    if (dp) {
      noiseStd = (dp.noiseMultiplier * dp.clipNorm) / m;
      addGaussianNoise(mean, noiseStd, rng);
      for (let i = 0; i < mean.length; i++) {
        const g = globalWeights[i];
        const d = mean[i];
        for (let j = 0; j < d.length; j++) d[j] += g[j];
      }
    }
    next = mean;
  }
  const after = !enough ? before : validate ? finiteOrNull(validate(next)) : null;
  const epsilon = dp ? gaussianRdpEpsilon(dp.noiseMultiplier, (input.dpRoundsBefore ?? round - 1) + 1, dp.delta) : 0;

  return {
    globalWeights: next,
    record: {
      round,
      tick,
      status: enough ? 'aggregated' : 'too_few_clients',
      note: enough ? null : `${m} usable update${m === 1 ? '' : 's'} of ${asked.length} asked, fewer than minClients ${minClients}: kept the previous global weights`,
      clients_asked: asked.length,
      clients_used: m,
      clients: used,
      excluded,
      samples,
      local_losses: losses,
      global_validation_loss_before: before,
      global_validation_loss_after: after,
      dp: dp
        ? {
            clip_norm: dp.clipNorm,
            noise_multiplier: dp.noiseMultiplier,
            noise_std: noiseStd,
            clipped_clients: clipped,
            delta: dp.delta,
            epsilon: Number.isFinite(epsilon) ? epsilon : null,
            accountant: 'rdp-gaussian-no-sampling-amplification',
          }
        : null,
    },
  };
}
