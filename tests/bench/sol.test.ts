/**
 * bench/sol.ts in a tiny CI size: it runs the kernel and both engine modes and reports the ratios
 * (their values are measurements for the README, not checked here).
 */
import { describe, expect, it } from 'vitest';
import { runBenchJson } from './helpers.ts';

describe('bench/sol.ts, tiny', () => {
  it('runs the kernel and the engine (one thread, and with its days on a worker) on 50 homes × 1 day and reports both ratios', () => {
    const r = runBenchJson('sol.ts', ['--households', '50', '--days', '1', '--rounds', '1']);
    expect(r).toMatchObject({ households: 50, days: 1, rounds: 1 });
    for (const k of ['sol_household_ticks_per_s', 'engine_household_ticks_per_s', 'engine_day_thread_household_ticks_per_s']) {
      expect(r[k], k).toHaveLength(1);
      expect(r[k][0], k).toBeGreaterThan(0);
    }
    expect(r.ratio).toBeGreaterThan(0);
    expect(r.ratio_day_thread).toBeGreaterThan(0);
  }, 120_000);
});
