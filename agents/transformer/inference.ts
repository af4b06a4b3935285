import * as tf from '@tensorflow/tfjs';
import { BASE_MEMBERS, parameterSpecs, QUANTILES, SERIES, type TransformerConfig } from './config.ts';
import { SEASONAL_BASE_FEATURES } from './features.ts';
import { positionalEncoding } from './model.ts';

/**
 * Inference-only forward pass of the transformer: the same arithmetic as `applyModel` (and the
 * same tfjs kernels, so the same float32 results — tests compare the two), with fewer and cheaper
 * ops. Measured on the wasm backend, where the per-interval cost of 10,000 homes went:
 *
 * - the weights are cut into tensors once per weight set (`prepareWeights`), not on every call
 *   (applyModel splits the flat parameter vector and reshapes ~40 tensors per chunk);
 * - k is transposed once, straight to [batch, heads, dk, tokens] (one [d, 3d] product for q, k
 *   and v was tried: splitting its output costs more on wasm than the two extra products);
 * - the feed-forward ReLU is fused into its product;
 * - the encoder and the two heads are separate steps: the encoder's pooled vector of each home is
 *   kept, the trading head runs every interval and the 48-step planning head only when a caller
 *   asks for more than `shortHorizon` steps (the engine: once a day);
 * - the heads' tail (seasonal base + median ∓ softplus spread) runs in JavaScript on the downloaded
 *   head outputs with `Math.fround`, i.e. exactly the float32 additions tfjs would do, instead of
 *   strided tfjs slices of the input window (the slowest kernels of applyModel on wasm).
 *
 * Everything here is a pure function of (weights, inputs); tensors live only inside `tf.tidy`
 * except the prepared weights, which the caller disposes.
 */
export interface PreparedWeights {
  readonly config: TransformerConfig;
  readonly input: { kernel: tf.Tensor2D; bias: tf.Tensor1D };
  readonly positional: tf.Tensor2D;
  readonly layers: readonly PreparedLayer[];
  readonly finalNorm: { gamma: tf.Tensor1D; beta: tf.Tensor1D };
  readonly short: PreparedHead;
  readonly day: PreparedHead | null;
}

/** One head: its kernel and bias as tensors, its seasonal blend (`[series * 3 + member]`, empty without a seasonal residual) as numbers. */
interface PreparedHead {
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  blend: Float32Array;
}

interface PreparedLayer {
  norm1: { gamma: tf.Tensor1D; beta: tf.Tensor1D };
  wq: tf.Tensor2D;
  bq: tf.Tensor1D;
  wk: tf.Tensor2D;
  bk: tf.Tensor1D;
  wv: tf.Tensor2D;
  bv: tf.Tensor1D;
  wo: tf.Tensor2D;
  bo: tf.Tensor1D;
  norm2: { gamma: tf.Tensor1D; beta: tf.Tensor1D };
  w1: tf.Tensor2D;
  b1: tf.Tensor1D;
  w2: tf.Tensor2D;
  b2: tf.Tensor1D;
}

/** Which head to run: the trading head (`shortHorizon` steps) or the planning head (`dayHorizon`). */
export type HeadName = 'short' | 'day';

/** Steps of a head. */
export function headHorizon(config: TransformerConfig, head: HeadName): number {
  return head === 'short' ? config.shortHorizon : config.dayHorizon;
}

/** Length of the pooled vector the heads read (last token and token mean side by side). */
export function pooledWidth(config: TransformerConfig): number {
  return 2 * config.dModel;
}

