// Worker-thread entry of the day generator (day-thread.ts): module hooks registered on the main
// thread do not reach worker threads, so register tsx here, then load the TypeScript loop. A
// failure to load is flagged in shared memory, so the engine generates the days itself at once.
import { workerData } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./day-thread-worker.ts');
} catch {
  const ctrl = new Int32Array(workerData.ctrl);
  Atomics.store(ctrl, 2, 1); // DAY_CTRL.FAILED
  Atomics.notify(ctrl, 0); // DAY_CTRL.PRODUCED
}
