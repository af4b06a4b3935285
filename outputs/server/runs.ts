/**
 * Live runs: each subscribes once to its engine's records (engine.ts: the engine writes the
 * contract files with the CLI's writer) and keeps an on-disk index of the exact records for the
 * REST pages, a compact display store for viewers, and a pacer that releases intervals to viewers
 * at the run's `speed`. Transport-agnostic: viewers (socket.io, see stream.ts) listen to `notices$`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { SimConfig, Summary } from '../../sim/index.ts';
import { removeStaging, type EngineRunner, type RecordEvent } from './run-records.ts';
import { MAX_SPEED, type RunMetaMessage, type RunStatus } from './schemas.ts';
import { CompactStore, COMPACT_BYTES_PER_HOUSEHOLD_INTERVAL, NdjsonLog } from './store.ts';

export interface ServerLimits {
  /** runs whose engine is working at the same time; more get 429 */
  maxConcurrentRuns: number;
  /** finished runs kept (least recently used evicted first) */
  maxFinishedRuns: number;
  /** households × intervals of one run (1,000 homes × 7 days = 336,000) */
  maxHouseholdIntervals: number;
  /** history days a server run may generate before its trading window */
  maxHistoryDays: number;
  /** baselines.maxOptimumVariables cap: the optimum is solved on the server's event loop */
  maxOptimumVariables: number;
  /** household-intervals kept over all retained runs (finished runs are evicted beyond it) */
  maxRetainedHouseholdIntervals: number;
  /** request body limit; larger bodies get 413 */
  bodyLimitBytes: number;
  /** messages queued per socket before the server waits for it to drain */
  socketBufferMessages: number;
  /** a viewer more than this many intervals behind the broadcast… */
  maxLagIntervals: number;
  /** …whose next interval went on the air longer ago than this skips ahead (counted as dropped) */
  maxLagMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxConcurrentRuns: 2,
  maxFinishedRuns: 20,
  maxHouseholdIntervals: 1000 * 7 * 48,
  maxHistoryDays: 365,
  maxOptimumVariables: 20_000,
  maxRetainedHouseholdIntervals: 10 * 1000 * 7 * 48,
  bodyLimitBytes: 64 * 1024,
  socketBufferMessages: 16,
  maxLagIntervals: 24,
  maxLagMs: 2000,
};

export type RunNotice =
  | { type: 'released' }
  | { type: 'status' }
  | { type: 'meta' }
  | { type: 'federated' }
  | { type: 'summary' }
  | { type: 'disposed' };

export interface FederatedEntry {
  /** intervals produced when the round arrived: viewers get it after that many ticks */
  at_interval: number;
  record: unknown;
}

export interface Pacing {
  speed: number;
  paused: boolean;
}

const STATUS_THROTTLE_MS = 250;

export class Run {
  state: RunStatus['status'] = 'running';
  phase: RunStatus['phase'] = 'starting';
  meta: RunMetaMessage | null = null;
  store: CompactStore | null = null;
  timeline: NdjsonLog | null = null;
  trades: NdjsonLog | null = null;
  summary: Summary | null = null;
  error: string | null = null;
  files: string[] = [];
  finishedAt: string | null = null;
  historyDay = 0;
  historyDays: number;
  readonly federated: FederatedEntry[] = [];
  /** intervals released to viewers by the pacer */
  released = 0;
  /** when each interval was released (performance.now() ms) */
  releasedAt: Float64Array = new Float64Array(0);
  speed: number;
  paused: boolean;
  /** intervals skipped for slow viewers, summed over viewers */
  dropped = 0;
  viewers = 0;
  /** ms between the engine's previous record and its latest one, as received (at a `federated` notice: the FedAvg round's time; for /metrics) */
  recordGapMs = 0;
  private lastRecordAt = 0;
  readonly notices$ = new Subject<RunNotice>();
  readonly createdAt: string;
  /** resolves when the engine's records have ended (files written), failed, or the run was cancelled */
  finished: Promise<void> = Promise.resolve();

  private engine: Subscription | null = null;
  private settle: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private budget = 0;
  private lastPaceAt = 0;
  private releaseScheduled = false;
  private lastStatusAt = 0;
  private disposed = false;