/** Cuts weight vectors (in `parameterSpecs` order) into tensors; dispose with `disposeWeights`. */
export function prepareWeights(config: TransformerConfig, weights: readonly Float32Array[]): PreparedWeights {
  const specs = parameterSpecs(config);
  if (weights.length !== specs.length) throw new RangeError(`expected ${specs.length} weight tensors, got ${weights.length}`);
  const byName = new Map<string, Float32Array>();
  specs.forEach((s, i) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    if (weights[i].length !== size) throw new RangeError(`weight ${s.name}: expected ${size} values, got ${weights[i].length}`);
    byName.set(s.name, weights[i]);
  });
  const get = (name: string) => byName.get(name) as Float32Array;
  const D = config.dModel;
  const t1 = (name: string) => tf.tensor1d(get(name));
  const t2 = (name: string, rows: number, cols: number) => tf.tensor2d(get(name), [rows, cols]);
  const layers: PreparedLayer[] = [];
  for (let l = 0; l < config.layers; l++) {
    const p = `layer${l}/`;
    layers.push({
      norm1: { gamma: t1(`${p}ln1/gamma`), beta: t1(`${p}ln1/beta`) },
      wq: t2(`${p}attn/wq`, D, D),
      bq: t1(`${p}attn/bq`),
      wk: t2(`${p}attn/wk`, D, D),
      bk: t1(`${p}attn/bk`),
      wv: t2(`${p}attn/wv`, D, D),
      bv: t1(`${p}attn/bv`),
      wo: t2(`${p}attn/wo`, D, D),
      bo: t1(`${p}attn/bo`),
      norm2: { gamma: t1(`${p}ln2/gamma`), beta: t1(`${p}ln2/beta`) },
      w1: t2(`${p}ff/w1`, D, config.ffDim),
      b1: t1(`${p}ff/b1`),
      w2: t2(`${p}ff/w2`, config.ffDim, D),
      b2: t1(`${p}ff/b2`),
    });
  }
  const cells = SERIES * QUANTILES.length;
  const tokens = config.window / config.patch;
  const head = (name: string, horizon: number): PreparedHead => ({
    kernel: t2(`${name}/kernel`, 2 * D, horizon * cells),
    bias: t1(`${name}/bias`),
    blend: config.seasonalResidual ? get(`${name}/blend`).slice() : new Float32Array(0),
  });
  return {
    config,
    input: { kernel: t2('input/kernel', config.patch * config.features, D), bias: t1('input/bias') },
    positional: tf.tensor2d(positionalEncoding(tokens, D), [tokens, D]),
    layers,
    finalNorm: { gamma: t1('final_ln/gamma'), beta: t1('final_ln/beta') },
    short: head('short_head', config.shortHorizon),
    day: config.dayHorizon > 0 ? head('day_head', config.dayHorizon) : null,
  };
}

export function disposeWeights(p: PreparedWeights): void {
  const all: tf.Tensor[] = [p.input.kernel, p.input.bias, p.positional, p.finalNorm.gamma, p.finalNorm.beta, p.short.kernel, p.short.bias];
  if (p.day) all.push(p.day.kernel, p.day.bias);
  for (const l of p.layers) {
    all.push(l.norm1.gamma, l.norm1.beta, l.wq, l.bq, l.wk, l.bk, l.wv, l.bv, l.wo, l.bo, l.norm2.gamma, l.norm2.beta, l.w1, l.b1, l.w2, l.b2);
  }
  for (const t of all) t.dispose();
}

/**
 * Layer normalisation over the last axis with the float32 results of model.ts's `layerNorm`
 * (tf.moments, then (x − mean) · rsqrt(variance + ε) · γ + β), computing x − mean once instead of
 * twice (tf.moments casts and subtracts inside).
 */
function normalise(x: tf.Tensor, norm: { gamma: tf.Tensor1D; beta: tf.Tensor1D }, epsilon = 1e-5): tf.Tensor {
  const centred = x.sub(x.mean(-1, true));
  const variance = centred.square().mean(-1, true);
  return centred.mul(tf.rsqrt(variance.add(epsilon))).mul(norm.gamma).add(norm.beta);
}

/** One encoder layer (pre-norm attention and feed-forward blocks), h: [batch · tokens, d]. */
function encoderLayer(l: PreparedLayer, h: tf.Tensor2D, batch: number, tokens: number, heads: number): tf.Tensor2D {
  const d = h.shape[1];
  const dk = d / heads;
  const normed1 = normalise(h, l.norm1) as tf.Tensor2D;
  const project = (w: tf.Tensor2D, b: tf.Tensor1D) => tf.fused.matMul({ a: normed1, b: w, bias: b }).reshape([batch, tokens, heads, dk]);
  const q4 = project(l.wq, l.bq).transpose([0, 2, 1, 3]);
  const kT = project(l.wk, l.bk).transpose([0, 2, 3, 1]);
  const v4 = project(l.wv, l.bv).transpose([0, 2, 1, 3]);
  const weights = tf.softmax(tf.matMul(q4, kT).mul(1 / Math.sqrt(dk)), -1);
  const context = tf.matMul(weights, v4).transpose([0, 2, 1, 3]).reshape([batch * tokens, d]) as tf.Tensor2D;
  const attended = h.add(tf.fused.matMul({ a: context, b: l.wo, bias: l.bo })) as tf.Tensor2D;
  const normed = normalise(attended, l.norm2) as tf.Tensor2D;
  const hidden = tf.fused.matMul({ a: normed, b: l.w1, bias: l.b1, activation: 'relu' });
  return attended.add(tf.fused.matMul({ a: hidden, b: l.w2, bias: l.b2 })) as tf.Tensor2D;
}

