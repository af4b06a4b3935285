import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateSweep,
  conditionalValueAtRisk,
  quantile,
  SweepAggregateSchema,
  valueAtRisk,
  type SweepParams,
  type SweepRow,
} from '../../sweep/index.ts';

interface RowInput {
  scenario?: string;
  params?: SweepParams;
  seed: number;
  savingsPercent?: number;
  /** [optimized, baseline] bill per home */
  homes?: [number, number][];
  batteryOnlyPercent?: number | null;
  batteryOnlyUsd?: number | null;
  p2pExtraUsd?: number | null;
  pf?: { status: string; capture: number | null; savingsPercent: number | null };
  attribution?: Record<string, number | null> | null;
}

/** A sweep row from the numbers a test cares about; the rest is filler. */
function row(r: RowInput): SweepRow {
  const homes = (r.homes ?? [[10, 12]]).map(([opt, base], i) => ({ id: `h${String(i + 1).padStart(2, '0')}`, optimized_cost_usd: opt, baseline_cost_usd: base }));
  const optimized = homes.reduce((s, h) => s + h.optimized_cost_usd, 0);
  const baseline = homes.reduce((s, h) => s + h.baseline_cost_usd, 0);
  const savingsPercent = r.savingsPercent ?? 0;
  const bo = r.batteryOnlyPercent === undefined ? null : r.batteryOnlyPercent;
  return {
    key: `k${r.seed}`,
    scenario: r.scenario ?? 'a',
    seed: r.seed,
    params: r.params ?? {},
    households: homes.length,
    baseline_cost_usd: baseline,
    optimized_cost_usd: optimized,
    savings_usd: baseline - optimized,
    savings_percent: savingsPercent,
    savings_adjusted_usd: baseline - optimized,
    battery_only_status: bo === null ? 'disabled' : 'computed',
    battery_only_cost_usd: null,
    battery_only_savings_usd: r.batteryOnlyUsd ?? null,
    battery_only_savings_percent: bo,
    p2p_extra_savings_usd: r.p2pExtraUsd ?? null,
    p2p_extra_savings_percent: bo === null ? null : savingsPercent - bo,
    perfect_foresight_status: r.pf?.status ?? 'disabled',
    perfect_foresight_savings_percent: r.pf?.savingsPercent ?? null,
    capture_percent: r.pf?.capture ?? null,
    trades: 0,
    p2p_sent_kwh: 0,
    p2p_delivered_kwh: 0,
    peak_reduction_percent: null,
    worst_home_id: null,
    worst_home_bill_change_usd: null,
    homes,
    attribution: r.attribution ?? null,
  };
}

const groupA = [
  row({
    seed: 1,
    savingsPercent: 10,
    homes: [
      [60, 70],
      [40, 60],
    ],
    batteryOnlyPercent: 5,
    batteryOnlyUsd: 10,
    p2pExtraUsd: 20,
    pf: { status: 'optimal', capture: 50, savingsPercent: 60 },
    attribution: { 'community.battery_usd': 4, 'community.p2p_usd': 2 },
  }),
  row({
    seed: 2,
    savingsPercent: 20,
    homes: [
      [50, 55],
      [30, 55],
    ],
    batteryOnlyPercent: 15,
    batteryOnlyUsd: 20,
    p2pExtraUsd: 10,
    pf: { status: 'skipped', capture: null, savingsPercent: null },
    attribution: { 'community.battery_usd': 6, 'community.p2p_usd': null },
  }),
  row({
    seed: 3,
    savingsPercent: 40,
    homes: [
      [20, 40],
      [40, 60],
    ],
    batteryOnlyPercent: null,
    pf: { status: 'optimal', capture: 70, savingsPercent: 80 },
  }),
  row({
    seed: 4,
    savingsPercent: 30,
    homes: [
      [90, 80],
      [30, 70],
    ],
    batteryOnlyPercent: 25,
    batteryOnlyUsd: 30,
    p2pExtraUsd: 0,
    pf: { status: 'optimal', capture: null, savingsPercent: 90 },
    attribution: { 'community.battery_usd': 8 },
  }),
];

