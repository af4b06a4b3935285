/**
 * Parquet outputs at scale: file size, write time and peak memory of timeline.parquet and
 * trades.parquet for a 10,000-home year (175 M timeline rows).
 *   node cli/bin/run-ts.mjs bench/parquet.ts                  # 10,000 homes × 365 days, replayed frames
 *   node cli/bin/run-ts.mjs bench/parquet.ts --small          # 100 homes × 2 days (CI)
 *   node cli/bin/run-ts.mjs bench/parquet.ts --households 1000 --days 30 --compression snappy
 *   node cli/bin/run-ts.mjs bench/parquet.ts --mode engine    # the engine itself feeds the writers
 *   ... --no-forecasts                                       # timeline.parquet without the forecast lists
 *   ... --json FILE                                           # also write the figures as JSON
 *
 * replay (default): the engine runs `--sample-days` (2) trading days of the N homes once; their
 * frames (real loads, PV, battery, trades, forecasts) are copied and fed to the writers again and
 * again, with the interval index counting up, for `--days` days, yielding to the event loop after
 * every day as the engine does. The time measured is the writers' alone. Each day's rows are
 * compressed in their own row group, so repeating days does not make the file smaller.
 * engine: a whole run (writeRunOutputs with outputs.format parquet, no comparison runs): the
 * end-to-end time, to set beside bench/run.ts's engine-only figures.
 * Times are wall-clock and CPU (user + system of this process): on a shared machine the CPU time
 * is the steadier figure. Peak RSS is the process's maximum resident set (getrusage); `rss_before_mb` is the RSS when
 * writing starts (after the sample run), so the writer's own footprint is the difference.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lastValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { writeRunOutputs } from '../outputs/index.ts';
import { TimelineParquetWriter, TradesParquetWriter, type ParquetCompression } from '../outputs/parquet/index.ts';
import { timelineIntervalOf } from '../outputs/records.ts';
import { mergeConfig, parseSimConfig, runWithComparisons, simulate, type RunMeta, type SimConfig, type TickFrame } from '../sim/index.ts';

interface Args {
  households: number;
  days: number;
  sampleDays: number;
  mode: 'replay' | 'engine';
  compression: ParquetCompression;
  json: string | null;
  keep: boolean;
  forecasts: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { households: 10_000, days: 365, sampleDays: 2, mode: 'replay', compression: 'zstd', json: null, keep: false, forecasts: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--small') Object.assign(a, { households: 100, days: 2, sampleDays: 1 });
    else if (k === '--keep') a.keep = true;
    else if (k === '--no-forecasts') a.forecasts = false;
    else {
      if (k === '--households') a.households = Number(v);
      else if (k === '--days') a.days = Number(v);
      else if (k === '--sample-days') a.sampleDays = Number(v);
      else if (k === '--mode') a.mode = v as Args['mode'];
      else if (k === '--compression') a.compression = v as ParquetCompression;
      else if (k === '--json') a.json = v;
      else throw new Error(`unknown argument ${k}`);
      i++;
    }
  }
  return a;
}

const mb = (bytes: number) => +(bytes / 1e6).toFixed(1);
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1e3);

function configOf(a: Args, days: number, format: 'json' | 'parquet', dir: string): SimConfig {
  return parseSimConfig(
    mergeConfig(
      {},
      {
        households: { count: a.households },
        time: { start: '2026-01-01', days, historyDays: 7 },
        baselines: { batteryOnly: false, perfectForesight: false },
        outputs: { format, dir, timeline: 'ndjson' },
      },
    ),
  );
}

/** Runs the engine for the sample days and keeps a copy of every frame (the engine reuses its arrays). */
async function sampleFrames(a: Args): Promise<{ meta: RunMeta; frames: TickFrame[] }> {
  const frames: TickFrame[] = [];
  let meta: RunMeta | null = null;
  const run$ = simulate(configOf(a, a.sampleDays, 'json', 'unused'), { yieldEveryDay: true });
  run$.subscribe((e) => {
    if (e.type === 'start') meta = e.meta;
    else if (e.type === 'tick') frames.push(structuredClone(e.frame));
  });
  await lastValueFrom(run$.pipe(filter((e) => e.type === 'end')));
  return { meta: meta!, frames };
}

