/**
 * Runs sweep tasks in a piscina pool of worker threads; each finished run is saved to the sweep
 * directory at once, so a stopped sweep loses only the runs in flight.
 */
import { Piscina } from 'piscina';
import type { SweepRow } from './contract.ts';
import type { SweepTask } from './plan.ts';
import { runFileOf, writeRunFile } from './store.ts';
import type { SweepTaskInput } from './worker.ts';

/** The worker's input for a planned run. */
export function taskInputOf(task: SweepTask): SweepTaskInput {
  return { key: task.key, scenario: task.scenario, seed: task.seed, params: task.params, config: task.config, ...(task.detail ? { detail: true } : {}) };
}

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

export interface SweepFailure {
  task: SweepTask;
  message: string;
}

export interface PoolOptions {
  threads: number;
  /** the sweep directory: each row goes to runs/<key>.json */
  dir: string;
  /** a run finished and was saved */
  onRow(task: SweepTask, row: SweepRow): void;
  /** a run finished or failed (for a progress bar) */
  onSettled?(task: SweepTask): void;
}

/** Runs the tasks; returns the ones that failed, with the reason. */
export async function runSweepTasks(tasks: readonly SweepTask[], opts: PoolOptions): Promise<SweepFailure[]> {
  if (tasks.length === 0) return [];
  const { threads, dir } = opts;
  const pool = new Piscina<SweepTaskInput, SweepRow>({ filename: WORKER_URL.href, minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  const failures: SweepFailure[] = [];
  try {
    await Promise.all(
      tasks.map(async (task) => {
        try {
          const row = await pool.run(taskInputOf(task));
          writeRunFile(dir, runFileOf(task, row));
          opts.onRow(task, row);
        } catch (e) {
          failures.push({ task, message: (e as Error).message ?? String(e) });
        }
        opts.onSettled?.(task);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return failures;
}
