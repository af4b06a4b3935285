/**
 * Live-stream load test: many socket.io viewers on one run.
 *   node cli/bin/run-ts.mjs bench/stream.ts                      # 100 clients, 100 homes × 1 day, speed 0
 *   node cli/bin/run-ts.mjs bench/stream.ts --clients 200 --households 1000 --days 1
 *   node cli/bin/run-ts.mjs bench/stream.ts --json FILE          # also write the figures as JSON
 *   BENCH_PROFILE=1 node cli/bin/run-ts.mjs bench/stream.ts      # CPU profile of the server in /tmp/prof
 * The server runs in a child process (so its memory is measured alone); the clients run here, each
 * on its own WebSocket. Every client must receive every interval in order, or the gaps the server
 * announces (coalescing for slow viewers); the table says which.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';

interface Args {
  clients: number;
  households: number;
  days: number;
  speed: number;
  json: string | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { clients: 100, households: 100, days: 1, speed: 0, json: null };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--clients') a.clients = Number(v);
    else if (k === '--households') a.households = Number(v);
    else if (k === '--days') a.days = Number(v);
    else if (k === '--speed') a.speed = Number(v);
    else if (k === '--json') a.json = v;
    else if (k === '--child') continue;
    else throw new Error(`unknown argument ${k}`);
    i++;
  }
  return a;
}

// ------------------------------------------------------------------ the server (child process)

interface Memory {
  rss: number;
  heapUsed: number;
  peakRss: number;
  /** server CPU time since the last reset-peak, seconds */
  cpuSeconds: number;
}

async function child(): Promise<void> {
  const { buildServer } = await import('../outputs/server/index.ts');
  const s = await buildServer({ speed: 0, logger: false });
  const url = await s.app.listen({ port: 0, host: '127.0.0.1' });
  let peakRss = process.memoryUsage().rss;
  let cpuFrom = process.cpuUsage();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  process.on('message', (m: { type: string }) => {
    if (m.type === 'memory') {
      const u = process.memoryUsage();
      const cpu = process.cpuUsage(cpuFrom);
      process.send!({
        type: 'memory',
        memory: { rss: u.rss, heapUsed: u.heapUsed, peakRss: Math.max(peakRss, u.rss), cpuSeconds: (cpu.user + cpu.system) / 1e6 } satisfies Memory,
      });
    } else if (m.type === 'reset-peak') {
      peakRss = process.memoryUsage().rss;
      cpuFrom = process.cpuUsage();
      process.send!({ type: 'reset-peak' });
    } else if (m.type === 'stop') {
      clearInterval(sampler);
      void s.app.close().then(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', url });
}

// ------------------------------------------------------------------ the clients (this process)

function ask<T>(proc: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string } & Record<string, unknown>) => {
      if (m.type === type) {
        proc.off('message', on);
        resolve(m as T);
      }
    };
    proc.on('message', on);
    proc.send({ type });
  });
}

interface ClientStats {
  ticks: number;
  inOrder: boolean;
  dropped: number;
  bytes: number;
  messages: number;
  firstAt: number;
  summaryAt: number;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const proc = fork(fileURLToPath(new URL('../cli/bin/run-ts.mjs', import.meta.url)), [fileURLToPath(import.meta.url), '--child'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [],
  });
  const { url } = await new Promise<{ url: string }>((resolve) => proc.once('message', (m) => resolve(m as { url: string })));
  const mb = (b: number) => b / 1024 / 1024;
  const idle = (await ask<{ memory: Memory }>(proc, 'memory')).memory;

  const sockets: Socket[] = [];
  const stats: ClientStats[] = [];
  for (let i = 0; i < args.clients; i++) {
    const s = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const st: ClientStats = { ticks: 0, inOrder: true, dropped: 0, bytes: 0, messages: 0, firstAt: 0, summaryAt: 0 };
    let expect = 0;
    s.on('connect', () => {
      s.io.engine.on('data', (d: string | ArrayBuffer) => {
        st.bytes += typeof d === 'string' ? Buffer.byteLength(d) : d.byteLength;
        st.messages++;
      });
    });
    s.on('tick', (t: { index: number }) => {
      if (st.ticks === 0) st.firstAt = performance.now();
      if (t.index !== expect) st.inOrder = false;
      expect = t.index + 1;
      st.ticks++;
    });
    s.on('gap', (g: { to: number; dropped: number }) => {
      st.dropped += g.dropped;
      expect = g.to + 1;
    });
    s.on('summary', () => (st.summaryAt = performance.now()));
    sockets.push(s);
    stats.push(st);
  }
  await Promise.all(sockets.map((s) => (s.connected ? Promise.resolve() : new Promise<void>((r) => s.once('connect', () => r())))));
  const connected = (await ask<{ memory: Memory }>(proc, 'memory')).memory;

