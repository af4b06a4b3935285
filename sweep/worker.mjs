// Worker-thread entry of the sweep pool. In the built package it loads the compiled worker.js
// beside it; from source it registers tsx first (module hooks registered on the main thread do not
// reach worker threads) and loads the TypeScript task.
import { existsSync } from 'node:fs';

const compiled = new URL('./worker.js', import.meta.url);
let task;
if (existsSync(compiled)) task = await import(compiled.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  task = await import('./worker.ts');
}

export default task.runSweepTask;
