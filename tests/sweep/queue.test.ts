import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandWorker } from '../../cli/commands/worker.ts';
import { registerSweepCommand } from '../../cli/commands/sweep.ts';
import { planSweep, runSweepTask, SweepDocumentSchema } from '../../sweep/index.ts';
import { enqueueSweep, parseQueueUrl, startQueueWorker, SWEEP_QUEUE_NAME } from '../../sweep/queue/index.ts';
import { freePort, spawnCli, startRedis, type CliProcess, type TestRedis } from './services.ts';

/** `wattswap sweep ARGS` in this process, as the CLI runs it. */
async function sweep(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  let code = -1;
  const program = new Command().name('wattswap').exitOverride();
  registerSweepCommand(program, { out: (s) => out.push(s), err: (s) => err.push(s), progress: false }, (c) => (code = c), cwd);
  await program.parseAsync(['node', 'wattswap', 'sweep', ...args]);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// tiny runs: 2 homes, a week of history, seasonal-naive forecasts (the default), no optimum
const FAST = { time: { historyDays: 7 }, baselines: { perfectForesight: false } };
const SPEC = ['--scenarios', 'baseline-summer,no-p2p', '--seeds', '1..2', '--households', '2', '--config', 'fast.json', '--no-plots'];
// a dead worker's lock expires after 1.5 s and the other workers look for such jobs every 0.5 s
const WORKER_FLAGS = ['--concurrency', '1', '--lock-duration', '1500', '--stalled-interval', '500'];

const started = (w: CliProcess) => w.lines.filter((l) => l.startsWith('▶ ')).map((l) => l.split(' ')[1]);

describe('distributed sweep on BullMQ with a real Redis', () => {
  let redis: TestRedis;
  let cwd: string;
  let localJson: string;
  let localCsv: string;
  const children: CliProcess[] = [];
  /** the worker that reran the killed worker's run, kept for the coordinator restart */
  let rescuer: CliProcess;
  const worker = (args: string[] = WORKER_FLAGS) => {
    const w = spawnCli(['worker', '--queue', redis.url, ...args], cwd);
    children.push(w);
    return w;
  };
  const flush = async () => {
    const client = new Redis(redis.url);
    await client.flushall();
    client.disconnect();
  };
  const sameAsLocal = (dir: string) => {
    expect(readFileSync(join(cwd, dir, 'sweep.json'), 'utf8')).toBe(localJson);
    expect(readFileSync(join(cwd, dir, 'sweep.csv'), 'utf8')).toBe(localCsv);
  };

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wattswap-queue-'));
    writeFileSync(join(cwd, 'fast.json'), JSON.stringify(FAST));
    const [r, local] = await Promise.all([startRedis(), sweep([...SPEC, '--workers', '1', '--out', 'local'], cwd)]);
    redis = r;
    expect(local.code).toBe(0);
    localJson = readFileSync(join(cwd, 'local', 'sweep.json'), 'utf8');
    localCsv = readFileSync(join(cwd, 'local', 'sweep.csv'), 'utf8');
  });
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await redis?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('two worker processes give the local sweep’s sweep.json and sweep.csv, byte for byte; SIGTERM lets a worker finish its run first', async () => {
    const [w1, w2] = [worker(), worker()];
    await Promise.all([w1.waitForLine(/^wattswap worker: 1 run at once/), w2.waitForLine(/^wattswap worker: 1 run at once/)]);
    const sweeping = sweep([...SPEC, '--queue', redis.url, '--out', 'queued'], cwd);
    // w1's first run waits for its worker thread to load the simulator: it is mid-run when told to stop
    const first = (await w1.waitForLine(/^▶ /)).split(' ')[1];
    w1.child.kill('SIGTERM');
    const r = await sweeping;
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`0 of 4 already done; running 4 on the queue at ${redis.url}`);
    sameAsLocal('queued');
    expect(readdirSync(join(cwd, 'queued', 'runs'))).toHaveLength(4);
    expect([...started(w1), ...started(w2)].sort()).toEqual(SweepDocumentSchema.parse(JSON.parse(localJson)).rows.map((row) => row.key).sort());
    expect(await w1.exited).toBe(0);
    expect(w1.lines).toContain('wattswap worker: stopping after 1 run in progress');
    expect(w1.lines.some((l) => l.startsWith(`✔ ${first} done in `))).toBe(true);
    expect(started(w1)).toEqual([first]); // no new run after SIGTERM
    expect(w1.lines.at(-1)).toBe('wattswap worker: stopped');

    // the same sweep in a new directory: every job is in Redis already, none is added or run again
    const again = await sweep([...SPEC, '--queue', redis.url, '--out', 'queued-again'], cwd);
    expect(again.code).toBe(0);
    sameAsLocal('queued-again');
    expect(started(w1).length + started(w2).length).toBe(4);

    w2.child.kill('SIGTERM');
    expect(await w2.exited).toBe(0);
  });

  it('a worker killed (SIGKILL) in the middle of a run loses nothing: another worker reruns it', async () => {
    await flush();
    const doomed = worker();
    const first = await doomed.waitForLine(/^wattswap worker: 1 run at once/);
    expect(first).toBeTruthy();
    const sweeping = sweep([...SPEC, '--queue', redis.url, '--out', 'killed'], cwd);
    // its first run waits for the worker thread to load the simulator: seconds, well inside the run
    const line = await doomed.waitForLine(/^▶ /);
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    const victim = line.split(' ')[1];
    rescuer = worker();
    const r = await sweeping;
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    sameAsLocal('killed');
    expect(doomed.lines.some((l) => l.startsWith(`✔ ${victim}`))).toBe(false);
    expect(started(rescuer)).toContain(victim);
    expect(started(rescuer).sort()).toEqual(SweepDocumentSchema.parse(JSON.parse(localJson)).rows.map((row) => row.key).sort());
  });

  it('a coordinator killed mid-sweep resumes from the run files and Redis without rerunning a finished run', async () => {
    await flush();
    const w = rescuer;
    const before = w.lines.length;
    const coordinator = spawnCli(['sweep', ...SPEC, '--queue', redis.url, '--out', 'restarted'], cwd);
    children.push(coordinator);
    await coordinator.waitForLine(/running 4 on the queue/);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => w.lines.slice(before).some((l) => l.startsWith('✔ ')) && (clearInterval(timer), resolve()), 5);
    });
    coordinator.child.kill('SIGKILL');
    await coordinator.exited;
    expect(existsSync(join(cwd, 'restarted', 'sweep.json'))).toBe(false);

    const r = await sweep([...SPEC, '--queue', redis.url, '--out', 'restarted'], cwd);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/[0-3] of 4 already done; running [1-4] on the queue/);
    sameAsLocal('restarted');
    const startedHere = () => started({ ...w, lines: w.lines.slice(before) });
    expect(startedHere()).toHaveLength(4);
    expect(new Set(startedHere()).size).toBe(4);

    // finished runs whose files are gone are collected from the jobs' results in Redis
    const files = readdirSync(join(cwd, 'restarted', 'runs')).sort();
    rmSync(join(cwd, 'restarted', 'runs', files[0]));
    rmSync(join(cwd, 'restarted', 'runs', files[3]));
    const resumed = await sweep([...SPEC, '--queue', redis.url, '--out', 'restarted'], cwd);
    expect(resumed.out).toContain('2 of 4 already done; running 2 on the queue');
    sameAsLocal('restarted');
    expect(startedHere()).toHaveLength(4);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });

  it('a run that fails is reported with its error after a bounded number of tries; running the sweep again retries it', async () => {
    await flush();
    const tries = new Map<string, number>();
    const finals: boolean[] = [];
    let failing = true;
    const inProcess = await startQueueWorker({
      connection: redis.url,
      concurrency: 2,
      stalledIntervalMs: 500,
      onJob: (e) => e.type === 'failed' && finals.push(e.final),
      runJob: async (input) => {
        tries.set(input.key, (tries.get(input.key) ?? 0) + 1);
        if (failing && input.scenario === 'no-p2p' && input.seed === 2) throw new Error('battery model exploded');
        return runSweepTask(input);
      },
    });
    try {
      const r = await sweep([...SPEC, '--queue', redis.url, '--out', 'failing'], cwd);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^wattswap sweep: 1 of 4 runs failed/);
      expect(r.err).toContain('  ✖ no-p2p, defaults, seed 2: battery model exploded');
      expect(existsSync(join(cwd, 'failing', 'sweep.json'))).toBe(false);
      expect(readdirSync(join(cwd, 'failing', 'runs'))).toHaveLength(3);
      const failed = [...tries].find(([key]) => key.startsWith('no-p2p_seed2'))!;
      expect(failed[1]).toBe(2); // attempts: 2
      expect(finals).toEqual([false, true]);
      failing = false;
      const again = await sweep([...SPEC, '--queue', redis.url, '--out', 'failing'], cwd);
      expect(again.code).toBe(0);
      expect(again.out).toContain('3 of 4 already done; running 1 on the queue');
      sameAsLocal('failing');
      expect(tries.get(failed[0])).toBe(3);
    } finally {
      await inProcess.close();
    }
  });

  it('a worker whose --metrics-port is taken refuses to start, exit 2', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const err: string[] = [];
    try {
      const code = await commandWorker(
        { queue: redis.url, metricsPort: String(port), metricsHost: '127.0.0.1', lockDuration: '30000', stalledInterval: '30000' },
        { out: () => {}, err: (s) => err.push(s) },
      );
      expect(code).toBe(2);
      expect(err.join('\n')).toMatch(new RegExp(`^wattswap worker: cannot start\n✖ --metrics-port ${port}: .*EADDRINUSE`));
    } finally {
      taken.close();
    }
  });

  it('enqueueing a planned sweep twice adds each job once', async () => {
    await flush();
    const planned = planSweep({ scenarios: ['no-p2p'], seeds: [1], params: [], households: 2, configFile: 'fast.json', baseConfig: JSON.parse(readFileSync(join(cwd, 'fast.json'), 'utf8')) });
    if (!planned.ok) throw new Error(planned.problems.join('\n'));
    const inProcess = await startQueueWorker({ connection: redis.url, runJob: runSweepTask, stalledIntervalMs: 500 });
    try {
      const first = await enqueueSweep(planned.plan, { connection: redis.url });
      const second = await enqueueSweep(planned.plan, { connection: redis.url });
      expect(first.added).toBe(1);
      expect(second.added).toBe(0);
      expect(second.rows.get(planned.plan.tasks[0].key)).toEqual(first.rows.get(planned.plan.tasks[0].key));
      const client = new Redis(redis.url);
      const keys = await client.keys(`bull:${SWEEP_QUEUE_NAME}:${planned.plan.tasks[0].key}*`);
      client.disconnect();
      expect(keys).toContain(`bull:${SWEEP_QUEUE_NAME}:${planned.plan.tasks[0].key}`);
    } finally {
      await inProcess.close();
    }
  });
});

