/**
 * bench/parquet.ts in its tiny CI size: it runs and reports its figures (their values are
 * measurements for the README, not checked here).
 */
import { describe, expect, it } from 'vitest';
import { runBenchJson } from './helpers.ts';

describe('bench/parquet.ts --small', () => {
  it('writes the Parquet files of 100 homes × 2 days and reports size, time and memory', () => {
    const r = runBenchJson('parquet.ts', ['--small']);
    expect(r).toMatchObject({ mode: 'replay', households: 100, days: 2, rows: 9600, compression: 'zstd' });
    for (const k of ['write_seconds', 'write_cpu_seconds', 'timeline_parquet_mb', 'trades_parquet_mb', 'peak_rss_mb']) expect(typeof r[k], k).toBe('number');
    expect(r.timeline_parquet_mb).toBeGreaterThan(0);
  }, 120_000);
});
