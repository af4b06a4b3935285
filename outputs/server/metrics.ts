/**
 * Prometheus metrics (prom-client), one Registry per server or worker — never prom-client's
 * global default registry — exposed as GET /metrics by a fastify plugin.
 *
 * The server's figures are what it observes of its runs' record streams (runs.ts) and of its
 * sockets (stream.ts): runs by status, engine ticks, intervals dropped for slow viewers, FedAvg
 * round times (the wall time from the engine's previous record to the round's record, as
 * received), connected sockets; with a queue URL also the distributed sweep queue's depth and
 * workers. A sweep worker (`wattswap worker --metrics-port`) has its own registry with its jobs.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import type { Server as SocketServer } from 'socket.io';
import { QUEUE_DEPTH_STATES, type QueueJobEvent, type QueueStatsSource } from '../../sweep/queue/index.ts';
import type { Run, RunManager } from './runs.ts';

export const RUN_STATUSES = ['started', 'done', 'failed', 'cancelled'] as const;

export interface MetricsPluginOptions {
  /** default: a new Registry of this server's own */
  registry?: Registry;
  /** the server's runs (omitted on a sweep worker) */
  runs?: RunManager;
  /** the server's socket.io server */
  io?: SocketServer;
  /** the distributed sweep queue to report on */
  queue?: QueueStatsSource | null;
}

/** GET /metrics in Prometheus text format; the registry gets the server's metrics (and the queue's, when given). */
export async function metricsPlugin(app: FastifyInstance, opts: MetricsPluginOptions): Promise<void> {
  const registry = opts.registry ?? new Registry();
  const stops: (() => void)[] = [];
  if (opts.runs) stops.push(observeRuns(registry, opts.runs));
  if (opts.io) observeSockets(registry, opts.io);
  if (opts.queue) observeQueue(registry, opts.queue);
  app.addHook('onClose', async () => {
    for (const stop of stops) stop();
    await opts.queue?.close();
  });
  app.get(
    '/metrics',
    { schema: { tags: ['meta'], summary: 'Prometheus metrics (text exposition format)', produces: ['text/plain'] } },
    async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}

interface Seen {
  state: Run['state'];
  produced: number;
  dropped: number;
  firstTickAt: number | null;
}

/** Runs by status, engine ticks, dropped intervals and FedAvg rounds, from the runs' notices (and at every scrape). */
function observeRuns(registry: Registry, runs: RunManager): () => void {
  const registers = [registry];
  const seen = new Map<Run, Seen>();
  const runsTotal = new Counter({
    name: 'wattswap_runs_total',
    help: 'runs by the status they reached: started, then done, failed or cancelled',
    labelNames: ['status'],
    registers,
    // registered first: brings every counter up to date before the scrape reads them
    collect: () => {
      for (const run of runs.list()) sync(run);
    },
  });
  for (const status of RUN_STATUSES) runsTotal.inc({ status }, 0);
  const ticks = new Counter({ name: 'wattswap_engine_ticks_total', help: 'trading intervals the engines produced (rate() gives engine ticks per second)', registers });
  const dropped = new Counter({ name: 'wattswap_dropped_intervals_total', help: 'intervals skipped for viewers that fell behind the broadcast, summed over viewers', registers });
  const rounds = new Histogram({
    name: 'wattswap_fedavg_round_seconds',
    help: 'FedAvg round time: wall time from the engine record before a round to the round record, as the server received them',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const sync = (run: Run) => {
    const s = seen.get(run);
    if (!s) return;
    if (run.produced > s.produced) {
      ticks.inc(run.produced - s.produced);
      s.produced = run.produced;
      s.firstTickAt ??= performance.now();
    }
    if (run.dropped > s.dropped) {
      dropped.inc(run.dropped - s.dropped);
      s.dropped = run.dropped;
    }
    if (run.state !== s.state) {
      s.state = run.state;
      if (run.state !== 'running') runsTotal.inc({ status: run.state });
    }
  };
  new Gauge({
    name: 'wattswap_runs',
    help: 'runs the server holds, by status',
    labelNames: ['status'],
    registers,
    collect() {
      this.reset();
      for (const status of ['running', 'done', 'failed', 'cancelled']) this.set({ status }, 0);
      for (const run of runs.list()) this.inc({ status: run.state });
    },
  });
  new Gauge({
    name: 'wattswap_engine_ticks_per_second',
    help: 'trading intervals per second of the runs now trading, summed (each: intervals so far over the time since its first)',
    registers,
    collect() {
      let rate = 0;
      const now = performance.now();
      for (const [run, s] of seen) {
        if (run.active && run.phase === 'trading' && s.firstTickAt !== null && now > s.firstTickAt) rate += (s.produced * 1000) / (now - s.firstTickAt);
      }
      this.set(rate);
    },
  });
  const subs: Subscription[] = [];
  subs.push(
    runs.created$.subscribe((run) => {
      seen.set(run, { state: 'running', produced: 0, dropped: 0, firstTickAt: null });
      runsTotal.inc({ status: 'started' });
      subs.push(
        run.notices$.subscribe({
          next: (n) => {
            if (n.type === 'federated') rounds.observe(run.recordGapMs / 1000);
            sync(run);
            if (n.type === 'disposed') seen.delete(run);
          },
          complete: () => seen.delete(run),
        }),
      );
    }),
  );
  return () => {
    for (const sub of subs) sub.unsubscribe();
    seen.clear();
  };
}

function observeSockets(registry: Registry, io: SocketServer): void {
  new Gauge({
    name: 'wattswap_socket_connections',
    help: 'socket.io clients connected to the live stream',
    registers: [registry],
    collect() {
      this.set(io.of('/').sockets.size);
    },
  });
}

/** Depth and workers of the distributed sweep queue, read from Redis at each scrape. */
function observeQueue(registry: Registry, queue: QueueStatsSource): void {
  const registers = [registry];
  type Stats = Awaited<ReturnType<QueueStatsSource['stats']>>;
  let last: Stats | null = null;
  // the registry collects its metrics concurrently: one Redis read serves a whole scrape
  let reading: { at: number; done: Promise<boolean> } | null = null;
  const read = (): Promise<boolean> => {
    const now = performance.now();
    if (!reading || now - reading.at > 250) {
      reading = {
        at: now,
        done: queue.stats().then(
          (s) => ((last = s), true),
          () => false,
        ),
      };
    }
    return reading.done;
  };
  const gauge = (name: string, help: string, set: (g: Gauge, s: Stats, up: boolean) => void, labelNames: string[] = []) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const up = await read();
        if (last || name === 'wattswap_queue_up') set(this, last as Stats, up);
      },
    });
  gauge('wattswap_queue_up', 'Redis of the sweep queue answered this scrape: 1, else 0 (the queue figures are then the last known)', (g, _s, up) => g.set(up ? 1 : 0));
  gauge('wattswap_queue_depth', `sweep runs waiting for a worker (jobs ${QUEUE_DEPTH_STATES.join(', ')})`, (g, s) => g.set(QUEUE_DEPTH_STATES.reduce((n, st) => n + s.counts[st], 0)));
  gauge('wattswap_queue_jobs', 'sweep queue jobs by state', (g, s) => Object.entries(s.counts).forEach(([state, n]) => g.set({ state }, n)), ['state']);
  gauge('wattswap_queue_workers', 'sweep workers connected to the queue', (g, s) => g.set(s.workers));
}

