import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coordinatePrices, initialPrices, projectedImbalanceKwh, type CoordinationOptions, type PriceResponse } from '../../central/index.ts';

const options = (over: Partial<CoordinationOptions> = {}): CoordinationOptions => ({
  maxIterations: 100,
  toleranceKwh: 1e-6,
  stepUsdPerKwhPerKwh: 0.02,
  minPriceUsdPerKwh: 0.1,
  maxPriceUsdPerKwh: 1,
  ...over,
});

/**
 * Two homes with linear answers in one interval: the seller offers a·(p − c) kWh above its
 * alternative c, the buyer wants b·(e − p) kWh below its alternative e. Balance a(p − c) = b(e − p)
 * gives the equilibrium p* = (a·c + b·e) / (a + b), trading a·(p* − c) kWh.
 */
function linearHomes(a: number, c: number, b: number, e: number): PriceResponse {
  return (prices, excess) => {
    for (let k = 0; k < prices.length; k++) {
      const supply = Math.max(0, a * (prices[k] - c));
      const demand = Math.max(0, b * (e - prices[k]));
      excess[k] = demand - supply;
    }
  };
}

describe('coordinatePrices (dual decomposition, projected subgradient)', () => {
  it('converges to the hand-derived equilibrium of two homes', () => {
    // a = 10, c = 0.10, b = 30, e = 0.50 → p* = (1 + 15) / 40 = 0.40, 3 kWh traded
    const prices = Float64Array.of(0.2);
    const excess = new Float64Array(1);
    const r = coordinatePrices(prices, excess, linearHomes(10, 0.1, 30, 0.5), options());
    expect(prices[0]).toBeCloseTo(0.4, 6);
    expect(Math.abs(r.residualKwh)).toBeLessThanOrEqual(1e-6);
    expect(r.iterations).toBeLessThan(100);
    expect(10 * (prices[0] - 0.1)).toBeCloseTo(3, 5);
  });

  it('still converges when the step overshoots (it halves where the imbalance changes sign)', () => {
    // slope 40 kWh per $ with step 0.05: each full step overshoots 2× — the halving brings it home
    const prices = Float64Array.of(0.9);
    const excess = new Float64Array(1);
    const r = coordinatePrices(prices, excess, linearHomes(10, 0.1, 30, 0.5), options({ stepUsdPerKwhPerKwh: 0.05 }));
    expect(prices[0]).toBeCloseTo(0.4, 6);
    expect(r.iterations).toBeLessThan(100);
  });

  it('moves every interval of the horizon to its own equilibrium', () => {
    // interval 1: a = 20, c = 0.05, b = 20, e = 0.35 → p* = 0.20
    const respond: PriceResponse = (p, e) => {
      e[0] = Math.max(0, 30 * (0.5 - p[0])) - Math.max(0, 10 * (p[0] - 0.1));
      e[1] = Math.max(0, 20 * (0.35 - p[1])) - Math.max(0, 20 * (p[1] - 0.05));
    };
    const prices = Float64Array.of(0.3, 0.3);
    const r = coordinatePrices(prices, new Float64Array(2), respond, options());
    expect(prices[0]).toBeCloseTo(0.4, 6);
    expect(prices[1]).toBeCloseTo(0.2, 6);
    expect(r.iterations).toBeLessThan(100);
  });

  it('stops at a price bound the imbalance pushes against (nothing left to balance there)', () => {
    // the buyer would pay up to 2 $/kWh: the equilibrium (1.7) lies above the market's ceiling of 1
    const prices = Float64Array.of(0.5);
    const excess = new Float64Array(1);
    const r = coordinatePrices(prices, excess, linearHomes(10, 0.1, 30, 2), options({ stepUsdPerKwhPerKwh: 0.01 }));
    expect(prices[0]).toBe(1);
    expect(r.residualKwh).toBeGreaterThan(0);
    expect(projectedImbalanceKwh(prices[0], excess[0], options())).toBe(0);
  });

  it('clears a step answer on the demand side: every offered kWh finds a buyer', () => {
    // LP-like answers: the seller offers 2 kWh above 0.10, the buyer wants 3 kWh below 0.30. Every
    // price in (0.10, 0.30) has 3 wanted ≥ 2 offered; at 0.30 and above nothing is wanted.
    const respond: PriceResponse = (p, e) => {
      e[0] = (p[0] < 0.3 ? 3 : 0) - (p[0] > 0.1 ? 2 : 0);
    };
    const prices = Float64Array.of(0.29);
    const excess = new Float64Array(1);
    const r = coordinatePrices(prices, excess, respond, options({ maxIterations: 6, stepUsdPerKwhPerKwh: 0.05 }));
    expect(prices[0]).toBeGreaterThan(0.1);
    expect(prices[0]).toBeLessThan(0.3);
    expect(r.residualKwh).toBe(1);
  });

  it('refuses a run without iterations', () => {
    expect(() => coordinatePrices(new Float64Array(1), new Float64Array(1), linearHomes(1, 0, 1, 1), options({ maxIterations: 0 }))).toThrow(/maxIterations/);
  });

  it('finds p* = (a·c + b·e) / (a + b) for any two linear homes with an interior equilibrium (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 50, noNaN: true }),
        fc.double({ min: 0.1, max: 0.3, noNaN: true }),
        fc.double({ min: 1, max: 50, noNaN: true }),
        fc.double({ min: 0.4, max: 0.9, noNaN: true }),
        (a, c, b, e) => {
          const prices = Float64Array.of(0.5);
          const o = options({ stepUsdPerKwhPerKwh: 0.5 / (a + b), toleranceKwh: 1e-7, maxIterations: 200 });
          coordinatePrices(prices, new Float64Array(1), linearHomes(a, c, b, e), o);
          expect(prices[0]).toBeCloseTo((a * c + b * e) / (a + b), 5);
        },
      ),
    );
  });
});

describe('initialPrices', () => {
  it('starts in the middle of the band between the export value and what a delivered kWh saves the buyer, net of loss', () => {
    const out = new Float64Array(2);
    initialPrices(Float64Array.of(0.5, 0.05), Float64Array.of(0.1, 0.01), 0.05, { minPriceUsdPerKwh: 0.1, maxPriceUsdPerKwh: 1 }, out);
    expect(out[0]).toBeCloseTo(0.1 + 0.5 * (0.5 * 0.95 - 0.1), 12);
    expect(out[1]).toBe(0.1); // held at the market's floor
  });
});
