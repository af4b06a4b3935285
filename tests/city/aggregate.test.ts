import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cityDocument, planCity, sumSeries } from '../../city/index.ts';
import { parseSimConfig, type Summary } from '../../sim/index.ts';
import type { SweepRow } from '../../sweep/index.ts';

const plan = planCity({ base: parseSimConfig({ households: { count: 2 } }), communities: 2 });

/** The golden default summary, read fresh (a valid summary the rows below change). */
const golden = () => JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios', 'golden', 'baseline-summer.summary.json'), 'utf8')) as Summary;

/** A community's row: the golden summary with the bills and feeder figures given, and its net flow series. */
function rowOf(key: string, bills: { baseline: number; optimized: number; savings: number }, net: number[], baselineNet: number[], overloads: [number, number]): SweepRow {
  const summary = golden();
  summary.run.households = 2;
  summary.baseline_pge_cost = bills.baseline;
  summary.optimized_cost = bills.optimized;
  summary.savings = bills.savings;
  summary.savings_percent = (100 * bills.savings) / bills.baseline;
  summary.community.feeder_limit_kw = 5;
  summary.community.feeder_overload_intervals = overloads[0];
  summary.community.baseline_feeder_overload_intervals = overloads[1];
  return { key, detail: { summary, community_net_import_kw: net, baseline_community_net_import_kw: baselineNet } } as unknown as SweepRow;
}

describe('the city from its communities', () => {
  const rows = [
    rowOf(plan.tasks[0].key, { baseline: 10, optimized: 8, savings: 2 }, [6, 1, -4], [7, 2, -5], [1, 2]),
    rowOf(plan.tasks[1].key, { baseline: 30, optimized: 25, savings: 4 }, [1, 6, -3], [2, 7, -1], [0, 1]),
  ];
  const doc = cityDocument(plan, rows);

  it('takes the city peak from the summed series, not the sum of the communities’ peaks', () => {
    expect(doc.peak_net_import_kw).toBe(7);
    expect(doc.rows.map((r) => r.peak_net_import_kw)).toEqual([6, 6]);
    expect(doc.baseline_peak_net_import_kw).toBe(9);
    expect(doc.peak_reduction_percent).toBeCloseTo((100 * 2) / 9, 12);
    expect(doc.peak_reverse_flow_kw).toBe(7);
    expect(doc.baseline_peak_reverse_flow_kw).toBe(6);
    expect(doc.intervals).toBe(3);
  });

  it('sums bills, savings, homes and overloads', () => {
    expect([doc.communities, doc.households]).toEqual([2, 4]);
    expect([doc.baseline_cost_usd, doc.optimized_cost_usd, doc.savings_usd]).toEqual([40, 33, 6]);
    expect(doc.savings_percent).toBeCloseTo(15, 12);
    expect([doc.feeder_overload_intervals, doc.baseline_feeder_overload_intervals]).toEqual([1, 3]);
    expect([doc.communities_overloaded, doc.baseline_communities_overloaded]).toEqual([1, 2]);
    expect(doc.rows.map((r) => r.community)).toEqual(['c001', 'c002']);
  });

  it('refuses series of different lengths', () => {
    expect(() => sumSeries([[1, 2], [1]])).toThrow(/differ in length/);
  });
});
