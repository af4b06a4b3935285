/**
 * A sweep worker: takes runs from the BullMQ queue and computes each with the same task as the
 * local dispatcher (runSweepTask, in a piscina pool of worker threads), so a run's row is the
 * same wherever it ran. A killed worker loses nothing: its job's lock expires and another
 * worker's stalled-job check puts the job back in the queue.
 */
import { Worker, type Job } from 'bullmq';
import { Piscina } from 'piscina';
import type { SweepRow } from '../contract.ts';
import { redisOptionsOf, SWEEP_QUEUE_NAME, taskInputOfJob, type SweepJobData } from './jobs.ts';
import type { SweepTaskInput } from '../worker.ts';

const WORKER_URL = new URL('../worker.mjs', import.meta.url);

export type QueueJobEvent =
  | { type: 'active'; key: string; attempt: number }
  | { type: 'completed'; key: string; seconds: number }
  | { type: 'failed'; key: string; seconds: number; error: string; final: boolean };

export interface QueueWorkerOptions {
  /** redis://HOST:PORT */
  connection: string;
  queueName?: string;
  /** runs at once (default 1); the default runner gives each its own worker thread */
  concurrency?: number;
  /** computes one run (default: runSweepTask in a piscina pool of `concurrency` threads) */
  runJob?: (input: SweepTaskInput) => Promise<SweepRow>;
  /** the lock on a running job, renewed every half of it; a dead worker's job is rerun after it expires (default 30000 ms) */
  lockDurationMs?: number;
  /** how often this worker looks for jobs whose worker died (default 30000 ms) */
  stalledIntervalMs?: number;
  /** times a run may be recovered from dead workers before it fails (default 2) */
  maxStalledCount?: number;
  /** shown in BullMQ's worker list */
  name?: string;
  onJob?: (e: QueueJobEvent) => void;
  /** connection errors while running (the worker keeps reconnecting) */
  onError?: (e: Error) => void;
}

export interface QueueWorkerHandle {
  worker: Worker<SweepJobData, SweepRow>;
  /** runs in progress */
  active(): number;
  /** Stops taking jobs; waits for the runs in progress (or, with force, abandons them to another worker). */
  close(force?: boolean): Promise<void>;
}

/** Starts a worker on the queue; resolves once it is connected. */
export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const concurrency = opts.concurrency ?? 1;
  let pool: Piscina<SweepTaskInput, SweepRow> | null = null;
  const runJob =
    opts.runJob ??
    ((input: SweepTaskInput) => {
      pool ??= new Piscina<SweepTaskInput, SweepRow>({ filename: WORKER_URL.href, minThreads: concurrency, maxThreads: concurrency, idleTimeout: 60_000 });
      return pool.run(input);
    });
  let active = 0;
  const started = new Map<string, number>();
  const processor = async (job: Job<SweepJobData, SweepRow>): Promise<SweepRow> => {
    const input = taskInputOfJob(job.data, job.id);
    active++;
    started.set(input.key, performance.now());
    opts.onJob?.({ type: 'active', key: input.key, attempt: job.attemptsMade + 1 });
    try {
      return await runJob(input);
    } finally {
      active--;
    }
  };
  const worker = new Worker<SweepJobData, SweepRow>(opts.queueName ?? SWEEP_QUEUE_NAME, processor, {
    connection: redisOptionsOf(opts.connection, 'worker'),
    concurrency,
    name: opts.name,
    lockDuration: opts.lockDurationMs ?? 30_000,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    maxStalledCount: opts.maxStalledCount ?? 2,
    autorun: false,
  });
  const seconds = (key: string) => (performance.now() - (started.get(key) ?? performance.now())) / 1000;
  worker.on('completed', (job) => {
    opts.onJob?.({ type: 'completed', key: job.id ?? job.name, seconds: seconds(job.id ?? '') });
    started.delete(job.id ?? '');
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
    opts.onJob?.({ type: 'failed', key: job.id ?? job.name, seconds: seconds(job.id ?? ''), error: err.message, final });
    started.delete(job.id ?? '');
  });
  worker.on('error', (e) => opts.onError?.(e));
  try {
    await worker.waitUntilReady();
  } catch (e) {
    await worker.close(true).catch(() => {});
    throw e;
  }
  void worker.run().catch((e: Error) => opts.onError?.(e));
  return {
    worker,
    active: () => active,
    close: async (force = false) => {
      await worker.close(force);
      const p = pool as Piscina<SweepTaskInput, SweepRow> | null;
      if (p) await p.destroy();
    },
  };
}
