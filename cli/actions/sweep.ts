/**
 * `wattswap sweep`: the cross product scenario × parameter set × seed, run in worker threads,
 * resumable run by run, aggregated into sweep.json + sweep.csv and plotted as SVG.
 */
import { availableParallelism } from 'node:os';
import { mkdirSync } from 'node:fs';
import { writeSweepParquet } from '../../outputs/index.ts';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigError } from '../../sim/index.ts';
import {
  describeParams,
  dispatchSpec,
  groupLabel,
  parseParams,
  parsePlotRun,
  parseSeeds,
  planSweep,
  pnlByStreamSpec,
  readDoneRun,
  renderSvg,
  runSweepTasks,
  savingsDistributionSpec,
  scenarioProblems,
  sweepCsv,
  sweepDocument,
  writeAtomic,
  type SweepAggregate,
  type SweepDocument,
  type SweepFailure,
  type SweepRow,
  type SweepTask,
} from '../../sweep/index.ts';
import { readConfigFile } from '../config.ts';
import { collectDispatch } from '../dispatch.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, shownPath, type Io } from '../io.ts';
import { countProgress } from '../progress.ts';

export interface SweepFlags {
  scenarios: string;
  seeds: string;
  param: string[];
  households?: string;
  days?: string;
  config?: string;
  out?: string;
  workers?: string;
  plotRun?: string;
  plots: boolean;
  /** redis://HOST:PORT: run through the BullMQ queue on `wattswap worker`s instead of local threads */
  queue?: string;
  /** json (default) or parquet: also write sweep.parquet */
  format?: string;
}

const wholeNumber = (name: string, v: string | undefined, min: number): { value?: number; problem?: string } => {
  if (v === undefined) return {};
  if (!/^\d+$/.test(v.trim()) || Number(v) < min) return { problem: `${name} "${v}": expected a whole number ≥ ${min}` };
  return { value: Number(v) };
};

const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

