/**
 * A TypeScript consumer of the output contract (`npm install wattswap`): reads the folder of a
 * `wattswap run` (JSON format), checks each file against its published schema and prints the
 * community's figures, each home's bill and the largest trade.
 *
 *   npx wattswap run --out runs/demo && npx tsx examples/contract-consumer.ts runs/demo
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SummarySchema, TimelineSchema, TradesSchema, type Summary, type TimelineInterval, type Trade } from 'wattswap/contract';

const dir = process.argv[2] ?? 'runs/baseline-summer-seed42';
const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));

const summary: Summary = SummarySchema.parse(read('summary.json'));
const intervals: TimelineInterval[] = TimelineSchema.parse(read('timeline.json')).intervals;
const trades: Trade[] = TradesSchema.parse(read('trades.json')).trades;

const { run } = summary;
console.log(`${run.scenario}, seed ${run.seed}: ${run.households} homes, ${intervals.length} intervals`);
console.log(`baseline $${summary.baseline_pge_cost.toFixed(2)} → $${summary.optimized_cost.toFixed(2)} (saved ${summary.display.savings_percent})`);

/** Each home's energy cost over the run, summed from the timeline. */
const costByHome = new Map<string, number>();
for (const interval of intervals) {
  for (const home of interval.households) costByHome.set(home.id, (costByHome.get(home.id) ?? 0) + home.energy_cost_usd);
}
for (const [id, usd] of costByHome) console.log(`  ${id.padEnd(6)} $${usd.toFixed(2)}`);

const largest = trades.reduce<Trade | null>((best, t) => (best === null || t.delivered_kwh > best.delivered_kwh ? t : best), null);
if (largest) console.log(`largest trade: ${largest.seller} → ${largest.buyer}, ${largest.delivered_kwh.toFixed(2)} kWh at $${largest.price_usd_per_kwh.toFixed(3)}/kWh`);