/** Bytes per interval of the NDJSON timeline for the same frames (for scale: what JSON would take). */
function ndjsonBytesPerInterval(meta: RunMeta, frames: readonly TickFrame[]): number {
  let bytes = 0;
  const sample = frames.slice(0, 4);
  for (const f of sample) bytes += Buffer.byteLength(JSON.stringify(timelineIntervalOf(meta, f))) + 1;
  return bytes / sample.length;
}

async function replay(a: Args, dir: string) {
  const { meta, frames } = await sampleFrames(a);
  const rssBefore = mb(process.memoryUsage().rss);
  const intervalsPerDay = Math.round(24 / meta.intervalHours);
  const intervals = a.days * intervalsPerDay;
  const baseMs = Date.parse(meta.startIso);
  const timeline = new TimelineParquetWriter(join(dir, 'timeline.parquet'), meta, { compression: a.compression, forecasts: a.forecasts });
  const trades = new TradesParquetWriter(join(dir, 'trades.parquet'), meta, { compression: a.compression });
  let maxPending = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let t = 0; t < intervals; t++) {
    const f = frames[t % frames.length];
    f.index = t;
    f.startIso = new Date(baseMs + t * meta.intervalHours * 3_600_000).toISOString();
    timeline.push(f);
    trades.push(f);
    if ((t + 1) % intervalsPerDay === 0) {
      maxPending = Math.max(maxPending, timeline.parquet.pending);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  await Promise.all([timeline.close(), trades.close()]);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rows = intervals * meta.households.length;
  return {
    rows,
    trades: trades.parquet.rowsWritten,
    write_seconds: +seconds.toFixed(1),
    write_cpu_seconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
    rows_per_second: Math.round(rows / seconds),
    rss_before_mb: rssBefore,
    max_batches_waiting: maxPending,
    ndjson_timeline_estimate_gb: +((ndjsonBytesPerInterval(meta, frames) * intervals) / 1e9).toFixed(1),
  };
}

async function engine(a: Args, dir: string) {
  const config = configOf(a, a.days, 'parquet', dir);
  const rssBefore = mb(process.memoryUsage().rss);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await writeRunOutputs(runWithComparisons(config), config, dir);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rows = a.households * a.days * 48;
  return {
    rows,
    run_seconds: +seconds.toFixed(1),
    run_cpu_seconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
    rows_per_second: Math.round(rows / seconds),
    rss_before_mb: rssBefore,
  };
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const base = mkdtempSync(join(tmpdir(), 'wattswap-bench-parquet-'));
  const dir = join(base, 'out');
  // replay writes into dir itself; an engine run creates it (atomically, by rename)
  if (a.mode === 'replay') mkdirSync(dir);
  try {
    const figures = a.mode === 'replay' ? await replay(a, dir) : await engine(a, dir);
    const size = (f: string) => statSync(join(dir, f)).size;
    const result = {
      mode: a.mode,
      households: a.households,
      days: a.days,
      compression: a.compression,
      forecasts: a.forecasts,
      ...figures,
      timeline_parquet_mb: mb(size('timeline.parquet')),
      trades_parquet_mb: mb(size('trades.parquet')),
      peak_rss_mb: peakRssMb(),
      node: process.version,
    };
    console.log(JSON.stringify(result, null, 2));
    if (a.json) writeFileSync(a.json, `${JSON.stringify(result, null, 2)}\n`);
    if (a.keep) console.log(`kept ${dir}`);
  } finally {
    if (!a.keep) rmSync(base, { recursive: true, force: true });
  }
}

await main();
