import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { createServerAdam, fedAvg, runPretrainRounds, serverAdamStep, type ClientUpdate, type PretrainRoundsInput } from '../../federated/index.ts';

const rng = (p: string) => seedrandom.alea(`test:${p}`);

/**
 * A toy federation: client c holds points (x, y) with y = 2x + 1 + c·0.2 (each home a little
 * different) and fits y = a·x + b by a few plain gradient steps per round, on its round-r share.
 */
const CLIENTS = [0, 1, 2, 3];
const POINTS = 40;
const pointsOf = (c: number) => Array.from({ length: POINTS }, (_, i) => ({ x: i / POINTS, y: 2 * (i / POINTS) + 1 + c * 0.2 }));
const mse = (w: readonly Float32Array[], pts: { x: number; y: number }[]) => pts.reduce((s, p) => s + (w[0][0] * p.x + w[1][0] - p.y) ** 2, 0) / pts.length;

function trainToy(c: number, global: readonly Float32Array[], round: number, rounds: number): ClientUpdate {
  const share = pointsOf(c).filter((_, i) => i % rounds === (round - 1) % rounds);
  let a = global[0][0];
  let b = global[1][0];
  let loss = 0;
  for (let step = 0; step < 5; step++) {
    let ga = 0;
    let gb = 0;
    loss = 0;
    for (const p of share) {
      const e = a * p.x + b - p.y;
      loss += e * e;
      ga += 2 * e * p.x;
      gb += 2 * e;
    }
    a -= (0.1 * ga) / share.length;
    b -= (0.1 * gb) / share.length;
    loss /= share.length;
  }
  return { weights: [Float32Array.of(a), Float32Array.of(b)], samples: share.length, loss };
}

const start = [Float32Array.of(0), Float32Array.of(0)];

/** `rounds` pre-training rounds of the toy federation (every client, each on its round-r share). */
function toyRounds(rounds: number, extra: Partial<PretrainRoundsInput> = {}) {
  return runPretrainRounds({
    rounds,
    clients: CLIENTS,
    initialWeights: start,
    sampleFraction: 1,
    minClients: 1,
    roundRng: (r) => rng(`r${r}`),
    train: (c, g, r) => trainToy(c, g, r, rounds),
    ...extra,
  });
}

describe('runPretrainRounds', () => {
  it('lowers the training loss round after round on a toy federation, and reports each round', () => {
    const rounds = 8;
    const result = toyRounds(rounds, { minClients: 2 });
    expect(result.records.map((r) => r.round)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.roundLosses).toHaveLength(rounds);
    expect(result.records.every((r) => r.status === 'aggregated' && r.clients_used === 4)).toBe(true);
    expect(result.roundLosses[rounds - 1]!).toBeLessThan(result.roundLosses[0]! * 0.5);
    const all = CLIENTS.flatMap(pointsOf);
    expect(mse(result.globalWeights, all)).toBeLessThan(mse(start, all) * 0.1);
  });

  it('with one round is the sample-weighted average of models trained apart (one-shot averaging)', () => {
    const alone = CLIENTS.map((c) => trainToy(c, start, 1, 1));
    const result = toyRounds(1);
    expect(result.globalWeights).toEqual(fedAvg(alone));
  });

  it('beats one-shot averaging at the same number of local steps on the pooled data', () => {
    const rounds = 8;
    const multi = toyRounds(rounds);
    // one-shot: each client takes the same 8 × 5 steps alone from the start, then one average
    const alone = CLIENTS.map((c) => {
      let w: readonly Float32Array[] = start;
      for (let r = 1; r <= rounds; r++) w = trainToy(c, w, r, rounds).weights;
      return { weights: w, samples: POINTS };
    });
    const all = CLIENTS.flatMap(pointsOf);
    expect(mse(multi.globalWeights, all)).toBeLessThanOrEqual(mse(fedAvg(alone), all) + 1e-6);
  });

  it('samples clients per round, keeps the weights when too few reply, and refuses zero rounds', () => {
    const result = runPretrainRounds({
      rounds: 3,
      clients: CLIENTS,
      initialWeights: start,
      sampleFraction: 0.5,
      minClients: 2,
      roundRng: (r) => rng(`s${r}`),
      train: (c, g, r) => (r === 2 ? null : trainToy(c, g, r, 3)),
    });
    expect(result.records.map((r) => r.clients_asked)).toEqual([2, 2, 2]);
    expect(result.records[1].status).toBe('too_few_clients');
    expect(result.roundLosses[1]).toBeNull();
    expect(() => runPretrainRounds({ rounds: 0, clients: CLIENTS, initialWeights: start, sampleFraction: 1, minClients: 1, roundRng: (r) => rng(`z${r}`), train: () => null })).toThrow(/rounds ≥ 1/);
  });
});

