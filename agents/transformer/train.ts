import * as tf from '@tensorflow/tfjs';
import { SERIES } from './config.ts';
import { applyModel, pinballParts, modelLoss, targetHorizon, type TransformerModel } from './model.ts';
import type { Rng } from '../../common/index.ts';

/**
 * Training samples, filled on demand (a year of windows for many homes would not fit in memory as
 * tensors). Sample i writes its input window (`window × features`), its normalised targets
 * (`horizon × 2`: load, PV of the next `horizon` steps) and a mask (`horizon`, 1 = target known).
 */
export interface SampleSet {
  readonly count: number;
  fill(i: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number, mask: Float32Array, mOff: number): void;
}

/** Samples from plain arrays (tests, benchmarks, pooled data). */
export function arraySamples(data: {
  count: number;
  window: number;
  features: number;
  horizon: number;
  inputs: Float32Array;
  targets: Float32Array;
  mask?: Float32Array;
}): SampleSet {
  const { count, window, features, horizon, inputs, targets, mask } = data;
  const xs = window * features;
  const ys = horizon * SERIES;
  if (inputs.length !== count * xs) throw new RangeError(`inputs: expected ${count * xs} values, got ${inputs.length}`);
  if (targets.length !== count * ys) throw new RangeError(`targets: expected ${count * ys} values, got ${targets.length}`);
  if (mask && mask.length !== count * horizon) throw new RangeError(`mask: expected ${count * horizon} values, got ${mask.length}`);
  return {
    count,
    fill(i, x, xOff, y, yOff, m, mOff) {
      x.set(inputs.subarray(i * xs, (i + 1) * xs), xOff);
      y.set(targets.subarray(i * ys, (i + 1) * ys), yOff);
      if (mask) m.set(mask.subarray(i * horizon, (i + 1) * horizon), mOff);
      else m.fill(1, mOff, mOff + horizon);
    },
  };
}

/** Several sample sets as one (e.g. pooled data of many homes for the centralised reference). */
export function concatSamples(sets: readonly SampleSet[]): SampleSet {
  const starts: number[] = [];
  let count = 0;
  for (const s of sets) {
    starts.push(count);
    count += s.count;
  }
  return {
    count,
    fill(i, x, xOff, y, yOff, m, mOff) {
      let j = sets.length - 1;
      while (starts[j] > i) j--;
      sets[j].fill(i - starts[j], x, xOff, y, yOff, m, mOff);
    },
  };
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** orders the batches (Fisher–Yates each epoch); never tfjs shuffling, which uses Math.random */
  rng: Rng;
  /** Adam (default) or plain SGD (a federated client whose server applies the adaptive step) */
  optimizer?: 'adam' | 'sgd';
  /** FedProx: adds (μ/2)·‖w − w_global‖² to the loss */
  proximalMu?: number;
  /** the global weights the proximal term pulls towards (required when proximalMu > 0) */
  globalWeights?: readonly Float32Array[];
}

/** A client's result: its weights after local training, how many samples it trained on, its loss. */
export interface LocalUpdate {
  weights: Float32Array[];
  samples: number;
  /** mean pinball loss over the local training steps (without the proximal term) */
  loss: number;
}

/** Concatenates weight tensors into one vector of the expected length. */
function flatten(weights: readonly Float32Array[], size: number): Float32Array {
  const out = new Float32Array(size);
  let at = 0;
  for (const w of weights) {
    if (at + w.length > size) throw new RangeError('global weights are larger than the model');
    out.set(w, at);
    at += w.length;
  }
  if (at !== size) throw new RangeError(`global weights hold ${at} values, the model ${size}`);
  return out;
}

/** Reusable host buffers for one batch. */
class BatchBuffers {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly mask: Float32Array;
  constructor(
    readonly size: number,
    readonly xs: number,
    readonly horizon: number,
  ) {
    this.x = new Float32Array(size * xs);
    this.y = new Float32Array(size * horizon * SERIES);
    this.mask = new Float32Array(size * horizon);
  }
  load(samples: SampleSet, indices: ArrayLike<number>, from: number, rows: number): void {
    for (let r = 0; r < rows; r++) {
      samples.fill(indices[from + r], this.x, r * this.xs, this.y, r * this.horizon * SERIES, this.mask, r * this.horizon);
    }
  }
  tensors(rows: number, window: number, features: number): [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D] {
    return [
      tf.tensor3d(this.x.slice(0, rows * this.xs), [rows, window, features]),
      tf.tensor3d(this.y.slice(0, rows * this.horizon * SERIES), [rows, this.horizon, SERIES]),
      tf.tensor2d(this.mask.slice(0, rows * this.horizon), [rows, this.horizon]),
    ];
  }
}

