/**
 * Two finished runs side by side: the headline figures of each (from its summary.json) and their
 * differences, b − a. Pure functions over the summaries.
 */
import type { Summary } from '../../sim/index.ts';
import type { Headline } from './schemas.ts';

/** The figures a comparison shows, read from a run's summary. */
export function headlineOf(s: Summary): Headline {
  return {
    savings_usd: s.savings,
    savings_percent: s.savings_percent,
    optimized_cost_usd: s.optimized_cost,
    baseline_cost_usd: s.baseline_pge_cost,
    p2p_delivered_kwh: s.community.p2p_delivered_kwh,
    trades: s.trades_executed,
    peak_grid_import_kw: s.community.peak_grid_import_kw,
    self_sufficiency_percent: s.community.self_sufficiency_percent,
  };
}

const minus = (b: number | null, a: number | null): number | null => (a === null || b === null ? null : b - a);

/** b − a, field by field; null where either run has no figure. */
export function headlineDifference(a: Headline, b: Headline): Headline {
  return {
    savings_usd: b.savings_usd - a.savings_usd,
    savings_percent: minus(b.savings_percent, a.savings_percent),
    optimized_cost_usd: b.optimized_cost_usd - a.optimized_cost_usd,
    baseline_cost_usd: b.baseline_cost_usd - a.baseline_cost_usd,
    p2p_delivered_kwh: b.p2p_delivered_kwh - a.p2p_delivered_kwh,
    trades: b.trades - a.trades,
    peak_grid_import_kw: b.peak_grid_import_kw - a.peak_grid_import_kw,
    self_sufficiency_percent: minus(b.self_sufficiency_percent, a.self_sufficiency_percent),
  };
}

/** A run's name in legends: what distinguishes it from another run. */
export function runLabel(s: Summary): string {
  const r = s.run;
  return `${r.scenario} · seed ${r.seed} · ${r.households} homes · ${r.days} day${r.days === 1 ? '' : 's'} · ${r.strategy} · ${r.matching_rule}${r.p2p_enabled ? '' : ' (no P2P)'}`;
}