describe('serverAdamStep (FedAdam)', () => {
  it('moves each weight by the learning rate towards the averaged update on the first step (bias-corrected Adam)', () => {
    const state = createServerAdam([3]);
    const next = serverAdamStep(state, [Float32Array.of(1, 1, 1)], [Float32Array.of(1.5, 0.9, 1)], { learningRate: 0.01 });
    expect(next[0][0]).toBeCloseTo(1.01, 6);
    expect(next[0][1]).toBeCloseTo(0.99, 6);
    expect(next[0][2]).toBe(1);
    expect(state.steps).toBe(1);
  });

  it('damps an update that flips sign from round to round (momentum), unlike one that persists', () => {
    const flip = createServerAdam([1]);
    const keep = createServerAdam([1]);
    let a: Float32Array[] = [Float32Array.of(0)];
    let b: Float32Array[] = [Float32Array.of(0)];
    for (let r = 0; r < 10; r++) {
      a = serverAdamStep(flip, a, [Float32Array.of(a[0][0] + (r % 2 === 0 ? 1 : -1))], { learningRate: 0.1 });
      b = serverAdamStep(keep, b, [Float32Array.of(b[0][0] + 1)], { learningRate: 0.1 });
    }
    expect(Math.abs(a[0][0])).toBeLessThan(0.3);
    expect(b[0][0]).toBeGreaterThan(0.9);
  });

  it('with SGD clients lowers the toy federation\'s loss round after round', () => {
    const rounds = 8;
    const result = toyRounds(rounds, { minClients: 2, roundRng: (r) => rng(`a${r}`), server: { learningRate: 0.2 } });
    const all = CLIENTS.flatMap(pointsOf);
    expect(result.roundLosses[rounds - 1]!).toBeLessThan(result.roundLosses[0]! * 0.5);
    expect(mse(result.globalWeights, all)).toBeLessThan(mse(start, all) * 0.2);
  });
});

describe('early stopping of the pre-training rounds', () => {
  const run = (validate: (w: readonly Float32Array[]) => number) =>
    runPretrainRounds({
      rounds: 6,
      clients: CLIENTS,
      initialWeights: start,
      sampleFraction: 1,
      minClients: 1,
      roundRng: (r) => rng(`v${r}`),
      train: (c, g, r) => trainToy(c, g, r, 6),
      validate,
      validateEvery: 2,
    });

  it('keeps the starting weights when training only makes the held-out loss worse', () => {
    const result = run((w) => Math.abs(w[1][0]));
    expect(result.validation.map((v) => v.round)).toEqual([0, 2, 4, 6]);
    expect(result.selectedRound).toBe(0);
    expect(result.globalWeights).toBe(start);
    expect(result.records).toHaveLength(6);
  });

  it('keeps the checkpoint with the lowest held-out loss', () => {
    // held-out data of another home: y = 2x + 1.3
    const held = pointsOf(1.5);
    const result = run((w) => mse(w, held));
    const best = result.validation.reduce((a, b) => (b.loss < a.loss ? b : a));
    expect(result.selectedRound).toBe(best.round);
    expect(result.selectedRound).toBeGreaterThan(0);
    expect(mse(result.globalWeights, held)).toBeCloseTo(best.loss, 6);
  });
});
