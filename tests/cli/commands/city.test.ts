import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CityDocumentSchema, CommunityFlowSchema, type CityDocument } from '../../../city/index.ts';
import { SummarySchema } from '../../../sim/index.ts';
import { city, CITY_FAST, filesOf } from '../../city/helpers.ts';

// 3 tiny communities on a feeder low enough to overload
const SPEC = ['--communities', '3', '--households', '2', '--config', 'fast.json', '--param', 'grid.feederLimitKw=3'];

describe('wattswap city, locally', () => {
  let cwd: string;
  let first: Awaited<ReturnType<typeof city>>;
  let doc: CityDocument;
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wattswap-city-'));
    writeFileSync(join(cwd, 'fast.json'), JSON.stringify(CITY_FAST));
    first = await city([...SPEC, '--workers', '2', '--format', 'parquet', '--out', 'one'], cwd, 'lines');
    doc = CityDocumentSchema.parse(JSON.parse(readFileSync(join(cwd, 'one', 'city.json'), 'utf8')));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('writes city.json, city.parquet and a folder per community, and shows progress as lines', () => {
    expect(first.code).toBe(0);
    expect(readdirSync(join(cwd, 'one')).sort()).toEqual(['city.json', 'city.parquet', 'communities', 'runs']);
    expect(readdirSync(join(cwd, 'one', 'communities'))).toEqual(['c001', 'c002', 'c003']);
    for (const c of ['c001', 'c002', 'c003']) expect(readdirSync(join(cwd, 'one', 'communities', c)).sort()).toEqual(['config.json', 'flow.json', 'summary.json']);
    expect([doc.communities, doc.households]).toEqual([3, 6]);
    expect(first.err).toMatch(/city: 3 of 3 communities done/);
    expect(first.out).toMatch(/city peak net import/);
  });

  it('agrees with the communities’ own files: bills, overloads, and the peak of the summed flow', () => {
    const flows = doc.rows.map((r) => CommunityFlowSchema.parse(JSON.parse(readFileSync(join(cwd, 'one', 'communities', r.community, 'flow.json'), 'utf8'))));
    const summaries = doc.rows.map((r) => SummarySchema.parse(JSON.parse(readFileSync(join(cwd, 'one', 'communities', r.community, 'summary.json'), 'utf8'))));
    const sum = flows[0].community_net_import_kw.map((_, t) => flows.reduce((s, f) => s + f.community_net_import_kw[t], 0));
    expect(doc.peak_net_import_kw).toBeCloseTo(Math.max(...sum), 9);
    expect(doc.savings_usd).toBeCloseTo(summaries.reduce((s, x) => s + x.savings, 0), 9);
    expect(doc.baseline_cost_usd).toBeCloseTo(summaries.reduce((s, x) => s + x.baseline_pge_cost, 0), 9);
    expect(doc.feeder_overload_intervals).toBe(summaries.reduce((s, x) => s + x.community.feeder_overload_intervals, 0));
    expect(doc.feeder_overload_intervals).toBeGreaterThan(0);
    expect(new Set(summaries.map((s) => s.run.seed)).size).toBe(3);
    expect(summaries.every((s) => s.community.feeder_limit_kw === 3)).toBe(true);
  });

  it('is byte-identical with another number of threads, and resumes without rerunning', async () => {
    const other = await city([...SPEC, '--workers', '1', '--format', 'parquet', '--out', 'two'], cwd);
    expect(other.code).toBe(0);
    expect(filesOf(join(cwd, 'two'))).toEqual(filesOf(join(cwd, 'one')));
    const again = await city([...SPEC, '--out', 'one'], cwd);
    expect(again.code).toBe(0);
    expect(again.out).toContain('3 of 3 communities were already done');
    expect(readFileSync(join(cwd, 'one', 'city.json'), 'utf8')).toBe(readFileSync(join(cwd, 'two', 'city.json'), 'utf8'));
  });

  it.each([
    [['--communities', '2', '--households', '0'], /a city with no homes/],
    [['--communities', '0'], /--communities "0": expected a whole number from 1/],
    [['--communities', '2', '--param', 'grid.feederLimitKw=-1'], /grid\.feederLimitKw/],
    [['--communities', '2', '--queue', 'redis://127.0.0.1:1'], /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/],
  ])('refuses %j with exit 2 and writes nothing', async (args, message) => {
    const r = await city([...args, '--config', 'fast.json', '--out', 'bad'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/nothing was run/);
    expect(existsSync(join(cwd, 'bad'))).toBe(false);
  });
});
