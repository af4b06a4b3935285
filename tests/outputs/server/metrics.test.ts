import { concat, of, throwError, timer } from 'rxjs';
import { concatMap, map } from 'rxjs/operators';
import { Registry } from 'prom-client';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMetricsServer, workerMetrics, type BuiltServer } from '../../../outputs/server/index.ts';
import { runWithComparisons, type RunEvent, type SimConfig } from '../../../sim/index.ts';
import { openQueueStats } from '../../../sweep/queue/index.ts';
import { freePort, startRedis, type TestRedis } from '../../sweep/services.ts';
import { SMALL, testServer, waitFor, waitForRun } from './helpers.ts';

const scrape = async (s: BuiltServer) => {
  const res = await s.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  return { type: String(res.headers['content-type']), text: res.body };
};

/** The value of one sample line (`name{labels} value`), or undefined. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const post = async (s: BuiltServer, body: unknown) => {
  const res = await s.app.inject({ method: 'POST', url: '/api/runs', payload: body as object });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};

// the real engine with a FedAvg round record after interval 10 that takes at least 60 ms
const ROUND = { round: 1, tick: 10, clients: 4, samples: 1344, loss_before: 0.21, loss_after: 0.17 };
const withSlowRound = (config: SimConfig) =>
  runWithComparisons(config).pipe(
    concatMap((e) =>
      e.type === 'tick' && e.frame.index === 10 ? concat(of(e), timer(60).pipe(map(() => ({ type: 'federated', record: ROUND }) as unknown as RunEvent))) : of(e),
    ),
  );

describe('GET /metrics on the server', () => {
  let s: BuiltServer;
  beforeAll(async () => {
    s = await testServer({ runWithComparisons: withSlowRound });
  });
  afterAll(() => s.app.close());

  it('answers Prometheus text with the named metrics, all at zero before any run', async () => {
    const { type, text } = await scrape(s);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const [name, kind] of [
      ['wattswap_runs_total', 'counter'],
      ['wattswap_runs', 'gauge'],
      ['wattswap_engine_ticks_total', 'counter'],
      ['wattswap_engine_ticks_per_second', 'gauge'],
      ['wattswap_dropped_intervals_total', 'counter'],
      ['wattswap_fedavg_round_seconds', 'histogram'],
      ['wattswap_socket_connections', 'gauge'],
    ]) {
      expect(text).toContain(`# TYPE ${name} ${kind}\n`);
    }
    expect(sample(text, 'wattswap_runs_total{status="started"}')).toBe(0);
    expect(sample(text, 'wattswap_runs_total{status="done"}')).toBe(0);
    expect(sample(text, 'wattswap_engine_ticks_total')).toBe(0);
    expect(sample(text, 'wattswap_fedavg_round_seconds_count')).toBe(0);
    expect(text).not.toContain('wattswap_queue_'); // no queue given
  });

  it('after a run: the runs-by-status counter moved, ticks counted, the FedAvg round timed', async () => {
    const id = await post(s, { config: SMALL });
    await waitForRun(s, id);
    const { text } = await scrape(s);
    expect(sample(text, 'wattswap_runs_total{status="started"}')).toBe(1);
    expect(sample(text, 'wattswap_runs_total{status="done"}')).toBe(1);
    expect(sample(text, 'wattswap_runs_total{status="failed"}')).toBe(0);
    expect(sample(text, 'wattswap_runs{status="done"}')).toBe(1);
    expect(sample(text, 'wattswap_runs{status="running"}')).toBe(0);
    expect(sample(text, 'wattswap_engine_ticks_total')).toBe(48); // one day of 30-minute intervals
    expect(sample(text, 'wattswap_engine_ticks_per_second')).toBe(0); // nothing is trading now
    expect(sample(text, 'wattswap_fedavg_round_seconds_count')).toBe(1);
    expect(sample(text, 'wattswap_fedavg_round_seconds_sum')).toBeGreaterThanOrEqual(0.05);
  });

  it('counts connected sockets', async () => {
    const url = await s.app.listen({ port: 0, host: '127.0.0.1' });
    const socket = connect(url, { transports: ['websocket'], forceNew: true });
    await waitFor('the socket', () => (socket.connected ? true : undefined));
    await waitFor('one socket in /metrics', async () => (sample((await scrape(s)).text, 'wattswap_socket_connections') === 1 ? true : undefined));
    socket.disconnect();
    await waitFor('no socket in /metrics', async () => (sample((await scrape(s)).text, 'wattswap_socket_connections') === 0 ? true : undefined));
  });
});

describe('metrics registries', () => {
  it('are per server (no global registry), and count failed runs', async () => {
    const failing = await testServer({ runWithComparisons: () => throwError(() => new Error('engine exploded')) });
    const other = await testServer({ runWithComparisons: withSlowRound });
    try {
      const id = await post(failing, { config: SMALL });
      expect((await waitForRun(failing, id)).status).toBe('failed');
      const text = (await scrape(failing)).text;
      expect(sample(text, 'wattswap_runs_total{status="started"}')).toBe(1);
      expect(sample(text, 'wattswap_runs_total{status="failed"}')).toBe(1);
      expect(sample((await scrape(other)).text, 'wattswap_runs_total{status="started"}')).toBe(0);
    } finally {
      await Promise.all([failing.app.close(), other.app.close()]);
    }
  });
});

describe('queue metrics', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('report the sweep queue’s depth and workers on the server', async () => {
    const s = await testServer({ queue: redis.url });
    try {
      const { text } = await scrape(s);
      expect(sample(text, 'wattswap_queue_up')).toBe(1);
      expect(sample(text, 'wattswap_queue_depth')).toBe(0);
      expect(sample(text, 'wattswap_queue_workers')).toBe(0);
      expect(sample(text, 'wattswap_queue_jobs{state="waiting"}')).toBe(0);
    } finally {
      await s.app.close();
    }
  });

  it('say the queue is down instead of failing the scrape', async () => {
    const s = await testServer({ queue: `redis://127.0.0.1:${await freePort()}` });
    try {
      const { text } = await scrape(s);
      expect(sample(text, 'wattswap_queue_up')).toBe(0);
      expect(text).toContain('wattswap_runs_total{status="started"} 0');
    } finally {
      await s.app.close();
    }
  });

  it('a worker serves its own /metrics: its jobs, and the queue', async () => {
    const registry = new Registry();
    let active = 1;
    const observe = workerMetrics(registry, () => active);
    observe({ type: 'active', key: 'k1', attempt: 1 });
    observe({ type: 'completed', key: 'k1', seconds: 1.5 });
    observe({ type: 'active', key: 'k2', attempt: 1 });
    observe({ type: 'failed', key: 'k2', seconds: 0.2, error: 'x', final: true });
    active = 0;
    const server = await startMetricsServer({ registry, queue: openQueueStats(redis.url), port: 0 });
    try {
      const res = await fetch(server.url);
      const text = await res.text();
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(sample(text, 'wattswap_worker_jobs_total{status="started"}')).toBe(2);
      expect(sample(text, 'wattswap_worker_jobs_total{status="completed"}')).toBe(1);
      expect(sample(text, 'wattswap_worker_jobs_total{status="failed"}')).toBe(1);
      expect(sample(text, 'wattswap_worker_job_seconds_sum{status="completed"}')).toBe(1.5);
      expect(sample(text, 'wattswap_worker_active_jobs')).toBe(0);
      expect(sample(text, 'wattswap_queue_up')).toBe(1);
      expect(text).toContain('# TYPE process_cpu_seconds_total counter');
    } finally {
      await server.close();
    }
  });
});
