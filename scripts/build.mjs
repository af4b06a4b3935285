#!/usr/bin/env node
// `npm run build`: the publishable package in dist/. tsc compiles the sources named in
// tsconfig.build.json (JavaScript and declaration files, `.ts` import specifiers rewritten to `.js`);
// then every other file of those folders (worker entries *.mjs, dashboard files, data tables) is
// copied beside the compiled code, so the code finds them where it finds them in a clone. data/ and
// the JSON Schemas of docs/schemas ship as dist/data and dist/schemas.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const config = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8'));
const excluded = (config.exclude ?? []).map((p) => join(root, p));

rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const built = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (excluded.some((e) => path === e || path.startsWith(`${e}/`))) continue;
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (!name.endsWith('.ts')) cpSync(path, join(out, relative(root, path)));
  }
}
for (const entry of config.include) if (statSync(join(root, entry)).isDirectory()) copyAssets(join(root, entry));
cpSync(join(root, 'data'), join(out, 'data'), { recursive: true });
cpSync(join(root, 'docs', 'schemas'), join(out, 'schemas'), { recursive: true });
