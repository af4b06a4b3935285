import * as tf from '@tensorflow/tfjs';
import type { Rng, RngFactory } from '../../common/index.ts';
import { BASE_MEMBERS, INITIAL_BLEND, parameterSpecs, QUANTILES, resolveTransformerConfig, SERIES, type ParameterSpec, type PresetName, type TransformerConfig } from './config.ts';
import { SEASONAL_BASE_FEATURES } from './features.ts';


/**
 * A transformer encoder whose parameters live in ONE flat tfjs variable, cut into the tensors of
 * `parameterSpecs` (in that order) by a single split in the forward pass. One variable instead of
 * ~40 makes an Adam step a dozen tensor ops instead of ~500 — on the small preset the per-op
 * overhead, not arithmetic, dominates a training step. Written with tf ops (tfjs has no
 * multi-head attention layer); `getWeights`/`setWeights` move the tensors in and out as
 * Float32Arrays for FedAvg.
 */
export interface TransformerModel {
  readonly config: TransformerConfig;
  readonly specs: readonly ParameterSpec[];
  /** element count of each spec, in order */
  readonly sizes: readonly number[];
  /** all parameters, concatenated in spec order */
  readonly parameters: tf.Variable<tf.Rank.R1>;
  /** fixed sinusoidal positional encoding, [tokens, dModel] */
  readonly positional: tf.Tensor2D;
}

/** Attention projections of one layer: [d, d] kernels and [d] biases. */
export interface AttentionParams {
  wq: tf.Tensor2D;
  bq: tf.Tensor1D;
  wk: tf.Tensor2D;
  bk: tf.Tensor1D;
  wv: tf.Tensor2D;
  bv: tf.Tensor1D;
  wo: tf.Tensor2D;
  bo: tf.Tensor1D;
}

/**
 * x · w + b on 2-D x with a hand-written gradient that transposes explicitly. The wasm backend
 * runs plain matrix products through XNNPACK but products with a transposed operand (which tfjs's
 * own matMul gradient uses) through a naive loop, 10–30 × slower; the custom gradient keeps
 * training on the fast path. Tests check these gradients against tfjs's own autodiff and the
 * attention layer's against central finite differences.
 */
const linear = tf.customGrad((...args: unknown[]) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.fused.matMul({ a: x, b: w, bias: b }),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, ws.transpose()), tf.matMul(xs.transpose(), g), g.sum(0)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/**
 * Batched a · b ([..., m, k] · [..., k, n]) with the same explicit-transpose gradient.
 */
