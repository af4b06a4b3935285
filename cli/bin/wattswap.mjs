#!/usr/bin/env node
// Entry point of the `wattswap` CLI. In the built package (dist/) it runs the compiled main.js
// beside it; in a clone it registers tsx so the TypeScript sources run as they are.
import { existsSync } from 'node:fs';

const compiled = new URL('../main.js', import.meta.url);
let cli;
if (existsSync(compiled)) cli = await import(compiled.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../main.ts');
}
process.exitCode = await cli.main(process.argv);