describe('distributed sweep without a reachable Redis', () => {
  it('the sweep fails with a clear error, exit 2, and writes nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'wattswap-queue-'));
    writeFileSync(join(cwd, 'fast.json'), JSON.stringify(FAST));
    const url = `redis://127.0.0.1:${await freePort()}`;
    const r = await sweep([...SPEC, '--queue', url, '--out', 'sw'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^wattswap sweep: no queue; nothing was run\\n✖ --queue: cannot reach Redis at ${url}: .*ECONNREFUSED`));
    expect(readdirSync(cwd)).toEqual(['fast.json']);
    rmSync(cwd, { recursive: true, force: true });
  }, 15_000);

  it('a worker refuses to start, exit 2', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const err: string[] = [];
    const code = await commandWorker({ queue: url, metricsHost: '127.0.0.1', lockDuration: '30000', stalledInterval: '30000' }, { out: () => {}, err: (s) => err.push(s) });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/^wattswap worker: cannot start\n✖ --queue: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  }, 15_000);

  it('a bad queue URL is a usage error naming the flag', async () => {
    expect(parseQueueUrl('http://example.org:6379')).toEqual({ ok: false, reason: '--queue "http://example.org:6379": scheme http: is not redis: or rediss:; expected redis://HOST:PORT' });
    expect(parseQueueUrl('redis://10.0.0.5:6379/x')).toMatchObject({ ok: false });
    expect(parseQueueUrl('redis://10.0.0.5:6379')).toEqual({ ok: true, value: 'redis://10.0.0.5:6379' });
    const cwd = mkdtempSync(join(tmpdir(), 'wattswap-queue-'));
    const r = await sweep([...SPEC, '--queue', 'localhost:6379'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain('✖ --queue "localhost:6379"');
    rmSync(cwd, { recursive: true, force: true });
  });
});
