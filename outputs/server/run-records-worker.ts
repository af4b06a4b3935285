/** Runs one server run's engine in a worker thread and posts its records to the server. */
import { parentPort, workerData } from 'node:worker_threads';
import { parseSimConfig, runWithComparisons } from '../../sim/index.ts';
import { threadRunner } from './run-records.ts';

const { config, outDir } = workerData as { config: unknown; outDir: string };
const port = parentPort!;
threadRunner(runWithComparisons)(parseSimConfig(config), outDir).subscribe({
  next: (event) => port.postMessage({ type: 'event', event }),
  error: (err: unknown) => port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  complete: () => port.postMessage({ type: 'complete' }),
});