export const batchMatMul = tf.customGrad((...args: unknown[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [as, bs] = saved;
      return [tf.matMul(dy, swapLast(bs)), tf.matMul(swapLast(as), dy)];
    },
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** Swaps the last two axes. */
function swapLast(t: tf.Tensor): tf.Tensor {
  const r = t.rank;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return t.transpose(perm);
}

/** x · w + b over the last axis of x (any rank ≥ 2), optionally followed by ReLU. */
export function dense(x: tf.Tensor, w: tf.Tensor2D, b: tf.Tensor1D, activation: 'linear' | 'relu' = 'linear'): tf.Tensor {
  const shape = x.shape;
  const flat = x.reshape([-1, shape[shape.length - 1]]) as tf.Tensor2D;
  const y = linear(flat, w, b);
  const out = y.reshape([...shape.slice(0, -1), w.shape[1]]);
  return activation === 'relu' ? tf.relu(out) : out;
}

/** Layer normalisation over the last axis. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon = 1e-5): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).mul(tf.rsqrt(variance.add(epsilon))).mul(gamma).add(beta);
}

/**
 * Multi-head scaled dot-product self-attention, softmax(q·kᵀ/√d_k)·v per head, then the output
 * projection. No causal mask: the encoder only reads the past window, so every token may attend
 * to every other. x: [batch, tokens, d] → [batch, tokens, d].
 */
export function multiHeadSelfAttention(x: tf.Tensor3D, p: AttentionParams, heads: number): tf.Tensor3D {
  const [batch, window, d] = x.shape;
  if (d % heads !== 0) throw new RangeError(`d_model ${d} is not divisible by ${heads} heads`);
  const dk = d / heads;
  const split = (t: tf.Tensor) => t.reshape([batch, window, heads, dk]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
  const q = split(dense(x, p.wq, p.bq));
  const k = split(dense(x, p.wk, p.bk));
  const v = split(dense(x, p.wv, p.bv));
  const scores = batchMatMul(q, swapLast(k)).mul(1 / Math.sqrt(dk)); // [b, heads, w, w]
  const weights = tf.softmax(scores, -1);
  const context = batchMatMul(weights, v).transpose([0, 2, 1, 3]).reshape([batch, window, d]);
  return dense(context, p.wo, p.bo) as tf.Tensor3D;
}

/** Sinusoidal positional encoding (Vaswani et al. 2017), row j = position j. */
export function positionalEncoding(window: number, dModel: number): Float32Array {
  const out = new Float32Array(window * dModel);
  for (let pos = 0; pos < window; pos++) {
    for (let i = 0; i < dModel; i += 2) {
      const angle = pos / Math.pow(10000, i / dModel);
      out[pos * dModel + i] = Math.sin(angle);
      if (i + 1 < dModel) out[pos * dModel + i + 1] = Math.cos(angle);
    }
  }
  return out;
}

function initialValues(spec: ParameterSpec, rng: Rng): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  if (spec.init === 'ones') out.fill(1);
  if (spec.init === 'seasonal-mean') for (let i = 0; i < size; i++) out[i] = INITIAL_BLEND[i % BASE_MEMBERS];
  if (spec.init === 'glorot') {
    const [fanIn, fanOut] = spec.shape;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < size; i++) out[i] = (2 * rng() - 1) * limit;
  }
  return out;
}

/**
 * Builds a model with Glorot-uniform encoder kernels drawn from `rngFor(purpose)` (no tfjs random
 * initialisers, no Math.random), zero biases and unit layer-norm gains. The heads' kernels start
 * at zero and the seasonal blend at the 7-day mean, so an untrained model with a seasonal residual
 * forecasts exactly the 7-day mean (the encoder still gets gradients through the heads after the
 * first step).
 */
export function createModel(
  preset: PresetName | TransformerConfig,
  rngFor: RngFactory,
  purpose = 'agents/transformer/init',
): TransformerModel {
  const config = resolveTransformerConfig(preset);
  const specs = parameterSpecs(config);
  const rng = rngFor(purpose);
  const sizes = specs.map((sp) => sp.shape.reduce((a, b) => a * b, 1));
  const flat = new Float32Array(sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  specs.forEach((sp, i) => {
    flat.set(initialValues(sp, rng), at);
    at += sizes[i];
  });
  const initial = tf.tensor1d(flat);
  const parameters = tf.variable(initial, true);
  initial.dispose();
  const tokens = config.window / config.patch;
  const positional = tf.tensor2d(positionalEncoding(tokens, config.dModel), [tokens, config.dModel]);
  return { config, specs, sizes, parameters, positional };
}

export function disposeModel(model: TransformerModel): void {
  model.parameters.dispose();
  model.positional.dispose();
}

/** Copies of every parameter tensor, in spec order. */
export function getWeights(model: TransformerModel): Float32Array[] {
  const all = model.parameters.dataSync() as Float32Array;
  const out: Float32Array[] = [];
  let at = 0;
  for (const size of model.sizes) {
    out.push(all.slice(at, at + size));
    at += size;
  }
  return out;
}

/** Element counts of the weight vectors, for validating client updates. */
export function weightSizes(model: TransformerModel): number[] {
  return [...model.sizes];
}

/** Loads weight vectors (copied) into the model; throws on a count or size mismatch. */
export function setWeights(model: TransformerModel, weights: readonly Float32Array[]): void {
  if (weights.length !== model.sizes.length) {
    throw new RangeError(`expected ${model.sizes.length} weight tensors, got ${weights.length}`);
  }
  const flat = new Float32Array(model.parameters.size);
  let at = 0;
  model.sizes.forEach((size, i) => {
    const w = weights[i];
    if (w.length !== size) throw new RangeError(`weight ${model.specs[i].name}: expected ${size} values, got ${w.length}`);
    flat.set(w, at);
    at += size;
  });
  tf.tidy(() => model.parameters.assign(tf.tensor1d(flat)));
}

/** Feature indices of the seasonal-base members, series-major (load's three, then PV's). */
const BASE_FEATURE_INDICES = SEASONAL_BASE_FEATURES.flat();

/** Output of the heads: [batch, horizon, series (load, pv), quantile (P10, P50, P90)]. */
export interface ModelOutput {
  short: tf.Tensor4D;
  day: tf.Tensor4D | null;
}

/** Forward pass. x: [batch, window, features], already normalised. */
export function applyModel(model: TransformerModel, x: tf.Tensor3D): ModelOutput {
  const c = model.config;
  const [batch, window] = x.shape;
  if (window !== c.window) throw new RangeError(`model reads ${c.window} intervals, input has ${window}`);
  const parts = tf.split(model.parameters, [...model.sizes]);
  let i = 0;
  const next = <T extends tf.Tensor>(): T => {
    const spec = model.specs[i];
    return parts[i++].reshape([...spec.shape]) as T;
  };
  // tokens: patches of `patch` consecutive intervals (their feature rows side by side)
  const tokens = x.reshape([batch, c.window / c.patch, c.patch * c.features]);
  let h = dense(tokens, next(), next()).add(model.positional) as tf.Tensor3D;
  for (let l = 0; l < c.layers; l++) {
    const g1 = next<tf.Tensor1D>();
    const b1 = next<tf.Tensor1D>();
    const attn: AttentionParams = {
      wq: next(), bq: next(), wk: next(), bk: next(), wv: next(), bv: next(), wo: next(), bo: next(),
    };
    h = h.add(multiHeadSelfAttention(layerNorm(h, g1, b1) as tf.Tensor3D, attn, c.heads));
    const g2 = next<tf.Tensor1D>();
    const b2 = next<tf.Tensor1D>();
    const w1 = next<tf.Tensor2D>();
    const f1 = next<tf.Tensor1D>();
    const w2 = next<tf.Tensor2D>();
    const f2 = next<tf.Tensor1D>();
    h = h.add(dense(dense(layerNorm(h, g2, b2), w1, f1, 'relu'), w2, f2));
  }
  const hf = layerNorm(h, next(), next());
  const d = c.dModel;
  const last = hf.slice([0, c.window / c.patch - 1, 0], [batch, 1, d]).reshape([batch, d]);
  const pooled = tf.concat([last, hf.mean(1)], 1);
  const spreadSign = tf.tensor1d([-1, 0, 1]);
  const head = (horizon: number): tf.Tensor4D => {
    const raw = dense(pooled, next(), next()).reshape([batch, horizon, SERIES, QUANTILES.length]);
    let median = raw.slice([0, 0, 0, 1], [batch, horizon, SERIES, 1]);
    if (c.seasonalResidual) {
      // step k's seasonal context sits one season before it: window row W − season + k
      const blend = next<tf.Tensor2D>();
      const rows = x.slice([0, c.window - c.seasonIntervals, 0], [batch, horizon, c.features]);
      const members = tf.gather(rows, BASE_FEATURE_INDICES, 2).reshape([batch, horizon, SERIES, BASE_MEMBERS]);
      median = median.add(members.mul(blend).sum(-1, true));
    }
    // P10 ≤ P50 ≤ P90 by construction: the outer quantiles are the median ∓ a softplus spread
    // (the middle column's softplus is multiplied by 0)
    return median.add(tf.softplus(raw).mul(spreadSign)) as tf.Tensor4D;
  };
  const short = head(c.shortHorizon);
  const day = c.dayHorizon > 0 ? head(c.dayHorizon) : null;
  return { short, day };
}

/** Steps of targets a sample carries: the longer of the two heads. */
export function targetHorizon(config: TransformerConfig): number {
  return Math.max(config.shortHorizon, config.dayHorizon);
}

/**
 * Masked pinball (quantile) loss, mean over valid (step, series, quantile) cells:
 * ρτ(e) = max(τ·e, (τ − 1)·e) with e = y − q.
 * pred: [b, h, 2, 3]; y: [b, h, 2]; mask: [b, h] (1 = target known).
 */
export function pinballLoss(pred: tf.Tensor4D, y: tf.Tensor3D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const { sum, weight } = pinballParts(pred, y, mask);
    return sum.div(weight.maximum(1)) as tf.Scalar;
  });
}

