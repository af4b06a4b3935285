/**
 * Engine throughput: household-ticks per second for 10, 1,000 and 10,000 homes.
 *   npm run bench                 # the default sizes (a couple of minutes on 2 cores)
 *   npm run bench -- --full       # adds 10,000 homes × 365 trading days
 *   npm run bench -- --json FILE  # also write the figures as JSON
 * Each case runs the full engine (data generation, forecasting, agents, central agent, market,
 * settlement) with outputs disabled, so it measures the simulation, not JSON writing; history is
 * measured separately (it is data generation plus forecaster warm-up).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { lastValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { INTERVALS_PER_DAY } from '../common/index.ts';
import { mergeConfig, parseSimConfig, simulate } from '../sim/index.ts';

interface Case {
  households: number;
  days: number;
  historyDays: number;
}

const args = process.argv.slice(2);
const cases: Case[] = [
  { households: 10, days: 365, historyDays: 7 },
  { households: 1000, days: 30, historyDays: 7 },
  { households: 10000, days: 7, historyDays: 7 },
  { households: 10000, days: 1, historyDays: 365 },
];
if (args.includes('--full')) cases.push({ households: 10000, days: 365, historyDays: 7 });

async function measure(c: Case) {
  const config = parseSimConfig(
    mergeConfig({}, {
      households: { count: c.households },
      time: { start: '2026-01-01', days: c.days, historyDays: c.historyDays },
      baselines: { batteryOnly: false, perfectForesight: false },
    }),
  );
  let historyMs = 0;
  let tradingStart = 0;
  const t0 = performance.now();
  let intervals = 0;
  const stream = simulate(config).pipe(
    filter((e) => {
      if (e.type === 'tick' && e.frame.index === 0) {
        tradingStart = performance.now();
        historyMs = tradingStart - t0;
      }
      if (e.type === 'tick') intervals++;
      return e.type === 'end';
    }),
  );
  await lastValueFrom(stream);
  const tradingMs = performance.now() - tradingStart;
  const householdTicks = c.households * intervals;
  const historyTicks = c.households * c.historyDays * INTERVALS_PER_DAY;
  return {
    households: c.households,
    trading_days: c.days,
    history_days: c.historyDays,
    household_ticks: householdTicks,
    trading_seconds: tradingMs / 1000,
    household_ticks_per_second: householdTicks / (tradingMs / 1000),
    history_seconds: historyMs / 1000,
    history_household_intervals_per_second: historyTicks / (historyMs / 1000),
    peak_rss_mib: process.memoryUsage().rss / 2 ** 20,
  };
}

const results = [];
console.log(`wattswap engine benchmark — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
console.log('homes    trading days  household-ticks/s   trading s   history days  history s   RSS MiB');
for (const c of cases) {
  const r = await measure(c);
  results.push(r);
  console.log(
    `${String(r.households).padEnd(8)} ${String(r.trading_days).padEnd(13)} ${Math.round(r.household_ticks_per_second).toLocaleString('en-US').padStart(17)}   ${r.trading_seconds.toFixed(2).padStart(9)}   ${String(r.history_days).padEnd(12)}  ${r.history_seconds.toFixed(2).padStart(9)}   ${r.peak_rss_mib.toFixed(0).padStart(7)}`,
  );
}
const jsonAt = args.indexOf('--json');
if (jsonAt >= 0 && args[jsonAt + 1]) writeFileSync(args[jsonAt + 1], `${JSON.stringify({ node: process.version, results }, null, 2)}\n`);
