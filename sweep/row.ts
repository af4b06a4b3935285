/**
 * One run's summary reduced to the sweep's compact row. Pure.
 */
import type { Summary } from '../sim/index.ts';
import type { SweepParams, SweepRow } from './contract.ts';

export interface RowIdentity {
  key: string;
  scenario: string;
  seed: number;
  params: SweepParams;
}

/** The compact row of a run; carries the summary's `attribution` numbers when it has them. */
export function rowOfSummary(summary: Summary, id: RowIdentity): SweepRow {
  const c = summary.comparisons;
  const homes = summary.households_detail.map((h) => ({ id: h.id, baseline_cost_usd: h.baseline_cost_usd, optimized_cost_usd: h.optimized_cost_usd }));
  let worst: { id: string; change: number } | null = null;
  for (const h of homes) {
    const change = h.optimized_cost_usd - h.baseline_cost_usd;
    if (worst === null || change > worst.change) worst = { id: h.id, change };
  }
  const attribution = summary.attribution;
  const p2pExtra = attribution.community.p2p_extra_usd;
  return {
    key: id.key,
    scenario: id.scenario,
    seed: id.seed,
    params: id.params,
    households: summary.run.households,
    baseline_cost_usd: summary.baseline_pge_cost,
    optimized_cost_usd: summary.optimized_cost,
    savings_usd: summary.savings,
    savings_percent: summary.savings_percent,
    savings_adjusted_usd: summary.community.savings_adjusted_usd,
    battery_only_status: c.battery_only.status,
    battery_only_cost_usd: c.battery_only.cost_usd,
    battery_only_savings_usd: c.battery_only.savings_usd,
    battery_only_savings_percent: c.battery_only.savings_percent,
    // the summary's attribution is the one place P2P's extra is computed (stored-energy adjusted)
    p2p_extra_savings_usd: p2pExtra,
    p2p_extra_savings_percent: p2pExtra === null || Math.abs(summary.baseline_pge_cost) <= 1e-12 ? null : (100 * p2pExtra) / summary.baseline_pge_cost,
    perfect_foresight_status: c.perfect_foresight.status,
    perfect_foresight_savings_percent: c.perfect_foresight.savings_percent,
    capture_percent: c.perfect_foresight.capture_percent,
    trades: summary.trades_executed,
    p2p_sent_kwh: summary.community.p2p_sent_kwh,
    p2p_delivered_kwh: summary.community.p2p_delivered_kwh,
    peak_reduction_percent: summary.community.peak_reduction_percent,
    worst_home_id: worst?.id ?? null,
    worst_home_bill_change_usd: worst?.change ?? null,
    homes,
    attribution: attribution && typeof attribution === 'object' ? flattenNumbers(attribution as Record<string, unknown>) : null,
  };
}

/**
 * The numeric leaves of an object as dotted keys (`community.battery_usd`); arrays are indexed by
 * an element's `id` when it has one (`households.h01.p2p_usd`), else by position. Strings and
 * booleans are left out; null stays null.
 */
export function flattenNumbers(obj: Record<string, unknown>, prefix = '', out: Record<string, number | null> = {}): Record<string, number | null> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number') out[key] = Number.isFinite(v) ? v : null;
    else if (v === null) out[key] = null;
    else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        if (item && typeof item === 'object' && !Array.isArray(item)) {
          const rec = item as Record<string, unknown>;
          const { id, ...rest } = rec;
          flattenNumbers(typeof id === 'string' ? rest : rec, `${key}.${typeof id === 'string' ? id : i}`, out);
        } else if (typeof item === 'number') out[`${key}.${i}`] = item;
      });
    } else if (v && typeof v === 'object') flattenNumbers(v as Record<string, unknown>, key, out);
  }
  return out;
}
