import { describe, expect, it } from 'vitest';
import { flattenNumbers } from '../../sweep/index.ts';

describe('flattenNumbers (the attribution section carried into a sweep row)', () => {
  it('keeps numeric leaves under dotted keys, indexing arrays by id, dropping strings and booleans', () => {
    expect(
      flattenNumbers({
        status: 'computed',
        community: { savings_usd: 3, forecast_cost_usd: null, nested: { x_usd: 1 } },
        households: [
          { id: 'h01', p2p_extra_usd: 0.5 },
          { id: 'h02', p2p_extra_usd: -0.25 },
        ],
        p2p_gainers: ['h01'],
        steps: [1, 2],
        ok: true,
        bad: Number.NaN,
      }),
    ).toEqual({
      'community.savings_usd': 3,
      'community.forecast_cost_usd': null,
      'community.nested.x_usd': 1,
      'households.h01.p2p_extra_usd': 0.5,
      'households.h02.p2p_extra_usd': -0.25,
      'steps.0': 1,
      'steps.1': 2,
      bad: null,
    });
  });
});
