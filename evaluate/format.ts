/** The evaluation report as a readable text table. Pure. */
import type { EvaluationReport, Horizon, MetricRow } from './contract.ts';

const HORIZON_LABEL = (h: Horizon) => (h === '1-6' ? '1–6 pooled' : h === 'day' ? 'day-ahead' : `${h} (${h * 30} min)`);
const num = (x: number | null, digits = 4) => (x === null ? '—' : x.toFixed(digits));
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

function table(rows: readonly MetricRow[]): string[] {
  const header = ['model', 'horizon', 'n', 'MAE kWh', 'RMSE kWh', 'WAPE', 'pinball', 'CRPS', 'P10–P90'];
  const body = rows.map((r) => [
    r.model,
    HORIZON_LABEL(r.horizon),
    String(r.count),
    num(r.mae_kwh),
    num(r.rmse_kwh),
    pct(r.wape),
    num(r.pinball_kwh),
    num(r.crps_kwh),
    pct(r.coverage_p10_p90),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(header)];
  let previous = '';
  body.forEach((b) => {
    if (previous && b[0] !== previous) out.push('');
    out.push(line(b[0] === previous ? ['', ...b.slice(1)] : b));
    previous = b[0];
  });
  return out;
}

export function formatEvaluation(report: EvaluationReport): string {
  const d = report.data;
  const s = report.settings;
  const lines = [
    `wattswap evaluate-forecasts — seed ${d.seed ?? 'n/a'}, ${d.households} home${d.households === 1 ? '' : 's'} (${d.cold_start_homes.length} cold start: ${d.cold_start_homes.join(', ') || 'none'}), ${d.pv_homes.length} with PV`,
    `  history ${d.history.first_day} … ${d.history.last_day} (${d.history.days} days; cold-start homes only the last ${s.cold_start_days}); test ${d.test.first_day} … ${d.test.last_day} (${d.test.days} days, ${d.test.intervals} forecast origins)`,
    `  transformer ${s.preset} (${s.parameters.toLocaleString('en-US')} parameters) on ${s.backend ?? 'the current tfjs backend'}; pre-training ${s.pretrain.epochs} epoch, batch ${s.pretrain.batch_size}, lr ${s.pretrain.learning_rate}, a window every ${s.pretrain.stride_intervals} intervals, ≤ ${s.pretrain.max_samples_per_home} per home; ${s.fedavg_rounds} FedAvg round(s) after pre-training`,
    `  centralised: ${report.training.centralised.steps} steps vs ${report.training.local_steps_established} local steps in all`,
    `  WAPE = Σ|error| / Σ|actual|; pinball = mean over P10/P50/P90; CRPS from a piecewise-linear quantile function through P10/P50/P90 (naive: a point mass, so pinball = MAE/2, CRPS = MAE)`,
    `  PV: daylight intervals of PV homes only`,
  ];
  for (const cohort of ['established', 'cold_start'] as const) {
    for (const series of ['load', 'pv'] as const) {
      const rows = report.rows.filter((r) => r.cohort === cohort && r.series === series);
      if (rows.length === 0) continue;
      lines.push('', `${series === 'load' ? 'Load' : 'PV'} — ${cohort === 'established' ? 'established homes' : 'cold-start homes'}`);
      lines.push(...table(rows));
    }
  }
  const g = report.gate;
  lines.push('', `Gate (seasonal naive vs FedAvg global; chosen on the first ${g.first_half_days} test day(s), checked on the last ${g.second_half_days}; 3 h MAE, kWh)`);
  const gateRows: string[][] = [['home', 'series', 'naive 1st', 'global 1st', 'recommended', 'naive 2nd', 'global 2nd', 'gated 2nd', 'gate→global']];
  for (const h of g.homes) {
    for (const [series, x] of [['load', h.load], ['pv', h.pv]] as const) {
      if (!x) continue;
      gateRows.push([
        `${h.home}${h.cohort === 'cold_start' ? '*' : ''}`,
        series,
        num(x.first_half_mae_kwh.seasonal_naive),
        num(x.first_half_mae_kwh.fedavg_global),
        x.recommended ?? '—',
        num(x.second_half_mae_kwh.seasonal_naive),
        num(x.second_half_mae_kwh.fedavg_global),
        num(x.second_half_mae_kwh.gated),
        pct(x.gate_share_global),
      ]);
    }
  }
  for (const series of ['load', 'pv'] as const) {
    const sum = g.summary[series];
    gateRows.push([
      'all',
      series,
      '',
      '',
      `${sum.homes_recommending_global}× global`,
      num(sum.second_half_mae_kwh.seasonal_naive),
      num(sum.second_half_mae_kwh.fedavg_global),
      num(sum.second_half_mae_kwh.gated),
      '',
    ]);
  }
  const widths = gateRows[0].map((_, i) => Math.max(...gateRows.map((r) => r[i].length)));
  for (const r of gateRows) lines.push('  ' + r.map((c, i) => (i < 2 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  lines.push('  (* cold-start home)');
  lines.push('', 'Verdict');
  for (const v of report.verdicts) lines.push(`  • ${v}`);
  if (report.timing) {
    const t = report.timing;
    lines.push('', `wall time: ${t.total_s.toFixed(1)} s (data ${t.data_s.toFixed(1)} s, training ${t.training_s.toFixed(1)} s, forecasting ${t.forecasting_s.toFixed(1)} s)`);
  }
  return lines.join('\n');
}
