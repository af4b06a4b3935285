/**
 * socket.io transport for live runs.
 *
 * Every viewer has its own cursor into the run's stored intervals instead of a queue of
 * messages: the engine appends to the run's store and never waits; the pacer releases intervals
 * at the run's speed; each socket is sent the released intervals in order while it has fewer than
 * `socketBufferMessages` packets waiting in its engine.io buffer, and resumes on its `drain`
 * event. Viewers at the same interval share one broadcast (one encoding).
 *
 * Coalescing: a viewer more than `maxLagIntervals` behind the broadcast whose next interval went
 * on the air more than `maxLagMs` ago (a stalled or too slow connection, not a burst it is
 * draining) skips to the latest interval: the skipped intervals are announced in a `gap` message
 * and counted in the run's `dropped` (the REST timeline has them). Memory per socket is thus bounded by the buffer, and a
 * slow socket slows nothing but itself.
 */
import { performance } from 'node:perf_hooks';
import type { Server, Socket } from 'socket.io';
import type { Subscription } from 'rxjs';
import type { Run, RunManager } from './runs.ts';
import { RUN_ID_PATTERN, type CompactTick } from './schemas.ts';

interface Viewer {
  socket: Socket;
  run: Run | null;
  /** next interval to send */
  next: number;
  /** federated rounds sent */
  fedSent: number;
  summarySent: boolean;
  /** packets emitted since the engine.io buffer last drained */
  queued: number;
  dropped: number;
}

export interface StreamOptions {
  socketBufferMessages: number;
  maxLagIntervals: number;
  maxLagMs: number;
}

export type JoinAck = (reply: { ok: true; run_id: string } | { ok: false; error: string }) => void;

const roomOf = (id: string) => `run:${id}`;

/** A small cache of built tick records: viewers in step share one object per interval. */
class TickCache {
  private readonly map = new Map<number, CompactTick>();
  constructor(private readonly size = 64) {}
  get(run: Run, t: number): CompactTick {
    let tick = this.map.get(t);
    if (!tick) {
      tick = run.store!.tick(t);
      this.map.set(t, tick);
      if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as number);
    }
    return tick;
  }
}

/** Attaches the live stream to a socket.io server; returns a function that detaches it. */
export function attachStream(io: Server, runs: RunManager, options: StreamOptions): () => void {
  const hub = new StreamHub(io, runs, options);
  const onConnection = (socket: Socket) => hub.connect(socket);
  io.on('connection', onConnection);
  return () => {
    io.off('connection', onConnection);
    hub.close();
  };
}

/** The viewers of every run, their cursors, and the pump that sends them what they are due. */
class StreamHub {
  private readonly viewersOf = new Map<Run, Set<Viewer>>();
  private readonly caches = new Map<Run, TickCache>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly pumping = new Set<Run>();
  private readonly scheduled = new Set<Run>();

  constructor(
    private readonly io: Server,
    private readonly runs: RunManager,
    private readonly options: StreamOptions,
  ) {
    this.subscriptions.add(runs.created$.subscribe((run) => this.watch(run)));
  }

  close(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }

  /** Follows a new run's notices: status and meta go to its room, new intervals start a pump. */
  private watch(run: Run): void {
    this.viewersOf.set(run, new Set());
    this.caches.set(run, new TickCache());
    const sub: Subscription = run.notices$.subscribe({
      next: (n) => {
        if (n.type === 'status') this.io.to(roomOf(run.id)).emit('status', run.status());
        else if (n.type === 'meta') this.io.to(roomOf(run.id)).emit('meta', run.meta);
        else if (n.type === 'disposed') {
          this.io.to(roomOf(run.id)).emit('status', run.status());
          for (const v of this.viewersOf.get(run) ?? []) this.detach(v);
        } else this.pump(run);
      },
      complete: () => {
        this.viewersOf.delete(run);
        this.caches.delete(run);
        this.subscriptions.delete(sub);
      },
    });
    this.subscriptions.add(sub);
  }

  private emit(v: Viewer, event: string, payload: unknown): void {
    v.queued++; // before: a synchronous 'drain' inside emit resets it
    v.socket.emit(event, payload);
  }

  /** one emit to a group of viewers: socket.io encodes it once for all of them */
  private emitTo(group: Viewer[], event: string, payload: unknown): void {
    for (const v of group) v.queued++;
    if (group.length === 1) group[0].socket.emit(event, payload);
    else this.io.to(group.map((v) => v.socket.id)).emit(event, payload);
  }

  /** The one message a viewer needs before its next tick (a federated round, or a gap when it lags), if any. */
  private sendSpecial(v: Viewer, run: Run): boolean {
    const fed = run.federated[v.fedSent];
    if (fed && fed.at_interval <= v.next) {
      v.fedSent++;
      this.emit(v, 'federated', { run_id: run.id, at_interval: fed.at_interval, record: fed.record });
      return true;
    }
    const behind = run.released - v.next;
    if (behind > this.options.maxLagIntervals && performance.now() - run.releasedAt[v.next] > this.options.maxLagMs) {
      const skipped = behind - 1;
      const from = v.next;
      v.next = run.released - 1;
      v.dropped += skipped;
      run.dropped += skipped;
      this.emit(v, 'gap', { run_id: run.id, from, to: run.released - 2, dropped: skipped });
      return true;
    }
    return false;
  }