  constructor(
    readonly id: string,
    /** creation order within the server */
    readonly seq: number,
    readonly config: SimConfig,
    readonly outDir: string,
    readonly liveDir: string,
    pacing: Pacing,
  ) {
    this.speed = pacing.speed;
    this.paused = pacing.paused;
    this.historyDays = config.time.historyDays;
    this.createdAt = new Date().toISOString();
  }

  get householdIntervals(): number {
    return this.config.households.count * this.config.time.days * (1440 / this.config.time.intervalMinutes);
  }

  get intervals(): number {
    return this.store?.intervals ?? this.config.time.days * (1440 / this.config.time.intervalMinutes);
  }

  /** intervals the engine has produced */
  get produced(): number {
    return this.store?.count ?? 0;
  }

  get active(): boolean {
    return this.state === 'running';
  }

  /** Subscribes to the engine's records: from here on the run goes on by itself. */
  start(records$: Observable<RecordEvent>): void {
    mkdirSync(this.liveDir, { recursive: true });
    let settle!: () => void;
    this.finished = new Promise<void>((r) => (settle = r));
    this.settle = settle;
    this.engine = records$.subscribe({
      next: (e) => {
        if (this.disposed || !this.active) return;
        const now = performance.now();
        this.recordGapMs = this.lastRecordAt === 0 ? 0 : now - this.lastRecordAt;
        this.lastRecordAt = now;
        try {
          this.onRecord(e);
        } catch (err) {
          this.engine?.unsubscribe();
          this.fail(err instanceof Error ? err.message : String(err));
          settle();
        }
      },
      error: (err: unknown) => {
        this.fail(err instanceof Error ? err.message : String(err));
        settle();
      },
      complete: () => {
        if (this.active) {
          if (!this.summary) this.fail('the run ended without a summary');
          else {
            this.state = 'done';
            this.phase = 'done';
            this.finishedAt = new Date().toISOString();
            this.timeline?.flush();
            this.trades?.flush();
            this.notify({ type: 'status' });
            this.notify({ type: 'summary' });
            this.onProduced();
          }
        }
        settle();
      },
    });
  }

  private onRecord(e: RecordEvent): void {
    if (e.type === 'start') {
      this.meta = { ...e.meta, run_id: this.id };
      const planIds = e.meta.plans.map((p) => p.id);
      this.store = new CompactStore(
        this.id,
        e.meta.households.map((h) => h.id),
        e.meta.intervals,
        e.meta.households.map((h) => Math.max(0, planIds.indexOf(h.tariff))),
      );
      this.releasedAt = new Float64Array(e.meta.intervals);
      this.timeline = new NdjsonLog(join(this.liveDir, 'timeline.ndjson'));
      this.trades = new NdjsonLog(join(this.liveDir, 'trades.ndjson'));
      this.phase = 'history';
      this.notify({ type: 'meta' });
      this.notify({ type: 'status' });
    } else if (e.type === 'history') {
      this.historyDay = e.day;
      this.historyDays = e.days;
      this.notifyProgress();
    } else if (e.type === 'tick') {
      if (!this.store || !this.timeline || !this.trades) throw new Error('internal: tick before start');
      this.timeline.append(e.interval);
      for (const t of e.trades) this.trades.append(t);
      this.store.push(e.interval, e.trades);
      if (this.phase !== 'trading') {
        this.phase = 'trading';
        this.historyDay = this.historyDays;
        this.notify({ type: 'status' });
      } else this.notifyProgress();
      this.onProduced();
    } else if (e.type === 'baseline') {
      if (e.status === 'started') {
        this.phase = 'baselines';
        this.notify({ type: 'status' });
      }
    } else if (e.type === 'summary') {
      this.summary = e.summary;
    } else if (e.type === 'federated') {
      this.federated.push({ at_interval: this.produced, record: e.record });
      this.notify({ type: 'federated' });
    } else if (e.type === 'files') {
      this.files = e.files.filter((f) => f.endsWith('.json') || f.endsWith('.ndjson'));
    }
  }

  private notify(n: RunNotice): void {
    if (!this.disposed) this.notices$.next(n);
  }

  private notifyProgress(): void {
    const now = performance.now();
    if (now - this.lastStatusAt < STATUS_THROTTLE_MS) return;
    this.lastStatusAt = now;
    this.notify({ type: 'status' });
  }