describe('quantile (linear interpolation, R type 7)', () => {
  it('matches hand-computed values', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([5, 1, 4, 2, 3], 0.05)).toBeCloseTo(1.2, 12);
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantile([7], 0.05)).toBe(7);
    expect(quantile([1, 9], 1)).toBe(9);
  });
});

describe('value at risk and CVaR of a bill at 95 %', () => {
  const oneTo = (n: number) => Array.from({ length: n }, (_, i) => n - i); // descending: order must not matter

  it('VaR is the order statistic x_⌈0.95 n⌉', () => {
    expect(valueAtRisk([3])).toBe(3);
    expect(valueAtRisk([1, 5, 2])).toBe(5);
    expect(valueAtRisk(oneTo(19))).toBe(19);
    expect(valueAtRisk(oneTo(20))).toBe(19);
    expect(valueAtRisk(oneTo(30))).toBe(29);
    expect(valueAtRisk(oneTo(40))).toBe(38);
    expect(valueAtRisk(oneTo(50))).toBe(48);
  });

  it('CVaR is the mean of the worst 5 % of the mass, the boundary run weighted by its share', () => {
    expect(conditionalValueAtRisk([3])).toBe(3);
    expect(conditionalValueAtRisk([1, 5, 2])).toBeCloseTo(5, 12);
    expect(conditionalValueAtRisk(oneTo(20))).toBeCloseTo(20, 12); // worst 1 of 20
    expect(conditionalValueAtRisk(oneTo(40))).toBeCloseTo(39.5, 12); // (39 + 40) / 2
    expect(conditionalValueAtRisk(oneTo(30))).toBeCloseTo((30 + 0.5 * 29) / 1.5, 12); // 1.5 runs in the tail
    expect(conditionalValueAtRisk(oneTo(50))).toBeCloseTo((50 + 49 + 0.5 * 48) / 2.5, 12); // 49.2
  });

  it('VaR ≤ CVaR ≤ max and mean ≤ CVaR (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 1, maxLength: 120 }), (xs) => {
        const v = valueAtRisk(xs);
        const c = conditionalValueAtRisk(xs);
        const max = Math.max(...xs);
        const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
        const tol = 1e-9 * (1 + Math.abs(max));
        expect(c).toBeGreaterThanOrEqual(v - tol);
        expect(c).toBeLessThanOrEqual(max + tol);
        expect(c).toBeGreaterThanOrEqual(mean - tol);
      }),
    );
  });

  it('when 20 divides n, CVaR is exactly the mean of the n/20 largest bills (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 120, maxLength: 120 }), (m, pool) => {
        const xs = pool.slice(0, 20 * m);
        const worst = [...xs].sort((a, b) => b - a).slice(0, m);
        expect(conditionalValueAtRisk(xs)).toBeCloseTo(worst.reduce((s, x) => s + x, 0) / m, 9);
      }),
    );
  });
});

