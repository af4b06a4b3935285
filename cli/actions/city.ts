/**
 * `wattswap city`: N communities of M homes, each its own market, feeder and seed stream, run as
 * sweep runs in worker threads or on BullMQ workers, aggregated into city.json with a folder per
 * community. Resumable community by community (the sweep's run store).
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cityDocument, MAX_COMMUNITIES, planCity, runCity, writeCityJson, writeCommunityFolder, type CityDocument } from '../../city/index.ts';
import { writeCityParquet } from '../../outputs/index.ts';
import { ConfigError } from '../../sim/index.ts';
import type { SweepRow } from '../../sweep/index.ts';
import { loadConfig } from '../config.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, shownPath, type Io } from '../io.ts';
import { countProgress } from '../progress.ts';

export interface CityFlags {
  communities: string;
  out: string;
  households?: string;
  days?: string;
  param: string[];
  scenario?: string;
  seed?: string;
  config?: string;
  workers?: string;
  format?: string;
  queue?: string;
}

const whole = (flag: string, v: string | undefined, min: number, max: number, problems: string[]): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < min || Number(v) > max) {
    problems.push(`${flag} "${v}": expected a whole number from ${min} to ${max}`);
    return undefined;
  }
  return Number(v);
};

/** Runs a city from its flags; returns the exit code (0 ok, 1 a community failed, 2 bad input or no Redis: nothing written). */
export async function commandCity(flags: CityFlags, io: Io, cwd: string): Promise<number> {
  const t0 = performance.now();
  const problems: string[] = [];
  const communities = whole('--communities', flags.communities, 1, MAX_COMMUNITIES, problems);
  const workers = whole('--workers', flags.workers, 1, 1024, problems);
  if (flags.households !== undefined && /^\s*0+\s*$/.test(flags.households)) problems.push(`--households "${flags.households}": a city with no homes; give at least 1 home per community`);
  if (flags.format !== undefined && flags.format !== 'json' && flags.format !== 'parquet') problems.push(`--format "${flags.format}": expected json or parquet`);
  const queue = flags.queue === undefined ? null : await import('../../sweep/queue/index.ts'); // BullMQ loads only for --queue
  const queueUrl = queue && flags.queue !== undefined ? queue.parseQueueUrl(flags.queue) : null;
  if (queueUrl && !queueUrl.ok) problems.push(queueUrl.reason);
  if (problems.length || communities === undefined) return usage(io, problems);

  let plan;
  try {
    const base = loadConfig({ config: flags.config, scenario: flags.scenario, param: flags.param, households: flags.households, days: flags.days, seed: flags.seed }, cwd);
    plan = planCity({ base, communities, params: flags.param, configFile: flags.config });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return usage(io, [e.message.replace(/^✖ /, '')], 'invalid configuration (WATTSWAP_ERR_CONFIG)');
  }
  const unreachable = queue && queueUrl?.ok ? await queue.probeRedis(queueUrl.value) : null;
  if (unreachable) return usage(io, [`--queue: ${unreachable}`], 'no queue');

  const dir = resolve(cwd, flags.out);
  const shown = shownPath(flags.out);
  mkdirSync(join(dir, 'runs'), { recursive: true });
  const { spec } = plan;
  const where = queue && queueUrl?.ok ? `the queue at ${queue.shownUrl(queueUrl.value)}` : `${Math.min(workers ?? availableParallelism(), communities)} worker thread(s)`;
  io.out(`city ${spec.hash}: ${spec.communities} communities × ${spec.households_per_community} homes × ${spec.days} day(s) (${spec.scenario}, seed ${spec.seed}) in ${shown}/, on ${where}`);

  const progress = countProgress(io, 'city', 'communities', communities);
  let outcome;
  try {
    outcome = await runCity(plan, {
      dir,
      threads: workers ?? availableParallelism(),
      queue: queueUrl?.ok ? queueUrl.value : undefined,
      onSettled: progress.step,
    });
  } finally {
    progress.stop();
  }
  if (outcome.resumed) io.out(`${outcome.resumed} of ${communities} communities were already done`);
  if (outcome.failures.length) {
    io.err(
      `wattswap city: ${outcome.failures.length} of ${communities} communities failed (the others are saved; run the same command again to retry):\n` +
        outcome.failures.map((f) => `  ✖ ${f.task.key}: ${f.message}`).join('\n'),
    );
    return EXIT_FAILURE;
  }

  const rows = plan.tasks.map((t) => outcome.rows.get(t.key) as SweepRow);
  plan.tasks.forEach((t, i) => writeCommunityFolder(dir, t, rows[i].detail!));
  const doc = cityDocument(plan, rows);
  writeCityJson(dir, doc);
  const files = ['city.json'];
  if (flags.format === 'parquet') {
    await writeCityParquet(join(dir, 'city.parquet'), doc.rows);
    files.push('city.parquet');
  }
  io.out(formatCity(doc));
  io.out(`\n  files: ${shown}/ (${files.join(', ')}; communities/ holds a folder per community, runs/ the run store)`);
  io.out(`  wall time: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return EXIT_OK;
}

function usage(io: Io, problems: string[], what = 'invalid city'): number {
  io.err(`wattswap city: ${what}; nothing was run\n${problems.map((p) => `✖ ${p}`).join('\n')}`);
  return EXIT_USAGE;
}

const usd = (x: number) => `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`;
const f1 = (x: number | null) => (x === null ? 'n/a' : x.toFixed(1));

/** The city's headline figures as text. */
export function formatCity(doc: CityDocument): string {
  return [
    '',
    `  ${doc.communities} communities, ${doc.households} homes, ${doc.intervals} intervals`,
    `  bills: baseline ${usd(doc.baseline_cost_usd)}, with batteries and P2P ${usd(doc.optimized_cost_usd)}; savings ${usd(doc.savings_usd)} (${f1(doc.savings_percent)} %)`,
    `  city peak net import: ${doc.peak_net_import_kw.toFixed(1)} kW (baseline ${doc.baseline_peak_net_import_kw.toFixed(1)} kW, reduction ${f1(doc.peak_reduction_percent)} %); peak reverse flow ${doc.peak_reverse_flow_kw.toFixed(1)} kW`,
    `  feeder overloads: ${doc.feeder_overload_intervals} intervals in ${doc.communities_overloaded} communities (baseline ${doc.baseline_feeder_overload_intervals} in ${doc.baseline_communities_overloaded})`,
  ].join('\n');
}
