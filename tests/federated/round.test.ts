import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import {
  clippedDelta,
  FederatedRoundRecordSchema,
  gaussianRdpEpsilon,
  l2Norm,
  runRound,
  selectClients,
  type ClientUpdate,
  type RoundInput,
} from '../../federated/index.ts';

const f32 = (...v: number[]) => Float32Array.from(v);
const rng = (p = 'round') => seedrandom.alea(`test:${p}`);

/** Clients 0–5: 0, 1 good; 2 drops out; 3 returns NaN; 4 the wrong shape; 5 no samples. */
const behaviours: Record<number, (g: readonly Float32Array[]) => ClientUpdate | null> = {
  0: () => ({ weights: [f32(1, 2), f32(10)], samples: 1, loss: 0.5 }),
  1: () => ({ weights: [f32(5, 6), f32(-2)], samples: 3, loss: 0.25 }),
  2: () => null,
  3: () => ({ weights: [f32(Number.NaN, 0), f32(0)], samples: 4, loss: 0.1 }),
  4: () => ({ weights: [f32(1, 2, 3), f32(0)], samples: 4, loss: 0.1 }),
  5: (g) => ({ weights: g.map((w) => w.slice()), samples: 0, loss: Number.NaN }),
};

function input(overrides: Partial<RoundInput> = {}): RoundInput {
  return {
    round: 1,
    tick: 6,
    clients: [0, 1, 2, 3, 4, 5],
    globalWeights: [f32(0, 0), f32(0)],
    sampleFraction: 1,
    minClients: 2,
    rng: rng(),
    train: (c, g) => behaviours[c](g),
    validate: (w) => Math.abs(w[0][0]),
    ...overrides,
  };
}

describe('runRound', () => {
  it('excludes failing clients, records why, and still completes', () => {
    const { globalWeights, record } = runRound(input());
    expect([...globalWeights[0]]).toEqual([4, 5]);
    expect([...globalWeights[1]]).toEqual([1]);
    expect(FederatedRoundRecordSchema.parse(record)).toEqual({
      round: 1,
      tick: 6,
      status: 'aggregated',
      note: null,
      clients_asked: 6,
      clients_used: 2,
      clients: [0, 1],
      excluded: [
        { client: 2, reason: 'dropped' },
        { client: 3, reason: 'nan_or_inf' },
        { client: 4, reason: 'shape_mismatch' },
        { client: 5, reason: 'no_samples' },
      ],
      samples: 4,
      local_losses: [0.5, 0.25],
      global_validation_loss_before: 0,
      global_validation_loss_after: 4,
      dp: null,
    });
  });

  it('keeps the previous global weights when too few clients remain, and says why', () => {
    const previous = [f32(7, 7), f32(7)];
    const { globalWeights, record } = runRound(input({ clients: [0, 2, 3], globalWeights: previous }));
    expect(globalWeights).toBe(previous);
    expect(record.status).toBe('too_few_clients');
    expect(record.note).toMatch(/1 usable update of 3 asked, fewer than minClients 2/);
    expect(record.global_validation_loss_after).toBe(record.global_validation_loss_before);
    expect(FederatedRoundRecordSchema.safeParse(record).success).toBe(true);
  });

  it('asks a seeded sample of clients: the same seed asks the same ones', () => {
    const ids = Array.from({ length: 100 }, (_, i) => i);
    const a = selectClients(ids, 0.1, 2, rng('s'));
    expect(a).toHaveLength(10);
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(selectClients(ids, 0.1, 2, rng('s'))).toEqual(a);
    expect(selectClients(ids, 0.1, 2, rng('other'))).not.toEqual(a);
    expect(selectClients(ids, 0.01, 5, rng('s'))).toHaveLength(5);
    expect(selectClients([1, 2], 0.5, 5, rng('s'))).toEqual([1, 2]);
  });

  it('records null validation losses when no validator is given', () => {
    const { record } = runRound(input({ validate: undefined, clients: [0, 1] }));
    expect(record.global_validation_loss_before).toBeNull();
    expect(record.global_validation_loss_after).toBeNull();
  });
});

describe('differential privacy', () => {
  it('clips an update to the L2 bound', () => {
    const { delta, norm, clipped } = clippedDelta([f32(3, 4)], [f32(0, 0)], 1);
    expect(norm).toBeCloseTo(5, 9);
    expect(clipped).toBe(true);
    expect(l2Norm(delta)).toBeCloseTo(1, 6);
    expect(clippedDelta([f32(0.3, 0.4)], [f32(0, 0)], 1).clipped).toBe(false);
  });

  it('averages clipped deltas with equal weight; zero noise gives the plain clipped mean', () => {
    const { globalWeights, record } = runRound(
      input({ clients: [0, 1], dp: { clipNorm: 1000, noiseMultiplier: 0, delta: 1e-5 } }),
    );
    // equal weights: ([1, 2] + [5, 6]) / 2, ([10] + [−2]) / 2
    expect([...globalWeights[0]]).toEqual([3, 4]);
    expect([...globalWeights[1]]).toEqual([4]);
    expect(record.dp).toMatchObject({ clipped_clients: 0, noise_std: 0, epsilon: null });
  });

  it('adds seeded Gaussian noise σ = z·C/m and reports ε', () => {
    const run = () => runRound(input({ clients: [0, 1], dp: { clipNorm: 1, noiseMultiplier: 1.1, delta: 1e-5 }, round: 3 }));
    const a = run();
    const b = run();
    expect(a.globalWeights).toEqual(b.globalWeights);
    expect(a.record.dp!.clipped_clients).toBe(2);
    expect(a.record.dp!.noise_std).toBeCloseTo(0.55, 12);
    expect(a.record.dp!.epsilon).toBeCloseTo(gaussianRdpEpsilon(1.1, 3, 1e-5), 12);
    // both updates clipped to norm 1, averaged, then noise: the result moved at most ~1 + a few σ
    expect(l2Norm(a.globalWeights)).toBeLessThan(1 + 5 * 0.55 * Math.sqrt(3));
  });

  it('ε by the RDP accountant matches the closed form on a hand example', () => {
    // z = 1, T = 1, δ = 1e−5: 1/2 + √(2·ln 1e5) = 0.5 + 4.7985…
    expect(gaussianRdpEpsilon(1, 1, 1e-5)).toBeCloseTo(0.5 + Math.sqrt(2 * Math.log(1e5)), 10);
    expect(gaussianRdpEpsilon(1, 1, 1e-5)).toBeCloseTo(5.2985, 3);
    // more rounds cost more privacy, more noise less
    expect(gaussianRdpEpsilon(1, 8, 1e-5)).toBeGreaterThan(gaussianRdpEpsilon(1, 1, 1e-5));
    expect(gaussianRdpEpsilon(2, 8, 1e-5)).toBeLessThan(gaussianRdpEpsilon(1, 8, 1e-5));
    expect(gaussianRdpEpsilon(0, 1, 1e-5)).toBe(Infinity);
    expect(gaussianRdpEpsilon(1, 0, 1e-5)).toBe(0);
  });
});
