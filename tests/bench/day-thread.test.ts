/**
 * bench/day-thread.ts in a tiny CI size: it times whole runs on one thread and with the day worker
 * (the times are measurements for the README, not checked here).
 */
import { describe, expect, it } from 'vitest';
import { runBenchJson } from './helpers.ts';

describe('bench/day-thread.ts, tiny', () => {
  it('times 50 homes × 1 day on one thread and with its days on a worker', () => {
    const r = runBenchJson('day-thread.ts', ['--households', '50', '--days', '1', '--rounds', '1']);
    expect(r).toMatchObject({ households: 50, days: 1, history_days: 7, rounds: 1 });
    for (const mode of ['one_thread', 'day_thread']) {
      expect(r[mode], mode).toHaveLength(1);
      expect(r[mode][0].wallSeconds, mode).toBeGreaterThan(0);
      expect(r[mode][0].cpuSeconds, mode).toBeGreaterThan(0);
    }
  }, 120_000);
});
