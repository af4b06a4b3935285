/**
 * Who gains on a 2026 street (issue 19 figures): runs the street of sim.config.json, grown to
 * `--homes` homes so every group holds several, through the summer weekday, the winter weekday and
 * the PSPS scenario, each as the street is (batteries where they sit) and as the
 * battery-every-home what-if, and reports mean savings per home by export program (NEM 2, NBT, no
 * solar) and by CARE/FERA vs not, with P2P (this run) and without (the battery-only rerun), and
 * the PSPS outage figures. Forecasts are seasonal-naive (the figures are about tariffs and
 * batteries, not forecasting; the default's learned forecaster makes each run minutes long).
 *   node cli/bin/run-ts.mjs bench/street.ts [--homes 40] [--out bench/results/street.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { lastValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { findScenario } from '../sim/scenarios.ts';
import { mergeConfig, parseSimConfig, runWithComparisons, type Summary } from '../sim/index.ts';
import { wholeNumberFlag } from './args.ts';

const args = process.argv.slice(2);
const homes = wholeNumberFlag(args, '--homes', 40, 'bench/street.ts');
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : 'bench/results/street.json';
const base = JSON.parse(readFileSync('sim.config.json', 'utf8')) as Record<string, unknown>;

type Detail = Summary['households_detail'][number];
const groupOf = (d: Detail) => (d.export_compensation === null ? 'no-solar' : d.export_compensation === 'nem2' ? 'nem2' : 'nbt');

async function run(scenario: string, street: 'as-it-is' | 'battery-every-home') {
  const s = findScenario(scenario);
  if (!s) throw new Error(`unknown scenario ${scenario}`);
  const overlay = { scenario, households: { count: homes }, agents: { forecaster: 'seasonal-naive' }, baselines: { perfectForecast: false, perfectForesight: false }, ...(street === 'battery-every-home' ? { battery: { share: 1 } } : {}) };
  const config = parseSimConfig(mergeConfig(base, s.overlay, overlay));
  const summary = (await lastValueFrom(runWithComparisons(config).pipe(filter((e) => e.type === 'summary')))).summary;
  const attribution = new Map(summary.attribution.households.map((a) => [a.id, a]));
  const groups: Record<string, { homes: number; with_battery: number; mean_bill_usd: number; mean_savings_with_p2p_usd: number; mean_savings_without_p2p_usd: number }> = {};
  const add = (key: string, d: Detail) => {
    const g = (groups[key] ??= { homes: 0, with_battery: 0, mean_bill_usd: 0, mean_savings_with_p2p_usd: 0, mean_savings_without_p2p_usd: 0 });
    const a = attribution.get(d.id)!;
    g.homes++;
    g.with_battery += d.has_battery ? 1 : 0;
    g.mean_bill_usd += d.baseline_cost_usd;
    g.mean_savings_with_p2p_usd += a.savings_usd;
    g.mean_savings_without_p2p_usd += a.battery_time_shifting_usd ?? Number.NaN;
  };
  for (const d of summary.households_detail) {
    add(`program:${groupOf(d)}`, d);
    add(`low-income:${d.care === 'none' ? 'none' : 'care-or-fera'}`, d);
  }
  for (const g of Object.values(groups)) {
    g.mean_bill_usd /= g.homes;
    g.mean_savings_with_p2p_usd /= g.homes;
    g.mean_savings_without_p2p_usd /= g.homes;
  }
  const o = summary.outage;
  return {
    scenario,
    street,
    days: config.time.days,
    households: summary.run.households,
    batteries: summary.battery.households_with_battery,
    savings_usd: summary.savings,
    savings_percent: summary.savings_percent,
    battery_only_savings_usd: summary.comparisons.battery_only.savings_usd,
    groups,
    outage: o ? { unserved_kwh: o.community.unserved_kwh, unserved_critical_kwh: o.community.unserved_critical_kwh, without_p2p_unserved_kwh: o.without_p2p?.unserved_kwh ?? null, without_p2p_unserved_critical_kwh: o.without_p2p?.unserved_critical_kwh ?? null, demand_kwh: o.community.demand_kwh } : null,
  };
}

const results = [];
for (const scenario of ['baseline-summer', 'winter', 'psps-2019']) {
  for (const street of ['as-it-is', 'battery-every-home'] as const) {
    const r = await run(scenario, street);
    results.push(r);
    process.stderr.write(`${scenario} ${street}: savings $${r.savings_usd.toFixed(2)}${r.outage ? `, unserved ${r.outage.unserved_kwh.toFixed(1)} kWh (alone ${r.outage.without_p2p_unserved_kwh?.toFixed(1)})` : ''}\n`);
  }
}
writeFileSync(out, `${JSON.stringify({ command: `node cli/bin/run-ts.mjs bench/street.ts --homes ${homes}`, homes, seed: base.seed, results }, null, 2)}\n`);
process.stderr.write(`wrote ${out}\n`);
