import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HIGHS_SOLVE_OPTIONS, formatLpNumber, loadHighs, lpTerm, primalValues } from '../../lp/index.ts';

describe('LP number text', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [1e-13, '0'],
    [2.5e-11, '0.000000000025'],
    [-2.5e-7, '-0.00000025'],
    [1.23456789012e-7, '0.000000123456789012'],
    [1 / 0.95, '1.05263157895'],
    [0.1 + 0.2, '0.3'],
    [123456.5, '123456.5'],
  ])('writes %s as %s (no exponent, no -0, no float dust)', (value, text) => {
    expect(formatLpNumber(value)).toBe(text);
  });

  it('refuses non-finite numbers, naming the value', () => {
    expect(() => formatLpNumber(Number.NaN)).toThrow(/NaN/);
    expect(() => formatLpNumber(Number.POSITIVE_INFINITY)).toThrow(/Infinity/);
  });

  it('reads back within 12 significant digits for any kWh-sized value', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const text = formatLpNumber(x);
        expect(text).not.toMatch(/e|^-0$/);
        const back = Number(text);
        if (Math.abs(x) < 1e-12) expect(back).toBe(0);
        else expect(Math.abs(back - x)).toBeLessThanOrEqual(Math.abs(x) * 1e-11 + 1e-12);
      }),
    );
  });
});

describe('LP terms', () => {
  it('writes a unit coefficient as its sign alone and others with their magnitude', () => {
    expect(lpTerm(1, 'G0_0')).toBe('+ G0_0');
    expect(lpTerm(-1, 'X0_0')).toBe('- X0_0');
    expect(lpTerm(-0.25, 'C1_2')).toBe('- 0.25 C1_2');
    expect(lpTerm(1 / 0.95, 'D1_2')).toBe('+ 1.05263157895 D1_2');
  });
});

describe('HiGHS loader', () => {
  it('loads the runtime once and shares it', async () => {
    const [a, b] = await Promise.all([loadHighs(), loadHighs()]);
    expect(a).toBe(b);
    expect(await loadHighs()).toBe(a);
  });

  it('solves a small LP text with the shared options', async () => {
    const highs = await loadHighs();
    const lp = ['Minimize', ` obj: ${lpTerm(2, 'x')} ${lpTerm(3, 'y')}`, 'Subject To', ' c: + x + y >= 1.5', 'Bounds', ' x <= 1', 'End', ''].join('\n');
    const solution = highs.solve(lp, HIGHS_SOLVE_OPTIONS);
    expect(solution.Status).toBe('Optimal');
    const columns = primalValues(solution);
    expect(columns.x.Primal).toBeCloseTo(1);
    expect(columns.y.Primal).toBeCloseTo(0.5);
  });

  it('keeps the shared options frozen, so no caller can change another caller’s solves', () => {
    expect(Object.isFrozen(HIGHS_SOLVE_OPTIONS)).toBe(true);
  });
});
