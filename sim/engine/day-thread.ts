/**
 * Synthetic days generated on a worker thread, a day or two ahead of the engine (issue 13).
 *
 * The generator is deterministic given the seed, the homes and the dates, so a worker thread that
 * runs the same generator yields the same blocks to the bit; the engine simply stops waiting for
 * them. The hand-over cannot change a result: until the worker has loaded (a few tenths of a
 * second), this thread generates the days itself; then, unless the run ends sooner than the worker
 * could catch up, it waits for the worker to catch up once and takes every later day from it (the
 * worker runs `AHEAD_DAYS` in front and then waits). Both sides count days in shared memory (`Atomics`), and each block's typed arrays are
 * transferred, not copied, and read synchronously (`receiveMessageOnPort`), so the engine's loop
 * stays synchronous. If the worker fails or stops answering, this thread regenerates the run's
 * days from the start and carries on, with the same blocks.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MessageChannel, Worker, isMainThread, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { RngFactory } from '../../common/index.ts';
import { generateDays, type DayBlock, type GenerateDaysOptions } from '../../data-gen/index.ts';
import type { SimulateOptions } from './types.ts';

/** Indices of the counters shared with the worker (an Int32Array on a SharedArrayBuffer). */
export const DAY_CTRL = {
  /** days the worker has generated (posted, or skipped because this thread was already past them) */
  PRODUCED: 0,
  /** the day this thread needs next (days it has taken, from either side) */
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

/** With `auto`, communities smaller than this generate on this thread (a day costs about 3 µs a home). */
export const DATA_THREAD_MIN_HOMES = 1000;

/**
 * `auto`: a worker when the run is on the main thread (sweeps and server runs already run on
 * worker threads, one per core), there are two cores and at least `DATA_THREAD_MIN_HOMES` homes.
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
  /** false: always wait for the worker instead of generating here while it loads (tests) */
  race?: boolean;
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

/** Whether a run of `households` synthetic homes generates its days on a worker. */
export function dataThreadWanted(mode: DataThreadMode | undefined, households: number): boolean {
  if (mode === 'on') return true;
  if (mode === 'off') return false;
  return isMainThread && households >= DATA_THREAD_MIN_HOMES && availableParallelism() >= 2;
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
 * so a bad option throws here as it would without the worker.
 */
export function daysOnWorker(options: GenerateDaysOptions, rngFor: RngFactory, seed: number, opts: DayThreadOptions = {}): DaySource {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const race = opts.race !== false;
  let local: Generator<DayBlock> | null = generateDays(options, rngFor); // validates the options now
  let localAt = 0; // days `local` has yielded
  const ctrlBuffer = new SharedArrayBuffer(4 * DAY_CTRL.SIZE);
  const ctrl = new Int32Array(ctrlBuffer);
  const { port1, port2 } = new MessageChannel();
  const thread = acquireWorker(opts.workerUrl);
  // a worker kept from an earlier run has its code loaded and compiled: as good as loaded
  if (thread.served > 0) Atomics.store(ctrl, DAY_CTRL.LOADED, 1);
  thread.served++;
  thread.ctrl = ctrl;
  const job: DayThreadData = { options, seed, ctrl: ctrlBuffer, port: port2, ahead: AHEAD_DAYS };
  thread.worker.postMessage(job, [port2]);
  let day = 0;
  let switched = false;
  let fellBack = false;
  let fromThread = 0;
  let fromMain = 0;

  let stopped = false;
  const stopWorker = () => {
    if (stopped) return;
    stopped = true;
    Atomics.store(ctrl, DAY_CTRL.STOP, 1);
    Atomics.notify(ctrl, DAY_CTRL.CONSUMED);
    port1.close();
    releaseWorker(thread, !fellBack && Atomics.load(ctrl, DAY_CTRL.FAILED) === 0);
  };
  /** Day `d` from the worker's messages (earlier days, which this thread made itself, are dropped). */
  const receive = (d: number): DayBlock | null => {
    for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) {
      const block = m.message as DayBlock;
      if (block.dayIndex === d) return block;
    }
    return null;
  };
  /** Waits for the worker to have day `d` (false: it failed or missed the deadline). */
  const awaitDay = (d: number): boolean => {
    const start = performance.now();
    let loadedAt = Atomics.load(ctrl, DAY_CTRL.LOADED) === 1 ? start : Number.NaN;
    for (let p = Atomics.load(ctrl, DAY_CTRL.PRODUCED); p <= d; p = Atomics.load(ctrl, DAY_CTRL.PRODUCED)) {
      if (Atomics.load(ctrl, DAY_CTRL.FAILED) === 1) return false;
      const now = performance.now();
      if (Number.isNaN(loadedAt) && Atomics.load(ctrl, DAY_CTRL.LOADED) === 1) loadedAt = now;
      // a day is owed `timeoutMs` after the worker has loaded; loading has its own, longer, limit
      if (Number.isNaN(loadedAt) ? now - start > LOAD_TIMEOUT_MS : now - loadedAt > timeoutMs) return false;
      Atomics.wait(ctrl, DAY_CTRL.PRODUCED, p, Math.min(100, timeoutMs));
    }
    return true;
  };
  /** Day `d` made here, restarting this thread's generator when it is not at `d` (after a fall-back). */
  const makeHere = (d: number): IteratorResult<DayBlock> => {
    if (local === null || localAt > d) {
      local = generateDays(options, rngFor);
      localAt = 0;
    }
    while (localAt < d) {
      local.next();
      localAt++;
    }
    localAt++;
    return local.next();
  };
  const fallBack = () => {
    fellBack = true;
    switched = false;
    stopWorker();
  };

  return {
    get fromThread() {
      return fromThread;
    },
    get fromMain() {
      return fromMain;
    },
    get fellBack() {
      return fellBack;
    },
    next(): IteratorResult<DayBlock> {
      const d = day;
      if (d >= options.days) return { done: true, value: undefined };
      let block: DayBlock | null = null;
      if (!fellBack && !stopped) {
        // once the worker has loaded, wait for it when the days left outnumber its lag: the wait
        // (about its lag in days) costs what making those days here would, and every later day is free
        const lag = d - Atomics.load(ctrl, DAY_CTRL.PRODUCED);
        const worthWaiting = Atomics.load(ctrl, DAY_CTRL.LOADED) === 1 && options.days - d > lag;
        if (switched || worthWaiting || !race) {
          block = awaitDay(d) ? receive(d) : null;
          if (block === null) fallBack();
          else if (!switched) {
            switched = true;
            local = null; // never needed again unless the worker fails
          }
        }
      }
      if (block === null) {
        const r = makeHere(d);
        if (r.done) return r;
        block = r.value;
        fromMain++;
      } else fromThread++;
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

/** A day-generation worker; `ctrl` is its current job's counters (null while idle). */
interface DayWorker {
  worker: Worker;
  ctrl: Int32Array | null;
  broken: boolean;
  /** jobs given to it so far */
  served: number;
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
  const w: DayWorker = { worker: new Worker(url ?? new URL('./day-thread-worker.mjs', import.meta.url)), ctrl: null, broken: false, served: 0, poolable: url === undefined };
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
