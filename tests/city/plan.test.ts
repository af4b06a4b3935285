import { describe, expect, it } from 'vitest';
import { communityName, planCity, seedOfCommunity } from '../../city/index.ts';
import { parseSimConfig } from '../../sim/index.ts';

const base = parseSimConfig({ seed: 7, households: { count: 3 } });

describe('planning a city', () => {
  it('gives every community its own seed, derived from the city’s seed and its index alone', () => {
    const plan = planCity({ base, communities: 5 });
    const seeds = plan.tasks.map((t) => t.seed);
    expect(new Set(seeds).size).toBe(5);
    expect(seeds).toEqual([0, 1, 2, 3, 4].map((i) => seedOfCommunity(7, i)));
    expect(plan.tasks.map((t) => t.config.seed)).toEqual(seeds);
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s <= 4294967295)).toBe(true);
    expect(planCity({ base: parseSimConfig({ seed: 8, households: { count: 3 } }), communities: 1 }).tasks[0].seed).not.toBe(seeds[0]);
  });

  it('keeps the first communities’ seeds and keys when more are added', () => {
    const small = planCity({ base, communities: 2 });
    const large = planCity({ base, communities: 20 });
    expect(large.tasks.slice(0, 2).map((t) => [t.seed, t.configHash])).toEqual(small.tasks.map((t) => [t.seed, t.configHash]));
    expect(new Set(large.tasks.map((t) => t.key)).size).toBe(20);
    expect(small.spec.hash).not.toBe(large.spec.hash);
  });

  it('asks every run for its detail, with the base config otherwise unchanged', () => {
    const plan = planCity({ base, communities: 2, params: ['grid.feederLimitKw=20'] });
    for (const t of plan.tasks) {
      expect(t.detail).toBe(true);
      expect(t.config.households.count).toBe(3);
      expect({ ...t.config, seed: base.seed }).toEqual(base);
    }
    expect(plan.spec).toMatchObject({ seed: 7, communities: 2, households_per_community: 3, days: 1, params: ['grid.feederLimitKw=20'] });
  });

  it('names communities c001 … with as many digits as the count needs', () => {
    expect([communityName(0, 5), communityName(41, 100), communityName(0, 1000), communityName(9999, 10000)]).toEqual(['c001', 'c042', 'c0001', 'c10000']);
  });
});
