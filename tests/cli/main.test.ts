import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { findScenario } from '../../sim/index.ts';

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
      battery: { backupReservePercent: 120 },
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
      ✖ backupReservePercent must lie between 0 and 100 (percent of usable capacity)
        → at battery.backupReservePercent
      ✖ Invalid option: expected one of "instant"|"pay-as-bid"|"uniform-price"
        → at market.rule"
    `);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    expect(readdirSync(cwd)).toEqual(['sim.config.json']);
  });

  it('rejects an unknown export vintage and an export mix not summing to 1, naming the field, exit 2, nothing written', async () => {
    for (const [exportMix, message, at] of [
      [{ nem2: 0.5, nbt27: 0.5 }, 'unknown export program "nbt27" (known: nem2, nbt23, nbt24, nbt25, nbt26)', 'households.exportMix'],
      [{ nem2: 0.5, nbt23: 0.1, nbt24: 0.1, nbt25: 0.1, nbt26: 0.1 }, 'the export mix must sum to 1 over nem2, nbt23, nbt24, nbt25, nbt26 (got 0.9', 'households.exportMix'],
    ] as const) {
      const cwd = sandbox({ ...fast, households: { ...fast.households, exportMix } });
      const r = await cli(['run', '--out', 'out'], cwd);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(message);
      expect(r.err).toContain(`→ at ${at}`);
      expect(existsSync(join(cwd, 'out'))).toBe(false);
      expect(readdirSync(cwd)).toEqual(['sim.config.json']);
    }
  });

  it('rejects an unknown market.settlement by name, exit 2, nothing written', async () => {
    const cwd = sandbox({ ...fast, market: { settlement: 'free-wires' } });
    const r = await cli(['run', '--out', 'out'], cwd);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/Invalid option: expected one of "supplier"\|"sandbox"\|"flat-fee"\n\s+→ at market\.settlement/);
    expect(readdirSync(cwd)).toEqual(['sim.config.json']);
  });

  it('states the settlement regime in the headline and the summary', async () => {
    const cwd = sandbox(fast);
    const supplier = await cli(['run', '--days', '1', '--out', 'a'], cwd);
    expect(supplier.out).toMatch(/P2P settlement: supplier/);
    expect(JSON.parse(readFileSync(join(cwd, 'a', 'summary.json'), 'utf8')).market.settlement).toBe('supplier');
    const sandboxRun = await cli(['run', '--days', '1', '--scenario', 'p2p-sandbox', '--param', 'households.count=3', '--out', 'b'], cwd);
    expect(sandboxRun.out).toMatch(/P2P settlement: sandbox/);
    const s = JSON.parse(readFileSync(join(cwd, 'b', 'summary.json'), 'utf8'));
    expect([s.market.settlement, s.community.p2p_delivery_charges_usd]).toEqual(['sandbox', 0]);
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

  it('--param sets any config value on run, after the scenario and before the flags', async () => {
    const cwd = sandbox(fast);
    const r = await cli(['run', '--scenario', 'winter', '--param', 'households.count=2', '--param', 'market.rule=pay-as-bid', '--seed', '5', '--out', 'o'], cwd);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const config = JSON.parse(readFileSync(join(cwd, 'o', 'config.json'), 'utf8'));
    expect([config.scenario, config.households.count, config.market.rule, config.seed, config.time.start]).toEqual(['winter', 2, 'pay-as-bid', 5, (findScenario('winter')!.overlay.time as { start: string }).start]);
    const flagWins = await cli(['validate', '--param', 'households.count=2', '--households', '4'], sandbox(fast));
    expect(JSON.parse(flagWins.out.replace(/^config is valid\n/, '')).households.count).toBe(4);
  });

  it('validate --param: a scenario with another forecaster, without writing a config file', async () => {
    const cwd = sandbox(fast);
    const r = await cli(['validate', '--scenario', 'winter', '--param', 'agents.forecaster=seasonal-naive', '--param', 'agents.strategy=receding-horizon'], cwd);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const config = JSON.parse(r.out.replace(/^config is valid\n/, ''));
    expect(config.scenario).toBe('winter');
    expect(config.agents).toMatchObject({ forecaster: 'seasonal-naive', strategy: 'receding-horizon' });
    expect(readdirSync(cwd)).toEqual(['sim.config.json']);
  });

  it('rejects an unknown --param path or a malformed one, naming it, exit 2, nothing written', async () => {
    const cwd = sandbox(fast);
    const r = await cli(['run', '--scenario', 'winter', '--param', 'agents.forcaster=seasonal-naive', '--param', 'battery.capacityKwh=5,10', '--param', 'seed', '--out', 'out'], cwd);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatchInlineSnapshot(`
      "wattswap: invalid configuration (WATTSWAP_ERR_CONFIG)
      ✖ --param "battery.capacityKwh=5,10": one value per path (several values make a sweep: wattswap sweep --param)
      ✖ --param "seed": expected path=value
      ✖ --param agents.forcaster: agents has no field "forcaster" (did you mean "forecaster"?); its fields: strategy, cvar, forecaster, horizonIntervals, reserveQuantile"
    `);
    expect(readdirSync(cwd)).toEqual(['sim.config.json']);
  });

  it('names --param beside a field whose value it made invalid, exit 2', async () => {
    const cwd = sandbox(fast);
    const r = await cli(['validate', '--param', 'agents.forecaster=sesonal', '--param', 'battery={"capacityKwh":-1}', '--households', '0'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "wattswap: invalid configuration (WATTSWAP_ERR_CONFIG)
      ✖ Too small: expected number to be >=1
        → at households.count (--households)
      ✖ Too small: expected number to be >0
        → at battery.capacityKwh (--param)
      ✖ Invalid option: expected one of "seasonal-naive"|"perfect"|"transformer"|"gated"
        → at agents.forecaster (--param)"
    `);
  });

  it('validates without running', async () => {
    const ok = await cli(['validate', '--quiet'], sandbox(fast));
    expect(ok.code).toBe(0);
    const bad = await cli(['validate'], sandbox({ seed: -1 }));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/seed/);
  });

  it('rejects an unknown plan, solar-only storage where homes lack PV and a negative wear cost, naming each field, exit 2', async () => {
    const cwd = sandbox({ ...fast, tariff: { plan: 'E-1' }, battery: { storageMode: 'solar-only', wearCostUsdPerKwh: -0.1 } });
    const r = await cli(['run', '--out', 'out'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wattswap: invalid configuration \(WATTSWAP_ERR_CONFIG\)/);
    expect(r.err).toMatch(/→ at tariff\.plan/);
    expect(r.err).toMatch(/→ at battery\.wearCostUsdPerKwh/);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    const solar = await cli(['validate', '--param', 'battery.storageMode=solar-only'], sandbox(fast));
    expect(solar.code).toBe(2);
    expect(solar.err).toMatch(/solar-only charging needs PV at every home with a battery, but households.pvShare is below 1 \(use auto: solar-only where there is PV, no-export elsewhere\)\n  → at battery.storageMode/);
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

  it('runs measured homes from --meter/--weather/--homes and reports what it imported', async () => {
    const cwd = sandbox({ ...fast, weather: { latitudeDeg: 34.09, longitudeDeg: -117.43 } });
    const meter = join(cwd, 'meter.csv');
    const lines = ['timestamp,household_id,load_kwh,pv_kwh'];
    // two homes, 10 days of hourly data in Pacific standard time
    for (let hour = 0; hour < 24 * 10; hour++) {
      const t = new Date(Date.UTC(2026, 0, 10, 8 + hour)).toISOString().replace('.000Z', 'Z');
      const h = hour % 24;
      lines.push(`${t},a,${(0.6 + 0.4 * Math.sin(h / 4)).toFixed(3)},${h >= 8 && h < 16 ? '1.200' : '0.000'}`, `${t},b,0.900,`);
    }
    writeFileSync(meter, lines.join('\n') + '\n');
    writeFileSync(join(cwd, 'homes.csv'), 'household_id,pv_kw,battery_kwh,tariff,storage_mode\na,3,13.5,,solar-only\nb,0,0,E-TOU-D,\n');
    const r = await cli(['run', '--meter', 'meter.csv', '--homes', 'homes.csv', '--start', '2026-01-18', '--out', 'out'], cwd);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/inputs: 2 homes from meter.csv/);
    const s = JSON.parse(readFileSync(join(cwd, 'out', 'summary.json'), 'utf8'));
    // home a's export program is drawn like a synthetic home's (seed 42: legacy net metering, so the configured E-TOU-C)
    expect(s.households_detail.map((d: { id: string; tariff: string; storage_mode: string | null; has_battery: boolean; export_compensation: string | null }) => [d.id, d.tariff, d.storage_mode, d.has_battery, d.export_compensation])).toEqual([
      ['a', 'E-TOU-C', 'solar-only', true, 'nem2'],
      ['b', 'E-TOU-D', null, false, null],
    ]);
    expect(s.run.history_days).toBe(7);
    expect(s.inputs.warnings.join('\n')).toMatch(/weather/);

    // without --out: labelled by the data, in a folder of its own
    const own = await cli(['run', '--meter', 'meter.csv', '--homes', 'homes.csv', '--start', '2026-01-18'], cwd);
    expect(own.code).toBe(0);
    expect(own.out.split('\n')[0]).toBe('wattswap — measured homes from meter.csv, seed 42: 2 households, 48 intervals from 2026-01-18T00:00:00-08:00, 1 × E-TOU-C, 1 × E-TOU-D');
    expect(own.out).toContain('files: runs/meter-meter-seed42/ (');
    expect(readdirSync(join(cwd, 'runs'))).toEqual(['meter-meter-seed42']);
  });

  it('never replaces a run folder that has files without --force, and prints paths as given', async () => {
    const cwd = sandbox(fast);
    const abs = join(cwd, 'abs');
    const first = await cli(['run', '--out', abs], cwd);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`files: ${abs}/ (config.json, summary.json, timeline.json, trades.json)`);
    const again = await cli(['run', '--out', abs, '--seed', '5'], cwd);
    expect(again.code).toBe(2);
    expect(again.err).toBe(`wattswap run: ${abs}/ already exists; give --force to replace it, or --out DIR for another folder`);
    expect(JSON.parse(readFileSync(join(abs, 'summary.json'), 'utf8')).run.seed).toBe(42);
    const forced = await cli(['run', '--out', abs, '--seed', '5', '--force'], cwd);
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(join(abs, 'summary.json'), 'utf8')).run.seed).toBe(5);
    const relative = await cli(['run', '--out', './rel/'], cwd);
    expect(relative.out).toContain('files: rel/ (');
  });

  it('answers a usage error with one line and where the help is, and names the nearest command or scenario', async () => {
    const cwd = sandbox(fast);
    expect(await cli(['run', '--bogus'], cwd)).toEqual({ code: 2, out: '', err: "error: unknown option '--bogus'\n(wattswap run --help for usage)" });
    expect(await cli(['data-gen', 'report', '--yaer', '2025'], cwd)).toEqual({
      code: 2,
      out: '',
      err: "error: unknown option '--yaer'\n(Did you mean --year?)\n(wattswap data-gen report --help for usage)",
    });
    expect(await cli(['report', '--help'], cwd)).toEqual({ code: 2, out: '', err: `wattswap: unknown command 'report' (did you mean "data-gen report"?)\n(wattswap --help lists the commands)` });
    expect((await cli(['rnu'], cwd)).err).toBe(`wattswap: unknown command 'rnu' (did you mean "run"?)\n(wattswap --help lists the commands)`);
    const scenario = await cli(['run', '--scenario', 'heatwave'], cwd);
    expect(scenario.code).toBe(2);
    expect(scenario.err).toMatch(/^wattswap: invalid configuration \(WATTSWAP_ERR_CONFIG\)\n✖ unknown scenario "heatwave" \(did you mean "heatwave-2022"\?\)\n/);
  });

  it('rejects a bad meter file with its file, line and column, exit 2, nothing written', async () => {
    const cwd = sandbox(fast);
    writeFileSync(join(cwd, 'bad.csv'), 'timestamp,household_id,load_kwh,pv_kwh\n2026-01-10T00:00:00-08:00,a,-1,0\n');
    const r = await cli(['run', '--meter', 'bad.csv', '--out', 'out'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wattswap: bad input file \(WATTSWAP_ERR_INPUT\)\n✖ bad.csv:2:\d+: /);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    const lone = await cli(['validate', '--weather', 'w.csv'], cwd);
    expect(lone.code).toBe(2);
    expect(lone.err).toMatch(/--weather and --homes describe measured homes/);
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
    const commands = ['run', 'validate', 'schema', 'data-gen', 'data-gen report', 'sweep', 'serve', 'scenarios', 'evaluate-forecasts', 'worker', 'inspect'];
    for (const command of ['', ...commands]) {
      const args = [...command.split(' ').filter((w) => w !== ''), '--help'];
      const r = await cli(args, sandbox());
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out, args.join(' ')).toMatch(new RegExp(`^Usage: wattswap ${command}${command ? ' ' : ''}\\[options\\]`));
    }
  });
});
