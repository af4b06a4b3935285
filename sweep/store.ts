/**
 * The sweep directory on disk: one `runs/<key>.json` per finished run, written atomically, so a
 * stopped sweep resumes where it stopped. Files whose stored spec differs are run again.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from './spec.ts';
import { RunFileSchema, SWEEP_SCHEMA_VERSION, type RunFile, type RunSpec, type SweepRow } from './contract.ts';
import type { SweepTask } from './plan.ts';

let tmpCounter = 0;

/** Writes through a temporary file in the same directory and a rename: readers see all or nothing. */
export function writeAtomic(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export const runFilePath = (dir: string, key: string) => join(dir, 'runs', `${key}.json`);

export function runSpecOf(task: SweepTask): RunSpec {
  return { scenario: task.scenario, seed: task.seed, params: task.params, config_hash: task.configHash };
}

export function runFileOf(task: SweepTask, row: SweepRow): RunFile {
  return { schema_version: SWEEP_SCHEMA_VERSION, key: task.key, spec: runSpecOf(task), config: task.runConfig, row };
}

/** The stored run of a task, when its file exists, parses and was made from the same spec. */
export function readDoneRun(dir: string, task: SweepTask): RunFile | null {
  const path = runFilePath(dir, task.key);
  if (!existsSync(path)) return null;
  let raw: unknown;
  let parsed;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
    parsed = RunFileSchema.safeParse(raw);
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  if (parsed.data.key !== task.key || canonicalJson(parsed.data.spec) !== canonicalJson(runSpecOf(task))) return null;
  if (task.detail && !parsed.data.row.detail) return null;
  return raw as RunFile; // as written: the row exactly as its worker computed it
}

export function writeRunFile(dir: string, file: RunFile): void {
  writeAtomic(runFilePath(dir, file.key), `${JSON.stringify(file, null, 2)}\n`);
}
