/** examples/parquet-duckdb.ts on a fresh Parquet run: it reads both files and prints every home. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wattswap-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/parquet-duckdb.ts', () => {
  it('sums each home, the evening peak and the trades of a Parquet run', async () => {
    const quiet = { out: () => {}, err: () => {}, progress: false as const };
    const args = ['run', '--households', '3', '--format', 'parquet', '--param', 'time.historyDays=7', '--param', 'baselines.perfectForesight=false', '--param', 'households.exportMix={"nem2":0,"nbt23":0,"nbt24":0,"nbt25":0,"nbt26":1}', '--out', join(dir, 'run')];
    expect(await main(['node', 'wattswap', ...args], dir, quiet)).toBe(0);
    const r = spawnSync(process.execPath, [join(repo, 'cli/bin/run-ts.mjs'), join(repo, 'examples/parquet-duckdb.ts'), join(dir, 'run')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const column of ['energy_cost_usd', 'community_import_kwh', 'delivered_kwh']) expect(r.stdout).toContain(column);
    for (const home of ['h01', 'h02', 'h03']) expect(r.stdout).toContain(`'${home}'`);
  });
});