  /**
   * Pumps once per turn of the event loop for all the sockets that drained in it: viewers stay in
   * step and share broadcasts, instead of each drain sending to one socket alone.
   */
  private schedulePump(run: Run): void {
    if (this.scheduled.has(run)) return;
    this.scheduled.add(run);
    setImmediate(() => {
      this.scheduled.delete(run);
      this.pump(run);
    });
  }

  /**
   * Sends every viewer of a run what it is due, in order, while its buffer has room. Viewers at
   * the same interval get it in one broadcast (socket.io encodes the packet and the WebSocket
   * frame once for all of them); a viewer that lags gets its own sends from its own cursor.
   */
  private pump(run: Run): void {
    if (this.pumping.has(run) || !run.store) return; // re-entered from a synchronous 'drain': the loop goes on
    const viewers = this.viewersOf.get(run);
    if (!viewers || viewers.size === 0) return;
    this.pumping.add(run);
    try {
      while (this.pumpRound(run, viewers));
    } finally {
      this.pumping.delete(run);
    }
  }

  /** One round of the pump: each viewer with room gets its next message; false when nobody got anything. */
  private pumpRound(run: Run, viewers: Set<Viewer>): boolean {
    let progressed = false;
    const due = new Map<number, Viewer[]>();
    const summaryTo: Viewer[] = [];
    for (const v of viewers) {
      if (!v.socket.connected || v.queued >= this.options.socketBufferMessages) continue;
      if (this.sendSpecial(v, run)) {
        progressed = true;
        continue;
      }
      if (v.next < run.released) {
        const group = due.get(v.next);
        if (group) group.push(v);
        else due.set(v.next, [v]);
      } else if (summaryDue(v, run)) summaryTo.push(v);
    }
    for (const [t, group] of due) {
      const tick = this.caches.get(run)!.get(run, t);
      for (const v of group) v.next++;
      this.emitTo(group, 'tick', tick);
      progressed = true;
    }
    if (summaryTo.length > 0) {
      for (const v of summaryTo) v.summarySent = true;
      this.emitTo(summaryTo, 'summary', { run_id: run.id, summary: run.summary });
      progressed = true;
    }
    return progressed;
  }

  private detach(v: Viewer): void {
    const run = v.run;
    if (!run) return;
    void v.socket.leave(roomOf(run.id));
    this.viewersOf.get(run)?.delete(v);
    run.viewers = Math.max(0, run.viewers - 1);
    v.run = null;
  }

  /** A viewer joins a run: a snapshot of everything released so far, then the pump from there. */
  private join(v: Viewer, run: Run): void {
    this.detach(v);
    v.run = run;
    run.viewers++;
    this.viewersOf.get(run)?.add(v);
    void v.socket.join(roomOf(run.id));
    const upTo = run.store ? run.released : 0;
    const ticks: CompactTick[] = [];
    for (let t = 0; t < upTo; t++) ticks.push(run.store!.tick(t));
    const federated = run.federated.filter((f) => f.at_interval <= upTo).map((f) => ({ run_id: run.id, ...f }));
    const withSummary = run.broadcastComplete && !!run.summary;
    v.next = upTo;
    v.fedSent = federated.length;
    v.summarySent = withSummary;
    this.emit(v, 'snapshot', { run: run.status(), meta: run.meta, ticks, federated, summary: withSummary ? run.summary : null });
    this.pump(run);
  }

  /** A new socket: a viewer of no run until it emits `join`. */
  connect(socket: Socket): void {
    const v: Viewer = { socket, run: null, next: 0, fedSent: 0, summarySent: false, queued: 0, dropped: 0 };
    socket.conn.on('drain', () => {
      v.queued = 0;
      if (v.run) this.schedulePump(v.run);
    });
    socket.on('join', (payload: unknown, ack?: unknown) => this.onJoin(v, payload, ack));
    socket.on('leave', () => this.detach(v));
    socket.on('disconnect', () => this.detach(v));
  }

  private onJoin(v: Viewer, payload: unknown, ack: unknown): void {
    const reply: JoinAck = typeof ack === 'function' ? (ack as JoinAck) : () => undefined;
    const id = typeof payload === 'string' ? payload : (payload as { run_id?: unknown } | null)?.run_id;
    if (typeof id !== 'string' || !RUN_ID_PATTERN.test(id)) {
      reply({ ok: false, error: 'join expects a run id' });
      return;
    }
    const run = this.runs.get(id);
    if (!run) {
      reply({ ok: false, error: `unknown run ${id}` });
      return;
    }
    reply({ ok: true, run_id: id });
    this.join(v, run);
  }
}

/** Whether a viewer has had every interval and federated round and is due the summary. */
const summaryDue = (v: Viewer, run: Run) =>
  !v.summarySent && v.next >= run.released && run.broadcastComplete && !!run.summary && v.fedSent >= run.federated.length;
