// Worker-thread entry of a server run: plain JavaScript so it loads anywhere (the CLI, vitest). In
// the built package it loads the compiled run-records-worker.js beside it; from source it registers
// tsx first and runs the TypeScript engine (run-records-worker.ts).
import { existsSync } from 'node:fs';

const compiled = new URL('./run-records-worker.js', import.meta.url);
if (existsSync(compiled)) await import(compiled.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./run-records-worker.ts');
}
