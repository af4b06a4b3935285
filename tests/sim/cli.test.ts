import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../sim/cli.ts';

function sandbox(config?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'wattswap-cli-'));
  if (config !== undefined) writeFileSync(join(dir, 'sim.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'wattswap', ...args], cwd, { out: (s) => out.push(s), err: (s) => err.push(s), progress: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const fast = { households: { count: 3 }, time: { historyDays: 7 }, baselines: { perfectForesight: false, batteryOnly: false } };

describe('wattswap CLI', () => {
  it('runs a simulation and writes the contract files atomically', async () => {
    const cwd = sandbox(fast);
    const r = await cli(['run', '--out', 'out'], cwd);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/baseline PG&E cost/);
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual(['config.json', 'summary.json', 'timeline.json', 'trades.json']);
    expect(readdirSync(cwd).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const summary = JSON.parse(readFileSync(join(cwd, 'out', 'summary.json'), 'utf8'));
    expect(summary.run.households).toBe(3);
  });

  it('applies flags over the config file', async () => {
    const cwd = sandbox(fast);
    const r = await cli(['run', '--households', '2', '--seed', '7', '--start', '2026-01-20', '--days', '1', '--out', 'o'], cwd);
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(cwd, 'o', 'summary.json'), 'utf8'));
    expect([s.run.households, s.run.seed, s.run.start]).toEqual([2, 7, '2026-01-20T00:00:00-08:00']);
  });

  it('rejects a bad config with every problem and its field path, exit 2, nothing written', async () => {
    const cwd = sandbox({
      households: { count: 0, pvShare: 1.5 },
      battery: { minSocFraction: 0.9, maxSocFraction: 0.8 },
      market: { rule: 'auction' },
      time: { historyDays: 0 },
      colour: 'blue',
    });
    const r = await cli(['run', '--out', 'out'], cwd);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatchInlineSnapshot(`
      "wattswap: invalid configuration (WATTSWAP_ERR_CONFIG)
      ✖ Unrecognized key: "colour"
      ✖ a trading window needs at least 7 days of history before it for the forecasters (got 0)
        → at time.historyDays
      ✖ Too small: expected number to be >=1
        → at households.count
      ✖ Too big: expected number to be <=1
        → at households.pvShare
      ✖ minSocFraction must be below maxSocFraction
        → at battery.minSocFraction
      ✖ Invalid option: expected one of "instant"|"pay-as-bid"|"uniform-price"
        → at market.rule"
    `);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    expect(readdirSync(cwd)).toEqual(['sim.config.json']);
  });

  it('names the flag when a flag is out of range', async () => {
    const cwd = sandbox(fast);
    const r = await cli(['run', '--households', '0', '--start', '2026-02-30'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "wattswap: invalid configuration (WATTSWAP_ERR_CONFIG)
      ✖ not a real calendar date
        → at time.start (--start)
      ✖ Too small: expected number to be >=1
        → at households.count (--households)"
    `);
  });

  it('rejects malformed JSON, unknown scenarios and non-numeric flags with exit 2', async () => {
    expect((await cli(['run'], sandbox('{ "seed": 4'))).err).toMatch(/is not valid JSON/);
    const unknown = await cli(['run', '--scenario', 'mars'], sandbox(fast));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown scenario "mars"/);
    const nan = await cli(['run', '--days', 'two'], sandbox(fast));
    expect(nan.code).toBe(2);
    expect(nan.err).toMatch(/--days must be a whole number/);
  });

  it('validates without running', async () => {
    const ok = await cli(['validate', '--quiet'], sandbox(fast));
    expect(ok.code).toBe(0);
    const bad = await cli(['validate'], sandbox({ seed: -1 }));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/seed/);
  });

  it('writes JSON Schemas generated from the zod schemas', async () => {
    const cwd = sandbox();
    const r = await cli(['schema', '--out', 'schemas'], cwd);
    expect(r.code).toBe(0);
    const files = readdirSync(join(cwd, 'schemas')).sort();
    expect(files).toContain('summary.schema.json');
    expect(files).toContain('sim.config.schema.json');
    const summary = JSON.parse(readFileSync(join(cwd, 'schemas', 'summary.schema.json'), 'utf8'));
    expect(summary.required).toContain('baseline_pge_cost');
    const config = JSON.parse(readFileSync(join(cwd, 'schemas', 'sim.config.schema.json'), 'utf8'));
    expect(config.additionalProperties).toBe(false);
  });

  it('refuses to serve off loopback without a token, exit 2', async () => {
    const saved = process.env.WATTSWAP_TOKEN;
    delete process.env.WATTSWAP_TOKEN;
    try {
      const r = await cli(['serve', '--host', '0.0.0.0', '--port', '0'], sandbox(fast));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/token/i);
    } finally {
      if (saved !== undefined) process.env.WATTSWAP_TOKEN = saved;
    }
  });

  it('prints help for every command', async () => {
    for (const args of [['--help'], ['run', '--help'], ['validate', '--help'], ['schema', '--help'], ['data-gen', 'report', '--help'], ['sweep', '--help'], ['serve', '--help'], ['scenarios', '--help'], ['evaluate-forecasts', '--help']]) {
      const r = await cli(args, sandbox());
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out).toMatch(/Usage: wattswap/);
    }
  });
});
