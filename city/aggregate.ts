/**
 * The city from its communities' rows: sums of bills and savings, the city's net flow as the
 * per-interval sum of the communities' series (so the city peak is the peak of the sum, not the
 * sum of peaks), and the feeders' overloads. Pure.
 */
import { SummarySchema } from '../sim/index.ts';
import type { RunDetail, SweepRow } from '../sweep/index.ts';
import { CITY_SCHEMA_VERSION, CityDocumentSchema, type CityDocument, type CityRow } from './contract.ts';
import type { CityPlan, CityTask } from './plan.ts';

/** Σ over series, interval by interval; every series must be as long as the first. */
export function sumSeries(series: readonly (readonly number[])[]): Float64Array {
  const total = new Float64Array(series[0]?.length ?? 0);
  for (const s of series) {
    if (s.length !== total.length) throw new Error(`the communities' series differ in length (${s.length} ≠ ${total.length} intervals)`);
    for (let t = 0; t < s.length; t++) total[t] += s[t];
  }
  return total;
}

const maxOf = (xs: ArrayLike<number>, sign: 1 | -1) => {
  let m = 0;
  for (let t = 0; t < xs.length; t++) m = Math.max(m, sign * xs[t]);
  return m;
};

/** One community's row of city.json. */
export function cityRowOf(task: CityTask, detail: RunDetail): CityRow {
  const s = SummarySchema.parse(detail.summary);
  const c = s.community;
  return {
    community: task.community,
    key: task.key,
    seed: task.seed,
    households: s.run.households,
    baseline_cost_usd: s.baseline_pge_cost,
    optimized_cost_usd: s.optimized_cost,
    savings_usd: s.savings,
    savings_percent: s.savings_percent,
    trades: s.trades_executed,
    p2p_delivered_kwh: c.p2p_delivered_kwh,
    peak_net_import_kw: maxOf(detail.community_net_import_kw, 1),
    baseline_peak_net_import_kw: maxOf(detail.baseline_community_net_import_kw, 1),
    feeder_limit_kw: c.feeder_limit_kw,
    feeder_overload_intervals: c.feeder_overload_intervals,
    baseline_feeder_overload_intervals: c.baseline_feeder_overload_intervals,
    feeder_peak_loading_percent: c.feeder_peak_loading_percent,
  };
}

/** city.json from the plan and each community's row (in plan order, each with its detail). */
export function cityDocument(plan: CityPlan, rows: readonly SweepRow[]): CityDocument {
  const details = rows.map((r, i) => {
    if (!r.detail) throw new Error(`community ${plan.tasks[i].community}: its run returned no detail`);
    return r.detail;
  });
  const cityRows = plan.tasks.map((t, i) => cityRowOf(t, details[i]));
  const net = sumSeries(details.map((d) => d.community_net_import_kw));
  const baselineNet = sumSeries(details.map((d) => d.baseline_community_net_import_kw));
  const sum = (f: (r: CityRow) => number) => cityRows.reduce((s, r) => s + f(r), 0);
  const baseline = sum((r) => r.baseline_cost_usd);
  const savings = sum((r) => r.savings_usd);
  const peak = maxOf(net, 1);
  const baselinePeak = maxOf(baselineNet, 1);
  return CityDocumentSchema.parse({
    schema_version: CITY_SCHEMA_VERSION,
    spec: plan.spec,
    communities: cityRows.length,
    households: sum((r) => r.households),
    intervals: net.length,
    baseline_cost_usd: baseline,
    optimized_cost_usd: sum((r) => r.optimized_cost_usd),
    savings_usd: savings,
    savings_percent: baseline > 0 ? (100 * savings) / baseline : null,
    peak_net_import_kw: peak,
    baseline_peak_net_import_kw: baselinePeak,
    peak_reduction_percent: baselinePeak > 0 ? (100 * (baselinePeak - peak)) / baselinePeak : null,
    peak_reverse_flow_kw: maxOf(net, -1),
    baseline_peak_reverse_flow_kw: maxOf(baselineNet, -1),
    feeder_overload_intervals: sum((r) => r.feeder_overload_intervals),
    baseline_feeder_overload_intervals: sum((r) => r.baseline_feeder_overload_intervals),
    communities_overloaded: cityRows.filter((r) => r.feeder_overload_intervals > 0).length,
    baseline_communities_overloaded: cityRows.filter((r) => r.baseline_feeder_overload_intervals > 0).length,
    rows: cityRows,
  });
}