  // ------------------------------------------------------------ pacing (broadcast layer only)

  private onProduced(): void {
    if (this.paused) return;
    if (this.speed === 0) this.scheduleRelease();
    else this.ensureTimer();
  }

  /** speed 0: release everything produced, once per turn of the event loop */
  private scheduleRelease(): void {
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    setImmediate(() => {
      this.releaseScheduled = false;
      if (this.disposed || this.paused || this.speed !== 0) return;
      if (this.released < this.produced) this.release(this.produced);
    });
  }

  private release(upTo: number): void {
    this.releasedAt.fill(performance.now(), this.released, upTo);
    this.released = upTo;
    this.notify({ type: 'released' });
  }

  private ensureTimer(): void {
    if (this.timer || this.paused || this.speed === 0 || this.disposed) return;
    if (this.released >= this.produced && !this.active) return;
    this.lastPaceAt = performance.now();
    const period = Math.min(250, Math.max(16, 1000 / this.speed));
    this.timer = setInterval(() => this.pace(), period);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private pace(): void {
    const now = performance.now();
    // after a stall (a blocked event loop) resume at the pace, not with a burst
    this.budget += (this.speed * Math.min(now - this.lastPaceAt, 500)) / 1000;
    this.lastPaceAt = now;
    const k = Math.floor(this.budget);
    if (k > 0) {
      this.budget -= k;
      const next = Math.min(this.produced, this.released + k);
      if (next > this.released) this.release(next);
    }
    if (this.released >= this.produced) {
      // waiting on the engine: do not bank time and then burst
      this.budget = Math.min(this.budget, 1);
      if (!this.active) this.stopTimer();
    }
  }

  setPacing(p: Partial<Pacing>): void {
    if (p.speed !== undefined) this.speed = Math.min(MAX_SPEED, Math.max(0, p.speed));
    if (p.paused !== undefined) this.paused = p.paused;
    this.stopTimer();
    this.budget = 0;
    this.onProduced();
    this.notify({ type: 'status' });
  }

  /** the viewers' summary is due once every interval has been released */
  get broadcastComplete(): boolean {
    return this.state === 'done' && this.released >= this.produced;
  }

  // ------------------------------------------------------------ lifecycle

  cancel(): boolean {
    if (!this.active) return false;
    this.engine?.unsubscribe();
    this.engine = null;
    this.state = 'cancelled';
    this.finishedAt = new Date().toISOString();
    this.notify({ type: 'status' });
    this.settle?.();
    return true;
  }

  fail(message: string): void {
    if (!this.active) return;
    this.state = 'failed';
    this.error = message;
    this.finishedAt = new Date().toISOString();
    this.notify({ type: 'status' });
  }

  /** Stops everything and deletes the run's files. */
  dispose(): void {
    if (this.disposed) return;
    this.cancel();
    this.stopTimer();
    this.notify({ type: 'disposed' });
    this.disposed = true;
    this.notices$.complete();
    this.timeline?.dispose();
    this.trades?.dispose();
    void this.finished.then(() => {
      rmSync(this.outDir, { recursive: true, force: true });
      rmSync(this.liveDir, { recursive: true, force: true });
      removeStaging(this.outDir);
    });
  }

  status(): RunStatus {
    return {
      id: this.id,
      status: this.state,
      phase: this.phase,
      scenario: this.config.scenario,
      seed: this.config.seed,
      households: this.config.households.count,
      days: this.config.time.days,
      created_at: this.createdAt,
      finished_at: this.finishedAt,
      progress: {
        history_day: this.historyDay,
        history_days: this.historyDays,
        interval: this.produced,
        intervals: this.intervals,
        broadcast: this.released,
        trades: this.trades?.length ?? 0,
      },
      speed: this.speed,
      paused: this.paused,
      viewers: this.viewers,
      dropped: this.dropped,
      federated_rounds: this.federated.length,
      files: this.state === 'done' ? this.files : [],
      error: this.error,
    };
  }
}

export interface RunManagerOptions {
  /** runs the engine (in a worker thread, or in this thread for injected engines) */
  runner: EngineRunner;
  /** directory the runs' files go under (created if missing) */
  outputRoot: string;
  limits: ServerLimits;
}

export interface LimitIssue {
  path: string;
  message: string;
}

/** The runs of one server: creation within the limits, lookup (LRU), eviction, disposal. */
export class RunManager {
  /** insertion order is recency: a looked-up run moves to the end */
  private readonly runs = new Map<string, Run>();
  /** every run created, for the transport to attach to */
  readonly created$ = new Subject<Run>();
  private created = 0;