  const post = await fetch(`${url}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      paused: true,
      speed: args.speed,
      config: {
        households: { count: args.households },
        time: { days: args.days, historyDays: 7 },
        baselines: { batteryOnly: false, perfectForesight: false },
      },
    }),
  });
  if (post.status !== 201) throw new Error(`POST /api/runs: ${post.status} ${await post.text()}`);
  const { id } = (await post.json()) as { id: string };
  await Promise.all(sockets.map((s) => s.emitWithAck('join', id)));
  // wait for the engine to produce the whole run before releasing it: this measures the broadcast, not the engine
  for (;;) {
    const st = (await (await fetch(`${url}/api/runs/${id}`)).json()) as { status: string; progress: { interval: number; intervals: number } };
    if (st.status !== 'running') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await ask(proc, 'reset-peak');
  for (const st of stats) {
    st.bytes = 0;
    st.messages = 0;
  }
  const t0 = performance.now();
  await fetch(`${url}/api/runs/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paused: false }) });
  const deadline = Date.now() + 300_000;
  while (stats.some((s) => s.summaryAt === 0)) {
    if (Date.now() > deadline) throw new Error('timed out waiting for every client to get the summary');
    await new Promise((r) => setTimeout(r, 10));
  }
  const t1 = Math.max(...stats.map((s) => s.summaryAt));
  const during = (await ask<{ memory: Memory }>(proc, 'memory')).memory;
  const status = (await (await fetch(`${url}/api/runs/${id}`)).json()) as { progress: { intervals: number }; dropped: number };
  for (const s of sockets) s.disconnect();
  await fetch(`${url}/api/runs/${id}`, { method: 'DELETE' });
  await new Promise((r) => setTimeout(r, 500));
  const after = (await ask<{ memory: Memory }>(proc, 'memory')).memory;
  proc.send({ type: 'stop' });

  const intervals = status.progress.intervals;
  const seconds = (t1 - t0) / 1000;
  const ticks = stats.reduce((a, s) => a + s.ticks, 0);
  const bytes = stats.reduce((a, s) => a + s.bytes, 0);
  const messages = stats.reduce((a, s) => a + s.messages, 0);
  const complete = stats.filter((s) => s.ticks === intervals && s.inOrder).length;
  const dropped = stats.reduce((a, s) => a + s.dropped, 0);
  const result = {
    clients: args.clients,
    households: args.households,
    days: args.days,
    intervals,
    speed: args.speed,
    cpus: cpus().length,
    node: process.version,
    seconds: Number(seconds.toFixed(3)),
    clients_with_every_interval_in_order: complete,
    ticks_received: ticks,
    dropped_intervals: dropped,
    server_reported_dropped: status.dropped,
    tick_messages_per_s: Math.round(ticks / seconds),
    socket_messages_per_s: Math.round(messages / seconds),
    mb_per_s: Number(mb(bytes / seconds).toFixed(2)),
    mb_total: Number(mb(bytes).toFixed(2)),
    bytes_per_tick: Math.round(bytes / Math.max(1, ticks)),
    server_cpu_seconds: Number(during.cpuSeconds.toFixed(2)),
    server_rss_mb: {
      idle: Number(mb(idle.rss).toFixed(1)),
      clients_connected: Number(mb(connected.rss).toFixed(1)),
      peak_during_broadcast: Number(mb(during.peakRss).toFixed(1)),
      after_run_deleted: Number(mb(after.rss).toFixed(1)),
    },
  };

  const rows: [string, string][] = [
    ['clients × run', `${result.clients} × (${result.households} homes × ${result.days} day${result.days > 1 ? 's' : ''} = ${intervals} intervals), speed ${args.speed || 'max'}`],
    ['every interval, in order', `${complete} of ${result.clients} clients${dropped ? ` (${dropped} intervals coalesced)` : ''}`],
    ['broadcast time', `${result.seconds} s (resume → last client's summary)`],
    ['tick messages/s', result.tick_messages_per_s.toLocaleString('en-US')],
    ['socket messages/s', result.socket_messages_per_s.toLocaleString('en-US')],
    ['throughput', `${result.mb_per_s} MB/s (${result.mb_total} MB, ${result.bytes_per_tick.toLocaleString('en-US')} B per tick)`],
    ['server CPU during broadcast', `${result.server_cpu_seconds} s of ${result.seconds} s (the clients share the other core)`],
    ['server RSS idle', `${result.server_rss_mb.idle} MB`],
    ['server RSS, clients connected', `${result.server_rss_mb.clients_connected} MB`],
    ['server RSS peak, broadcasting', `${result.server_rss_mb.peak_during_broadcast} MB`],
    ['server RSS, run deleted', `${result.server_rss_mb.after_run_deleted} MB`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`wattswap stream bench (${result.cpus} CPUs, Node ${result.node})`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
  if (complete + stats.filter((s) => s.dropped > 0).length < result.clients) process.exitCode = 1;
}

if (process.argv.includes('--child')) await child();
else await main();
