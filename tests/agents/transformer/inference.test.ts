import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createModel,
  disposeModel,
  getWeights,
  initBackend,
  predict,
  PRESETS,
  setWeights,
  syntheticContext,
  syntheticSeries,
  TransformerForecaster,
  type TransformerConfig,
} from '../../../agents/transformer/index.ts';
import { CTRL, InferencePool } from '../../../agents/transformer/inference-pool.ts';
import { disposeWeights, encodeRows, headRows, pooledWidth, prepareWeights } from '../../../agents/transformer/inference.ts';
import { testRngFor, uniformArray } from './helpers.ts';

beforeAll(async () => {
  await initBackend();
});

const TINY: TransformerConfig = { ...PRESETS.small, layers: 1, dModel: 16, heads: 2, ffDim: 32 };

/** Random weights around the seeded initial ones (heads at full scale, biases non-zero). */
function randomWeights(config: TransformerConfig, seed: string): Float32Array[] {
  const model = createModel(config, testRngFor(seed));
  const rng = testRngFor(seed)('perturb');
  const weights = getWeights(model).map((w) => Float32Array.from(w, (v) => v + (rng() - 0.5) * 0.4));
  disposeModel(model);
  return weights;
}

/** The inference path (encoder, both heads) on `count` samples. */
function fastPredict(config: TransformerConfig, weights: Float32Array[], inputs: Float32Array, count: number, chunk: number) {
  const p = prepareWeights(config, weights);
  const pooled = new Float32Array(count * pooledWidth(config));
  encodeRows(p, inputs, 0, count, chunk, pooled);
  const cells = 6;
  const short = new Float32Array(count * config.shortHorizon * cells);
  const day = new Float32Array(count * config.dayHorizon * cells);
  headRows(p, 'short', pooled, inputs, 0, count, chunk, short);
  if (config.dayHorizon > 0) headRows(p, 'day', pooled, inputs, 0, count, chunk, day);
  disposeWeights(p);
  return { short, day };
}