  constructor(private readonly options: RunManagerOptions) {}

  get limits(): ServerLimits {
    return this.options.limits;
  }

  /** Reasons a config is too large for a server run (empty when it fits). Paths are config paths. */
  checkLimits(config: SimConfig): LimitIssue[] {
    const l = this.options.limits;
    const issues: LimitIssue[] = [];
    const perDay = 1440 / config.time.intervalMinutes;
    const size = config.households.count * config.time.days * perDay;
    if (size > l.maxHouseholdIntervals) {
      issues.push({
        path: 'households.count',
        message: `server runs are limited to ${l.maxHouseholdIntervals.toLocaleString('en-US')} household-intervals (households × days × ${perDay}); ${config.households.count} homes × ${config.time.days} days is ${size.toLocaleString('en-US')}: use the CLI for larger runs`,
      });
    }
    if (config.time.historyDays > l.maxHistoryDays) {
      issues.push({ path: 'time.historyDays', message: `server runs generate at most ${l.maxHistoryDays} days of history (got ${config.time.historyDays})` });
    }
    if (config.baselines.perfectForesight && config.baselines.maxOptimumVariables > l.maxOptimumVariables) {
      issues.push({
        path: 'baselines.maxOptimumVariables',
        message: `server runs solve the optimum with at most ${l.maxOptimumVariables.toLocaleString('en-US')} variables (got ${config.baselines.maxOptimumVariables})`,
      });
    }
    return issues;
  }

  /** runs whose engine is still working */
  activeCount(): number {
    let k = 0;
    for (const r of this.runs.values()) if (r.active) k++;
    return k;
  }

  get size(): number {
    return this.runs.size;
  }

  /** Starts a run (the caller has checked limits and concurrency). */
  create(config: SimConfig, pacing: Pacing): Run {
    let id = randomBytes(6).toString('base64url');
    while (this.runs.has(id)) id = randomBytes(6).toString('base64url');
    mkdirSync(this.options.outputRoot, { recursive: true });
    const run = new Run(id, ++this.created, config, join(this.options.outputRoot, id), join(this.options.outputRoot, `${id}.live`), pacing);
    this.runs.set(id, run);
    this.created$.next(run);
    run.start(this.options.runner(config, run.outDir));
    void run.finished.then(() => this.evict());
    this.evict();
    return run;
  }

  /** A run by id; counts as a use for the LRU order. */
  get(id: string): Run | undefined {
    const run = this.runs.get(id);
    if (run) {
      this.runs.delete(id);
      this.runs.set(id, run);
    }
    return run;
  }

  /** newest first */
  list(): Run[] {
    return [...this.runs.values()].sort((a, b) => b.seq - a.seq);
  }

  remove(id: string): boolean {
    const run = this.runs.get(id);
    if (!run) return false;
    this.runs.delete(id);
    run.dispose();
    return true;
  }

  /** Drops least recently used finished runs beyond the count and memory caps. */
  evict(): void {
    const l = this.options.limits;
    const finished = [...this.runs.values()].filter((r) => !r.active);
    let retained = 0;
    for (const r of this.runs.values()) retained += r.householdIntervals;
    let count = finished.length;
    for (const r of finished) {
      if (count <= l.maxFinishedRuns && retained <= l.maxRetainedHouseholdIntervals) break;
      retained -= r.householdIntervals;
      count--;
      this.remove(r.id);
    }
  }

  /** approximate bytes held in memory by the runs' display stores */
  retainedBytes(): number {
    let b = 0;
    for (const r of this.runs.values()) b += r.householdIntervals * COMPACT_BYTES_PER_HOUSEHOLD_INTERVAL;
    return b;
  }

  disposeAll(): void {
    for (const id of [...this.runs.keys()]) this.remove(id);
    this.created$.complete();
  }
}
