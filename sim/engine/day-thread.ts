/**
 * Synthetic days generated on a worker thread, a day or two ahead of the engine.
 *
 * The generator is deterministic given the seed, the homes and the dates, so a worker thread that
 * runs the same generator yields the same blocks to the bit; the engine takes each day from the
 * worker instead of making it, and the worker makes the next while the engine trades (it runs
 * `AHEAD_DAYS` in front and then waits). Both sides count days in shared memory (`Atomics`), each
 * block's typed arrays are transferred, not copied, and read synchronously
 * (`receiveMessageOnPort`), so the engine's loop stays synchronous. If the worker fails or stops
 * answering, this thread makes the rest of the days itself, the same blocks. The worker takes
 * about 0.2 s to load; the engine starts it before setting up the run (`prewarmDayWorker`), and
 * one idle worker is kept for the next run in the process.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MessageChannel, Worker, isMainThread, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { RngFactory } from '../../common/index.ts';
import { generateDays, type DayBlock, type GenerateDaysOptions } from '../../data-gen/index.ts';
import type { SimulateOptions } from './types.ts';

/** Indices of the counters shared with the worker (an Int32Array on a SharedArrayBuffer). */
export const DAY_CTRL = {
  /** days the worker has generated and posted */
  PRODUCED: 0,
  /** the day this thread needs next (the days it has taken) */
  CONSUMED: 1,
  /** 1 when the worker failed */
  FAILED: 2,
  /** 1 tells the worker to stop */
  STOP: 3,
  /** 1 once the worker has loaded the generator */
  LOADED: 4,
  SIZE: 5,
} as const;

/** How far the worker may run ahead of the engine, in days (each is 3 arrays of homes × intervals). */
export const AHEAD_DAYS = 2;

/** How long a worker may take to load before the engine stops waiting for it, ms. */
export const LOAD_TIMEOUT_MS = 60_000;

/**
 * With `auto`, a worker only for runs with at least this many homes × trading days. Measured with
 * bench/day-thread.ts at 10,000 homes: the worker saves about 2 µs of wall time per home-day traded
 * (the next day is made while this thread trades) and costs up to about 0.3 s (loading it, and the
 * history, where this thread has nothing to overlap and waits for each day): it breaks even near
 * 140,000 home-days.
 */
export const DATA_THREAD_MIN_HOME_DAYS = 200_000;

/** `auto`: also at least this many homes (smaller days cost less to make than to hand over). */
export const DATA_THREAD_MIN_HOMES = 1000;

/**
 * `auto`: a worker when the run is on the main thread (sweeps and server runs already run on
 * worker threads, one per core), there are two cores, at least `DATA_THREAD_MIN_HOMES` homes and
 * `DATA_THREAD_MIN_HOME_DAYS` home-days of trading.
 */
export type DataThreadMode = NonNullable<SimulateOptions['dataThread']>;

/** One run's job for the worker (posted to it; the port is transferred). */
export interface DayThreadData {
  options: GenerateDaysOptions;
  seed: number;
  ctrl: SharedArrayBuffer;
  port: MessagePort;
  ahead: number;
}

export interface DayThreadOptions {
  /** how long to wait for a day the loaded worker owes before regenerating here, ms (default 60 s) */
  timeoutMs?: number;
  /** the worker's entry (tests start one that fails) */
  workerUrl?: URL;
}

/** The days, with where they came from; `dispose` stops the worker. */
export interface DaySource extends Iterator<DayBlock> {
  /** days taken from the worker, and generated on this thread */
  readonly fromThread: number;
  readonly fromMain: number;
  /** true once the worker failed or timed out (the rest are generated here) */
  readonly fellBack: boolean;
  dispose(): void;
}

/** Whether a run of `households` synthetic homes over `tradingDays` generates its days on a worker. */
export function dataThreadWanted(mode: DataThreadMode | undefined, households: number, tradingDays: number): boolean {
  if (mode === 'on') return true;
  if (mode === 'off') return false;
  return isMainThread && households >= DATA_THREAD_MIN_HOMES && households * tradingDays >= DATA_THREAD_MIN_HOME_DAYS && availableParallelism() >= 2;
}

/** This thread's generator only, as a DaySource. */
export function daysOnThisThread(options: GenerateDaysOptions, rngFor: RngFactory): DaySource {
  const gen = generateDays(options, rngFor);
  let fromMain = 0;
  return {
    fromThread: 0,
    get fromMain() {
      return fromMain;
    },
    fellBack: false,
    next() {
      const r = gen.next();
      if (!r.done) fromMain++;
      return r;
    },
    dispose() {},
  };
}

/**
 * The days of `generateDays(options, rngFor)`, generated on a worker thread from `seed` (the worker
 * builds the same `rngFor` from it: `createRngFactory(seed)`). The options are checked here first,
 * so a bad option throws here as it would without the worker. This thread waits for each day; if
 * the worker fails or misses its deadline, this thread makes that day and every later one itself
 * (its own generator, run from the first day, so the blocks are the same).
 */
