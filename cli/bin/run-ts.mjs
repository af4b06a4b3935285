#!/usr/bin/env node
// Runs a TypeScript file of the repo (benchmarks, scripts) under tsx: node cli/bin/run-ts.mjs FILE [ARGS]
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
const [, , file, ...rest] = process.argv;
process.argv = [process.argv[0], file, ...rest];
await import(pathToFileURL(resolve(file)).href);
