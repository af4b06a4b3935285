import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  arraySamples,
  createModel,
  disposeModel,
  evaluateLoss,
  getWeights,
  initBackend,
  parameterCount,
  parameterSpecs,
  pinball,
  pinballLoss,
  predict,
  PRESETS,
  setWeights,
  targetHorizon,
  trainLocal,
  type SampleSet,
  type TransformerConfig,
  type TransformerModel,
} from '../../../agents/transformer/index.ts';
import { testRngFor, uniformArray } from './helpers.ts';

beforeAll(async () => {
  await initBackend();
});

/** A cheap config for tests: the small preset with one layer. */
const TINY: TransformerConfig = { ...PRESETS.small, layers: 1, dModel: 16, heads: 2, ffDim: 32 };

/** Samples whose targets are the 7-day mean (the untrained seasonal base) plus 0.3. */
function learnableSamples(config: TransformerConfig, count: number, seed: string): SampleSet & { inputs: Float32Array } {
  const rng = testRngFor(seed)('samples');
  const H = targetHorizon(config);
  const per = config.window * config.features;
  const inputs = uniformArray(count * per, rng);
  const targets = new Float32Array(count * H * 2);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < H; k++) {
      for (let s = 0; s < 2; s++) {
        const mean7 = inputs[i * per + (config.window - config.seasonIntervals + k) * config.features + 26 + s];
        targets[(i * H + k) * 2 + s] = mean7 + 0.3;
      }
    }
  }
  return { ...arraySamples({ count, window: config.window, features: config.features, horizon: H, inputs, targets }), inputs };
}

describe('presets and parameter counts', () => {
  it('counts every parameter tensor', () => {
    for (const preset of ['small', 'fast', 'paper'] as const) {
      const fromSpecs = parameterSpecs(preset).reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
      expect(parameterCount(preset)).toBe(fromSpecs);
    }
  });

  it('paper preset is the proposal’s 6 layers, 8 heads, d_model 512, about 12–13 million parameters', () => {
    expect(PRESETS.paper).toMatchObject({ layers: 6, heads: 8, dModel: 512 });
    expect(parameterCount('paper')).toBeGreaterThan(12e6);
    expect(parameterCount('paper')).toBeLessThan(13.5e6);
  });

  it('the small preset stays small', () => {
    expect(parameterCount('small')).toBeLessThan(60_000);
  });

  it('rejects a config whose heads do not divide d_model', () => {
    expect(() => parameterCount({ ...PRESETS.small, heads: 3 })).toThrow(/divisible/);
  });
});

describe('pinball loss', () => {
  it('matches a hand-computed example', () => {
    // y = 2: q10 = 1 → 0.1·1; q50 = 2.5 → 0.5·0.5; q90 = 3 → 0.1·1
    expect(pinball(2, 1, 0.1)).toBeCloseTo(0.1, 12);
    expect(pinball(2, 2.5, 0.5)).toBeCloseTo(0.25, 12);
    expect(pinball(2, 3, 0.9)).toBeCloseTo(0.1, 12);
    expect(pinball(2, 3, 0.1)).toBeCloseTo(0.9, 12);
    const loss = tf.tidy(() => {
      // two steps, load and PV; the second step is masked out
      const pred = tf.tensor4d([1, 2.5, 3, 0, 0, 0, 9, 9, 9, 9, 9, 9], [1, 2, 2, 3]);
      const y = tf.tensor3d([2, 0, 100, 100], [1, 2, 2]);
      const mask = tf.tensor2d([1, 0], [1, 2]);
      return pinballLoss(pred, y, mask).dataSync()[0];
    });
    // valid cells: load (0.1 + 0.25 + 0.1) and PV at y = 0 with quantiles 0 (all 0) → 0.45 / 6
    expect(loss).toBeCloseTo(0.45 / 6, 6);
  });
});

