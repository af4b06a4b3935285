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
  const viewersOf = new Map<Run, Set<Viewer>>();
  const caches = new Map<Run, TickCache>();
  const subscriptions = new Set<Subscription>();

  const watch = (run: Run) => {
    viewersOf.set(run, new Set());
    caches.set(run, new TickCache());
    const sub: Subscription = run.notices$.subscribe({
      next: (n) => {
        if (n.type === 'status') io.to(roomOf(run.id)).emit('status', run.status());
        else if (n.type === 'meta') io.to(roomOf(run.id)).emit('meta', run.meta);
        else if (n.type === 'disposed') {
          io.to(roomOf(run.id)).emit('status', run.status());
          for (const v of viewersOf.get(run) ?? []) detach(v);
        } else pump(run);
      },
      complete: () => {
        viewersOf.delete(run);
        caches.delete(run);
        subscriptions.delete(sub);
      },
    });
    subscriptions.add(sub);
  };
  subscriptions.add(runs.created$.subscribe(watch));

  const emit = (v: Viewer, event: string, payload: unknown) => {
    v.queued++; // before: a synchronous 'drain' inside emit resets it
    v.socket.emit(event, payload);
  };

  /** The one message a viewer needs before its next tick (a federated round, or a gap when it lags), if any. */
  function sendSpecial(v: Viewer, run: Run): boolean {
    const fed = run.federated[v.fedSent];
    if (fed && fed.at_interval <= v.next) {
      v.fedSent++;
      emit(v, 'federated', { run_id: run.id, at_interval: fed.at_interval, record: fed.record });
      return true;
    }
    const behind = run.released - v.next;
    if (behind > options.maxLagIntervals && performance.now() - run.releasedAt[v.next] > options.maxLagMs) {
      const skipped = behind - 1;
      const from = v.next;
      v.next = run.released - 1;
      v.dropped += skipped;
      run.dropped += skipped;
      emit(v, 'gap', { run_id: run.id, from, to: run.released - 2, dropped: skipped });
      return true;
    }
    return false;
  }

  const summaryDue = (v: Viewer, run: Run) =>
    !v.summarySent && v.next >= run.released && run.broadcastComplete && !!run.summary && v.fedSent >= run.federated.length;

  /** one emit to a group of viewers: socket.io encodes it once for all of them */
  function emitTo(group: Viewer[], event: string, payload: unknown): void {
    for (const v of group) v.queued++;
    if (group.length === 1) group[0].socket.emit(event, payload);
    else io.to(group.map((v) => v.socket.id)).emit(event, payload);
  }

  const pumping = new Set<Run>();
  const scheduled = new Set<Run>();

  /**
   * Pumps once per turn of the event loop for all the sockets that drained in it: viewers stay in
   * step and share broadcasts, instead of each drain sending to one socket alone.
   */
  function schedulePump(run: Run): void {
    if (scheduled.has(run)) return;
    scheduled.add(run);
    setImmediate(() => {
      scheduled.delete(run);
      pump(run);
    });
  }

  /**
   * Sends every viewer of a run what it is due, in order, while its buffer has room. Viewers at
   * the same interval get it in one broadcast (socket.io encodes the packet and the WebSocket
   * frame once for all of them); a viewer that lags gets its own sends from its own cursor.
   */
  function pump(run: Run): void {
    if (pumping.has(run) || !run.store) return; // re-entered from a synchronous 'drain': the loop goes on
    const viewers = viewersOf.get(run);
    if (!viewers || viewers.size === 0) return;
    pumping.add(run);
    try {
      for (;;) {
        let progressed = false;
        const due = new Map<number, Viewer[]>();
        const summaryTo: Viewer[] = [];
        for (const v of viewers) {
          if (!v.socket.connected || v.queued >= options.socketBufferMessages) continue;
          if (sendSpecial(v, run)) {
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
          const tick = caches.get(run)!.get(run, t);
          for (const v of group) v.next++;
          emitTo(group, 'tick', tick);
          progressed = true;
        }
        if (summaryTo.length > 0) {
          for (const v of summaryTo) v.summarySent = true;
          emitTo(summaryTo, 'summary', { run_id: run.id, summary: run.summary });
          progressed = true;
        }
        if (!progressed) break;
      }
    } finally {
      pumping.delete(run);
    }
  }

  function detach(v: Viewer): void {
    const run = v.run;
    if (!run) return;
    void v.socket.leave(roomOf(run.id));
    viewersOf.get(run)?.delete(v);
    run.viewers = Math.max(0, run.viewers - 1);
    v.run = null;
  }

  function join(v: Viewer, run: Run): void {
    detach(v);
    v.run = run;
    run.viewers++;
    viewersOf.get(run)?.add(v);
    void v.socket.join(roomOf(run.id));
    const upTo = run.store ? run.released : 0;
    const ticks: CompactTick[] = [];
    for (let t = 0; t < upTo; t++) ticks.push(run.store!.tick(t));
    const federated = run.federated.filter((f) => f.at_interval <= upTo).map((f) => ({ run_id: run.id, ...f }));
    const summaryDue = run.broadcastComplete && !!run.summary;
    v.next = upTo;
    v.fedSent = federated.length;
    v.summarySent = summaryDue;
    emit(v, 'snapshot', { run: run.status(), meta: run.meta, ticks, federated, summary: summaryDue ? run.summary : null });
    pump(run);
  }

  const onConnection = (socket: Socket) => {
    const v: Viewer = { socket, run: null, next: 0, fedSent: 0, summarySent: false, queued: 0, dropped: 0 };
    socket.conn.on('drain', () => {
      v.queued = 0;
      if (v.run) schedulePump(v.run);
    });
    socket.on('join', (payload: unknown, ack?: unknown) => {
      const reply: JoinAck = typeof ack === 'function' ? (ack as JoinAck) : () => undefined;
      const id = typeof payload === 'string' ? payload : (payload as { run_id?: unknown } | null)?.run_id;
      if (typeof id !== 'string' || !RUN_ID_PATTERN.test(id)) {
        reply({ ok: false, error: 'join expects a run id' });
        return;
      }
      const run = runs.get(id);
      if (!run) {
        reply({ ok: false, error: `unknown run ${id}` });
        return;
      }
      reply({ ok: true, run_id: id });
      join(v, run);
    });
    socket.on('leave', () => detach(v));
    socket.on('disconnect', () => detach(v));
  };
  io.on('connection', onConnection);

  return () => {
    io.off('connection', onConnection);
    for (const s of subscriptions) s.unsubscribe();
  };
}
