/**
 * bench/parquet.ts in its tiny CI size: it runs and reports its figures (their values are
 * measurements for the README, not checked here).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('bench/parquet.ts --small', () => {
  it('writes the Parquet files of 100 homes × 2 days and reports size, time and memory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattswap-bench-'));
    const json = join(dir, 'parquet.json');
    execFileSync(process.execPath, ['cli/bin/run-ts.mjs', 'bench/parquet.ts', '--small', '--json', json], { cwd: root, stdio: 'pipe' });
    const r = JSON.parse(readFileSync(json, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    expect(r).toMatchObject({ mode: 'replay', households: 100, days: 2, rows: 9600, compression: 'zstd' });
    for (const k of ['write_seconds', 'write_cpu_seconds', 'timeline_parquet_mb', 'trades_parquet_mb', 'peak_rss_mb']) expect(typeof r[k], k).toBe('number');
    expect(r.timeline_parquet_mb).toBeGreaterThan(0);
  }, 120_000);
});