/** Pooled encoder output [batch, 2d] of x: [batch, window, features] (normalised inputs). */
export function encode(p: PreparedWeights, x: tf.Tensor3D): tf.Tensor2D {
  const c = p.config;
  const [batch] = x.shape;
  const tokens = c.window / c.patch;
  const flat = x.reshape([batch * tokens, c.patch * c.features]) as tf.Tensor2D;
  const embedded = tf.fused.matMul({ a: flat, b: p.input.kernel, bias: p.input.bias }).reshape([batch, tokens, c.dModel]);
  let h = embedded.add(p.positional).reshape([batch * tokens, c.dModel]) as tf.Tensor2D;
  for (const l of p.layers) h = encoderLayer(l, h, batch, tokens, c.heads);
  const hf = normalise(h, p.finalNorm).reshape([batch, tokens, c.dModel]);
  const last = hf.slice([0, tokens - 1, 0], [batch, 1, c.dModel]).reshape([batch, c.dModel]);
  return tf.concat([last, hf.mean(1)], 1) as tf.Tensor2D;
}

/**
 * Encodes samples `start … start + rows − 1` of `inputs` (`[i * window * features …]`) in chunks
 * of `chunk` rows and writes their pooled vectors to `pooled` at `[i * 2d …]`.
 */
export function encodeRows(p: PreparedWeights, inputs: Float32Array, start: number, rows: number, chunk: number, pooled: Float32Array): void {
  const c = p.config;
  const per = c.window * c.features;
  const width = pooledWidth(c);
  for (let s = start; s < start + rows; s += chunk) {
    const n = Math.min(chunk, start + rows - s);
    tf.tidy(() => {
      const x = tf.tensor3d(inputs.subarray(s * per, (s + n) * per), [n, c.window, c.features]);
      pooled.set(encode(p, x).dataSync(), s * width);
    });
  }
}

/**
 * Runs one head on pooled vectors of samples `start … start + rows − 1` and writes the quantiles
 * (normalised units) to `out` at `[(i * horizon + k) * 6 + series * 3 + quantile]`: the median is
 * the head's middle column (plus the blended seasonal base read from `inputs` when the model is
 * seasonal-residual), the outer quantiles the median ∓ softplus of their columns.
 */
export function headRows(
  p: PreparedWeights,
  head: HeadName,
  pooled: Float32Array,
  inputs: Float32Array,
  start: number,
  rows: number,
  chunk: number,
  out: Float32Array,
): void {
  const c = p.config;
  const weights = head === 'short' ? p.short : p.day;
  if (!weights) throw new RangeError('the model has no planning head (dayHorizon is 0)');
  const horizon = headHorizon(c, head);
  const cells = SERIES * QUANTILES.length;
  const width = pooledWidth(c);
  const per = c.window * c.features;
  const baseRow = c.window - c.seasonIntervals;
  const blend = weights.blend;
  const f = Math.fround;
  // the seasonal base of a step: Σ blend · member in float32, in tfjs's order (products, then a left-to-right sum)
  const base = (at: number, series: number): number => {
    const m = SEASONAL_BASE_FEATURES[series];
    const b = series * BASE_MEMBERS;
    return f(f(f(inputs[at + m[0]] * blend[b]) + f(inputs[at + m[1]] * blend[b + 1])) + f(inputs[at + m[2]] * blend[b + 2]));
  };
  for (let s = start; s < start + rows; s += chunk) {
    const n = Math.min(chunk, start + rows - s);
    tf.tidy(() => {
      const a = tf.tensor2d(pooled.subarray(s * width, (s + n) * width), [n, width]);
      const raw = tf.fused.matMul({ a, b: weights.kernel, bias: weights.bias });
      const r = raw.dataSync();
      const sp = tf.softplus(raw).dataSync();
      for (let i = 0; i < n; i++) {
        const row = s + i;
        for (let k = 0; k < horizon; k++) {
          for (let series = 0; series < SERIES; series++) {
            const at = (i * horizon + k) * cells + series * 3;
            const median = c.seasonalResidual ? f(r[at + 1] + base(row * per + (baseRow + k) * c.features, series)) : r[at + 1];
            const o = (row * horizon + k) * cells + series * 3;
            out[o] = f(median - sp[at]);
            out[o + 1] = median;
            out[o + 2] = f(median + sp[at + 2]);
          }
        }
      }
    });
  }
}
