/**
 * The coordinator of a distributed sweep: enqueues every planned run as a BullMQ job whose id is
 * the run's key and collects the rows as workers finish them. Rows stay in Redis as the jobs'
 * return values and the CLI saves each in the sweep directory as it arrives, so a restarted
 * coordinator neither enqueues nor reruns a finished run.
 */
import { Job, Queue, QueueEvents } from 'bullmq';
import type { SweepRow } from '../contract.ts';
import type { SweepTask } from '../plan.ts';
import { runFileOf, writeRunFile } from '../store.ts';
import { jobDataOf, redisOptionsOf, rowOfJobResult, shownUrl, SWEEP_QUEUE_NAME, type SweepJobData } from './jobs.ts';

export { parseQueueUrl, probeRedis, shownUrl } from './jobs.ts';

export interface EnqueueOptions {
  /** redis://HOST:PORT */
  connection: string;
  queueName?: string;
  /** tries per run before it is reported as failed (default 2: a crash of a worker thread is retried once) */
  attempts?: number;
  /** how often the pending runs are checked besides the queue's events (default 2000 ms, 10 ms per run for large sweeps) */
  pollMs?: number;
  /** the coordinator gives up when Redis has not answered for this long (default 15000 ms) */
  giveUpMs?: number;
  onResult?: (task: SweepTask, row: SweepRow) => void;
  onFailure?: (task: SweepTask, message: string) => void;
}

export interface QueueFailure {
  task: SweepTask;
  message: string;
}

export interface EnqueueResult {
  rows: Map<string, SweepRow>;
  failures: QueueFailure[];
  /** jobs this call added (the others were in the queue already, waiting, running or done) */
  added: number;
}

/** Lost Redis during a sweep (after the start-up probe succeeded). */
export class QueueUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnavailableError';
  }
}

/**
 * Enqueues the runs (job id = run key; a job already in the queue is not added again) and resolves
 * when every run has a row or a final failure. A finished job from an earlier call is collected
 * without running again; an earlier failure, or a job of another config under the same key, is
 * replaced by a fresh job.
 */
export async function enqueueSweep(plan: { tasks: readonly SweepTask[] }, opts: EnqueueOptions): Promise<EnqueueResult> {
  const name = opts.queueName ?? SWEEP_QUEUE_NAME;
  const connection = redisOptionsOf(opts.connection, 'coordinator');
  const queue = new Queue<SweepJobData, SweepRow>(name, {
    connection,
    defaultJobOptions: { attempts: opts.attempts ?? 2, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: false, removeOnFail: false },
  });
  const events = new QueueEvents(name, { connection: { ...connection, maxRetriesPerRequest: null } }); // a blocking client
  let lastError: Error | null = null;
  const onError = (e: Error) => (lastError = e);
  queue.on('error', onError);
  events.on('error', onError);

  const pending = new Map(plan.tasks.map((t) => [t.key, t]));
  const result: EnqueueResult = { rows: new Map(), failures: [], added: 0 };
  const busy = new Set<string>();
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    let finish!: () => void;
    let abort!: (e: Error) => void;
    const done = new Promise<void>((resolve, reject) => ((finish = resolve), (abort = reject)));
    const settle = (task: SweepTask, outcome: { row: SweepRow } | { error: string }) => {
      if (!pending.delete(task.key)) return;
      if ('row' in outcome) {
        result.rows.set(task.key, outcome.row);
        opts.onResult?.(task, outcome.row);
      } else {
        result.failures.push({ task, message: outcome.error });
        opts.onFailure?.(task, outcome.error);
      }
      if (pending.size === 0) finish();
    };
    const check = async (task: SweepTask, first: boolean) => {
      if (busy.has(task.key) || !pending.has(task.key)) return;
      busy.add(task.key);
      try {
        const outcome = await inspect(queue, task, first);
        if (outcome === 'added') result.added++;
        else if (outcome !== 'pending') settle(task, outcome);
      } finally {
        busy.delete(task.key);
      }
    };
    const onEvent = ({ jobId }: { jobId: string }) => {
      const task = pending.get(jobId);
      if (task) check(task, false).catch(() => {}); // the poll below retries and reports
    };
    events.on('completed', onEvent);
    events.on('failed', onEvent);

    if (pending.size === 0) finish();
    for (const task of plan.tasks) await check(task, true);
    // give up after enough consecutive failed polls to span giveUpMs (counted, not timed: no clock read here)
    const pollMs = opts.pollMs ?? Math.max(2000, 10 * plan.tasks.length);
    const failedPollsToGiveUp = Math.max(1, Math.ceil((opts.giveUpMs ?? 15_000) / pollMs));
    let failedPolls = 0;
    const poll = setInterval(() => {
      Promise.all([...pending.values()].map((t) => check(t, false))).then(
        () => (failedPolls = 0),
        (e: Error) => {
          if (++failedPolls > failedPollsToGiveUp) {
            abort(new QueueUnavailableError(`lost Redis at ${shownUrl(opts.connection)}: ${(lastError ?? e).message}`));
          }
        },
      );
    }, pollMs); // a safety net: the queue's events do the work
    try {
      await done;
    } finally {
      clearInterval(poll);
    }
    return result;
  } catch (e) {
    if (e instanceof QueueUnavailableError) throw e;
    throw new QueueUnavailableError(`Redis at ${shownUrl(opts.connection)}: ${(e as Error).message}`);
  } finally {
    await Promise.allSettled([events.close(), queue.close()]);
  }
}

