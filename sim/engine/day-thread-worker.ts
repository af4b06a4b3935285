/**
 * The day-generation worker (day-thread.ts): for each job (one run's days) it runs `generateDays`
 * from the run's seed, posts each day (its arrays transferred) at most `ahead` days in front of
 * the engine, and counts what it has done in shared memory. Jobs come one after another on the
 * parent port.
 */
import { parentPort } from 'node:worker_threads';
import { generateDays } from '../../data-gen/index.ts';
import { createRngFactory } from '../rng.ts';
import { DAY_CTRL, blockBuffers, type DayThreadData } from './day-thread.ts';

/** Serves jobs as they come (`adjust` lets a test worker change one). */
export function serveDayJobs(adjust: (job: DayThreadData) => DayThreadData = (job) => job): void {
  parentPort!.on('message', (job: DayThreadData) => runJob(adjust(job)));
}

function runJob({ options, seed, ctrl, port, ahead }: DayThreadData): void {
  const c = new Int32Array(ctrl);
  const stopped = () => Atomics.load(c, DAY_CTRL.STOP) === 1;
  let produced = 0;
  Atomics.store(c, DAY_CTRL.LOADED, 1);
  try {
    for (const block of generateDays(options, createRngFactory(seed))) {
      for (let consumed = Atomics.load(c, DAY_CTRL.CONSUMED); produced - consumed >= ahead; consumed = Atomics.load(c, DAY_CTRL.CONSUMED)) {
        if (stopped()) return;
        Atomics.wait(c, DAY_CTRL.CONSUMED, consumed);
      }
      if (stopped()) return;
      port.postMessage(block, blockBuffers(block));
      produced++;
      Atomics.store(c, DAY_CTRL.PRODUCED, produced);
      Atomics.notify(c, DAY_CTRL.PRODUCED);
    }
  } catch {
    Atomics.store(c, DAY_CTRL.FAILED, 1);
    Atomics.notify(c, DAY_CTRL.PRODUCED);
  } finally {
    port.close();
  }
}
