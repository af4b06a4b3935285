/**
 * What the sweep coordinator (`wattswap sweep --queue`) and the workers (`wattswap worker`) share:
 * the Redis URL and connection policies, the queue's name, and the job's data — a planned run with
 * its frozen config, whose job id is the run's key (so enqueueing a run twice adds nothing).
 */
import { Redis, type RedisOptions } from 'ioredis';
import { Queue, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { ParamsSchema, SweepRowSchema, type SweepRow } from '../contract.ts';
import { runConfigOf, type SweepTask } from '../plan.ts';
import { canonicalJson, sha256 } from '../spec.ts';
import type { SweepTaskInput } from '../worker.ts';
import type { SimConfig } from '../../sim/index.ts';

/** the BullMQ queue every sweep's runs go through (job ids are run keys, unique across sweeps of one spec) */
export const SWEEP_QUEUE_NAME = 'wattswap-sweep';
/** bumped when the job data changes shape: a worker refuses jobs of another protocol */
export const SWEEP_JOB_PROTOCOL = 2;
/** how long the CLI waits for Redis to answer before it gives up */
export const REDIS_CONNECT_TIMEOUT_MS = 3000;

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS); the reason names the flag. */
export function parseQueueUrl(text: string, flag = '--queue'): Checked<string> {
  const bad = (why: string): Checked<string> => ({ ok: false, reason: `${flag} "${text}": ${why}; expected redis://HOST:PORT` });
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return bad('not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return bad(`scheme ${url.protocol} is not redis: or rediss:`);
  if (url.hostname === '') return bad('no host');
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) return bad(`database "${db}" is not a number`);
  return { ok: true, value: url.href };
}

/** The URL with its password hidden, for messages. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}

/**
 * Connection options for BullMQ's clients. ioredis retries a lost connection forever by default;
 * the coordinator gives up after about 10 s (its finished runs are saved, a rerun resumes), a
 * worker keeps trying (a Redis restart must not stop a fleet of workers).
 */
export function redisOptionsOf(url: string, role: 'coordinator' | 'worker'): RedisOptions & { url: string } {
  return {
    url,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: role === 'coordinator' ? 2 : null,
    retryStrategy: role === 'coordinator' ? (times: number) => (times > 12 ? null : Math.min(250 * times, 1000)) : (times: number) => Math.min(500 * times, 5000),
  };
}

/** Connects once, without retrying, and pings: null when Redis answers, else a clear reason. */
export async function probeRedis(url: string, timeoutMs = REDIS_CONNECT_TIMEOUT_MS): Promise<string | null> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  let cause: Error | null = null;
  client.on('error', (e: Error) => (cause ??= e)); // the reason behind ioredis's "Connection is closed
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
  try {
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
    return null;
  } catch (e) {
    const reason = (cause as Error | null) ?? (e as Error);
    return `cannot reach Redis at ${shownUrl(url)}: ${reason.message || String(reason)}`;
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

export const SweepJobDataSchema = z.object({
  protocol: z.literal(SWEEP_JOB_PROTOCOL),
  key: z.string().min(1),
  scenario: z.string().min(1),
  seed: z.number().int(),
  params: ParamsSchema,
  config: z.record(z.string(), z.unknown()),
  /** sha256 of the run's config without outputs, as in the run file's spec */
  config_hash: z.string(),
  /** return the run's summary and net flow series with its row (a community of a city) */
  detail: z.boolean(),
});
export type SweepJobData = z.infer<typeof SweepJobDataSchema>;

export function jobDataOf(task: SweepTask): SweepJobData {
  return {
    protocol: SWEEP_JOB_PROTOCOL,
    key: task.key,
    scenario: task.scenario,
    seed: task.seed,
    params: task.params,
    config: task.config as unknown as Record<string, unknown>,
    config_hash: task.configHash,
    detail: task.detail ?? false,
  };
}

/**
 * The piscina task of a job, exactly as the local dispatcher builds it from a planned run. Data
 * that does not parse, or whose config does not hash to its `config_hash`, fails the job at once
 * (no retry): it comes from a coordinator of another version.
 */
export function taskInputOfJob(data: unknown, jobId: string | undefined): SweepTaskInput {
  const parsed = SweepJobDataSchema.safeParse(data);
  if (!parsed.success) {
    throw new UnrecoverableError(`job ${jobId ?? '?'}: not a wattswap sweep run (protocol ${SWEEP_JOB_PROTOCOL}): ${parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ')}`);
  }
  const d = parsed.data;
  const config = d.config as unknown as SimConfig;
  if (sha256(canonicalJson(runConfigOf(config))) !== d.config_hash) {
    throw new UnrecoverableError(`job ${d.key}: its config does not hash to its config_hash (a coordinator of another version?)`);
  }
  if (jobId !== undefined && jobId !== d.key) throw new UnrecoverableError(`job ${jobId}: its data is run ${d.key}`);
  return { key: d.key, scenario: d.scenario, seed: d.seed, params: d.params, config, ...(d.detail ? { detail: true } : {}) };
}

/** A job's return value as a row of `task`, or the reason it is not one. */
export function rowOfJobResult(value: unknown, task: SweepTask): Checked<SweepRow> {
  const parsed = SweepRowSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: `run ${task.key}: the worker's result is not a sweep row (${parsed.error.issues[0]?.message ?? 'invalid'})` };
  const row = value as SweepRow; // as returned: the row is stored exactly as the worker computed it
  if (row.key !== task.key) return { ok: false, reason: `run ${task.key}: the worker returned the row of ${row.key}` };
  if (task.detail && !row.detail) return { ok: false, reason: `run ${task.key}: the worker returned no detail (a worker of another version?)` };
  return { ok: true, value: row };
}

/** job states counted as the queue's depth: runs not yet taken by a worker */
export const QUEUE_DEPTH_STATES = ['waiting', 'prioritized', 'delayed'] as const;
const COUNTED_STATES = [...QUEUE_DEPTH_STATES, 'active', 'completed', 'failed'] as const;

export interface QueueStats {
  /** jobs by state (waiting, prioritized, delayed, active, completed, failed) */
  counts: Record<(typeof COUNTED_STATES)[number], number>;
  /** workers connected to the queue */
  workers: number;
}

export interface QueueStatsSource {
  /** the queue's job counts and workers; rejects when Redis does not answer within `timeoutMs` */
  stats(timeoutMs?: number): Promise<QueueStats>;
  close(): Promise<void>;
}

/** Read-only view of the sweep queue for /metrics: keeps reconnecting, never blocks a scrape for long. */
export function openQueueStats(url: string, queueName = SWEEP_QUEUE_NAME): QueueStatsSource {
  const queue = new Queue(queueName, { connection: { ...redisOptionsOf(url, 'worker'), maxRetriesPerRequest: 1 } });
  queue.on('error', () => {}); // a scrape reports Redis as down
  return {
    async stats(timeoutMs = 1000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs)));
      try {
        const [counts, workers] = await Promise.race([Promise.all([queue.getJobCounts(...COUNTED_STATES), queue.getWorkersCount()]), timeout]);
        return { counts: Object.fromEntries(COUNTED_STATES.map((s) => [s, counts[s] ?? 0])) as QueueStats['counts'], workers };
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => queue.close(),
  };
}
