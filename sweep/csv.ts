/**
 * sweep.csv: one line per run. Parameters become `param.<path>` columns, per-home bills
 * `bill_usd.<id>` and `baseline_bill_usd.<id>`, attribution fields `attribution.<key>`. Pure.
 */
import type { SweepRow } from './contract.ts';

type Cell = string | number | boolean | null | undefined;

const FIXED: (keyof SweepRow)[] = [
  'households',
  'baseline_cost_usd',
  'optimized_cost_usd',
  'savings_usd',
  'savings_percent',
  'savings_adjusted_usd',
  'battery_only_status',
  'battery_only_cost_usd',
  'battery_only_savings_usd',
  'battery_only_savings_percent',
  'p2p_extra_savings_usd',
  'p2p_extra_savings_percent',
  'perfect_foresight_status',
  'perfect_foresight_savings_percent',
  'capture_percent',
  'trades',
  'p2p_sent_kwh',
  'p2p_delivered_kwh',
  'peak_reduction_percent',
  'worst_home_id',
  'worst_home_bill_change_usd',
];

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const byHomeId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export function sweepCsv(rows: readonly SweepRow[]): string {
  const paramPaths = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  const homeIds = [...new Set(rows.flatMap((r) => r.homes.map((h) => h.id)))].sort(byHomeId);
  const attributionKeys = [...new Set(rows.flatMap((r) => Object.keys(r.attribution ?? {})))];
  const header = [
    'key',
    'scenario',
    'seed',
    ...paramPaths.map((p) => `param.${p}`),
    ...FIXED,
    ...homeIds.map((id) => `bill_usd.${id}`),
    ...homeIds.map((id) => `baseline_bill_usd.${id}`),
    ...attributionKeys.map((k) => `attribution.${k}`),
  ];
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) {
    const param = (p: string): Cell => {
      const v = r.params[p];
      return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
    };
    const home = (id: string) => r.homes.find((h) => h.id === id);
    const cells: Cell[] = [
      r.key,
      r.scenario,
      r.seed,
      ...paramPaths.map(param),
      ...FIXED.map((k) => r[k] as Cell),
      ...homeIds.map((id) => home(id)?.optimized_cost_usd),
      ...homeIds.map((id) => home(id)?.baseline_cost_usd),
      ...attributionKeys.map((k) => r.attribution?.[k]),
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
