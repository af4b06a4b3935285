/**
 * What generating the days on a worker thread does to a whole run's wall time:
 *   node cli/bin/run-ts.mjs bench/day-thread.ts [--households 10000] [--days 60] [--history 7] [--rounds 2] [--json FILE]
 * Runs the same engine-only run (rule-based agents, seasonal-naive forecasts, outputs off, no
 * comparison reruns) with `dataThread: 'off'` and `'on'`, alternately, `--rounds` times, and prints
 * the wall time from start to end (history, the worker's loading and every trading day included)
 * and this process's CPU time (both threads) of each. The first 'on' run of a process also loads
 * the worker; later ones reuse it, as later runs in one process do.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { lastValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { mergeConfig, parseSimConfig, simulate } from '../sim/index.ts';
import { wholeNumberFlag } from './args.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => wholeNumberFlag(args, name, fallback, 'bench/day-thread.ts');
const households = flag('--households', 10_000);
const days = flag('--days', 60);
const historyDays = Math.max(7, flag('--history', 7));
const rounds = flag('--rounds', 2);
const jsonAt = args.indexOf('--json');

interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
}

async function run(dataThread: 'on' | 'off'): Promise<Timing> {
  const config = parseSimConfig(
    mergeConfig({}, {
      households: { count: households },
      time: { start: '2026-01-05', days, historyDays },
      agents: { strategy: 'rule-based', forecaster: 'seasonal-naive' },
      baselines: { batteryOnly: false, perfectForesight: false, perfectForecast: false },
    }),
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await lastValueFrom(simulate(config, { dataThread }).pipe(filter((e) => e.type === 'end')));
  const cpu = process.cpuUsage(cpu0);
  return { wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const off: Timing[] = [];
const on: Timing[] = [];
for (let r = 0; r < rounds; r++) {
  off.push(await run('off'));
  on.push(await run('on'));
}
const fmt = (xs: Timing[]) => xs.map((x) => `${x.wallSeconds.toFixed(2)} s wall / ${x.cpuSeconds.toFixed(2)} s CPU`).join(', ');
process.stdout.write(
  `${households} homes × ${days} trading days after ${historyDays} history days, ${rounds} rounds\n` +
    `  one thread          ${fmt(off)}\n` +
    `  days on a worker    ${fmt(on)}\n`,
);
if (jsonAt >= 0) {
  writeFileSync(args[jsonAt + 1], `${JSON.stringify({ households, days, history_days: historyDays, rounds, one_thread: off, day_thread: on }, null, 2)}\n`);
}
