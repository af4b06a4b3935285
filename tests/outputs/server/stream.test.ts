import { of } from 'rxjs';
import { mergeMap } from 'rxjs/operators';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CompactTickSchema, SnapshotSchema, type BuiltServer, type CompactTick } from '../../../outputs/server/index.ts';
import { runWithComparisons, type RunEvent, type SimConfig, type Summary, type TimelineInterval } from '../../../sim/index.ts';
import { SMALL, testServer, waitFor, waitForRun } from './helpers.ts';

interface Received {
  snapshot: ReturnType<typeof SnapshotSchema.parse> | null;
  ticks: CompactTick[];
  gaps: { from: number; to: number; dropped: number }[];
  statuses: string[];
  summary: Summary | null;
}

/** A socket.io client that records everything a run's viewer is sent. */
function viewer(url: string): { socket: ClientSocket; got: Received; join: (id: string) => Promise<unknown> } {
  const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  const got: Received = { snapshot: null, ticks: [], gaps: [], statuses: [], summary: null };
  socket.on('snapshot', (s) => (got.snapshot = s));
  socket.on('tick', (t: CompactTick) => got.ticks.push(t));
  socket.on('gap', (g) => got.gaps.push(g));
  socket.on('status', (s) => got.statuses.push(s.status));
  socket.on('summary', (m) => (got.summary = m.summary));
  const join = (id: string) => socket.emitWithAck('join', id);
  return { socket, got, join };
}

const post = async (s: BuiltServer, body: unknown) => {
  const res = await s.app.inject({ method: 'POST', url: '/api/runs', payload: body as object });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};
const patch = (s: BuiltServer, id: string, body: unknown) => s.app.inject({ method: 'PATCH', url: `/api/runs/${id}`, payload: body as object });
const getJson = async (s: BuiltServer, url: string) => (await s.app.inject({ method: 'GET', url })).json();

