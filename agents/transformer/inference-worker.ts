import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from './backend.ts';
import { disposeWeights, encodeRows, headRows, prepareWeights, type PreparedWeights } from './inference.ts';
import { CTRL, type PoolBuffers } from './inference-pool.ts';

/**
 * The worker side of `InferencePool`: its own tfjs backend, waiting on shared memory for jobs
 * (rows to encode or to run a head on), writing results into the shared output arrays.
 */
async function main(b: PoolBuffers): Promise<void> {
  // the pool splits rows only between identical kernels: anything but wasm here would change results
  if ((await initBackend()).name !== 'wasm') {
    parentPort?.postMessage('unavailable');
    return;
  }
  const ctrl = new Int32Array(b.ctrl);
  const all = new Float32Array(b.weights);
  const inputs = new Float32Array(b.inputs);
  const pooled = new Float32Array(b.pooled);
  const short = new Float32Array(b.short);
  const day = new Float32Array(b.day);
  let prepared: { id: number; p: PreparedWeights } | null = null;
  let seen = Atomics.load(ctrl, CTRL.JOB);
  Atomics.store(ctrl, CTRL.READY, 1);
  parentPort?.postMessage('ready');
  for (;;) {
    Atomics.wait(ctrl, CTRL.JOB, seen);
    if (Atomics.load(ctrl, CTRL.STOP) === 1) break;
    const job = Atomics.load(ctrl, CTRL.JOB);
    if (job === seen) continue;
    seen = job;
    try {
      const id = Atomics.load(ctrl, CTRL.WEIGHTS);
      if (!prepared || prepared.id !== id) {
        if (prepared) disposeWeights(prepared.p);
        const weights: Float32Array[] = [];
        let at = 0;
        for (const size of b.sizes) {
          weights.push(all.slice(at, at + size));
          at += size;
        }
        prepared = { id, p: prepareWeights(b.config, weights) };
      }
      const start = Atomics.load(ctrl, CTRL.START);
      const rows = Atomics.load(ctrl, CTRL.ROWS);
      const chunk = Atomics.load(ctrl, CTRL.CHUNK);
      if (Atomics.load(ctrl, CTRL.TASK) === 0) {
        encodeRows(prepared.p, inputs, start, rows, chunk, pooled);
        headRows(prepared.p, 'short', pooled, inputs, start, rows, chunk, short);
      } else {
        headRows(prepared.p, 'day', pooled, inputs, start, rows, chunk, day);
      }
      Atomics.store(ctrl, CTRL.STATUS, 0);
    } catch {
      Atomics.store(ctrl, CTRL.STATUS, 1);
    }
    Atomics.store(ctrl, CTRL.DONE, job);
    Atomics.notify(ctrl, CTRL.DONE);
  }
  if (prepared) disposeWeights(prepared.p);
}

await main(workerData as PoolBuffers);
