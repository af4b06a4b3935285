// Worker-thread entry of the inference pool. In the built package it loads the compiled
// inference-worker.js beside it; from source it registers tsx first (module hooks registered on the
// main thread do not reach worker threads) and loads the TypeScript loop.
import { existsSync } from 'node:fs';

const compiled = new URL('./inference-worker.js', import.meta.url);
if (existsSync(compiled)) await import(compiled.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./inference-worker.ts');
}
