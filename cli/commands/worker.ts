/**
 * `wattswap worker --queue redis://HOST:PORT`: computes the runs of distributed sweeps
 * (`wattswap sweep --queue`), each in a local worker thread, until SIGTERM or SIGINT; then it
 * takes no new run and exits once the runs in progress are finished (a second signal abandons
 * them: their locks expire and other workers rerun them). With --metrics-port it serves its own
 * Prometheus /metrics.
 */
import { availableParallelism, hostname } from 'node:os';
import type { Command } from 'commander';
import type { QueueJobEvent } from '../../sweep/queue/index.ts';

/** BullMQ, prom-client and fastify load only when the command runs, not with every CLI command. */
const load = async () => {
  const [{ Registry }, metrics, queue] = await Promise.all([
    import('prom-client'),
    import('../../outputs/server/index.ts'),
    import('../../sweep/queue/index.ts'),
  ]);
  return { Registry, startMetricsServer: metrics.startMetricsServer, workerMetrics: metrics.workerMetrics, ...queue };
};

const EXIT_OK = 0;
const EXIT_USAGE = 2;

export interface WorkerIo {
  out(s: string): void;
  err(s: string): void;
}

export interface WorkerFlags {
  queue: string;
  concurrency?: string;
  metricsPort?: string;
  metricsHost: string;
  lockDuration: string;
  stalledInterval: string;
  name?: string;
}

export function registerWorkerCommand(program: Command, io: WorkerIo, setExit: (code: number) => void): Command {
  return program
    .command('worker')
    .description('compute the runs of distributed sweeps and cities (`wattswap sweep --queue`, `wattswap city --queue`) from Redis until SIGTERM')
    .requiredOption('--queue <redis-url>', 'the sweep queue: redis://HOST:PORT')
    .option('--concurrency <n>', 'runs at once, each in its own worker thread (default: available parallelism)')
    .option('--metrics-port <port>', 'serve Prometheus /metrics on this port (0 = any free port)')
    .option('--metrics-host <host>', 'interface for /metrics', '127.0.0.1')
    .option('--lock-duration <ms>', 'lock on a running job; a dead worker’s runs are rerun elsewhere after it expires', '30000')
    .option('--stalled-interval <ms>', 'how often to look for runs of dead workers', '30000')
    .option('--name <name>', 'this worker’s name in the queue’s worker list (default: host-pid)')
    .action(async (flags: WorkerFlags) => setExit(await commandWorker(flags, io)));
}

const whole = (flag: string, v: string | undefined, min: number, problems: string[]): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < min) {
    problems.push(`${flag} "${v}": expected a whole number ≥ ${min}`);
    return undefined;
  }
  return Number(v);
};

/** Runs a worker until a signal; returns the exit code (0 stopped cleanly, 2 bad flags or no Redis). */
export async function commandWorker(flags: WorkerFlags, io: WorkerIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  const { Registry, startMetricsServer, workerMetrics, startQueueWorker, openQueueStats, parseQueueUrl, probeRedis, shownUrl } = await load();
  const problems: string[] = [];
  const url = parseQueueUrl(flags.queue);
  if (!url.ok) problems.push(url.reason);
  const concurrency = whole('--concurrency', flags.concurrency, 1, problems) ?? availableParallelism();
  const metricsPort = whole('--metrics-port', flags.metricsPort, 0, problems);
  const lockDurationMs = whole('--lock-duration', flags.lockDuration, 100, problems);
  const stalledIntervalMs = whole('--stalled-interval', flags.stalledInterval, 100, problems);
  if (metricsPort !== undefined && metricsPort > 65535) problems.push(`--metrics-port "${flags.metricsPort}": expected a port 0..65535`);
  if (!url.ok || problems.length) return usage(io, problems);
  const unreachable = await probeRedis(url.value);
  if (unreachable) return usage(io, [`--queue: ${unreachable}`]);

  const registry = new Registry();
  let active = () => 0;
  const observe = workerMetrics(registry, () => active());
  const log = (e: QueueJobEvent) => {
    observe(e);
    if (e.type === 'active') io.out(`▶ ${e.key} started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`);
    else if (e.type === 'completed') io.out(`✔ ${e.key} done in ${e.seconds.toFixed(2)} s`);
    else io.out(`✖ ${e.key} failed${e.final ? '' : ' (will be retried)'}: ${e.error}`);
  };
  let metrics: Awaited<ReturnType<typeof startMetricsServer>> | null = null;
  if (metricsPort !== undefined) {
    const queueStats = openQueueStats(url.value);
    try {
      metrics = await startMetricsServer({ registry, queue: queueStats, port: metricsPort, host: flags.metricsHost });
    } catch (e) {
      await queueStats.close();
      return usage(io, [`--metrics-port ${metricsPort}: ${(e as Error).message}`]);
    }
  }
  const handle = await startQueueWorker({
    connection: url.value,
    concurrency,
    lockDurationMs,
    stalledIntervalMs,
    name: flags.name ?? `${hostname()}-${process.pid}`,
    onJob: log,
    onError: (e) => io.err(`wattswap worker: ${e.message} (reconnecting)`),
  });
  active = handle.active;
  io.out(
    `wattswap worker: ${concurrency} run${concurrency === 1 ? '' : 's'} at once from ${shownUrl(url.value)}${metrics ? `; metrics ${metrics.url}` : ''}; SIGTERM stops after the runs in progress`,
  );

  let done = () => {};
  await new Promise<void>((resolveStop) => {
    let stops = 0;
    const stop = () => {
      stops++;
      if (stops === 1) {
        io.out(`wattswap worker: stopping after ${handle.active()} run${handle.active() === 1 ? '' : 's'} in progress`);
        void handle.close(false).then(resolveStop, resolveStop);
      } else {
        io.out('wattswap worker: stopping now; the runs in progress go back to the queue when their locks expire');
        void handle.close(true).then(resolveStop, resolveStop);
      }
    };
    signals.on('SIGTERM', stop);
    signals.on('SIGINT', stop);
    done = () => {
      signals.off('SIGTERM', stop);
      signals.off('SIGINT', stop);
    };
  });
  done();
  await metrics?.close();
  io.out('wattswap worker: stopped');
  return EXIT_OK;
}

function usage(io: WorkerIo, problems: string[]): number {
  io.err(`wattswap worker: cannot start\n${problems.map((p) => `✖ ${p}`).join('\n')}`);
  return EXIT_USAGE;
}