describe('the model', () => {
  it('predicts ordered quantiles P10 ≤ P50 ≤ P90 and, untrained, exactly the 7-day mean of each target', () => {
    const model = createModel(TINY, testRngFor());
    const s = learnableSamples(TINY, 5, 'order');
    const p = predict(model, s.inputs, 5);
    for (let i = 0; i < p.short.length; i += 3) {
      expect(p.short[i]).toBeLessThanOrEqual(p.short[i + 1]);
      expect(p.short[i + 1]).toBeLessThanOrEqual(p.short[i + 2]);
    }
    // untrained, each median is the target's 7-day mean: input row W − 48 + k, features 26 (load) and 27 (PV)
    const per = TINY.window * TINY.features;
    for (const [head, horizon] of [[p.short, TINY.shortHorizon], [p.day!, TINY.dayHorizon]] as const) {
      for (let i = 0; i < 5; i++) {
        for (let k = 0; k < horizon; k++) {
          const row = i * per + (TINY.window - TINY.seasonIntervals + k) * TINY.features;
          expect(head[(i * horizon + k) * 6 + 1]).toBe(s.inputs[row + 26]);
          expect(head[(i * horizon + k) * 6 + 4]).toBe(s.inputs[row + 27]);
        }
      }
    }
    disposeModel(model);
  });

  it('learns the seasonal blend: targets equal to "same time last week" pull the last-week weight up from 0', () => {
    const model = createModel(TINY, testRngFor());
    const rng = testRngFor('blend')('samples');
    const H = targetHorizon(TINY);
    const per = TINY.window * TINY.features;
    const count = 96;
    const inputs = uniformArray(count * per, rng);
    const targets = new Float32Array(count * H * 2);
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < H; k++) {
        const row = i * per + (TINY.window - TINY.seasonIntervals + k) * TINY.features;
        targets[(i * H + k) * 2] = inputs[row + 28];
        targets[(i * H + k) * 2 + 1] = inputs[row + 29];
      }
    }
    const s = arraySamples({ count, window: TINY.window, features: TINY.features, horizon: H, inputs, targets });
    const blendAt = parameterSpecs(TINY).findIndex((sp) => sp.name === 'short_head/blend');
    expect(Array.from(getWeights(model)[blendAt])).toEqual([0, 1, 0, 0, 1, 0]);
    trainLocal(model, s, { epochs: 6, batchSize: 32, learningRate: 3e-2, rng: testRngFor()('order') });
    const [, mean7, lastWeek] = getWeights(model)[blendAt];
    expect(lastWeek).toBeGreaterThan(0.2);
    expect(lastWeek).toBeGreaterThan(mean7 - 0.6);
    disposeModel(model);
  });

  it('round-trips weights through plain Float32Arrays and refuses the wrong shape', () => {
    const a = createModel(TINY, testRngFor('a'));
    const b = createModel(TINY, testRngFor('b'));
    expect(getWeights(a)).not.toEqual(getWeights(b));
    setWeights(b, getWeights(a));
    expect(getWeights(b)).toEqual(getWeights(a));
    const wrong = getWeights(a);
    wrong[3] = new Float32Array(wrong[3].length + 1);
    expect(() => setWeights(b, wrong)).toThrow(/expected/);
    expect(() => setWeights(b, wrong.slice(1))).toThrow(/weight tensors/);
    disposeModel(a);
    disposeModel(b);
  });

  it('learns: training lowers the loss on a learnable task', () => {
    const model = createModel(TINY, testRngFor());
    const s = learnableSamples(TINY, 128, 'learn');
    const before = evaluateLoss(model, s);
    trainLocal(model, s, { epochs: 4, batchSize: 32, learningRate: 3e-3, rng: testRngFor()('order') });
    expect(evaluateLoss(model, s)).toBeLessThan(before * 0.5);
    disposeModel(model);
  });

  it('FedProx keeps local weights closer to the global ones', () => {
    const distance = (mu: number) => {
      const model = createModel(TINY, testRngFor());
      const global = getWeights(model);
      trainLocal(model, learnableSamples(TINY, 64, 'prox'), {
        epochs: 2, batchSize: 16, learningRate: 1e-2, rng: testRngFor()('o'), proximalMu: mu, globalWeights: global,
      });
      const w = getWeights(model);
      disposeModel(model);
      let d = 0;
      w.forEach((t, i) => t.forEach((v, j) => (d += (v - global[i][j]) ** 2)));
      return Math.sqrt(d);
    };
    expect(distance(50)).toBeLessThan(distance(0));
  });

  it('is deterministic: same seed, same data → identical weights and predictions', () => {
    const run = () => {
      const model = createModel(TINY, testRngFor('det'));
      const initial = getWeights(model);
      const s = learnableSamples(TINY, 48, 'det');
      const loss = trainLocal(model, s, { epochs: 2, batchSize: 16, learningRate: 1e-3, rng: testRngFor('det')('batches') });
      const out = { initial, loss, weights: getWeights(model), prediction: predict(model, s.inputs, 48) };
      disposeModel(model);
      return out;
    };
    const a = run();
    const b = run();
    expect(b.initial).toEqual(a.initial);
    expect(b.loss).toBe(a.loss);
    expect(b.weights).toEqual(a.weights);
    expect(b.prediction).toEqual(a.prediction);
  });

  it('leaks no tensors across repeated train / predict / evaluate calls', () => {
    const model: TransformerModel = createModel(TINY, testRngFor());
    const s = learnableSamples(TINY, 40, 'leak');
    const global = getWeights(model);
    const cycle = () => {
      trainLocal(model, s, { epochs: 1, batchSize: 16, learningRate: 1e-3, rng: testRngFor()('o'), proximalMu: 0.1, globalWeights: global });
      predict(model, s.inputs, 40, 16);
      evaluateLoss(model, s, 16);
      setWeights(model, global);
    };
    cycle();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) cycle();
    expect(tf.memory().numTensors).toBe(before);
    disposeModel(model);
  });

  it('returns NaN and trains nothing on an empty sample set', () => {
    const model = createModel(TINY, testRngFor());
    const w = getWeights(model);
    const empty = arraySamples({ count: 0, window: 48, features: 24, horizon: 48, inputs: new Float32Array(0), targets: new Float32Array(0) });
    expect(trainLocal(model, empty, { epochs: 1, batchSize: 8, learningRate: 1e-3, rng: () => 0.5 })).toBeNaN();
    expect(getWeights(model)).toEqual(w);
    disposeModel(model);
  });
});
