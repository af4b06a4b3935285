/**
 * One-line findings of an evaluation report, in words ("seasonal naive beats the FedAvg global
 * model on 3 h load MAE by 12.3 %"). Pure: reads the report's rows and gate summary.
 */
import type { EvaluatedModel, EvaluationReport, Horizon, MetricRow } from './contract.ts';

const LABEL: Record<EvaluatedModel, string> = {
  'seasonal-naive-day': 'seasonal naive (same time yesterday)',
  'seasonal-naive-week': 'seasonal naive (same time last week)',
  'seasonal-mean-7d': 'the 7-day seasonal mean',
  local: 'the local models',
  'fedavg-global': 'the FedAvg global model',
  centralised: 'the centralised model',
  gated: 'the gated forecaster',
  personalised: 'the personalised models',
};

export function findRow(rows: readonly MetricRow[], model: EvaluatedModel, cohort: MetricRow['cohort'], series: MetricRow['series'], horizon: Horizon): MetricRow | undefined {
  return rows.find((r) => r.model === model && r.cohort === cohort && r.series === series && r.horizon === horizon);
}

const kwh = (x: number) => x.toFixed(4);

/** "A beats B on <what> by x %" where x is how much lower A's figure is than B's. */
function compare(labelA: string, a: number | null, labelB: string, b: number | null, what: string): string | null {
  if (a === null || b === null) return null;
  if (a === b) return `${labelA} and ${labelB} tie on ${what} (${kwh(a)} kWh)`;
  const [win, winV, lose, loseV] = a < b ? [labelA, a, labelB, b] : [labelB, b, labelA, a];
  const pct = ((loseV - winV) / loseV) * 100;
  return `${win} beats ${lose} on ${what} by ${pct.toFixed(1)} % (${kwh(winV)} vs ${kwh(loseV)} kWh)`;
}

export function verdictsOf(report: Pick<EvaluationReport, 'rows' | 'gate' | 'data'>): string[] {
  const out: string[] = [];
  const rows = report.rows;
  const mae = (m: EvaluatedModel, cohort: MetricRow['cohort'], series: MetricRow['series'], h: Horizon) => findRow(rows, m, cohort, series, h)?.mae_kwh ?? null;
  const push = (s: string | null) => {
    if (s) out.push(s.charAt(0).toUpperCase() + s.slice(1));
  };

  for (const series of ['load', 'pv'] as const) {
    push(compare(LABEL['seasonal-naive-day'], mae('seasonal-naive-day', 'established', series, '1-6'), LABEL['fedavg-global'], mae('fedavg-global', 'established', series, '1-6'), `3 h ${series === 'pv' ? 'PV' : 'load'} MAE (steps 1–6 pooled, established homes)`));
  }
  push(compare(LABEL['seasonal-naive-day'], mae('seasonal-naive-day', 'established', 'load', 'day'), LABEL['fedavg-global'], mae('fedavg-global', 'established', 'load', 'day'), 'day-ahead load MAE (issued at midnight)'));
  for (const [h, what] of [['1-6', '3 h'], ['day', 'day-ahead']] as const) {
    for (const base of ['seasonal-naive-day', 'seasonal-mean-7d'] as const) {
      push(compare(LABEL.gated, mae('gated', 'established', 'load', h), LABEL[base], mae(base, 'established', 'load', h), `${what} load MAE (established homes)`));
    }
  }
  const pinballOf = (m: EvaluatedModel, series: MetricRow['series']) => findRow(rows, m, 'established', series, '1-6')?.pinball_kwh ?? null;
  for (const series of ['load', 'pv'] as const) {
    push(
      compare(
        LABEL['fedavg-global'],
        pinballOf('fedavg-global', series),
        `${LABEL['seasonal-naive-day']} as a point forecast`,
        pinballOf('seasonal-naive-day', series),
        `3 h ${series === 'pv' ? 'PV' : 'load'} pinball loss (P10/P50/P90)`,
      ),
    );
  }

  const trio = (['local', 'fedavg-global', 'centralised'] as const).map((m) => [m, mae(m, 'established', 'load', '1-6')] as const);
  if (trio.every(([, v]) => v !== null)) {
    out.push(`3 h load MAE, established homes: local ${kwh(trio[0][1]!)} · FedAvg global ${kwh(trio[1][1]!)} · centralised ${kwh(trio[2][1]!)} kWh`);
  }
  const bestNaive = (series: 'load' | 'pv', cohort: MetricRow['cohort']) => {
    const d = mae('seasonal-naive-day', cohort, series, '1-6');
    const w = mae('seasonal-naive-week', cohort, series, '1-6');
    return d === null ? w : w === null ? d : Math.min(d, w);
  };
  const cov = findRow(rows, 'fedavg-global', 'established', 'load', '1-6')?.coverage_p10_p90 ?? null;
  if (cov !== null) out.push(`P10–P90 coverage of the FedAvg global model, 3 h load: ${(cov * 100).toFixed(1)} % (nominal 80 %)`);

  if (report.data.cold_start_homes.length > 0) {
    const figures = (['local', 'fedavg-global'] as const).map((m) => mae(m, 'cold_start', 'load', '1-6'));
    const naive = bestNaive('load', 'cold_start');
    if (naive !== null && figures.every((v) => v !== null)) {
      const candidates = [
        ['seasonal naive', naive],
        ['their local models', figures[0]!],
        ['the FedAvg global model', figures[1]!],
      ] as const;
      const best = [...candidates].sort((x, y) => x[1] - y[1])[0];
      out.push(
        `Cold start (${report.data.cold_start_homes.length} home(s) with little data), 3 h load MAE: seasonal naive ${kwh(naive)} · local ${kwh(figures[0]!)} · FedAvg global ${kwh(figures[1]!)} kWh — best: ${best[0]}`,
      );
    }
  }

  for (const m of ['fedavg-global', 'personalised'] as const) {
    push(compare(LABEL[m], mae(m, 'cold_start', 'load', '1-6'), LABEL.local, mae('local', 'cold_start', 'load', '1-6'), '3 h load MAE of the cold-start homes'));
  }
  const g = report.gate.summary.load;
  const s = g.second_half_mae_kwh;
  if (s.gated !== null && s.seasonal_naive !== null && s.fedavg_global !== null) {
    out.push(
      `Gate, second half of the test days, 3 h load MAE: gated ${kwh(s.gated)} · seasonal naive ${kwh(s.seasonal_naive)} · FedAvg global ${kwh(s.fedavg_global)} kWh; ${g.homes_recommending_global} home(s) recommend the global model, ${g.homes_recommending_naive} seasonal naive`,
    );
  }
  return out;
}
