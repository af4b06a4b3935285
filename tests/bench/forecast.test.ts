import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** The forecasting benchmark in its tiny size (figures live in the README, not in tests). */
describe('bench/forecast.ts', () => {
  it('--only inference --sizes 10 --json writes one row per size with households and inference_ms_per_interval', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattswap-bench-'));
    try {
      const file = join(dir, 'forecast.json');
      await run(process.execPath, ['cli/bin/run-ts.mjs', 'bench/forecast.ts', '--only', 'inference', '--sizes', '10,12', '--json', file]);
      const report = JSON.parse(readFileSync(file, 'utf8')) as { inference: Record<string, unknown>[]; tensors_left: number };
      expect(report.inference.map((r) => r.households)).toEqual([10, 12]);
      for (const row of report.inference) {
        expect(row.inference_ms_per_interval).toBeGreaterThan(0);
        expect(row.before_ms).toBeGreaterThan(0);
        expect(row.threads).toBe(1);
      }
      expect(report.tensors_left).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--only profile lists the kernels of one chunk before and after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattswap-bench-'));
    try {
      const file = join(dir, 'profile.json');
      await run(process.execPath, ['cli/bin/run-ts.mjs', 'bench/forecast.ts', '--only', 'profile', '--sizes', '8', '--json', file]);
      const report = JSON.parse(readFileSync(file, 'utf8')) as { profile: Record<string, Record<string, { calls: number }>> };
      expect(report.profile.before.BatchMatMul.calls).toBe(4);
      expect(report.profile.after.BatchMatMul.calls).toBe(4);
      expect(report.profile.after.SplitV).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad --sizes list with exit code 2', async () => {
    const failed = await run(process.execPath, ['cli/bin/run-ts.mjs', 'bench/forecast.ts', '--only', 'inference', '--sizes', '10,x']).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringMatching(/--sizes takes whole numbers of homes, got 10,x/) });
  });
});
