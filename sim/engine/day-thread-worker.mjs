// Worker-thread entry of the day generator (day-thread.ts): module hooks registered on the main
// thread do not reach worker threads, so register tsx here, then serve jobs with the TypeScript
// loop. If loading fails, every job is flagged as failed at once, so the engine makes its days itself.
import { parentPort } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
  const { serveDayJobs } = await import('./day-thread-worker.ts');
  serveDayJobs();
} catch {
  parentPort.on('message', (job) => {
    const ctrl = new Int32Array(job.ctrl);
    Atomics.store(ctrl, 2, 1); // DAY_CTRL.FAILED
    Atomics.notify(ctrl, 0); // DAY_CTRL.PRODUCED
    job.port.close();
  });
}
