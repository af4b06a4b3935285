import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { QUANTILES, SERIES, type TransformerConfig } from './config.ts';
import { pooledWidth } from './inference.ts';

/**
 * Indices of the control words shared with the inference worker (an Int32Array on a
 * SharedArrayBuffer). The main thread publishes a job by bumping JOB; the worker answers by
 * setting DONE to the same number.
 */
export const CTRL = {
  JOB: 0,
  DONE: 1,
  START: 2,
  ROWS: 3,
  CHUNK: 4,
  /** 0 = encode and run the trading head, 1 = run the planning head */
  TASK: 5,
  /** id of the weight set in the shared weight buffer */
  WEIGHTS: 6,
  /** 0 = ok, 1 = the job failed */
  STATUS: 7,
  READY: 8,
  STOP: 9,
  SIZE: 10,
} as const;

/** The shared memory of one pool, handed to the worker once at start. */
export interface PoolBuffers {
  config: TransformerConfig;
  sizes: number[];
  ctrl: SharedArrayBuffer;
  weights: SharedArrayBuffer;
  inputs: SharedArrayBuffer;
  pooled: SharedArrayBuffer;
  short: SharedArrayBuffer;
  day: SharedArrayBuffer;
}


/**
 * Splits batched inference over two tfjs-wasm instances: this thread's and one in a worker thread
 * (tfjs-backend-wasm has no threads under Node — its threaded build needs browser blob workers —
 * so each instance is single-threaded and two instances use two cores). The caller stays
 * synchronous: it publishes the job in shared memory, runs its own rows, then blocks on
 * `Atomics.wait` until the worker has written its rows. Each row's result does not depend on
 * which rows share its chunk, and both instances run the same kernels, so the results are
 * bit-identical to one thread's; until
 * the worker has loaded (about a second) or if it ever fails, this thread runs every row.
 */
export class InferencePool {
  readonly buffers: PoolBuffers;
  /** shared input windows, `[i * window * features …]`: the forecaster writes its windows here */
  readonly inputs: Float32Array;
  readonly pooled: Float32Array;
  readonly short: Float32Array;
  readonly day: Float32Array;
  private readonly ctrl: Int32Array;
  private readonly weightBuffer: Float32Array;
  private readonly worker: Worker;
  private broken = false;
  /** jobs whose rows were split with the worker */
  splitRuns = 0;
  private weightsId = 0;
  private loaded: readonly Float32Array[] | null = null;
  /** resolves when the worker has loaded its backend (false if it failed to) */
  readonly ready: Promise<boolean>;

  constructor(
    readonly config: TransformerConfig,
    sizes: readonly number[],
    readonly capacityRows: number,
    /** how long to wait for the worker's share before computing it here and dropping the worker */
    private readonly timeoutMs = 60_000,
    /** smaller jobs run on this thread only (the hand-over costs more than it saves) */
    private readonly minSplitRows = 2,
  ) {
    const cells = SERIES * QUANTILES.length;
    const f32 = (n: number) => new SharedArrayBuffer(4 * n);
    this.buffers = {
      config,
      sizes: [...sizes],
      ctrl: new SharedArrayBuffer(4 * CTRL.SIZE),
      weights: f32(sizes.reduce((a, b) => a + b, 0)),
      inputs: f32(capacityRows * config.window * config.features),
      pooled: f32(capacityRows * pooledWidth(config)),
      short: f32(capacityRows * config.shortHorizon * cells),
      day: f32(capacityRows * config.dayHorizon * cells),
    };
    this.ctrl = new Int32Array(this.buffers.ctrl);
    this.weightBuffer = new Float32Array(this.buffers.weights);
    this.inputs = new Float32Array(this.buffers.inputs);
    this.pooled = new Float32Array(this.buffers.pooled);
    this.short = new Float32Array(this.buffers.short);
    this.day = new Float32Array(this.buffers.day);
    this.worker = new Worker(new URL('./inference-worker.mjs', import.meta.url), { workerData: this.buffers });
    this.worker.unref();
    this.ready = new Promise((resolve) => {
      this.worker.once('message', (m: unknown) => resolve(m === 'ready'));
      this.worker.once('error', () => {
        this.broken = true;
        resolve(false);
      });
    });
  }

