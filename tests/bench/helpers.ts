import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `bench/<script>` with `args` and `--json FILE` from the repo root and returns the report it wrote (any: each test reads its own report's fields). */
export function runBenchJson(script: string, args: readonly string[]): any {
  const dir = mkdtempSync(join(tmpdir(), 'wattswap-bench-'));
  try {
    const json = join(dir, 'report.json');
    execFileSync(process.execPath, ['cli/bin/run-ts.mjs', `bench/${script}`, ...args, '--json', json], { cwd: root, stdio: 'pipe' });
    return JSON.parse(readFileSync(json, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
