import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { ENERGY_EPSILON_KWH, INTERVALS_PER_DAY, INTERVAL_MINUTES, MARKET_EPSILON_KWH, NETTING_TOLERANCE_KWH, TIMEZONE, intervalsPerDay, normal } from '../../common/index.ts';

describe('normal draw', () => {
  it('has mean 0 and variance 1 over a seeded stream', () => {
    const rng = seedrandom.alea('common:normal');
    const n = 20_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = normal(rng);
      sum += x;
      sumSq += x * x;
    }
    expect(sum / n).toBeCloseTo(0, 1);
    expect(sumSq / n).toBeCloseTo(1, 1);
  });

  it('takes exactly two uniforms per draw and stays finite when the first is 0', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (u, v) => {
        const draws = [u, v];
        let calls = 0;
        const x = normal(() => draws[calls++]);
        expect(calls).toBe(2);
        expect(Number.isFinite(x)).toBe(true);
      }),
    );
  });
});

describe('time constants', () => {
  it('has 48 half-hour intervals in a day, in Pacific time', () => {
    expect(INTERVAL_MINUTES).toBe(30);
    expect(INTERVALS_PER_DAY).toBe(48);
    expect(intervalsPerDay(15)).toBe(96);
    expect(TIMEZONE).toBe('America/Los_Angeles');
  });

  it('refuses an interval length that does not divide a day', () => {
    expect(() => intervalsPerDay(7)).toThrow(/7 minutes does not divide a day/);
  });
});

describe('tolerances', () => {
  it('keep their values (any change moves the golden outputs)', () => {
    expect(ENERGY_EPSILON_KWH).toBe(1e-9);
    expect(MARKET_EPSILON_KWH).toBe(1e-12);
    expect(NETTING_TOLERANCE_KWH).toBe(1e-6);
  });
});
