/**
 * Federated averaging over plain typed arrays: pure functions, no tensors, no I/O. A model's
 * weights are a list of Float32Arrays (one per parameter tensor, in a fixed order).
 */

/** What a client sends back: its weights after local training and how many samples it used. */
export interface WeightedWeights {
  weights: readonly Float32Array[];
  samples: number;
}

/** A client's reply in a round: weights, sample count and its mean local training loss. */
export interface ClientUpdate extends WeightedWeights {
  loss: number;
}

/** Why a client's update was left out of a round. */
export type ExclusionReason = 'nan_or_inf' | 'shape_mismatch' | 'no_samples' | 'dropped';
export const EXCLUSION_REASONS: readonly ExclusionReason[] = ['nan_or_inf', 'shape_mismatch', 'no_samples', 'dropped'];

export type UpdateCheck = { ok: true } | { ok: false; reason: ExclusionReason };

/** Element count of each weight tensor. */
export function weightSizesOf(weights: readonly Float32Array[]): number[] {
  return weights.map((w) => w.length);
}

/**
 * Checks one client's reply against the model's tensor sizes: `null` (the client dropped out) →
 * dropped; a different tensor count or size → shape_mismatch; no positive, finite sample count →
 * no_samples; any NaN/±Infinity weight (or loss, when given) → nan_or_inf.
 */
export function validateUpdate(
  update: (WeightedWeights & { loss?: number }) | null | undefined,
  referenceSizes: readonly number[],
): UpdateCheck {
  if (update == null) return { ok: false, reason: 'dropped' };
  const w = update.weights;
  if (!Array.isArray(w) || w.length !== referenceSizes.length) return { ok: false, reason: 'shape_mismatch' };
  for (let i = 0; i < w.length; i++) {
    if (!(w[i] instanceof Float32Array) || w[i].length !== referenceSizes[i]) return { ok: false, reason: 'shape_mismatch' };
  }
  if (!Number.isFinite(update.samples) || update.samples <= 0) return { ok: false, reason: 'no_samples' };
  if (update.loss !== undefined && !Number.isFinite(update.loss)) return { ok: false, reason: 'nan_or_inf' };
  for (const t of w) {
    for (let j = 0; j < t.length; j++) if (!Number.isFinite(t[j])) return { ok: false, reason: 'nan_or_inf' };
  }
  return { ok: true };
}

/**
 * Streaming weighted mean: add one weight list at a time (in float64), read the mean once. Keeps
 * memory at one model whatever the number of clients (10,000 clients × a small model would not fit
 * as a list).
 */
export class WeightedMeanAccumulator {
  private readonly sums: Float64Array[];
  private total = 0;
  private added = 0;

  constructor(readonly sizes: readonly number[]) {
    this.sums = sizes.map((n) => new Float64Array(n));
  }

  get totalWeight(): number {
    return this.total;
  }

  get count(): number {
    return this.added;
  }

  add(weights: readonly Float32Array[], weight: number): void {
    if (weights.length !== this.sums.length) throw new RangeError(`expected ${this.sums.length} tensors, got ${weights.length}`);
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`weight must be finite and ≥ 0, got ${weight}`);
    for (let i = 0; i < weights.length; i++) {
      const s = this.sums[i];
      const w = weights[i];
      if (w.length !== s.length) throw new RangeError(`tensor ${i}: expected ${s.length} values, got ${w.length}`);
      for (let j = 0; j < s.length; j++) s[j] += weight * w[j];
    }
    this.total += weight;
    this.added++;
  }

  /** The weighted mean as float32 tensors. Throws if nothing with positive weight was added. */
  mean(): Float32Array[] {
    if (!(this.total > 0)) throw new RangeError('no weight to average');
    const inv = 1 / this.total;
    return this.sums.map((s) => {
      const out = new Float32Array(s.length);
      for (let j = 0; j < s.length; j++) out[j] = s[j] * inv;
      return out;
    });
  }
}

/**
 * FedAvg (McMahan et al. 2017): the sample-weighted mean of the clients' weights,
 * w = Σₖ nₖ·wₖ / Σₖ nₖ, computed in float64 and returned as float32. Pure.
 */
export function fedAvg(updates: readonly WeightedWeights[]): Float32Array[] {
  if (updates.length === 0) throw new RangeError('FedAvg needs at least one update');
  const acc = new WeightedMeanAccumulator(weightSizesOf(updates[0].weights));
  for (const u of updates) acc.add(u.weights, u.samples);
  return acc.mean();
}
