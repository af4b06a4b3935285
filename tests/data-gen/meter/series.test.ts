import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillGapLinear, findGaps, resampleEnergyTo30, resampleMeanTo30 } from '../../../data-gen/index.ts';

describe('resampling to 30 minutes', () => {
  it('splits hours into equal halves and sums quarter hours', () => {
    expect([...resampleEnergyTo30([2, 4], 60, 0).values]).toEqual([1, 1, 2, 2]);
    expect([...resampleEnergyTo30([1, 2, 3, 4], 15, 0).values]).toEqual([3, 7]);
    expect([...resampleEnergyTo30([1, 2], 30, 0).values]).toEqual([1, 2]);
  });

  it('leaves out quarter hours that do not make a whole half hour, and says so', () => {
    const r = resampleEnergyTo30([1, 2, 3, 4, 5], 15, 15);
    expect(r.baseMin).toBe(30);
    expect([...r.values]).toEqual([5, 9]);
    expect(r.trimmedSlots).toBe(1);
    expect(r.trimmedSum).toBe(1);
  });

  it('keeps means for intensive quantities (temperature, W/m²)', () => {
    expect([...resampleMeanTo30([20, 22], 60, 0).values]).toEqual([20, 20, 22, 22]);
    expect([...resampleMeanTo30([20, 22, 24, 26], 15, 0).values]).toEqual([21, 25]);
  });

  it('conserves energy for random series (Σ in = Σ out + Σ trimmed)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(15, 30, 60),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 0, maxLength: 300 }),
        (step, k, values) => {
          const base = 1_000_000 * 60 + (step === 15 ? k * 15 : 0);
          const r = resampleEnergyTo30(values, step, base);
          const sumIn = values.reduce((a, b) => a + b, 0);
          const sumOut = r.values.reduce((a, b) => a + b, 0) + r.trimmedSum;
          expect(Math.abs(sumOut - sumIn)).toBeLessThanOrEqual(1e-9 * Math.max(1, sumIn));
          expect(r.values.length * 30 + r.trimmedSlots * step).toBe(values.length * step);
          expect(r.baseMin % 30).toBe(0);
        },
      ),
    );
  });
});

describe('gaps', () => {
  it('finds NaN runs between readings (not at the ends) and fills them linearly', () => {
    const v = Float64Array.from([NaN, 1, NaN, NaN, 4, 5, NaN]);
    const gaps = findGaps(v);
    expect(gaps).toEqual([{ from: 2, to: 4 }]);
    expect(fillGapLinear(v, gaps[0])).toBe(5);
    expect([...v.slice(1, 6)]).toEqual([1, 2, 3, 4, 5]);
  });
});