  /** True when the worker has loaded and not failed: jobs are split. */
  get active(): boolean {
    return !this.broken && Atomics.load(this.ctrl, CTRL.READY) === 1;
  }

  /**
   * Runs `local(start, rows)` on this thread for the first part of rows 0 … count − 1 and the
   * same task in the worker for the rest (with `weights`), returning when both are done.
   */
  run(
    task: 'encode-short' | 'day',
    weights: readonly Float32Array[],
    count: number,
    chunk: number,
    local: (start: number, rows: number) => void,
    /** fills the shared inputs of rows start … start + rows − 1: the worker's rows first, then this thread's while the worker runs */
    fill: (start: number, rows: number) => void = () => {},
  ): void {
    if (!this.active || count < Math.max(2, this.minSplitRows)) {
      fill(0, count);
      local(0, count);
      return;
    }
    // every row's result is independent of how rows are chunked (a test checks it), so split evenly
    const mine = Math.ceil(count / 2);
    fill(mine, count - mine);
    this.publishWeights(weights);
    const c = this.ctrl;
    Atomics.store(c, CTRL.START, mine);
    Atomics.store(c, CTRL.ROWS, count - mine);
    Atomics.store(c, CTRL.CHUNK, chunk);
    Atomics.store(c, CTRL.TASK, task === 'day' ? 1 : 0);
    Atomics.store(c, CTRL.WEIGHTS, this.weightsId);
    Atomics.store(c, CTRL.STATUS, 0);
    const job = Atomics.add(c, CTRL.JOB, 1) + 1;
    Atomics.notify(c, CTRL.JOB);
    fill(0, mine);
    local(0, mine);
    if (this.await(job)) {
      this.splitRuns++;
      return;
    }
    // the worker failed or hung: never use it again, compute its share here
    this.broken = true;
    local(mine, count - mine);
  }

  private await(job: number): boolean {
    const c = this.ctrl;
    const deadline = performance.now() + this.timeoutMs;
    for (let done = Atomics.load(c, CTRL.DONE); done !== job; done = Atomics.load(c, CTRL.DONE)) {
      if (performance.now() > deadline) return false;
      Atomics.wait(c, CTRL.DONE, done, Math.min(1000, this.timeoutMs));
    }
    return Atomics.load(c, CTRL.STATUS) === 0;
  }

  /** Copies a new weight set into shared memory (the worker re-cuts its tensors on the next job). */
  private publishWeights(weights: readonly Float32Array[]): void {
    if (this.loaded === weights) return;
    let at = 0;
    for (const w of weights) {
      this.weightBuffer.set(w, at);
      at += w.length;
    }
    this.loaded = weights;
    this.weightsId++;
  }

  dispose(): void {
    this.broken = true;
    Atomics.store(this.ctrl, CTRL.STOP, 1);
    Atomics.add(this.ctrl, CTRL.JOB, 1);
    Atomics.notify(this.ctrl, CTRL.JOB);
    void this.worker.terminate();
  }
}

/**
 * Whether to split inference over a worker: on the wasm backend (tfjs-node and GPUs thread
 * themselves), with at least two cores, when `threads` (default: automatic) allows it.
 */
export function poolWanted(households: number, threads: number | undefined): boolean {
  if (threads === 1) return false;
  if (tf.getBackend() !== 'wasm') return false;
  if (threads === undefined && (availableParallelism() < 2 || households < AUTO_SPLIT_ROWS)) return false;
  return true;
}

/** With the automatic thread count, batches of fewer rows stay on one thread. */
export const AUTO_SPLIT_ROWS = 512;