describe('aggregateSweep', () => {
  const aggs = aggregateSweep([
    ...groupA,
    row({ seed: 1, params: { 'battery.capacityKwh': 5 }, savingsPercent: 12, homes: [[8, 10]] }),
    ...Array.from({ length: 20 }, (_, i) => row({ scenario: 'b', seed: 100 - i, savingsPercent: 20 - i, homes: [[20 - i, 30]] })),
  ]);

  it('makes one aggregate per scenario and parameter set, in order of appearance', () => {
    expect(aggs.map((a) => [a.scenario, a.params, a.runs])).toEqual([
      ['a', {}, 4],
      ['a', { 'battery.capacityKwh': 5 }, 1],
      ['b', {}, 20],
    ]);
    expect(aggs[0].seeds).toEqual([1, 2, 3, 4]);
    for (const a of aggs) expect(() => SweepAggregateSchema.parse(a)).not.toThrow();
  });

  it('spreads savings % with mean, median, P5 and P95', () => {
    expect(aggs[0].savings_percent).toEqual({ mean: 25, median: 25, p5: expect.closeTo(11.5, 12), p95: expect.closeTo(38.5, 12), min: 10, max: 40, n: 4 });
    expect(aggs[1].savings_percent).toMatchObject({ mean: 12, median: 12, p5: 12, p95: 12, n: 1 });
    expect(aggs[2].savings_percent.median).toBeCloseTo(10.5, 12);
    expect(aggs[2].savings_percent.p5).toBeCloseTo(1.95, 12);
    expect(aggs[2].savings_percent.p95).toBeCloseTo(19.05, 12);
  });

  it('leaves runs without a battery-only comparison out of its spread', () => {
    expect(aggs[0].battery_only_savings_percent).toMatchObject({ mean: 15, median: 15, n: 3 });
    expect(aggs[0].p2p_extra_savings_percent).toMatchObject({ mean: 5, n: 3 });
    expect(aggs[0].mean_battery_only_savings_usd).toBe(20);
    expect(aggs[0].mean_p2p_extra_savings_usd).toBe(10);
    expect(aggs[1].mean_battery_only_savings_usd).toBeNull();
  });

  it('measures the community bill: mean, VaR95, CVaR95', () => {
    // bills 100, 80, 60, 120: with 4 runs the 95 % tail is inside the largest bill
    expect(aggs[0].community_bill_usd).toEqual({ mean: 90, var95: 120, cvar95: 120, max: 120 });
    expect(aggs[0].baseline_community_bill_usd.mean).toBe(122.5);
    // bills 1 … 20: VaR95 = x_19, CVaR95 = x_20
    expect(aggs[2].community_bill_usd).toEqual({ mean: 10.5, var95: 19, cvar95: 20, max: 20 });
  });

  it('measures each home across seeds and names the worst home by the CVaR of its bill change', () => {
    const [h01, h02] = aggs[0].homes;
    expect(h01).toEqual({ id: 'h01', runs: 4, bill_usd: { mean: 55, var95: 90, cvar95: 90, max: 90 }, bill_change_usd: { mean: -6.25, var95: 10, cvar95: 10, max: 10 } });
    expect(h02).toEqual({ id: 'h02', runs: 4, bill_usd: { mean: 35, var95: 40, cvar95: 40, max: 40 }, bill_change_usd: { mean: -26.25, var95: -20, cvar95: -20, max: -20 } });
    expect(aggs[0].worst_home).toEqual({ id: 'h01', bill_change_cvar95_usd: 10, bill_cvar95_usd: 90 });
  });

  it('averages the capture of the perfect-foresight optimum over the runs that have one, and counts the others', () => {
    expect(aggs[0].perfect_foresight).toEqual({ mean_capture_percent: 60, mean_savings_percent: expect.closeTo(230 / 3, 12), runs_with_optimum: 3, runs_without_optimum: 1 });
    expect(aggs[1].perfect_foresight).toEqual({ mean_capture_percent: null, mean_savings_percent: null, runs_with_optimum: 0, runs_without_optimum: 1 });
  });

  it('averages each attribution field over the runs that report it', () => {
    expect(aggs[0].mean_attribution).toEqual({ 'community.battery_usd': 6, 'community.p2p_usd': 2 });
    expect(aggs[2].mean_attribution).toEqual({});
  });

  it('does not depend on the order of the rows within a group (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(groupA, { minLength: groupA.length, maxLength: groupA.length }), (shuffled) => {
        const a = aggregateSweep(shuffled)[0];
        const b = aggregateSweep(groupA)[0];
        expect(a.savings_percent).toEqual(b.savings_percent);
        expect(a.community_bill_usd).toEqual(b.community_bill_usd);
        expect(a.homes).toEqual(b.homes);
        expect(a.seeds).toEqual(b.seeds);
        expect(a.perfect_foresight.mean_capture_percent).toBeCloseTo(b.perfect_foresight.mean_capture_percent as number, 12);
      }),
    );
  });
});
