import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSweepCommand } from '../../../cli/commands/sweep.ts';
import { RunFileSchema, SweepDocumentSchema, runSweepTask, type RunFile, type SweepDocument } from '../../../sweep/index.ts';
import { collectRun } from '../../sim/helpers.ts';
import { findScenario, mergeConfig, parseSimConfig } from '../../../sim/index.ts';

/** Runs `wattswap sweep ARGS` through registerSweepCommand, as the CLI will, capturing its output. */
async function sweep(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  let code = -1;
  const program = new Command()
    .name('wattswap')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerSweepCommand(program, { out: (s) => out.push(s), err: (s) => err.push(s), progress: false }, (c) => (code = c), cwd);
  await program.parseAsync(['node', 'wattswap', 'sweep', ...args]);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const FAST = { time: { historyDays: 7 }, baselines: { perfectForesight: false } };
const ARGS = ['--scenarios', 'baseline-summer,no-p2p', '--seeds', '1..3', '--households', '3', '--config', 'fast.json', '--workers', '2', '--out', 'sw'];

function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wattswap-sweep-'));
  writeFileSync(join(dir, 'fast.json'), JSON.stringify(FAST));
  return dir;
}

const readRuns = (dir: string): RunFile[] =>
  readdirSync(join(dir, 'runs'))
    .sort()
    .map((f) => RunFileSchema.parse(JSON.parse(readFileSync(join(dir, 'runs', f), 'utf8'))));

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('wattswap sweep, 2 scenarios × 3 seeds', () => {
  let cwd: string;
  let dir: string;
  let first: Awaited<ReturnType<typeof sweep>>;
  let doc: SweepDocument;

  beforeAll(async () => {
    cwd = sandbox();
    dir = join(cwd, 'sw');
    first = await sweep([...ARGS, '--plot-run', 'no-p2p:2'], cwd);
    doc = SweepDocumentSchema.parse(JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('finishes and writes sweep.json, sweep.csv, the plots and one file per run', () => {
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/6 runs \(2 scenarios × 1 parameter set × 3 seeds\)/);
    expect(first.out).toMatch(/0 of 6 already done; running 6 on 2 worker threads/);
    expect(readdirSync(dir).sort()).toEqual(['dispatch.svg', 'pnl-by-stream.svg', 'runs', 'savings-distribution.svg', 'sweep.csv', 'sweep.json']);
    expect(readdirSync(join(dir, 'runs'))).toHaveLength(6);
    expect(doc.rows.map((r) => [r.scenario, r.seed])).toEqual([
      ['baseline-summer', 1],
      ['baseline-summer', 2],
      ['baseline-summer', 3],
      ['no-p2p', 1],
      ['no-p2p', 2],
      ['no-p2p', 3],
    ]);
    expect(doc.spec).toMatchObject({ scenarios: ['baseline-summer', 'no-p2p'], seeds: [1, 2, 3], households: 3, config_file: 'fast.json' });
  });

  it('aggregates equal the figures recomputed from the run files', () => {
    const runs = readRuns(dir);
    expect(doc.aggregates).toHaveLength(2);
    for (const agg of doc.aggregates) {
      const rows = runs.filter((r) => r.spec.scenario === agg.scenario).map((r) => r.row);
      expect(rows).toHaveLength(3);
      expect(agg.runs).toBe(3);
      const savings = rows.map((r) => r.savings_percent as number).sort((a, b) => a - b);
      expect(savings.every((x) => typeof x === 'number')).toBe(true);
      expect(agg.savings_percent!.mean).toBeCloseTo(mean(savings), 9);
      expect(agg.savings_percent!.median).toBeCloseTo(savings[1], 9);
      expect(agg.savings_percent!.p5).toBeCloseTo(savings[0] + 0.1 * (savings[1] - savings[0]), 9);
      expect(agg.savings_percent!.p95).toBeCloseTo(savings[1] + 0.9 * (savings[2] - savings[1]), 9);
      const bills = rows.map((r) => r.optimized_cost_usd);
      expect(agg.community_bill_usd.mean).toBeCloseTo(mean(bills), 9);
      // three runs: the 95 % tail lies inside the largest bill
      expect(agg.community_bill_usd.var95).toBe(Math.max(...bills));
      expect(agg.community_bill_usd.cvar95).toBeCloseTo(Math.max(...bills), 9);
      for (const home of agg.homes) {
        const homeBills = rows.map((r) => r.homes.find((h) => h.id === home.id)!.optimized_cost_usd);
        expect(home.bill_usd.var95).toBe(Math.max(...homeBills));
      }
      const bo = rows.map((r) => r.battery_only_savings_percent as number);
      expect(agg.battery_only_savings_percent.mean).toBeCloseTo(mean(bo), 9);
      expect(agg.perfect_foresight).toMatchObject({ mean_capture_percent: null, runs_with_optimum: 0, runs_without_optimum: 3 });
    }
    // without P2P, the battery-only comparison is the run itself
    const noP2p = doc.aggregates[1];
    expect(noP2p.p2p_extra_savings_percent.mean).toBeCloseTo(0, 9);
  });

  it('each row carries its run’s summary, and a run in a worker equals the same run in-process', async () => {
    const row = doc.rows.find((r) => r.scenario === 'baseline-summer' && r.seed === 2)!;
    const config = parseSimConfig(mergeConfig({}, FAST, findScenario('baseline-summer')!.overlay, { households: { count: 3 }, seed: 2, scenario: 'baseline-summer' }));
    const { summary } = await collectRun(config);
    expect(row.baseline_cost_usd).toBe(summary.baseline_pge_cost);
    expect(row.optimized_cost_usd).toBe(summary.optimized_cost);
    expect(row.savings_percent).toBe(summary.savings_percent);
    expect(row.trades).toBe(summary.trades_executed);
    expect(row.battery_only_savings_percent).toBe(summary.comparisons.battery_only.savings_percent);
    expect(row.homes.map((h) => h.optimized_cost_usd)).toEqual(summary.households_detail.map((h) => h.optimized_cost_usd));
    const inProcess = await runSweepTask({ key: row.key, scenario: row.scenario, seed: row.seed, params: row.params, config });
    expect(JSON.parse(JSON.stringify(inProcess))).toEqual(row);
  });

  it('writes one CSV line per run with per-home bills', () => {
    const lines = readFileSync(join(dir, 'sweep.csv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    const header = lines[0].split(',');
    expect(header.slice(0, 4)).toEqual(['key', 'scenario', 'seed', 'households']);
    expect(header).toEqual(expect.arrayContaining(['savings_percent', 'battery_only_savings_percent', 'capture_percent', 'bill_usd.h01', 'bill_usd.h03', 'baseline_bill_usd.h02']));
    const first = Object.fromEntries(header.map((h, i) => [h, lines[1].split(',')[i]]));
    expect(Number(first.savings_percent)).toBe(doc.rows[0].savings_percent);
    expect(Number(first['bill_usd.h02'])).toBe(doc.rows[0].homes[1].optimized_cost_usd);
  });

  it('draws the plots as SVG documents with marks; dispatch shows the chosen run', () => {
    for (const f of ['savings-distribution.svg', 'pnl-by-stream.svg', 'dispatch.svg']) {
      const svg = readFileSync(join(dir, f), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg).toMatch(/class="mark-/);
    }
    const dispatch = readFileSync(join(dir, 'dispatch.svg'), 'utf8');
    expect(dispatch).toContain('no-p2p, seed 2');
    expect(dispatch).toMatch(/class="mark-line/);
  });

  it('a second invocation reruns nothing and writes the same sweep.json', async () => {
    const mtimes = readdirSync(join(dir, 'runs')).map((f) => statSync(join(dir, 'runs', f)).mtimeMs);
    const before = readFileSync(join(dir, 'sweep.json'), 'utf8');
    const again = await sweep([...ARGS, '--no-plots'], cwd);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/6 of 6 already done/);
    expect(again.out).not.toMatch(/running/);
    expect(readdirSync(join(dir, 'runs')).map((f) => statSync(join(dir, 'runs', f)).mtimeMs)).toEqual(mtimes);
    expect(readFileSync(join(dir, 'sweep.json'), 'utf8')).toBe(before);
  });

  it('reruns only the missing runs and the ones whose stored spec no longer matches, with the same results', async () => {
    const files = readdirSync(join(dir, 'runs')).sort();
    const before = readFileSync(join(dir, 'sweep.json'), 'utf8');
    const deleted = join(dir, 'runs', files[0]);
    const deletedText = readFileSync(deleted, 'utf8');
    rmSync(deleted);
    const stale = join(dir, 'runs', files[4]);
    const staleText = readFileSync(stale, 'utf8');
    const tampered = JSON.parse(staleText);
    tampered.spec.config_hash = 'from-another-config';
    tampered.row.savings_percent = -1;
    writeFileSync(stale, JSON.stringify(tampered));
    const again = await sweep([...ARGS, '--no-plots', '--workers', '1'], cwd);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/4 of 6 already done; running 2 on 1 worker thread/);
    expect(readFileSync(deleted, 'utf8')).toBe(deletedText);
    expect(readFileSync(stale, 'utf8')).toBe(staleText);
    expect(readFileSync(join(dir, 'sweep.json'), 'utf8')).toBe(before);
  });
});

describe('wattswap sweep with an invalid spec', () => {
  it('lists every bad combination with its field path, exits 2 and writes nothing', async () => {
    const cwd = sandbox();
    const r = await sweep(
      ['--scenarios', 'baseline-summer,no-p2p', '--seeds', '1..2', '--param', 'battery.capacityKwh=-5,10', '--param', 'market.rule=instant,auction', '--config', 'fast.json', '--out', 'sw'],
      cwd,
    );
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^wattswap sweep: invalid configuration \(WATTSWAP_ERR_CONFIG\); nothing was run/);
    // 2 scenarios × 2 capacities × 2 rules = 8 combinations, of which 6 are bad
    expect(r.err.match(/^✖ scenario /gm)).toHaveLength(6);
    expect(r.err).toContain('✖ scenario no-p2p, battery.capacityKwh=-5, market.rule=instant:\n    ✖ battery.capacityKwh: Too small: expected number to be >0');
    expect(r.err).toContain('✖ scenario baseline-summer, battery.capacityKwh=10, market.rule=auction:\n    ✖ market.rule: Invalid option');
    expect(r.err).not.toContain('battery.capacityKwh=10, market.rule=instant:');
    expect(existsSync(join(cwd, 'sw'))).toBe(false);
    expect(readdirSync(cwd)).toEqual(['fast.json']);
  });

  it('reports every problem of the spec itself at once', async () => {
    const cwd = sandbox();
    const r = await sweep(['--scenarios', 'baseline-summer,heatwave-1850', '--seeds', '3..1', '--param', 'seed=1,2', '--workers', '0', '--plot-run', 'x'], cwd);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toEqual([
      'wattswap sweep: invalid sweep; nothing was run',
      '✖ --seeds "3..1": range 3..1 runs backwards',
      '✖ --param "seed=1,2": seed cannot be swept as a parameter (use --seeds)',
      '✖ --workers "0": expected a whole number ≥ 1',
      '✖ --plot-run "x": expected scenario:seed, e.g. baseline-summer:1',
      expect.stringMatching(/^✖ --scenarios: unknown scenario "heatwave-1850" \(did you mean "heatwave-2022"\?\); known: .*\bno-p2p\b/),
    ]);
    expect(readdirSync(cwd)).toEqual(['fast.json']);
  });

  it('refuses an unknown --param path with the words `run` uses', async () => {
    const cwd = sandbox();
    const r = await sweep(['--scenarios', 'winter', '--seeds', '1', '--param', 'agents.forcaster=seasonal-naive,perfect', '--out', 'sw'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'wattswap sweep: invalid sweep; nothing was run\n✖ --param agents.forcaster: agents has no field "forcaster" (did you mean "forecaster"?); its fields: strategy, cvar, forecaster, horizonIntervals, reserveQuantile',
    );
    expect(readdirSync(cwd)).toEqual(['fast.json']);
  });

  it('refuses an unreadable base config for every scenario, exit 2, nothing written', async () => {
    const cwd = sandbox();
    writeFileSync(join(cwd, 'bad.json'), '{ "seed": 4');
    const r = await sweep(['--scenarios', 'no-p2p,winter', '--seeds', '1', '--config', 'bad.json', '--out', 'sw'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wattswap sweep: invalid configuration \(WATTSWAP_ERR_CONFIG\); nothing was run\n✖ scenario no-p2p \(before any --param\):\n {4}✖ .*bad\.json is not valid JSON/);
    expect(r.err.match(/before any --param/g)).toHaveLength(2);
    expect(readdirSync(cwd).sort()).toEqual(['bad.json', 'fast.json']);
  });

  it('refuses a --plot-run that is not in the sweep', async () => {
    const cwd = sandbox();
    const r = await sweep(['--scenarios', 'no-p2p', '--seeds', '1', '--config', 'fast.json', '--plot-run', 'no-p2p:9'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--plot-run no-p2p:9: no such run in this sweep/);
    expect(readdirSync(cwd)).toEqual(['fast.json']);
  });
});
