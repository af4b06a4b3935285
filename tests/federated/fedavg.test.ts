import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fedAvg, validateUpdate, WeightedMeanAccumulator } from '../../federated/index.ts';

const f32 = (...v: number[]) => Float32Array.from(v);

describe('fedAvg', () => {
  it('is the sample-weighted mean (hand-computed)', () => {
    // tensor 0: (1·[1, 2] + 3·[5, 6]) / 4 = [4, 5]; tensor 1: (1·[10] + 3·[−2]) / 4 = [1]
    const avg = fedAvg([
      { weights: [f32(1, 2), f32(10)], samples: 1 },
      { weights: [f32(5, 6), f32(-2)], samples: 3 },
    ]);
    expect(avg).toHaveLength(2);
    expect([...avg[0]]).toEqual([4, 5]);
    expect([...avg[1]]).toEqual([1]);
  });

  it('does not modify its inputs', () => {
    const a = [f32(1, 2)];
    fedAvg([{ weights: a, samples: 2 }, { weights: [f32(3, 4)], samples: 1 }]);
    expect([...a[0]]).toEqual([1, 2]);
  });

  it('refuses nothing to average and mismatched shapes', () => {
    expect(() => fedAvg([])).toThrow(/at least one/);
    expect(() => fedAvg([{ weights: [f32(1)], samples: 0 }])).toThrow(/no weight/);
    expect(() => fedAvg([{ weights: [f32(1)], samples: 1 }, { weights: [f32(1, 2)], samples: 1 }])).toThrow(/expected 1 values/);
  });

  it('lies between the clients’ values, and ignores client order (property)', () => {
    const client = fc.record({
      values: fc.array(fc.float({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }), { minLength: 3, maxLength: 3 }),
      samples: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(client, { minLength: 1, maxLength: 6 }), (clients) => {
        const updates = clients.map((c) => ({ weights: [Float32Array.from(c.values)], samples: c.samples }));
        const avg = fedAvg(updates)[0];
        const reversed = fedAvg([...updates].reverse())[0];
        for (let j = 0; j < 3; j++) {
          const col = updates.map((u) => u.weights[0][j]);
          expect(avg[j]).toBeGreaterThanOrEqual(Math.min(...col) - 1e-4);
          expect(avg[j]).toBeLessThanOrEqual(Math.max(...col) + 1e-4);
          expect(reversed[j]).toBeCloseTo(avg[j], 4);
        }
      }),
    );
  });

  it('streams: the accumulator gives the same mean as fedAvg', () => {
    const acc = new WeightedMeanAccumulator([2]);
    acc.add([f32(1, 2)], 1);
    acc.add([f32(5, 6)], 3);
    expect(acc.totalWeight).toBe(4);
    expect(acc.count).toBe(2);
    expect([...acc.mean()[0]]).toEqual([4, 5]);
  });
});

describe('validateUpdate', () => {
  const sizes = [2, 1];
  const good = { weights: [f32(1, 2), f32(3)], samples: 5, loss: 0.2 };

  it('accepts a well-formed update', () => {
    expect(validateUpdate(good, sizes)).toEqual({ ok: true });
  });

  it.each([
    ['a client that dropped out', null, 'dropped'],
    ['a NaN weight', { ...good, weights: [f32(1, Number.NaN), f32(3)] }, 'nan_or_inf'],
    ['an infinite weight', { ...good, weights: [f32(1, 2), f32(Infinity)] }, 'nan_or_inf'],
    ['a NaN loss', { ...good, loss: Number.NaN }, 'nan_or_inf'],
    ['a missing tensor', { ...good, weights: [f32(1, 2)] }, 'shape_mismatch'],
    ['a tensor of the wrong size', { ...good, weights: [f32(1, 2, 3), f32(3)] }, 'shape_mismatch'],
    ['a float64 tensor', { ...good, weights: [f32(1, 2), Float64Array.of(3) as unknown as Float32Array] }, 'shape_mismatch'],
    ['zero samples', { ...good, samples: 0 }, 'no_samples'],
    ['NaN samples', { ...good, samples: Number.NaN }, 'no_samples'],
  ])('rejects %s', (_label, update, reason) => {
    expect(validateUpdate(update, sizes)).toEqual({ ok: false, reason });
  });
});
