import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerEvaluateCommand } from '../../../cli/commands/evaluate.ts';
import { EvaluationReportSchema, evaluationJsonSchemas } from '../../../evaluate/index.ts';

function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wattswap-evaluate-'));
  writeFileSync(join(dir, 'sim.config.json'), JSON.stringify({ seed: 3, households: { count: 3 } }));
  return dir;
}

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  let code = -1;
  const program = new Command().exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerEvaluateCommand(program, { out: (s) => out.push(s), err: (s) => err.push(s), progress: false }, (c) => (code = c), cwd);
  try {
    await program.parseAsync(['node', 'wattswap', 'evaluate-forecasts', ...args]);
  } catch {
    code = code === -1 ? 2 : code;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('wattswap evaluate-forecasts', () => {
  it('prints the tables and the verdict and writes the report atomically', async () => {
    const cwd = sandbox();
    const r = await cli(['--history-days', '21', '--test-days', '2', '--cold-start-days', '7', '--out', 'eval/report.json'], cwd);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Load — established homes/);
    expect(r.out).toMatch(/Verdict/);
    expect(r.out).toMatch(/wall time: [\d.]+ s/);
    const report = EvaluationReportSchema.parse(JSON.parse(readFileSync(join(cwd, 'eval', 'report.json'), 'utf8')));
    expect([report.data.seed, report.data.households, report.data.history.days]).toEqual([3, 3, 21]);
    expect(report.timing?.total_s).toBeGreaterThan(0);
    expect(readdirSync(join(cwd, 'eval'))).toEqual(['report.json']);
  });

  it('refuses bad numbers with exit 2 and writes nothing', async () => {
    const cwd = sandbox();
    const r = await cli(['--test-days', 'x', '--history-days', '-3', '--out', 'o.json'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toBe('wattswap evaluate-forecasts: --history-days "-3": expected a whole number; --test-days "x": expected a whole number');
    expect(existsSync(join(cwd, 'o.json'))).toBe(false);
  });

  it('refuses a test window the gate cannot split', async () => {
    const r = await cli(['--history-days', '21', '--test-days', '1'], sandbox());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/test days must be a whole number from 2/);
  });

  it('reports a bad config the way the other commands do', async () => {
    const r = await cli(['--households', '0'], sandbox());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid configuration \(WATTSWAP_ERR_CONFIG\)[\s\S]*households\.count \(--households\)/);
  });

  it('evaluates imported meter data with the same rows, seasonal-mean-7d and gated among them', async () => {
    const homes = join(import.meta.dirname, '../../../data/real-homes');
    const cwd = sandbox();
    const r = await cli(
      ['--meter', join(homes, 'meter.csv'), '--weather', join(homes, 'weather.csv'), '--param', 'weather.latitudeDeg=34.09', '--param', 'weather.longitudeDeg=-117.43', '--start', '2025-08-25', '--test-days', '2', '--cold-start-days', '7', '--json'],
      cwd,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = EvaluationReportSchema.parse(JSON.parse(r.out));
    // the data starts 2025-08-04: the history is shortened to the 21 days there are
    expect(report.data.history).toEqual({ first_day: '2025-08-04', last_day: '2025-08-24', days: 21 });
    expect(report.data.established_homes).toEqual(['home01', 'home02', 'home03', 'home04']);
    expect(report.data.cold_start_homes).toEqual(['home05']);
    const models = new Set(report.rows.map((x) => x.model));
    for (const m of ['seasonal-naive-day', 'seasonal-mean-7d', 'fedavg-global', 'gated']) expect(models.has(m as never), m).toBe(true);
    const gated = report.rows.find((x) => x.model === 'gated' && x.cohort === 'established' && x.series === 'load' && x.horizon === '1-6');
    expect(gated?.mae_kwh).toBeGreaterThan(0);
  });

  it('refuses a test window the meter data does not cover, exit 2', async () => {
    const homes = join(import.meta.dirname, '../../../data/real-homes');
    const r = await cli(['--meter', join(homes, 'meter.csv'), '--start', '2027-01-01', '--test-days', '2'], sandbox());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad input file[\s\S]*is not covered by the data/);
  });

  it('publishes a JSON Schema of the report generated from the zod schema', () => {
    const schema = evaluationJsonSchemas()['evaluation.schema.json'] as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toContain('rows');
  });
});