/** A sweep worker's own metrics: its jobs by outcome, their durations, the runs in progress. */
export function workerMetrics(registry: Registry, active: () => number): (e: QueueJobEvent) => void {
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const jobs = new Counter({ name: 'wattswap_worker_jobs_total', help: 'sweep runs this worker started, completed or failed (failed counts every attempt)', labelNames: ['status'], registers });
  for (const status of ['started', 'completed', 'failed']) jobs.inc({ status }, 0);
  const seconds = new Histogram({ name: 'wattswap_worker_job_seconds', help: 'wall time of this worker’s runs', labelNames: ['status'], buckets: [0.5, 1, 2, 5, 10, 20, 60, 120, 300], registers });
  new Gauge({
    name: 'wattswap_worker_active_jobs',
    help: 'runs this worker is computing now',
    registers,
    collect() {
      this.set(active());
    },
  });
  return (e) => {
    if (e.type === 'active') jobs.inc({ status: 'started' });
    else {
      jobs.inc({ status: e.type });
      seconds.observe({ status: e.type }, e.seconds);
    }
  };
}

/** A bare HTTP server with GET /metrics only (for `wattswap worker --metrics-port`). */
export async function startMetricsServer(opts: { registry: Registry; queue?: QueueStatsSource | null; port: number; host?: string }): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(metricsPlugin, { registry: opts.registry, queue: opts.queue });
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`, close: () => app.close() };
}
