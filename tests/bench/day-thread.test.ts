/**
 * bench/day-thread.ts in a tiny CI size: it times whole runs on one thread and with the day worker
 * (the times are measurements for the README, not checked here).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('bench/day-thread.ts, tiny', () => {
  it('times 50 homes × 1 day on one thread and with its days on a worker', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattswap-bench-'));
    const json = join(dir, 'day-thread.json');
    try {
      execFileSync(process.execPath, ['cli/bin/run-ts.mjs', 'bench/day-thread.ts', '--households', '50', '--days', '1', '--rounds', '1', '--json', json], { cwd: root, stdio: 'pipe' });
      const r = JSON.parse(readFileSync(json, 'utf8'));
      expect(r).toMatchObject({ households: 50, days: 1, history_days: 7, rounds: 1 });
      for (const mode of ['one_thread', 'day_thread']) {
        expect(r[mode], mode).toHaveLength(1);
        expect(r[mode][0].wallSeconds, mode).toBeGreaterThan(0);
        expect(r[mode][0].cpuSeconds, mode).toBeGreaterThan(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
