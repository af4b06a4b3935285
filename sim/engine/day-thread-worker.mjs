// Worker-thread entry of the day generator (day-thread.ts). In the built package it loads the
// compiled day-thread-worker.js beside it; from source it registers tsx first (module hooks
// registered on the main thread do not reach worker threads) and loads the TypeScript loop. If
// loading fails, every job is flagged as failed at once, so the engine makes its days itself.
import { existsSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

try {
  const compiled = new URL('./day-thread-worker.js', import.meta.url);
  let loop;
  if (existsSync(compiled)) loop = await import(compiled.href);
  else {
    const { register } = await import('tsx/esm/api');
    register();
    loop = await import('./day-thread-worker.ts');
  }
  loop.serveDayJobs();
} catch {
  parentPort.on('message', (job) => {
    const ctrl = new Int32Array(job.ctrl);
    Atomics.store(ctrl, 2, 1); // DAY_CTRL.FAILED
    Atomics.notify(ctrl, 0); // DAY_CTRL.PRODUCED
    job.port.close();
  });
}
