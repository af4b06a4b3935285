import { describe, expect, it } from 'vitest';
import { headlineDifference } from '../../../outputs/server/compare.ts';
import type { Headline } from '../../../outputs/server/schemas.ts';

const headline = (over: Partial<Headline> = {}): Headline => ({
  savings_usd: 10,
  savings_percent: 20,
  optimized_cost_usd: 40,
  baseline_cost_usd: 50,
  p2p_delivered_kwh: 12.5,
  trades: 30,
  peak_grid_import_kw: 8,
  self_sufficiency_percent: 35,
  ...over,
});

describe('headline differences of two runs', () => {
  it('are b − a field by field', () => {
    const d = headlineDifference(headline(), headline({ savings_usd: 12.25, optimized_cost_usd: 37.75, p2p_delivered_kwh: 0, trades: 0, peak_grid_import_kw: 9.5 }));
    expect(d.savings_usd).toBeCloseTo(2.25, 12);
    expect(d.optimized_cost_usd).toBeCloseTo(-2.25, 12);
    expect(d.p2p_delivered_kwh).toBeCloseTo(-12.5, 12);
    expect(d.trades).toBe(-30);
    expect(d.peak_grid_import_kw).toBeCloseTo(1.5, 12);
    expect(d.baseline_cost_usd).toBe(0);
  });

  it('are null where either run has no figure (a zero baseline has no savings percent)', () => {
    const d = headlineDifference(headline({ savings_percent: null }), headline());
    expect(d.savings_percent).toBeNull();
    expect(headlineDifference(headline(), headline({ self_sufficiency_percent: null })).self_sufficiency_percent).toBeNull();
  });
});