export function daysOnWorker(options: GenerateDaysOptions, rngFor: RngFactory, seed: number, opts: DayThreadOptions = {}): DaySource {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  generateDays(options, rngFor); // validates the options now (the generator itself is lazy)
  const ctrlBuffer = new SharedArrayBuffer(4 * DAY_CTRL.SIZE);
  const ctrl = new Int32Array(ctrlBuffer);
  const { port1, port2 } = new MessageChannel();
  const thread = acquireWorker(opts.workerUrl);
  thread.ctrl = ctrl;
  const job: DayThreadData = { options, seed, ctrl: ctrlBuffer, port: port2, ahead: AHEAD_DAYS };
  thread.worker.postMessage(job, [port2]);
  let day = 0;
  let local: Generator<DayBlock> | null = null; // this thread's generator, after a fall-back
  let fromThread = 0;
  let fromMain = 0;
  let stopped = false;
  const stopWorker = () => {
    if (stopped) return;
    stopped = true;
    Atomics.store(ctrl, DAY_CTRL.STOP, 1);
    Atomics.notify(ctrl, DAY_CTRL.CONSUMED);
    port1.close();
    releaseWorker(thread, local === null && Atomics.load(ctrl, DAY_CTRL.FAILED) === 0);
  };
  /** Waits for the worker's day `d` (null: it failed or missed the deadline). */
  const fromWorker = (d: number): DayBlock | null => {
    const start = performance.now();
    let loadedAt = Atomics.load(ctrl, DAY_CTRL.LOADED) === 1 ? start : Number.NaN;
    for (let p = Atomics.load(ctrl, DAY_CTRL.PRODUCED); p <= d; p = Atomics.load(ctrl, DAY_CTRL.PRODUCED)) {
      if (Atomics.load(ctrl, DAY_CTRL.FAILED) === 1) return null;
      const now = performance.now();
      if (Number.isNaN(loadedAt) && Atomics.load(ctrl, DAY_CTRL.LOADED) === 1) loadedAt = now;
      // a day is owed `timeoutMs` after the worker has loaded; loading has its own, longer, limit
      if (Number.isNaN(loadedAt) ? now - start > LOAD_TIMEOUT_MS : now - loadedAt > timeoutMs) return null;
      Atomics.wait(ctrl, DAY_CTRL.PRODUCED, p, Math.min(100, timeoutMs));
    }
    const m = receiveMessageOnPort(port1);
    const block = m?.message as DayBlock | undefined;
    return block !== undefined && block.dayIndex === d ? block : null;
  };

  return {
    get fromThread() {
      return fromThread;
    },
    get fromMain() {
      return fromMain;
    },
    get fellBack() {
      return local !== null;
    },
    next(): IteratorResult<DayBlock> {
      const d = day;
      if (d >= options.days) return { done: true, value: undefined };
      let block = local === null && !stopped ? fromWorker(d) : null;
      if (block !== null) fromThread++;
      else {
        if (local === null) {
          local = generateDays(options, rngFor);
          for (let k = 0; k < d; k++) local.next();
          stopWorker();
        }
        const r = local.next();
        if (r.done) return r;
        block = r.value;
        fromMain++;
      }
      day = d + 1;
      Atomics.store(ctrl, DAY_CTRL.CONSUMED, day);
      Atomics.notify(ctrl, DAY_CTRL.CONSUMED);
      if (day >= options.days) stopWorker();
      return { done: false, value: block };
    },
    dispose() {
      stopWorker();
    },
  };
}

/** Starts the worker now (when the run will want it), so that it loads while the run sets up. */
export function prewarmDayWorker(): void {
  if (idleWorker === null || idleWorker.broken) idleWorker = acquireWorker(undefined);
}

/** A day-generation worker; `ctrl` is its current job's counters (null while idle). */
interface DayWorker {
  worker: Worker;
  ctrl: Int32Array | null;
  broken: boolean;
  /** started from the default entry, so it may serve later runs */
  poolable: boolean;
}

/** One idle worker kept warm between runs (reruns, sweeps of big runs, benchmarks): loading one costs about 0.2 s. */
let idleWorker: DayWorker | null = null;
let workersStarted = 0;

/** How many day-generation workers this process has started (tests check that runs reuse one). */
export function dayWorkersStarted(): number {
  return workersStarted;
}

function acquireWorker(url: URL | undefined): DayWorker {
  if (url === undefined && idleWorker !== null && !idleWorker.broken) {
    const w = idleWorker;
    idleWorker = null;
    return w;
  }
  const w: DayWorker = { worker: new Worker(url ?? new URL('./day-thread-worker.mjs', import.meta.url)), ctrl: null, broken: false, poolable: url === undefined };
  w.worker.unref();
  workersStarted++;
  // seen by the engine on its next wait for a day, or by the deadline
  const fail = () => {
    w.broken = true;
    if (w.ctrl) {
      Atomics.store(w.ctrl, DAY_CTRL.FAILED, 1);
      Atomics.notify(w.ctrl, DAY_CTRL.PRODUCED);
    }
  };
  w.worker.on('error', fail);
  w.worker.on('exit', fail);
  return w;
}

/** Back to idle after a job that went well (the worker stops the job at its next check), else ended. */
function releaseWorker(w: DayWorker, ok: boolean): void {
  w.ctrl = null;
  if (ok && w.poolable && !w.broken && idleWorker === null) idleWorker = w;
  else {
    w.broken = true;
    void w.worker.terminate();
  }
}

/** The typed arrays' buffers of a block (each array of a generated block has its own). */
export function blockBuffers(block: DayBlock): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (v: unknown) => {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
  };
  for (const v of Object.values(block)) add(v);
  if (block.applianceKwh) for (const v of Object.values(block.applianceKwh)) add(v);
  return [...buffers];
}