/** tfjs's training-graph forward pass (`predict` → `applyModel`) with the same weights. */
function referencePredict(config: TransformerConfig, weights: Float32Array[], inputs: Float32Array, count: number, chunk: number) {
  const model = createModel(config, testRngFor('unused'));
  setWeights(model, weights);
  const out = predict(model, inputs, count, chunk);
  disposeModel(model);
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('inference forward pass', () => {
  it('reproduces model.predict on the small preset with random weights and inputs (float32 tolerance)', () => {
    const config = PRESETS.small;
    const weights = randomWeights(config, 'small');
    const count = 37;
    const inputs = uniformArray(count * config.window * config.features, testRngFor('x')('inputs'), -1, 2);
    const ref = referencePredict(config, weights, inputs, count, 16);
    const fast = fastPredict(config, weights, inputs, count, 16);
    // the same tfjs kernels in the same order: identical in practice; the bound is float32 noise
    expect(maxAbsDiff(fast.short, ref.short)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(fast.day, ref.day as Float32Array)).toBeLessThanOrEqual(1e-5);
  });

  it('reproduces model.predict on the fast preset (8-interval patches)', () => {
    const config = PRESETS.fast;
    const weights = randomWeights(config, 'fast');
    const count = 9;
    const inputs = uniformArray(count * config.window * config.features, testRngFor('x')('fast'), -1, 2);
    const ref = referencePredict(config, weights, inputs, count, 4);
    const fast = fastPredict(config, weights, inputs, count, 4);
    expect(maxAbsDiff(fast.short, ref.short)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(fast.day, ref.day as Float32Array)).toBeLessThanOrEqual(1e-5);
  });

  it('matches model.predict for any chunking and for models without a seasonal residual or planning head', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.constantFrom(0, 12),
        fc.string({ minLength: 1, maxLength: 6 }),
        (count, chunk, seasonalResidual, dayHorizon, seed) => {
          const config: TransformerConfig = { ...TINY, seasonalResidual, dayHorizon };
          const weights = randomWeights(config, seed);
          const inputs = uniformArray(count * config.window * config.features, testRngFor(seed)('inputs'), -1, 2);
          const ref = referencePredict(config, weights, inputs, count, 4);
          const fast = fastPredict(config, weights, inputs, count, chunk);
          expect(maxAbsDiff(fast.short, ref.short)).toBeLessThanOrEqual(1e-5);
          if (dayHorizon > 0) expect(maxAbsDiff(fast.day, ref.day as Float32Array)).toBeLessThanOrEqual(1e-5);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('gives every row the same float32 result however the rows are chunked (the worker split relies on it)', () => {
    const config = PRESETS.small;
    const weights = randomWeights(config, 'chunks');
    const count = 11;
    const inputs = uniformArray(count * config.window * config.features, testRngFor('c')('inputs'), -1, 2);
    const whole = fastPredict(config, weights, inputs, count, 1024);
    for (const chunk of [1, 3, 5]) {
      const parts = fastPredict(config, weights, inputs, count, chunk);
      expect([...parts.short]).toEqual([...whole.short]);
      expect([...parts.day]).toEqual([...whole.day]);
    }
  });

  it('keeps P10 ≤ P50 ≤ P90 and leaks no tensors', () => {
    const config = TINY;
    const before = tf.memory().numTensors;
    const weights = randomWeights(config, 'order');
    const inputs = uniformArray(5 * config.window * config.features, testRngFor('o')('inputs'), -1, 2);
    const fast = fastPredict(config, weights, inputs, 5, 2);
    for (let i = 0; i < fast.short.length; i += 3) {
      expect(fast.short[i]).toBeLessThanOrEqual(fast.short[i + 1]);
      expect(fast.short[i + 1]).toBeLessThanOrEqual(fast.short[i + 2]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects weights of the wrong shape and a planning head the model does not have', () => {
    const weights = randomWeights(TINY, 'bad');
    expect(() => prepareWeights(TINY, weights.slice(1))).toThrow(/expected \d+ weight tensors/);
    const wrong = weights.map((w, i) => (i === 0 ? w.subarray(1) : w));
    expect(() => prepareWeights(TINY, wrong)).toThrow(/input\/kernel: expected/);
    const noDay: TransformerConfig = { ...TINY, dayHorizon: 0 };
    const p = prepareWeights(noDay, randomWeights(noDay, 'noday'));
    expect(() => headRows(p, 'day', new Float32Array(32), new Float32Array(48 * 24), 0, 1, 1, new Float32Array(6))).toThrow(/no planning head/);
    disposeWeights(p);
  });

  it('gives the forecaster the same quantiles as model.predict on the stored windows', () => {
    const n = 5;
    const data = syntheticSeries(n, 4, testRngFor('fc'));
    const f = new TransformerForecaster(n, { rngFor: testRngFor('fc'), preset: TINY, context: syntheticContext, inferenceChunk: 2 });
    for (let t = 0; t < 100; t++) f.observe(data.loadKwh, data.pvKwh, t * n);
    const weights = randomWeights(TINY, 'global');
    f.setGlobalWeights(weights);
    const q = f.forecastQuantiles(48);
    const per = TINY.window * TINY.features;
    const inputs = new Float32Array(n * per);
    for (let h = 0; h < n; h++) f.store.writeWindow(h, 99, TINY.window, inputs, h * per);
    const ref = referencePredict(TINY, weights, inputs, n, 1024);
    for (let h = 0; h < n; h++) {
      const sl = f.store.loadScale(h);
      const sp = f.store.pvScale(h);
      for (let k = 0; k < 48; k++) {
        const src = k < 6 ? ref.short : (ref.day as Float32Array);
        const at = (h * (k < 6 ? 6 : 48) + k) * 6;
        expect(q.loadP10[h * 48 + k]).toBeCloseTo(Math.max(0, src[at] * sl), 6);
        expect(q.loadP50[h * 48 + k]).toBeCloseTo(Math.max(0, src[at + 1] * sl), 6);
        expect(q.pvP90[h * 48 + k]).toBeCloseTo(Math.max(0, src[at + 5] * sp), 6);
      }
    }
    // a 6-step forecast after the 48-step one reuses the cached encoder pass and agrees with it
    const short = f.forecastQuantiles(6);
    for (let h = 0; h < n; h++) for (let k = 0; k < 6; k++) expect(short.loadP50[h * 6 + k]).toBe(q.loadP50[h * 48 + k]);
    f.dispose();
  });
});

describe('inference split over a worker thread', () => {
  it('gives bit-identical forecasts with one thread and with a worker, and cleans up', async () => {
    const n = 7;
    const data = syntheticSeries(n, 4, testRngFor('pool'));
    const run = async (threads: 1 | 2) => {
      const f = new TransformerForecaster(n, { rngFor: testRngFor('pool'), preset: TINY, context: syntheticContext, inferenceChunk: 2, inferenceThreads: threads });
      const split = await f.inferenceReady();
      for (let t = 0; t < 100; t++) f.observe(data.loadKwh, data.pvKwh, t * n);
      f.setGlobalWeights(randomWeights(TINY, 'pool-global'));
      const day = f.forecastQuantiles(48);
      f.observe(data.loadKwh, data.pvKwh, 100 * n);
      const next = f.forecastQuantiles(6);
      const splits = f.inferenceSplits;
      f.dispose();
      return { split, splits, values: [...day.loadP10, ...day.loadP50, ...day.pvP90, ...next.loadP50, ...next.pvP10] };
    };
    const one = await run(1);
    const two = await run(2);
    expect(one.split).toBe(false);
    expect(two.split).toBe(true);
    expect(two.splits).toBe(3); // encoder + trading head twice, planning head once
    expect(two.values).toEqual(one.values);
  });
});

describe('InferencePool failures', () => {
  it('computes every row on the calling thread when the worker stops answering, then never waits for it again', async () => {
    const sizes = randomWeights(TINY, 'sizes').map((w) => w.length);
    const pool = new InferencePool(TINY, sizes, 8, 50);
    expect(await pool.ready).toBe(true);
    // make the worker leave its loop without telling the pool (a hung or crashed worker)
    const ctrl = new Int32Array(pool.buffers.ctrl);
    Atomics.store(ctrl, CTRL.STOP, 1);
    Atomics.add(ctrl, CTRL.JOB, 1);
    Atomics.notify(ctrl, CTRL.JOB);
    await new Promise((r) => setTimeout(r, 20));
    const ran: number[][] = [];
    pool.run('encode-short', randomWeights(TINY, 'w'), 8, 2, (start, rows) => ran.push([start, rows]));
    expect(ran).toEqual([[0, 4], [4, 4]]); // this thread's half, then the worker's
    expect(pool.active).toBe(false);
    expect(pool.splitRuns).toBe(0);
    ran.length = 0;
    pool.run('day', randomWeights(TINY, 'w'), 8, 2, (start, rows) => ran.push([start, rows]));
    expect(ran).toEqual([[0, 8]]);
    pool.dispose();
  });
});
