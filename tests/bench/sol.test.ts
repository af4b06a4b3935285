/**
 * bench/sol.ts in a tiny CI size: it runs the kernel and both engine modes and reports the ratios
 * (their values are measurements for the README, not checked here).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('bench/sol.ts, tiny', () => {
  it('runs the kernel and the engine (one thread, and with its days on a worker) on 50 homes × 1 day and reports both ratios', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattswap-bench-'));
    const json = join(dir, 'sol.json');
    try {
      execFileSync(process.execPath, ['cli/bin/run-ts.mjs', 'bench/sol.ts', '--households', '50', '--days', '1', '--rounds', '1', '--json', json], { cwd: root, stdio: 'pipe' });
      const r = JSON.parse(readFileSync(json, 'utf8'));
      expect(r).toMatchObject({ households: 50, days: 1, rounds: 1 });
      for (const k of ['sol_household_ticks_per_s', 'engine_household_ticks_per_s', 'engine_day_thread_household_ticks_per_s']) {
        expect(r[k], k).toHaveLength(1);
        expect(r[k][0], k).toBeGreaterThan(0);
      }
      expect(r.ratio).toBeGreaterThan(0);
      expect(r.ratio_day_thread).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