type Outcome = 'added' | 'pending' | { row: SweepRow } | { error: string };

/** One run's job: add it when missing or stale; its row or final error when it has finished. */
async function inspect(queue: Queue<SweepJobData, SweepRow>, task: SweepTask, first: boolean): Promise<Outcome> {
  const job: Job<SweepJobData, SweepRow> | undefined = await queue.getJob(task.key);
  const add = async (): Promise<Outcome> => {
    await queue.add(task.key, jobDataOf(task), { jobId: task.key });
    return 'added';
  };
  if (!job) return add();
  const state = await job.getState();
  const sameRun = job.data?.config_hash === task.configHash;
  if (!sameRun || (first && state === 'failed')) {
    if (state === 'active') return 'pending'; // another config's run holds the key: replaced when it ends
    await job.remove();
    return add();
  }
  if (state === 'completed') {
    const row = rowOfJobResult(job.returnvalue, task);
    return row.ok ? { row: row.value } : { error: row.reason };
  }
  if (state === 'failed') return { error: job.failedReason || 'failed without a reason' };
  return 'pending';
}

/**
 * `wattswap sweep --queue`: runs the tasks through the queue, saving each row in the sweep
 * directory as it arrives (as the local dispatcher does); `onSettled` hears of each finished or
 * failed run (the CLI's progress).
 */
export async function runQueuedSweep(
  tasks: SweepTask[],
  opts: { connection: string; dir: string; queueName?: string; onSettled?: (task: SweepTask) => void },
  onRow: (t: SweepTask, row: SweepRow) => void,
): Promise<QueueFailure[]> {
  if (tasks.length === 0) return [];
  const settled = new Set<string>();
  try {
    const result = await enqueueSweep(
      { tasks },
      {
        connection: opts.connection,
        queueName: opts.queueName,
        onResult: (task, row) => {
          writeRunFile(opts.dir, runFileOf(task, row));
          onRow(task, row);
          settled.add(task.key);
          opts.onSettled?.(task);
        },
        onFailure: (task) => {
          settled.add(task.key);
          opts.onSettled?.(task);
        },
      },
    );
    return result.failures;
  } catch (e) {
    if (!(e instanceof QueueUnavailableError)) throw e;
    // the runs still out are reported like failed runs: the finished ones are saved, a rerun resumes
    return tasks.filter((t) => !settled.has(t.key)).map((task) => ({ task, message: `not finished: ${e.message}` }));
  }
}