/**
 * Trains the model in place on `samples` with Adam or SGD (a fresh optimizer per call, as a
 * federated client starts each round) and returns the mean data loss over all steps (NaN if no samples).
 * Every tensor is created and released inside the call.
 */
export function trainLocal(model: TransformerModel, samples: SampleSet, options: TrainOptions): number {
  const c = model.config;
  const { epochs, batchSize, learningRate, rng } = options;
  const mu = options.proximalMu ?? 0;
  if (!(batchSize >= 1) || !(epochs >= 0) || !(learningRate > 0)) throw new RangeError('bad training options');
  if (samples.count === 0 || epochs === 0) return Number.NaN;
  if (mu > 0 && !options.globalWeights) throw new RangeError('FedProx (proximalMu > 0) needs the global weights');
  const horizon = targetHorizon(c);
  const buffers = new BatchBuffers(Math.min(batchSize, samples.count), c.window * c.features, horizon);
  const vars = [model.parameters as tf.Variable];
  const anchor = mu > 0 ? tf.tensor1d(flatten(options.globalWeights!, model.parameters.size)) : null;
  const optimizer = options.optimizer === 'sgd' ? tf.train.sgd(learningRate) : tf.train.adam(learningRate);
  const order = new Int32Array(samples.count);
  let lossSum = 0;
  let steps = 0;
  try {
    for (let e = 0; e < epochs; e++) {
      for (let i = 0; i < order.length; i++) order[i] = i;
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (let from = 0; from < order.length; from += batchSize) {
        const rows = Math.min(batchSize, order.length - from);
        buffers.load(samples, order, from, rows);
        lossSum += tf.tidy(() => {
          const [x, y, m] = buffers.tensors(rows, c.window, c.features);
          let dataLoss: tf.Scalar | null = null;
          const cost = optimizer.minimize(
            () => {
              const l = modelLoss(model, x, y, m);
              if (mu === 0) return l;
              dataLoss = tf.keep(l.clone());
              const prox = tf.sum(tf.squaredDifference(model.parameters, anchor!));
              return l.add(prox.mul(mu / 2)) as tf.Scalar;
            },
            true,
            vars,
          );
          const reported: tf.Scalar = dataLoss ?? cost!;
          const value = reported.dataSync()[0];
          (dataLoss as tf.Scalar | null)?.dispose(); // kept past minimize's own scope
          return value;
        });
        steps++;
      }
    }
  } finally {
    optimizer.dispose();
    anchor?.dispose();
  }
  return lossSum / steps;
}

/**
 * Mean pinball loss of the model on `samples` (trading head and planning head averaged, as in
 * training), without changing the weights. NaN if no sample has a known target.
 */
export function evaluateLoss(model: TransformerModel, samples: SampleSet, batchSize = 256): number {
  const c = model.config;
  if (samples.count === 0) return Number.NaN;
  const horizon = targetHorizon(c);
  const buffers = new BatchBuffers(Math.min(batchSize, samples.count), c.window * c.features, horizon);
  const order = Int32Array.from({ length: samples.count }, (_, i) => i);
  let shortSum = 0;
  let shortWeight = 0;
  let daySum = 0;
  let dayWeight = 0;
  for (let from = 0; from < samples.count; from += batchSize) {
    const rows = Math.min(batchSize, samples.count - from);
    buffers.load(samples, order, from, rows);
    const parts = tf.tidy(() => {
      const [x, y, m] = buffers.tensors(rows, c.window, c.features);
      const out = applyModel(model, x);
      const s = pinballParts(out.short, y.slice([0, 0, 0], [rows, c.shortHorizon, SERIES]), m.slice([0, 0], [rows, c.shortHorizon]));
      const values = [s.sum, s.weight];
      if (out.day) {
        const d = pinballParts(out.day, y.slice([0, 0, 0], [rows, c.dayHorizon, SERIES]), m.slice([0, 0], [rows, c.dayHorizon]));
        values.push(d.sum, d.weight);
      }
      return tf.stack(values).dataSync();
    });
    shortSum += parts[0];
    shortWeight += parts[1];
    if (parts.length > 2) {
      daySum += parts[2];
      dayWeight += parts[3];
    }
  }
  if (shortWeight === 0) return Number.NaN;
  const short = shortSum / shortWeight;
  return c.dayHorizon > 0 && dayWeight > 0 ? (short + daySum / dayWeight) / 2 : short;
}
