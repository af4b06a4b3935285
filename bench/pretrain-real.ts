/**
 * Pre-training on a year of a real home vs a synthetic one:
 *   node cli/bin/run-ts.mjs bench/pretrain-real.ts [--repeat 3]
 * Imports data/real-homes (five metered homes, hourly → 30 min) and generates five
 * synthetic homes (the project's data generator, default config, Sacramento), takes the newest
 * 361 days before 2026-07-31 of each (the real data's year), feeds them to one
 * `TransformerForecaster` per source exactly as the engine does (calendar + temperature + cloud
 * context) and times `pretrainClient` for every home with the engine's pre-training defaults
 * (`federated.pretrain`, preset `fast`). Reports wall and CPU milliseconds per home, the best of `--repeat` alternated passes (default 3). Wall-clock
 * timing is fine here: this is a benchmark, not simulation code.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { calendarContext, initBackend, TransformerForecaster } from '../agents/transformer/index.ts';
import { INTERVAL_MINUTES, TIMEZONE } from '../common/index.ts';
import { generateDays, generatePopulation, type DayBlock } from '../data-gen/index.ts';
import { FederatedConfigSchema } from '../federated/index.ts';
import { createRngFactory, loadMeasuredHomes, resolveConfig } from '../sim/index.ts';
import { addDays } from '../sim/calendar.ts';

const DAYS = 361;
const END = '2026-07-31';
const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 3;
const homesDir = join(import.meta.dirname, '../data/real-homes');

function feed(blocks: Iterable<DayBlock>, n: number, rngSeed: number): TransformerForecaster {
  const days = [...blocks];
  const startIso = days[0].intervalStartIso[0];
  const temp = days.flatMap((b) => Array.from(b.temperatureC));
  const cloud = days.flatMap((b) => Array.from(b.cloudCover));
  const context = calendarContext({ startIso, intervalMinutes: INTERVAL_MINUTES, timezone: TIMEZONE, extra: (s) => ({ temperatureC: temp[s], cloudCover: cloud[s] }) });
  const f = new TransformerForecaster(n, { rngFor: createRngFactory(rngSeed), preset: 'fast', context, name: 'bench/pretrain' });
  for (const b of days) for (let t = 0; t < b.intervals; t++) f.observe(b.loadKwh, b.pvKwh, t * n);
  return f;
}

function time(label: string, f: TransformerForecaster, n: number): { label: string; wall_ms_per_home: number; cpu_ms_per_home: number; samples: number } {
  const pre = FederatedConfigSchema.parse({}).pretrain;
  const rngFor = createRngFactory(1);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let samples = 0;
  for (let h = 0; h < n; h++) {
    samples += f.pretrainClient(h, { epochs: pre.epochs, batchSize: pre.batchSize, learningRate: pre.learningRate, rng: rngFor(`bench/h${h}`), strideIntervals: pre.strideIntervals, maxSamples: pre.maxSamplesPerHome }).samples;
  }
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const best = { wall, cpu: (c.user + c.system) / 1000, samples };
  return { label, wall_ms_per_home: best.wall / n, cpu_ms_per_home: best.cpu / n, samples: best.samples / n };
}

await initBackend();
const start = addDays(END, -DAYS);
const config = resolveConfig({ time: { start: END, days: 1, historyDays: DAYS }, weather: { latitudeDeg: 34.09, longitudeDeg: -117.43 }, households: { source: { kind: 'meter', meter: join(homesDir, 'meter.csv'), weather: join(homesDir, 'weather.csv') } } });
const measured = await loadMeasuredHomes(config, process.cwd());
if (!measured) throw new Error('no measured homes');
const n = measured.households.length;
const realBlocks = { [Symbol.iterator]: () => measured.days(start, DAYS) };
const real = feed(realBlocks, n, 1);
const synthConfig = resolveConfig({ households: { count: n } });
const rngFor = createRngFactory(42);
const households = generatePopulation(synthConfig.households, rngFor);
const synth = feed(generateDays({ households, weather: synthConfig.weather, startDate: start, days: DAYS, timezone: TIMEZONE, intervalMinutes: INTERVAL_MINUTES }, rngFor), n, 1);
// alternated, best of `repeat` each, so warm-up and machine load do not favour either
const runs = Array.from({ length: repeat }, () => [time(`real (${n} metered homes, ${DAYS} days)`, real, n), time(`synthetic (${n} generated homes, ${DAYS} days)`, synth, n)]);
const rows = [0, 1].map((i) => runs.map((r) => r[i]).reduce((a, b) => (b.cpu_ms_per_home < a.cpu_ms_per_home ? b : a)));
for (const r of rows) console.log(`${r.label.padEnd(40)} ${r.wall_ms_per_home.toFixed(0).padStart(6)} ms wall/home  ${r.cpu_ms_per_home.toFixed(0).padStart(6)} ms CPU/home  ${r.samples} windows/home`);
real.dispose();
synth.dispose();
