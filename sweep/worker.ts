/**
 * One sweep run, as a piscina task: runs the scenario to its summary and returns the compact row.
 * Loaded through worker.mjs, which registers tsx in the worker thread first.
 */
import { lastValueFrom } from 'rxjs';
import { filter, map } from 'rxjs/operators';
import { runWithComparisons, type SimConfig } from '../sim/index.ts';
import type { SweepRow } from './contract.ts';
import { rowOfSummary, type RowIdentity } from './row.ts';

export interface SweepTaskInput extends RowIdentity {
  config: SimConfig;
}

/** Runs one config to its summary; the same input gives the same row in any thread, in any order. */
export function runSweepTask(input: SweepTaskInput): Promise<SweepRow> {
  const { config, ...id } = input;
  return lastValueFrom(
    runWithComparisons(config).pipe(
      filter((e) => e.type === 'summary'),
      map((e) => rowOfSummary(e.summary, id)),
    ),
  );
}

export default runSweepTask;
