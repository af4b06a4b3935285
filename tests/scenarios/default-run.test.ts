import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeRunOutputs } from '../../outputs/index.ts';
import { mergeConfig, parseSimConfig, runWithComparisons, type SimConfig, type Summary } from '../../sim/index.ts';
import { FederatedFileSchema, SummarySchema, TimelineSchema, TradesSchema } from '../../sim/contract.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const goldenPath = join(root, 'tests', 'scenarios', 'golden', 'baseline-summer.summary.json');

function defaultConfig(over: Record<string, unknown> = {}): SimConfig {
  return parseSimConfig(mergeConfig(JSON.parse(readFileSync(join(root, 'sim.config.json'), 'utf8')), over));
}

async function runTo(config: SimConfig): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'wattswap-run-')), 'out');
  await writeRunOutputs(runWithComparisons(config), config, dir);
  return dir;
}

const read = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('the default scenario (sim.config.json: 10 homes, 2026-07-15, seed 42, E-TOU-C)', () => {
  let first: Record<string, string>;
  let summary: Summary;
  beforeAll(async () => {
    first = read(await runTo(defaultConfig()));
    summary = JSON.parse(first['summary.json']);
  });

  it('is byte-identical when run again with the same seed', async () => {
    const again = read(await runTo(defaultConfig()));
    expect(Object.keys(again)).toEqual(Object.keys(first));
    for (const f of Object.keys(first)) expect(again[f] === first[f], `${f} differs between two runs with seed 42`).toBe(true);
  });

  it('differs with another seed', async () => {
    const other = read(await runTo(defaultConfig({ seed: 43 })));
    expect(other['timeline.json']).not.toBe(first['timeline.json']);
    expect(other['summary.json']).not.toBe(first['summary.json']);
  });

  it('matches the golden summary (regenerate with UPDATE_GOLDEN=1 after an intended change)', () => {
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(dirname(goldenPath), { recursive: true });
      writeFileSync(goldenPath, first['summary.json']);
    }
    expect(existsSync(goldenPath), `golden file missing: ${goldenPath} (write it with UPDATE_GOLDEN=1 npx vitest run tests/scenarios)`).toBe(true);
    expect(JSON.parse(first['summary.json'])).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
  });

  it('beats the no-battery baseline clearly, and battery-only too', () => {
    expect(summary.savings_percent).toBeGreaterThan(5);
    expect(summary.community.savings_adjusted_usd).toBeGreaterThan(0);
    expect(summary.comparisons.battery_only.status).toBe('computed');
    expect(summary.comparisons.battery_only.savings_usd!).toBeGreaterThan(0);
  });

  it('attributes the savings to battery, P2P and forecast quality, adding up', () => {
    const a = summary.attribution;
    expect(a.status).toBe('computed');
    const c = a.community;
    expect(c.battery_time_shifting_usd! + c.p2p_extra_usd!).toBeCloseTo(c.savings_usd, 9);
    expect(c.savings_usd).toBeCloseTo(summary.community.savings_adjusted_usd, 9);
    expect(c.battery_time_shifting_usd!).toBeGreaterThan(0);
    expect(summary.comparisons.perfect_forecasts.status).toBe('computed');
    expect(a.p2p_gainers.length + a.p2p_losers.length).toBeLessThanOrEqual(a.households.length);
  });

  it('reports the perfect-foresight optimum, which no agent can beat', () => {
    const pf = summary.comparisons.perfect_foresight;
    expect(pf.status).toBe('optimal');
    expect(pf.savings_usd!).toBeGreaterThanOrEqual(summary.community.savings_adjusted_usd - 1e-6);
    expect(pf.capture_percent!).toBeGreaterThan(0);
    expect(pf.capture_percent!).toBeLessThanOrEqual(100 + 1e-6);
  });

  it('writes the contract files and echoes the config', () => {
    expect(Object.keys(first)).toEqual(['config.json', 'federated.json', 'summary.json', 'timeline.json', 'trades.json']);
    expect(JSON.parse(first['config.json']).seed).toBe(42);
    // h03 and h04 hold the street's two batteries (a NEM 2 and an NBT23 solar home); the others none
    expect(summary.initial_soc_kwh.h03).toBeCloseTo(13.5 * 0.45, 9);
    expect(summary.initial_soc_kwh.h01).toBe(0);
    expect(summary.households_detail.filter((d) => d.has_battery).map((d) => [d.id, d.export_compensation])).toEqual([['h03', 'nem2'], ['h04', 'nbt23']]);
    expect(JSON.parse(first['timeline.json']).intervals).toHaveLength(48);
    for (const [file, schema] of [['summary.json', SummarySchema], ['timeline.json', TimelineSchema], ['trades.json', TradesSchema], ['federated.json', FederatedFileSchema]] as const) {
      const r = schema.safeParse(JSON.parse(first[file]));
      expect(r.success, `${file}: ${r.error?.message}`).toBe(true);
    }
  });

  it('trains the transformer by FedAvg every 3 hours, and the gate keeps the better forecaster', () => {
    const rounds = JSON.parse(first['federated.json']).rounds;
    expect(rounds).toHaveLength(8); // 48 intervals, a round every 6
    expect(rounds.map((r: { tick: number }) => r.tick)).toEqual([5, 11, 17, 23, 29, 35, 41, 47]);
    for (const r of rounds) {
      expect(r.clients_used).toBe(10);
      expect(r.local_losses.every((x: number) => Number.isFinite(x))).toBe(true);
    }
    const f = summary.federated!;
    expect(f.backend).toMatch(/^(wasm|tensorflow|cpu)$/);
    expect(f.pretrain!.validation_loss_after!).toBeLessThan(f.pretrain!.validation_loss_before!);
    expect(summary.run.forecaster).toBe('gated');
  });
});
