/**
 * Calibration and speed check (not a test): prints the population report for a community and the
 * generator's throughput.
 *   node cli/bin/run-ts.mjs bench/data-gen.ts [homes=200] [seed=1] [speedHomes=10000] [speedDays=14]
 */
import { performance } from 'node:perf_hooks';
import seedrandom from 'seedrandom';
import { INTERVAL_MINUTES, TIMEZONE } from '../common/index.ts';
import { PopulationConfigSchema, WeatherConfigSchema, formatPopulationReport, generateDays, generatePopulation, populationReport } from '../data-gen/index.ts';

const [homes = 200, seed = 1, speedHomes = 10_000, speedDays = 14] = process.argv.slice(2).map(Number);
const rngFor = (p: string) => seedrandom.alea(`measure:${seed}:${p}`);
const weather = WeatherConfigSchema.parse({});

let t0 = performance.now();
const households = generatePopulation(PopulationConfigSchema.parse({ count: homes }), rngFor);
const report = populationReport(households, weather, 2025, rngFor);
const reportS = (performance.now() - t0) / 1000;
console.log(formatPopulationReport(report).split('\n').slice(0, 40).join('\n'));
console.log(`\nreport: ${homes} homes × 1 year in ${reportS.toFixed(2)} s (with appliance breakdown)`);

if (speedHomes > 0) {
  const big = generatePopulation(PopulationConfigSchema.parse({ count: speedHomes }), rngFor);
  t0 = performance.now();
  let hi = 0;
  let check = 0;
  for (const b of generateDays({ households: big, weather, startDate: '2026-06-01', days: speedDays, timezone: TIMEZONE, intervalMinutes: INTERVAL_MINUTES }, rngFor)) {
    hi += b.intervals * b.households;
    check += b.loadKwh[0];
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`speed: ${speedHomes} homes × ${speedDays} days = ${hi.toLocaleString('en-US')} household-intervals in ${s.toFixed(2)} s → ${Math.round(hi / s).toLocaleString('en-US')} /s (${check > 0 ? 'ok' : '?'})`);
}
