// Gradient checks run on the pure-JS cpu backend (plain float32 arithmetic, no XNNPACK) so finite
// differences are as exact as float32 allows.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyModel,
  createModel,
  disposeModel,
  multiHeadSelfAttention,
  PRESETS,
  type AttentionParams,
  type TransformerModel,
} from '../../../agents/transformer/index.ts';
import { testRngFor, uniformArray } from './helpers.ts';

beforeAll(async () => {
  tf.env().set('IS_TEST', true); // silences tfjs's "install tfjs-node" hint on the cpu backend
  await tf.setBackend('cpu');
  await tf.ready();
});

const B = 2;
const W = 5;
const D = 8;
const HEADS = 2;

function params(rng: () => number): Record<keyof AttentionParams, Float32Array> {
  const m = () => uniformArray(D * D, rng, -0.5, 0.5);
  const v = () => uniformArray(D, rng, -0.1, 0.1);
  return { wq: m(), bq: v(), wk: m(), bk: v(), wv: m(), bv: v(), wo: m(), bo: v() };
}

/** Scalar probe of the attention output: Σ out ⊙ R for a fixed random R. */
function probe(x: Float32Array, p: Record<keyof AttentionParams, Float32Array>, r: Float32Array): number {
  return tf.tidy(() => {
    const out = multiHeadSelfAttention(tf.tensor3d(x, [B, W, D]), tensors(p), HEADS);
    return out.mul(tf.tensor3d(r, [B, W, D])).sum().dataSync()[0];
  });
}

function tensors(p: Record<keyof AttentionParams, Float32Array>): AttentionParams {
  const m = (a: Float32Array) => tf.tensor2d(a, [D, D]);
  const v = (a: Float32Array) => tf.tensor1d(a);
  return { wq: m(p.wq), bq: v(p.bq), wk: m(p.wk), bk: v(p.bk), wv: m(p.wv), bv: v(p.bv), wo: m(p.wo), bo: v(p.bo) };
}

describe('multi-head self-attention gradients', () => {
  const rng = testRngFor('attention')('values');
  const x = uniformArray(B * W * D, rng, -1, 1);
  const p = params(rng);
  const r = uniformArray(B * W * D, rng, -1, 1);

  // analytic gradients of the probe w.r.t. x and every projection
  const names = ['wq', 'bq', 'wk', 'bk', 'wv', 'bv', 'wo', 'bo'] as const;
  const analytic = (): Record<string, Float32Array> =>
    tf.tidy(() => {
      const inputs = [tf.tensor3d(x, [B, W, D]), ...names.map((n) => (n.startsWith('w') ? tf.tensor2d(p[n], [D, D]) : tf.tensor1d(p[n])))];
      const grads = tf.grads((...ts: tf.Tensor[]) => {
        const [xt, ...ws] = ts;
        const ap = Object.fromEntries(names.map((n, i) => [n, ws[i]])) as unknown as AttentionParams;
        return multiHeadSelfAttention(xt as tf.Tensor3D, ap, HEADS).mul(tf.tensor3d(r, [B, W, D])).sum();
      })(inputs);
      return Object.fromEntries([['x', grads[0].dataSync() as Float32Array], ...names.map((n, i) => [n, grads[i + 1].dataSync() as Float32Array])]);
    });

  it.each(['x', 'wq', 'bq', 'wk', 'wv', 'bv', 'wo', 'bo'])('d(probe)/d(%s) matches central finite differences', (name) => {
    const g = analytic()[name];
    const base = name === 'x' ? x : p[name as keyof AttentionParams];
    const eps = 1e-2;
    // every coordinate of the small tensors, a spread of 12 of the larger ones
    const coords = base.length <= 16 ? [...base.keys()] : Array.from({ length: 12 }, (_, i) => Math.floor((i * base.length) / 12) + (i % 3));
    for (const j of coords) {
      const saved = base[j];
      base[j] = saved + eps;
      const up = name === 'x' ? probe(base, p, r) : probe(x, p, r);
      base[j] = saved - eps;
      const down = name === 'x' ? probe(base, p, r) : probe(x, p, r);
      base[j] = saved;
      const fd = (up - down) / (2 * eps);
      expect(Math.abs(fd - g[j]), `${name}[${j}]: finite difference ${fd} vs gradient ${g[j]}`).toBeLessThan(5e-4 + 3e-3 * Math.abs(g[j]));
    }
  });

  it('the key bias gets no gradient (softmax is shift-invariant per query)', () => {
    const g = analytic().bk;
    for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-5);
  });
});

