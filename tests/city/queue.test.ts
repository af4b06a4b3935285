import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, startRedis, type CliProcess, type TestRedis } from '../sweep/services.ts';
import { city, CITY_FAST, filesOf } from './helpers.ts';

const SPEC = ['--communities', '3', '--households', '2', '--config', 'fast.json', '--param', 'grid.feederLimitKw=3', '--format', 'parquet'];
// a dead worker's lock expires after 1.5 s and the other workers look for such jobs every 0.5 s
const WORKER_FLAGS = ['--concurrency', '1', '--lock-duration', '1500', '--stalled-interval', '500'];

describe('wattswap city on BullMQ workers with a real Redis', () => {
  let redis: TestRedis;
  let cwd: string;
  let local: Record<string, string>;
  const children: CliProcess[] = [];
  const worker = () => {
    const w = spawnCli(['worker', '--queue', redis.url, ...WORKER_FLAGS], cwd);
    children.push(w);
    return w;
  };

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wattswap-city-queue-'));
    writeFileSync(join(cwd, 'fast.json'), JSON.stringify(CITY_FAST));
    const [r, ran] = await Promise.all([startRedis(), city([...SPEC, '--workers', '1', '--out', 'local'], cwd)]);
    redis = r;
    expect(ran.code).toBe(0);
    local = filesOf(join(cwd, 'local'));
  });
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await redis?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('gives the local city’s files byte for byte, though a worker is killed (SIGKILL) mid-run', async () => {
    const doomed = worker();
    await doomed.waitForLine(/^wattswap worker: 1 run at once/);
    const running = city([...SPEC, '--queue', redis.url, '--out', 'queued'], cwd);
    // its first run waits for the worker thread to load the simulator: seconds, well inside the run
    const victim = (await doomed.waitForLine(/^▶ /)).split(' ')[1];
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    const rescuer = worker();
    const r = await running;
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`on the queue at ${redis.url}`);
    const started = rescuer.lines.filter((l) => l.startsWith('▶ ')).map((l) => l.split(' ')[1]);
    expect(started).toContain(victim);
    expect(readdirSync(join(cwd, 'queued', 'communities'))).toEqual(['c001', 'c002', 'c003']);
    expect(filesOf(join(cwd, 'queued'))).toEqual(local);
  });
});
