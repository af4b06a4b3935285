/**
 * Runs a planned city's communities with the sweep's machinery: finished communities are read
 * back from the sweep's run store (`runs/<key>.json`), the others run in the sweep's piscina pool of
 * worker threads or as jobs on its BullMQ queue for `wattswap worker`s. Either way each community's
 * row (with its detail) is computed by the same task and saved as it arrives.
 */
import { readDoneRun, runSweepTasks, type SweepFailure, type SweepRow } from '../sweep/index.ts';
import type { CityPlan, CityTask } from './plan.ts';

export interface CityRunOptions {
  /** the city directory (runs/ holds the run store) */
  dir: string;
  /** worker threads when running here */
  threads: number;
  /** redis://HOST:PORT: run on `wattswap worker`s instead (checked reachable by the caller) */
  queue?: string;
  /** a community finished or failed */
  onSettled?(task: CityTask): void;
}

export interface CityOutcome {
  /** by run key */
  rows: Map<string, SweepRow>;
  /** communities read back from an earlier, stopped run */
  resumed: number;
  failures: SweepFailure[];
}

/** The communities still to run (the others' rows come back from the run store). */
export function pendingCommunities(plan: CityPlan, dir: string): { rows: Map<string, SweepRow>; todo: CityTask[] } {
  const rows = new Map<string, SweepRow>();
  const todo: CityTask[] = [];
  for (const t of plan.tasks) {
    const done = readDoneRun(dir, t);
    if (done) rows.set(t.key, done.row);
    else todo.push(t);
  }
  return { rows, todo };
}

export async function runCity(plan: CityPlan, opts: CityRunOptions): Promise<CityOutcome> {
  const { rows, todo } = pendingCommunities(plan, opts.dir);
  const resumed = rows.size;
  const onRow = (t: { key: string }, row: SweepRow) => rows.set(t.key, row);
  const onSettled = (t: { key: string }) => opts.onSettled?.(t as CityTask);
  let failures: SweepFailure[];
  if (opts.queue) {
    const queue = await import('../sweep/queue/index.ts'); // BullMQ loads only for --queue
    failures = await queue.runQueuedSweep(todo, { connection: opts.queue, dir: opts.dir, onSettled }, onRow);
  } else failures = await runSweepTasks(todo, { threads: Math.min(opts.threads, Math.max(1, todo.length)), dir: opts.dir, onRow, onSettled });
  return { rows, resumed, failures };
}