/** Sum of the pinball loss over valid cells and the number of valid cells. */
export function pinballParts(pred: tf.Tensor4D, y: tf.Tensor3D, mask: tf.Tensor2D): { sum: tf.Scalar; weight: tf.Scalar } {
  const [b, h, s, q] = pred.shape;
  const e = y.reshape([b, h, s, 1]).sub(pred);
  const tau = tf.tensor1d([...QUANTILES]);
  const loss = tf.maximum(e.mul(tau), e.mul(tau.sub(1)));
  const m = mask.reshape([b, h, 1, 1]);
  return { sum: loss.mul(m).sum() as tf.Scalar, weight: m.sum().mul(s * q) as tf.Scalar };
}

/** Pinball loss of one value: ρτ(y − q). */
export function pinball(y: number, q: number, tau: number): number {
  const e = y - q;
  return Math.max(tau * e, (tau - 1) * e);
}

/**
 * The training objective: pinball loss of the trading head, averaged with the planning head's
 * when it exists. y: [b, targetHorizon, 2], mask: [b, targetHorizon].
 */
export function modelLoss(model: TransformerModel, x: tf.Tensor3D, y: tf.Tensor3D, mask: tf.Tensor2D): tf.Scalar {
  const c = model.config;
  const out = applyModel(model, x);
  const [b] = x.shape;
  const s = c.shortHorizon;
  const shortLoss = pinballLoss(out.short, y.slice([0, 0, 0], [b, s, SERIES]), mask.slice([0, 0], [b, s]));
  if (!out.day) return shortLoss;
  const dayLoss = pinballLoss(out.day, y.slice([0, 0, 0], [b, c.dayHorizon, SERIES]), mask.slice([0, 0], [b, c.dayHorizon]));
  return shortLoss.add(dayLoss).div(2) as tf.Scalar;
}

