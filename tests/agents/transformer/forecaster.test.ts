import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  initBackend,
  PRESETS,
  syntheticContext,
  syntheticSeries,
  TransformerForecaster,
  type SyntheticSeries,
  type TransformerConfig,
} from '../../../agents/transformer/index.ts';
import { SeasonalMeanForecaster } from '../../../agents/index.ts';
import { fedAvg, FederatedRoundRecordSchema, runRound } from '../../../federated/index.ts';
import { testRngFor } from './helpers.ts';

beforeAll(async () => {
  await initBackend();
});

const TINY: TransformerConfig = { ...PRESETS.small, layers: 1, dModel: 16, heads: 2, ffDim: 32 };

function build(n: number, extra: Partial<ConstructorParameters<typeof TransformerForecaster>[1]> = {}) {
  return new TransformerForecaster(n, { rngFor: testRngFor(), preset: TINY, context: syntheticContext, localHistoryIntervals: 24, ...extra });
}

function feed(f: TransformerForecaster, data: SyntheticSeries, from: number, to: number): void {
  for (let t = from; t < to; t++) f.observe(data.loadKwh, data.pvKwh, t * data.households);
}

describe('TransformerForecaster', () => {
  const data = syntheticSeries(3, 12, testRngFor());

  it('forecasts from the first interval: 0, then persistence, then the model', () => {
    const f = build(3);
    const load = new Float64Array(3 * 6);
    const pv = new Float64Array(3 * 6);
    f.forecast(6, load, pv);
    expect([...load]).toEqual(new Array(18).fill(0));
    feed(f, data, 0, 10);
    f.forecast(6, load, pv);
    for (let h = 0; h < 3; h++) for (let k = 0; k < 6; k++) expect(load[h * 6 + k]).toBeCloseTo(data.loadKwh[9 * 3 + h], 6);
    expect(f.ready).toBe(false);
    feed(f, data, 10, 48);
    expect(f.ready).toBe(true);
    f.forecast(6, load, pv);
    for (const v of [...load, ...pv]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
    f.dispose();
  });

  it('gives ordered quantiles and falls back to seasonal naive beyond the day head', () => {
    const f = build(3);
    feed(f, data, 0, 150);
    const q = f.forecastQuantiles(60);
    for (let i = 0; i < 3 * 60; i++) {
      expect(q.loadP10[i]).toBeLessThanOrEqual(q.loadP50[i]);
      expect(q.loadP50[i]).toBeLessThanOrEqual(q.loadP90[i]);
      expect(q.pvP10[i]).toBeLessThanOrEqual(q.pvP90[i]);
    }
    for (let h = 0; h < 3; h++) {
      for (let k = 48; k < 60; k++) expect(q.loadP50[h * 60 + k]).toBeCloseTo(data.loadKwh[(150 + k - 96) * 3 + h], 6);
    }
    f.dispose();
  });

  it('forecasts each household from its own data only', () => {
    const a = build(2);
    const b = build(2);
    const other = syntheticSeries(2, 4, testRngFor('other'));
    for (let t = 0; t < 120; t++) {
      a.observe(data.loadKwh, data.pvKwh, t * 3);
      // home 0 sees the same series in both; home 1 a different one
      b.observe(Float64Array.of(data.loadKwh[t * 3], other.loadKwh[t * 2 + 1]), Float64Array.of(data.pvKwh[t * 3], other.pvKwh[t * 2 + 1]), 0);
    }
    const qa = a.forecastQuantiles(6);
    const qb = b.forecastQuantiles(6);
    expect([...qb.loadP50.subarray(0, 6)]).toEqual([...qa.loadP50.subarray(0, 6)]);
    expect([...qb.loadP50.subarray(6, 12)]).not.toEqual([...qa.loadP50.subarray(6, 12)]);
    a.dispose();
    b.dispose();
  });

  it('trains a client on its own recent windows and returns only weights', () => {
    const f = build(3);
    feed(f, data, 0, 8 * 48);
    const update = f.trainClient(1, f.globalWeights, { epochs: 1, batchSize: 8, learningRate: 1e-3, rng: testRngFor()('c1') });
    expect(update.samples).toBe(24);
    expect(Number.isFinite(update.loss)).toBe(true);
    expect(update.weights.map((w) => w.length)).toEqual(f.weightSizes());
    expect(update.weights).not.toEqual(f.globalWeights);
    expect(Number.isFinite(f.validationLoss(update.weights))).toBe(true);
    f.dispose();
  });

  it('untrained, forecasts the 7-day mean of every home for the trading and the day-ahead horizon', () => {
    const f = build(3);
    const mean = new SeasonalMeanForecaster(3, 7, 48);
    for (let t = 0; t < 9 * 48 + 17; t++) {
      f.observe(data.loadKwh, data.pvKwh, t * 3);
      mean.observe(data.loadKwh, data.pvKwh, t * 3);
    }
    const q = f.forecastQuantiles(48);
    const load = new Float64Array(3 * 48);
    const pv = new Float64Array(3 * 48);
    mean.forecast(48, load, pv);
    for (let i = 0; i < 3 * 48; i++) {
      expect(q.loadP50[i]).toBeCloseTo(load[i], 5);
      expect(q.pvP50[i]).toBeCloseTo(pv[i], 5);
    }
    f.dispose();
  });

  it('splits a home\'s pre-training windows into interleaved shares that together are all of them', () => {
    const f = build(2);
    feed(f, data, 0, 10 * 48);
    const o = { newestOrigin: 10 * 48 - 2, limit: 10 * 48 - 1, count: 30, stride: 12 };
    const all = f.samples([0, 1], o).count;
    const shares = [0, 1, 2, 3].map((index) => f.samples([0, 1], { ...o, shard: { index, count: 4 } }).count);
    expect(all).toBe(60);
    expect(shares).toEqual([16, 14, 14, 16]);
    expect(() => f.samples([0], { ...o, shard: { index: 4, count: 4 } })).toThrow(/no share/);
    f.dispose();
  });

  it('pre-trains locally, averages, runs FedAvg rounds, and leaks no tensors across rounds', () => {
    const f = build(3);
    feed(f, data, 0, 10 * 48);
    const updates = [0, 1, 2].map((h) =>
      f.pretrainClient(h, { epochs: 1, batchSize: 32, learningRate: 2e-3, rng: testRngFor()(`pre/${h}`), strideIntervals: 12, maxSamples: 30 }),
    );
    expect(updates.map((u) => u.samples)).toEqual([30, 30, 30]);
    const before = f.forecastQuantiles(6).loadP50.slice();
    f.setGlobalWeights(fedAvg(updates));
    expect([...f.forecastQuantiles(6).loadP50]).not.toEqual([...before]);

    let global = f.globalWeights;
    let tensors = 0;
    const rng = testRngFor()('rounds');
    for (let round = 1; round <= 4; round++) {
      feed(f, data, 10 * 48 + (round - 1) * 6, 10 * 48 + round * 6);
      const result = runRound({
        round,
        tick: round * 6,
        clients: [0, 1, 2],
        globalWeights: global,
        sampleFraction: 1,
        minClients: 2,
        rng,
        train: (c, g) => f.trainClient(c, g, { epochs: 1, batchSize: 8, learningRate: 1e-3, rng: testRngFor()(`r${round}/c${c}`) }),
        validate: (w) => f.validationLoss(w),
      });
      expect(FederatedRoundRecordSchema.parse(result.record).clients_used).toBe(3);
      global = result.globalWeights;
      f.setGlobalWeights(global);
      f.forecastQuantiles(6);
      if (round === 2) tensors = tf.memory().numTensors;
      if (round > 2) expect(tf.memory().numTensors, `tensors after round ${round}`).toBe(tensors);
    }
    f.dispose();
  });

  it('same seed, same data: identical forecasts after pre-training and a federated round', () => {
    const run = () => {
      const f = build(3);
      feed(f, data, 0, 9 * 48);
      const updates = [0, 1, 2].map((h) =>
        f.pretrainClient(h, { epochs: 1, batchSize: 16, learningRate: 2e-3, rng: testRngFor()(`pre/${h}`), strideIntervals: 24, maxSamples: 16 }),
      );
      f.setGlobalWeights(fedAvg(updates));
      feed(f, data, 9 * 48, 9 * 48 + 6);
      const { globalWeights, record } = runRound({
        round: 1,
        tick: 6,
        clients: [0, 1, 2],
        globalWeights: f.globalWeights,
        sampleFraction: 0.5,
        minClients: 2,
        rng: testRngFor()('round'),
        train: (c, g) => f.trainClient(c, g, { epochs: 1, batchSize: 8, learningRate: 1e-3, rng: testRngFor()(`c${c}`), proximalMu: 0.01 }),
        validate: (w) => f.validationLoss(w),
      });
      f.setGlobalWeights(globalWeights);
      const q = f.forecastQuantiles(48);
      f.dispose();
      return { record, q };
    };
    const a = run();
    const b = run();
    expect(b.record).toEqual(a.record);
    expect(b.q).toEqual(a.q);
  });
});