describe('socket.io stream on 127.0.0.1', () => {
  let s: BuiltServer;
  let url: string;
  const clients: ClientSocket[] = [];
  beforeAll(async () => {
    s = await testServer();
    url = await s.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });
  afterAll(() => s.app.close());

  it('sends every interval of a run in order, then the summary, equal to the summary endpoint and summary.json', async () => {
    // start paused so the viewer is in the room before the first interval is released
    const id = await post(s, { config: SMALL, seed: 11, paused: true, speed: 0 });
    const v = viewer(url);
    clients.push(v.socket);
    expect(await v.join(id)).toEqual({ ok: true, run_id: id });
    await waitFor('the snapshot', () => v.got.snapshot ?? undefined);
    expect(v.got.snapshot!.ticks).toEqual([]);
    expect((await patch(s, id, { paused: false })).statusCode).toBe(200);

    const summary = await waitFor('the summary', () => v.got.summary ?? undefined);
    expect(v.got.ticks.map((t) => t.index)).toEqual(Array.from({ length: 48 }, (_, i) => i));
    for (const t of v.got.ticks) expect(() => CompactTickSchema.parse(t)).not.toThrow();
    for (const t of v.got.ticks) expect(t.coordination).toBeNull(); // rule-based: no price coordination
    expect(v.got.gaps).toEqual([]);
    expect(summary).toEqual(await getJson(s, `/api/runs/${id}/summary`));
    expect(summary).toEqual(await getJson(s, `/api/runs/${id}/files/summary.json`));
    expect(v.got.statuses).toContain('done');

    // the ticks carry the timeline's numbers (at display precision)
    const timeline: { intervals: TimelineInterval[] } = await getJson(s, `/api/runs/${id}/files/timeline.json`);
    for (const t of v.got.ticks) {
      const iv = timeline.intervals[t.index];
      expect(t.start).toBe(iv.start);
      expect(t.price_signal_usd_per_kwh).toBeCloseTo(iv.price_signal_usd_per_kwh, 4);
      expect(t.market.trades).toBe(iv.market.trades);
      iv.households.forEach((h, k) => {
        expect(t.households.soc_kwh[k]).toBeCloseTo(h.soc_kwh, 3);
        expect(t.households.grid_import_kwh[k]).toBeCloseTo(h.grid_import_kwh, 3);
        expect(t.households.action[k]).toBe(h.action);
      });
    }
    const last = v.got.ticks[47];
    const baseline = timeline.intervals.reduce((a, iv) => a + iv.households.reduce((b, h) => b + h.baseline_energy_cost_usd - h.energy_cost_usd, 0), 0);
    expect(last.running.energy_savings_usd).toBeCloseTo(baseline, 3);
    expect(last.running.trades).toBe(summary.trades_executed);
  });

  it('streams the coordinated strategy’s price coordination with every tick: proposals, imbalance, each home’s planned position', async () => {
    const id = await post(s, { config: { ...SMALL, agents: { strategy: 'coordinated' } }, seed: 13, paused: true, speed: 0 });
    const v = viewer(url);
    clients.push(v.socket);
    await v.join(id);
    await waitFor('the snapshot', () => v.got.snapshot ?? undefined);
    expect((await patch(s, id, { paused: false })).statusCode).toBe(200);
    await waitFor('the summary', () => v.got.summary ?? undefined);
    const timeline: { intervals: TimelineInterval[] } = await getJson(s, `/api/runs/${id}/files/timeline.json`);
    expect(v.got.ticks).toHaveLength(48);
    for (const t of v.got.ticks) {
      const c = timeline.intervals[t.index].coordination!;
      expect(t.coordination!.iterations, `interval ${t.index}`).toBe(c.iterations);
      expect(t.coordination!.residual_kwh).toBeCloseTo(c.residual_kwh, 3);
      t.coordination!.planned_net_kwh_by_home.forEach((x, k) => expect(x).toBeCloseTo(c.planned_net_kwh_by_home[k], 3));
    }
  });

  it('gives a late joiner the state so far as a snapshot, then the rest in order', async () => {
    const id = await post(s, { config: SMALL, seed: 12, speed: 24 });
    await waitFor('a dozen intervals on the air', async () => ((await getJson(s, `/api/runs/${id}`)).progress.broadcast >= 12 ? true : undefined));
    const late = viewer(url);
    clients.push(late.socket);
    await late.join(id);
    const summary = await waitFor('the summary', () => late.got.summary ?? late.got.snapshot?.summary ?? undefined);
    const snap = SnapshotSchema.parse(late.got.snapshot);
    expect(snap.meta?.households.map((h) => h.id)).toEqual(['h01', 'h02', 'h03', 'h04']);
    expect(snap.ticks.length).toBeGreaterThanOrEqual(12);
    const indices = [...snap.ticks, ...late.got.ticks].map((t) => t.index);
    expect(indices).toEqual(Array.from({ length: 48 }, (_, i) => i));
    expect(summary).toEqual(await getJson(s, `/api/runs/${id}/summary`));

    // joining a finished run: everything in the snapshot, summary included, and nothing after it
    const after = viewer(url);
    clients.push(after.socket);
    await after.join(id);
    const snap2 = await waitFor('the snapshot', () => after.got.snapshot ?? undefined);
    expect(snap2.ticks.map((t) => t.index)).toEqual(Array.from({ length: 48 }, (_, i) => i));
    expect(snap2.ticks).toEqual([...snap.ticks, ...late.got.ticks]);
    expect(snap2.summary).toEqual(summary);
    await new Promise((r) => setTimeout(r, 100));
    expect(after.got.ticks).toEqual([]);
    expect(after.got.summary).toBeNull();
  });

  it('answers a join for an unknown run with an error, and keeps the socket usable', async () => {
    const v = viewer(url);
    clients.push(v.socket);
    expect(await v.join('nosuchrun')).toEqual({ ok: false, error: 'unknown run nosuchrun' });
    expect(await v.socket.emitWithAck('join', { run_id: 42 })).toEqual({ ok: false, error: 'join expects a run id' });
    const id = await post(s, { config: SMALL, seed: 13 });
    expect(await v.join(id)).toEqual({ ok: true, run_id: id });
    await waitFor('the summary', () => v.got.summary ?? undefined);
  });
});