/** Outputs as flat arrays `[(i * horizon + k) * 6 + series * 3 + quantile]`. */
export interface Prediction {
  short: Float32Array;
  day: Float32Array | null;
}

/**
 * Batched inference: one call for `count` samples (inputs `[i * window * features …]`), run in
 * chunks of `chunk` rows so the attention scores of 10,000 homes never sit in memory at once.
 */
export function predict(model: TransformerModel, inputs: Float32Array, count: number, chunk = 1024): Prediction {
  const c = model.config;
  const per = c.window * c.features;
  if (inputs.length < count * per) throw new RangeError(`inputs hold ${inputs.length / per} samples, asked for ${count}`);
  const cells = SERIES * QUANTILES.length;
  const short = new Float32Array(count * c.shortHorizon * cells);
  const day = c.dayHorizon > 0 ? new Float32Array(count * c.dayHorizon * cells) : null;
  for (let start = 0; start < count; start += chunk) {
    const rows = Math.min(chunk, count - start);
    tf.tidy(() => {
      const x = tf.tensor3d(inputs.slice(start * per, (start + rows) * per), [rows, c.window, c.features]);
      const out = applyModel(model, x);
      short.set(out.short.dataSync(), start * c.shortHorizon * cells);
      if (day && out.day) day.set(out.day.dataSync(), start * c.dayHorizon * cells);
    });
  }
  return { short, day };
}
