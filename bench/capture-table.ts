/**
 * The capture table (not a test): reads one or more sweep directories (their runs/*.json rows) and
 * prints, per scenario and strategy (and any other swept parameter), the mean and the lowest capture of the perfect-foresight
 * optimum over the seeds, as a markdown table.
 *   node cli/bin/run-ts.mjs bench/capture-table.ts runs/sweep-… [more sweep dirs]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Row {
  scenario: string;
  params: Record<string, unknown>;
  capture_percent: number | null;
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: bench/capture-table.ts SWEEP_DIR [SWEEP_DIR …]');
  process.exit(2);
}
const cells = new Map<string, Map<string, number[]>>();
const columns: string[] = [];
for (const dir of dirs) {
  for (const file of readdirSync(join(dir, 'runs')).filter((f) => f.endsWith('.json')).sort()) {
    const row = (JSON.parse(readFileSync(join(dir, 'runs', file), 'utf8')) as { row: Row }).row;
    if (row.capture_percent === null) continue;
    const others = Object.entries(row.params)
      .filter(([k]) => k !== 'agents.strategy' && k !== 'agents.forecaster' && !k.startsWith('baselines.'))
      .map(([k, v]) => `, ${k.split('.').pop()}=${String(v)}`)
      .join('');
    const column = `${String(row.params['agents.strategy'] ?? 'default')} (${String(row.params['agents.forecaster'] ?? 'default')}${others})`;
    if (!columns.includes(column)) columns.push(column);
    const byColumn = cells.get(row.scenario) ?? new Map<string, number[]>();
    const list = byColumn.get(column) ?? [];
    list.push(row.capture_percent);
    byColumn.set(column, list);
    cells.set(row.scenario, byColumn);
  }
}
const fmt = (xs: number[] | undefined) => (xs && xs.length ? `${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)} % (min ${Math.min(...xs).toFixed(1)}, n ${xs.length})` : '–');
console.log(`| scenario | ${columns.join(' | ')} |`);
console.log(`|---|${columns.map(() => '---').join('|')}|`);
const all = new Map<string, number[]>();
for (const [scenario, byColumn] of cells) {
  console.log(`| ${scenario} | ${columns.map((c) => fmt(byColumn.get(c))).join(' | ')} |`);
  for (const c of columns) all.set(c, [...(all.get(c) ?? []), ...(byColumn.get(c) ?? [])]);
}
console.log(`| **all** | ${columns.map((c) => fmt(all.get(c))).join(' | ')} |`);