describe('a viewer whose connection stalls', () => {
  let s: BuiltServer;
  let url: string;
  beforeAll(async () => {
    s = await testServer({ limits: { socketBufferMessages: 2, maxLagIntervals: 6, maxLagMs: 200 } });
    url = await s.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => s.app.close());

  it('never holds up the run: it skips ahead (counted as dropped) once it drains, while another viewer gets everything', async () => {
    const id = await post(s, { config: SMALL, seed: 14, paused: true, speed: 0 });
    const slow = viewer(url);
    const fast = viewer(url);
    await waitFor('both connected', () => (slow.socket.connected && fast.socket.connected ? true : undefined));
    await slow.join(id);
    await fast.join(id);
    await waitFor('both snapshots', () => (slow.got.snapshot && fast.got.snapshot ? true : undefined));

    // stall the slow viewer's transport on the server: nothing it is sent leaves the server
    const serverSide = [...s.io.of('/').sockets.values()].find((x) => x.id === slow.socket.id)!;
    const transport = serverSide.conn.transport as unknown as { send(p: unknown[]): void; writable: boolean };
    const realSend = transport.send.bind(transport);
    const held: unknown[][] = [];
    transport.send = (packets) => {
      transport.writable = false;
      held.push(packets);
    };

    await patch(s, id, { paused: false });
    const st = await waitForRun(s, id);
    expect(st.status).toBe('done');
    await waitFor('the fast viewer to get the summary', () => fast.got.summary ?? undefined);
    expect(fast.got.ticks.map((t) => t.index)).toEqual(Array.from({ length: 48 }, (_, i) => i));
    expect(slow.got.ticks.length).toBeLessThan(48);

    await new Promise((r) => setTimeout(r, 300)); // longer than maxLagMs
    // the connection recovers: the slow viewer is told what it missed and gets the latest state
    transport.send = realSend;
    for (const p of held.splice(0)) realSend(p);
    await waitFor('the slow viewer to get the summary', () => slow.got.summary ?? undefined);
    expect(slow.got.gaps.length).toBeGreaterThan(0);
    const dropped = slow.got.gaps.reduce((a, g) => a + g.dropped, 0);
    expect(slow.got.ticks.length + dropped).toBe(48);
    const order = slow.got.ticks.map((t) => t.index);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order.at(-1)).toBe(47);
    expect((await getJson(s, `/api/runs/${id}`)).dropped).toBe(dropped);
    slow.socket.disconnect();
    fast.socket.disconnect();
  });
});

describe('FedAvg rounds in the stream', () => {
  let s: BuiltServer;
  let url: string;
  // the real engine, with a FedAvg round record after interval 10 
  const round = { round: 1, tick: 10, clients: 4, samples: 1344, loss_before: 0.21, loss_after: 0.17 };
  const withRounds = (config: SimConfig) =>
    runWithComparisons(config).pipe(
      mergeMap((e) => (e.type === 'tick' && e.frame.index === 10 ? of(e, { type: 'federated', record: round } as unknown as RunEvent) : of(e))),
    );
  beforeAll(async () => {
    s = await testServer({ runWithComparisons: withRounds });
    url = await s.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => s.app.close());

  it('forwards federated records in order with the ticks, and gives them to late joiners', async () => {
    const id = await post(s, { config: SMALL, paused: true });
    const v = viewer(url);
    const order: string[] = [];
    v.socket.on('tick', (t: CompactTick) => order.push(`tick ${t.index}`));
    v.socket.on('federated', (f: { at_interval: number; record: unknown }) => {
      order.push(`federated ${f.at_interval}`);
      expect(f.record).toEqual(round);
    });
    await v.join(id);
    await patch(s, id, { paused: false });
    await waitFor('the summary', () => v.got.summary ?? undefined);
    expect(order.indexOf('federated 11')).toBe(order.indexOf('tick 10') + 1);
    expect((await getJson(s, `/api/runs/${id}`)).federated_rounds).toBe(1);
    const late = viewer(url);
    await late.join(id);
    const snap = await waitFor('the snapshot', () => late.got.snapshot ?? undefined);
    expect(snap.federated).toEqual([{ run_id: id, at_interval: 11, record: round }]);
    v.socket.disconnect();
    late.socket.disconnect();
  });
});