/** The same forward pass with tfjs's own autodiff (plain matMul, no hand-written gradients). */
function referenceModelOutput(model: TransformerModel, x: tf.Tensor3D, flat: tf.Tensor1D): tf.Tensor {
  const c = model.config;
  const parts = tf.split(flat, [...model.sizes]);
  let i = 0;
  const next = <T extends tf.Tensor>(): T => parts[i].reshape([...model.specs[i++].shape]) as T;
  const lin = (t: tf.Tensor, w: tf.Tensor2D, b: tf.Tensor1D) => {
    const s = t.shape;
    return tf.matMul(t.reshape([-1, s[s.length - 1]]) as tf.Tensor2D, w).add(b).reshape([...s.slice(0, -1), w.shape[1]]);
  };
  const ln = (t: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) => {
    const { mean, variance } = tf.moments(t, -1, true);
    return t.sub(mean).div(variance.add(1e-5).sqrt()).mul(g).add(b);
  };
  const [batch] = x.shape;
  const T = c.window / c.patch;
  const dk = c.dModel / c.heads;
  let h = lin(x.reshape([batch, T, c.patch * c.features]), next(), next()).add(model.positional);
  for (let l = 0; l < c.layers; l++) {
    const a = ln(h, next(), next());
    const sp = (t: tf.Tensor) => t.reshape([batch, T, c.heads, dk]).transpose([0, 2, 1, 3]);
    const wq = next<tf.Tensor2D>(), bq = next<tf.Tensor1D>(), wk = next<tf.Tensor2D>(), bk = next<tf.Tensor1D>();
    const wv = next<tf.Tensor2D>(), bv = next<tf.Tensor1D>(), wo = next<tf.Tensor2D>(), bo = next<tf.Tensor1D>();
    const q = sp(lin(a, wq, bq)), k = sp(lin(a, wk, bk)), v = sp(lin(a, wv, bv));
    const att = tf.softmax(tf.matMul(q, k, false, true).div(Math.sqrt(dk)));
    h = h.add(lin(tf.matMul(att, v).transpose([0, 2, 1, 3]).reshape([batch, T, c.dModel]), wo, bo));
    const a2 = ln(h, next(), next());
    const w1 = next<tf.Tensor2D>(), b1 = next<tf.Tensor1D>(), w2 = next<tf.Tensor2D>(), b2 = next<tf.Tensor1D>();
    h = h.add(lin(tf.relu(lin(a2, w1, b1)), w2, b2));
  }
  const hf = ln(h, next(), next());
  const pooled = tf.concat([hf.slice([0, T - 1, 0], [batch, 1, c.dModel]).reshape([batch, c.dModel]), hf.mean(1)], 1);
  const head = (H: number) => {
    const raw = lin(pooled, next(), next()).reshape([batch, H, 2, 3]);
    const blend = next<tf.Tensor2D>();
    const [lo, mid, hi] = tf.split(raw, 3, 3);
    // the seasonal base: yesterday, 7-day mean, last week (features 0, 26, 28 / 1, 27, 29) blended per series
    const rows = x.slice([0, c.window - c.seasonIntervals, 0], [batch, H, c.features]);
    const member = (f: number) => rows.slice([0, 0, f], [batch, H, 1]);
    const load = member(0).mul(blend.slice([0, 0], [1, 1]).reshape([1])).add(member(26).mul(blend.slice([0, 1], [1, 1]).reshape([1]))).add(member(28).mul(blend.slice([0, 2], [1, 1]).reshape([1])));
    const pv = member(1).mul(blend.slice([1, 0], [1, 1]).reshape([1])).add(member(27).mul(blend.slice([1, 1], [1, 1]).reshape([1]))).add(member(29).mul(blend.slice([1, 2], [1, 1]).reshape([1])));
    const med = mid.add(tf.concat([load, pv], 2).reshape([batch, H, 2, 1]));
    return tf.concat([med.sub(tf.softplus(lo)), med, med.add(tf.softplus(hi))], 3);
  };
  const short = head(c.shortHorizon);
  const day = head(c.dayHorizon);
  return tf.concat([short.flatten(), day.flatten()]);
}

describe('the model’s hand-written matrix-product gradients', () => {
  it('match tfjs autodiff of the same network to float32 precision', () => {
    const config = { ...PRESETS.small, dModel: 16, heads: 2, ffDim: 24, layers: 1 };
    const model = createModel(config, testRngFor('autodiff'));
    const rng = testRngFor('autodiff')('x');
    // every parameter perturbed, so the zero-initialised heads pass gradients to the encoder and the blend is not one-hot
    const perturbed = tf.tensor1d(Float32Array.from(model.parameters.dataSync(), (v) => v + (rng() - 0.5) * 0.3));
    model.parameters.assign(perturbed);
    perturbed.dispose();
    const before = tf.memory().numTensors;
    const x = tf.tensor3d(uniformArray(3 * config.window * config.features, rng, -1, 1), [3, config.window, config.features]);
    const outSize = 3 * (config.shortHorizon + config.dayHorizon) * 6;
    tf.tidy(() => {
    const r = tf.tensor1d(uniformArray(outSize, rng, -1, 1));
    const ours = tf.variableGrads(() => {
      const o = applyModel(model, x);
      return tf.concat([o.short.flatten(), o.day!.flatten()]).mul(r).sum() as tf.Scalar;
    }, [model.parameters]);
    const reference = tf.grad((flat: tf.Tensor) => referenceModelOutput(model, x, flat as tf.Tensor1D).mul(r).sum())(model.parameters);
    expect(ours.value.dataSync()[0]).toBeCloseTo(
      referenceModelOutput(model, x, model.parameters).mul(r).sum().dataSync()[0],
      3,
    );
    const a = ours.grads[model.parameters.name].dataSync();
    const b = reference.dataSync();
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1e-3 + Math.abs(b[i])));
    expect(worst, 'largest relative gradient difference').toBeLessThan(1e-3);
    });
    x.dispose();
    expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
    disposeModel(model);
  });
});