/** Runs a sweep from its command-line flags; returns the exit code (0 ok, 1 a run failed, 2 bad spec). */
export async function commandSweep(flags: SweepFlags, io: Io, cwd: string): Promise<number> {
  const t0 = performance.now();
  const problems: string[] = [];
  const seeds = parseSeeds(flags.seeds);
  if (!seeds.ok) problems.push(seeds.reason);
  const { params, problems: paramProblems } = parseParams(flags.param ?? []);
  problems.push(...paramProblems);
  const households = wholeNumber('--households', flags.households, 1);
  const days = wholeNumber('--days', flags.days, 1);
  const workers = wholeNumber('--workers', flags.workers, 1);
  for (const p of [households, days, workers]) if (p.problem) problems.push(p.problem);
  const plotRun = flags.plotRun === undefined ? null : parsePlotRun(flags.plotRun);
  if (plotRun && !plotRun.ok) problems.push(plotRun.reason);
  if (flags.format !== undefined && flags.format !== 'json' && flags.format !== 'parquet') problems.push(`--format "${flags.format}": json or parquet`);
  const queue = flags.queue === undefined ? null : await import('../../sweep/queue/index.ts'); // BullMQ loads only for --queue
  const queueUrl = queue && flags.queue !== undefined ? queue.parseQueueUrl(flags.queue) : null;
  if (queueUrl && !queueUrl.ok) problems.push(queueUrl.reason);
  const scenarios = flags.scenarios
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  problems.push(...scenarioProblems(scenarios));
  if (problems.length) return usage(io, problems);

  let baseConfig: unknown;
  try {
    baseConfig = readConfigFile(flags.config, cwd);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const message = e.message;
    return usage(io, scenarios.map((s) => `scenario ${s} (before any --param):\n${indent(message)}`), 'invalid configuration (WATTSWAP_ERR_CONFIG)');
  }
  const planned = planSweep({ scenarios, seeds: seeds.ok ? seeds.value : [], params, households: households.value, days: days.value, configFile: flags.config, baseConfig });
  if (!planned.ok) return usage(io, planned.problems, 'invalid configuration (WATTSWAP_ERR_CONFIG)');
  const plan = planned.plan;

  let plotTask: SweepTask = plan.tasks[0];
  if (plotRun?.ok) {
    const t = plan.tasks.find((x) => x.scenario === plotRun.value.scenario && x.seed === plotRun.value.seed);
    if (!t) return usage(io, [`--plot-run ${flags.plotRun}: no such run in this sweep (scenarios ${scenarios.join(', ')}; seeds ${flags.seeds})`]);
    plotTask = t;
  }

  const unreachable = queue && queueUrl?.ok ? await queue.probeRedis(queueUrl.value) : null;
  if (unreachable) return usage(io, [`--queue: ${unreachable}`], 'no queue');

  const given = flags.out ?? join('runs', `sweep-${plan.spec.hash}`);
  const dir = resolve(cwd, given);
  const shown = shownPath(given);
  mkdirSync(join(dir, 'runs'), { recursive: true });

  const rows = new Map<string, SweepRow>();
  const todo: SweepTask[] = [];
  for (const t of plan.tasks) {
    const done = readDoneRun(dir, t);
    if (done) rows.set(t.key, done.row);
    else todo.push(t);
  }
  const total = plan.tasks.length;
  const combos = Math.max(1, plan.spec.params.reduce((n, p) => n * p.values.length, 1));
  const shape = `${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'} × ${combos} parameter set${combos === 1 ? '' : 's'} × ${plan.spec.seeds.length} seed${plan.spec.seeds.length === 1 ? '' : 's'}`;
  const threads = Math.min(workers.value ?? availableParallelism(), Math.max(1, todo.length));
  io.out(`sweep ${plan.spec.hash}: ${total} runs (${shape}) in ${shown}/`);
  const where = queue && queueUrl?.ok ? `the queue at ${queue.shownUrl(queueUrl.value)}` : `${threads} worker thread${threads === 1 ? '' : 's'}`;
  io.out(`${total - todo.length} of ${total} already done${todo.length ? `; running ${todo.length} on ${where}` : ''}`);

  const onRow = (t: SweepTask, row: SweepRow) => rows.set(t.key, row);
  const progress = countProgress(io, 'sweep', 'runs', todo.length);
  let failures: SweepFailure[];
  try {
    failures =
      queue && queueUrl?.ok
        ? await queue.runQueuedSweep(todo, { connection: queueUrl.value, dir, onSettled: progress.step }, onRow)
        : await runSweepTasks(todo, { threads, dir, onRow, onSettled: progress.step });
  } finally {
    progress.stop();
  }
  if (failures.length) {
    io.err(
      `wattswap sweep: ${failures.length} of ${todo.length} runs failed (the others are saved; run the same command again to retry):\n` +
        failures.map((f) => `  ✖ ${f.task.scenario}, ${describeParams(f.task.params)}, seed ${f.task.seed}: ${f.message}`).join('\n'),
    );
    return EXIT_FAILURE;
  }

  const ordered = plan.tasks.map((t) => rows.get(t.key) as SweepRow);
  const doc = sweepDocument(plan, ordered);
  writeAtomic(join(dir, 'sweep.json'), `${JSON.stringify(doc, null, 2)}\n`);
  writeAtomic(join(dir, 'sweep.csv'), sweepCsv(ordered));
  const files = ['sweep.json', 'sweep.csv'];
  if (flags.format === 'parquet') {
    await writeSweepParquet(join(dir, 'sweep.parquet'), ordered);
    files.push('sweep.parquet');
  }
  if (flags.plots !== false) files.push(...(await writePlots(dir, doc, plotTask)));

  io.out(formatAggregates(doc.aggregates));
  io.out(`\n  files: ${shown}/ (${files.join(', ')}; runs/ holds one file per run)`);
  io.out(`  wall time: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return EXIT_OK;
}

function usage(io: Io, problems: string[], what = 'invalid sweep'): number {
  io.err(`wattswap sweep: ${what}; nothing was run\n${problems.map((p) => `✖ ${p}`).join('\n')}`);
  return EXIT_USAGE;
}

async function writePlots(dir: string, doc: SweepDocument, plotTask: SweepTask): Promise<string[]> {
  const plots: [string, string][] = [
    ['savings-distribution.svg', await renderSvg(savingsDistributionSpec(doc.rows))],
    ['pnl-by-stream.svg', await renderSvg(pnlByStreamSpec(doc.aggregates))],
  ];
  const points = await collectDispatch(plotTask.config);
  const title = `Community dispatch — ${groupLabel(plotTask.scenario, plotTask.params)}, seed ${plotTask.seed}`;
  const subtitle = `${plotTask.config.households.count} homes, ${plotTask.config.tariff.plan}, from ${plotTask.config.time.start}; energy per 30-min interval`;
  plots.push(['dispatch.svg', await renderSvg(dispatchSpec(points, title, subtitle))]);
  for (const [name, svg] of plots) writeAtomic(join(dir, name), svg);
  return plots.map(([name]) => name);
}

const f1 = (x: number | null) => (x === null ? 'n/a' : x.toFixed(1));
const usd = (x: number) => `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`;

/** A plain-text table of the aggregates. */
export function formatAggregates(aggregates: readonly SweepAggregate[]): string {
  const header = ['scenario · params', 'runs', 'savings % mean', 'median', 'P5–P95', 'bill mean', 'VaR95', 'CVaR95', 'worst home (CVaR95 Δbill)', 'capture %'];
  const body = aggregates.map((a) => [
    groupLabel(a.scenario, a.params),
    String(a.runs),
    f1(a.savings_percent.mean),
    f1(a.savings_percent.median),
    `${f1(a.savings_percent.p5)}–${f1(a.savings_percent.p95)}`,
    usd(a.community_bill_usd.mean),
    usd(a.community_bill_usd.var95),
    usd(a.community_bill_usd.cvar95),
    a.worst_home ? `${a.worst_home.id} ${usd(a.worst_home.bill_change_cvar95_usd)}` : 'n/a',
    a.perfect_foresight.runs_with_optimum ? `${f1(a.perfect_foresight.mean_capture_percent)} (${a.perfect_foresight.runs_with_optimum} runs)` : 'n/a',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
  return ['', line(header), ...body.map(line)].join('\n');
}
