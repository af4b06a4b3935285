/**
 * The engine beside the speed-of-light kernel, in one process:
 *   node cli/bin/run-ts.mjs bench/sol.ts [--households 10000] [--days 7] [--rounds 3] [--one-thread-only] [--json FILE]
 * Alternates the hand-written typed-array kernel (bench/sol-kernel.ts) and the engine's trading
 * days (rule-based agents, seasonal-naive forecasts, instant matching, outputs off; the engine's
 * per-day data generation is inside its time, the kernel's load is precomputed) on the same number
 * of household-ticks, `--rounds` times, and prints household-ticks/s for both and the ratio of the
 * medians. The engine runs twice a round: on one thread (`dataThread: 'off'`, the headline: what
 * the kernel is compared with), and with its days made on a worker thread (`'on'`; the worker's
 * load and the history wait before the clock starts, so this figure is the trading loop's alone:
 * see the README for what the worker does to a whole run's wall time). Figures move with other load
 * on the machine; the ratio moves less.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { lastValueFrom } from 'rxjs';
import { filter, tap } from 'rxjs/operators';
import { INTERVALS_PER_DAY } from '../common/index.ts';
import { mergeConfig, parseSimConfig, simulate } from '../sim/index.ts';
import { wholeNumberFlag } from './args.ts';
import { solKernel } from './sol-kernel.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => wholeNumberFlag(args, name, fallback, 'bench/sol.ts');
const households = flag('--households', 10_000);
const days = flag('--days', 7);
const rounds = flag('--rounds', 3);
const jsonAt = args.indexOf('--json');
// only the one-thread engine (e.g. to profile it: node --cpu-prof … then bench/profile-phases.ts)
const oneThreadOnly = args.includes('--one-thread-only');

/** Trading household-ticks per second of the engine (history excluded: the clock starts at the first trading tick). */
async function engine(dataThread: 'on' | 'off'): Promise<number> {
  const config = parseSimConfig(
    mergeConfig({}, {
      households: { count: households },
      time: { start: '2026-01-05', days, historyDays: 7 },
      agents: { strategy: 'rule-based', forecaster: 'seasonal-naive' },
      baselines: { batteryOnly: false, perfectForesight: false, perfectForecast: false },
    }),
  );
  let t0 = 0;
  let ticks = 0;
  await lastValueFrom(
    simulate(config, { dataThread }).pipe(
      tap((e) => {
        if (e.type === 'tick') {
          if (e.frame.index === 0) t0 = performance.now();
          ticks++;
        }
      }),
      filter((e) => e.type === 'end'),
    ),
  );
  return (households * ticks) / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sol: number[] = [];
const eng: number[] = [];
const dayThread: number[] = [];
for (let r = 0; r < rounds; r++) {
  sol.push(solKernel(households, days * INTERVALS_PER_DAY).householdTicksPerSecond);
  eng.push(await engine('off'));
  if (!oneThreadOnly) dayThread.push(await engine('on'));
}
const ratio = median(eng) / median(sol);
const ratioDayThread = oneThreadOnly ? Number.NaN : median(dayThread) / median(sol);
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const lines = [
  `${households} homes × ${days} days, ${rounds} rounds (household-ticks/s)`,
  `  speed-of-light kernel              median ${fmt(median(sol))}  (${sol.map(fmt).join(', ')})`,
  `  engine (one thread)                median ${fmt(median(eng))}  (${eng.map(fmt).join(', ')})`,
];
if (!oneThreadOnly) lines.push(`  engine, days on a worker thread    median ${fmt(median(dayThread))}  (${dayThread.map(fmt).join(', ')})`);
lines.push(`  engine / kernel                    ${(100 * ratio).toFixed(1)} %`);
if (!oneThreadOnly) lines.push(`  engine, days on a worker / kernel  ${(100 * ratioDayThread).toFixed(1)} %`);
process.stdout.write(`${lines.join('\n')}\n`);
if (jsonAt >= 0) {
  writeFileSync(
    args[jsonAt + 1],
    `${JSON.stringify({ households, days, rounds, sol_household_ticks_per_s: sol, engine_household_ticks_per_s: eng, engine_day_thread_household_ticks_per_s: dayThread, ratio, ratio_day_thread: oneThreadOnly ? null : ratioDayThread }, null, 2)}\n`,
  );
}
