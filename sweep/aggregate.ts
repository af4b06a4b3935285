/**
 * Aggregates of a sweep's rows per scenario and parameter set: spread of savings, and risk of the
 * community's and each home's bill across seeds. Pure. Definitions: RISK_DEFINITIONS in contract.ts.
 */
import type { RiskStats, SpreadStats, SweepAggregate, SweepRow } from './contract.ts';
import { canonicalJson } from './spec.ts';

const ascending = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/** Linear interpolation between order statistics (numpy "linear", R type 7); p in [0, 1]. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('quantile of no values');
  const x = ascending(values);
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < x.length ? x[lo] + (h - lo) * (x[lo + 1] - x[lo]) : x[lo];
}

export const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Value at risk of a loss at `levelPercent` (a whole percent): the empirical order statistic x_k,
 * k = ⌈level·n⌉ (1-based, ascending). Whole-number arithmetic keeps k exact (0.95 × 20 is 19).
 */
export function valueAtRisk(losses: readonly number[], levelPercent = 95): number {
  if (losses.length === 0) throw new RangeError('value at risk of no values');
  const x = ascending(losses);
  const k = Math.max(1, Math.ceil((levelPercent * x.length) / 100));
  return x[k - 1];
}

/**
 * Conditional value at risk (expected shortfall) of a loss at `levelPercent`: the mean of the worst
 * (100 − level) % of the probability mass, the boundary observation x_k weighted by its share of
 * the tail: (100 Σ_{i>k} x_i + (100k − level·n) x_k) / ((100 − level) n).
 */
export function conditionalValueAtRisk(losses: readonly number[], levelPercent = 95): number {
  if (losses.length === 0) throw new RangeError('conditional value at risk of no values');
  const x = ascending(losses);
  const n = x.length;
  const k = Math.max(1, Math.ceil((levelPercent * n) / 100));
  let tail = 0;
  for (let i = k; i < n; i++) tail += x[i];
  return (100 * tail + (100 * k - levelPercent * n) * x[k - 1]) / ((100 - levelPercent) * n);
}

export function spreadOf(values: readonly (number | null)[]): SpreadStats {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length === 0) return { mean: null, median: null, p5: null, p95: null, min: null, max: null, n: 0 };
  return {
    mean: mean(v),
    median: quantile(v, 0.5),
    p5: quantile(v, 0.05),
    p95: quantile(v, 0.95),
    min: Math.min(...v),
    max: Math.max(...v),
    n: v.length,
  };
}

export function riskOf(losses: readonly number[]): RiskStats {
  return { mean: mean(losses), var95: valueAtRisk(losses), cvar95: conditionalValueAtRisk(losses), max: Math.max(...losses) };
}

const meanOrNull = (values: readonly (number | null)[]) => {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? mean(v) : null;
};

const byHomeId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * One aggregate per (scenario, parameter set), in the order the groups first appear in `rows`.
 */
export function aggregateSweep(rows: readonly SweepRow[]): SweepAggregate[] {
  const groups = new Map<string, SweepRow[]>();
  for (const r of rows) {
    const g = canonicalJson([r.scenario, r.params]);
    const list = groups.get(g);
    if (list) list.push(r);
    else groups.set(g, [r]);
  }
  return [...groups.values()].map(aggregateGroup);
}

function aggregateGroup(rows: SweepRow[]): SweepAggregate {
  const homeIds = [...new Set(rows.flatMap((r) => r.homes.map((h) => h.id)))].sort(byHomeId);
  const homes = homeIds.map((id) => {
    const bills: number[] = [];
    const changes: number[] = [];
    for (const r of rows) {
      const h = r.homes.find((x) => x.id === id);
      if (!h) continue;
      bills.push(h.optimized_cost_usd);
      changes.push(h.optimized_cost_usd - h.baseline_cost_usd);
    }
    return { id, runs: bills.length, bill_usd: riskOf(bills), bill_change_usd: riskOf(changes) };
  });
  let worst: (typeof homes)[number] | null = null;
  for (const h of homes) if (worst === null || h.bill_change_usd.cvar95 > worst.bill_change_usd.cvar95) worst = h;

  const attributionKeys = [...new Set(rows.flatMap((r) => Object.keys(r.attribution ?? {})))];
  const meanAttribution: Record<string, number> = {};
  for (const k of attributionKeys) {
    const m = meanOrNull(rows.map((r) => r.attribution?.[k] ?? null));
    if (m !== null) meanAttribution[k] = m;
  }

  const withOptimum = rows.filter((r) => r.perfect_foresight_status === 'optimal');
  return {
    scenario: rows[0].scenario,
    params: rows[0].params,
    runs: rows.length,
    seeds: rows.map((r) => r.seed).sort((a, b) => a - b),
    savings_percent: spreadOf(rows.map((r) => r.savings_percent)),
    savings_usd: spreadOf(rows.map((r) => r.savings_usd)),
    battery_only_savings_percent: spreadOf(rows.map((r) => r.battery_only_savings_percent)),
    p2p_extra_savings_percent: spreadOf(rows.map((r) => r.p2p_extra_savings_percent)),
    community_bill_usd: riskOf(rows.map((r) => r.optimized_cost_usd)),
    baseline_community_bill_usd: riskOf(rows.map((r) => r.baseline_cost_usd)),
    mean_battery_only_savings_usd: meanOrNull(rows.map((r) => r.battery_only_savings_usd)),
    mean_p2p_extra_savings_usd: meanOrNull(rows.map((r) => r.p2p_extra_savings_usd)),
    mean_attribution: meanAttribution,
    homes,
    worst_home: worst ? { id: worst.id, bill_change_cvar95_usd: worst.bill_change_usd.cvar95, bill_cvar95_usd: worst.bill_usd.cvar95 } : null,
    perfect_foresight: {
      mean_capture_percent: meanOrNull(withOptimum.map((r) => r.capture_percent)),
      mean_savings_percent: meanOrNull(withOptimum.map((r) => r.perfect_foresight_savings_percent)),
      runs_with_optimum: withOptimum.length,
      runs_without_optimum: rows.length - withOptimum.length,
    },
  };
}
