/**
 * One sweep run, as a piscina task: runs the scenario to its summary and returns the compact row
 * (with `detail`, also the summary and the community's net flow per interval, for `wattswap city`).
 * Loaded through worker.mjs, which registers tsx in the worker thread first.
 */
import { lastValueFrom } from 'rxjs';
import { filter, map } from 'rxjs/operators';
import { communityNetImportKw, runWithComparisons, type SimConfig } from '../sim/index.ts';
import type { SweepRow } from './contract.ts';
import { rowOfSummary, type RowIdentity } from './row.ts';

export interface SweepTaskInput extends RowIdentity {
  config: SimConfig;
  /** also return the summary and the community's net flow per interval (row.detail) */
  detail?: boolean;
}

/** Runs one config to its summary; the same input gives the same row in any thread, in any order. */
export function runSweepTask(input: SweepTaskInput): Promise<SweepRow> {
  const { config, detail, ...id } = input;
  const netKw: number[] = [];
  const baselineNetKw: number[] = [];
  return lastValueFrom(
    runWithComparisons(config).pipe(
      filter((e) => {
        if (detail && e.type === 'tick') {
          const f = e.frame;
          const n = e.meta.households.length;
          netKw.push(communityNetImportKw(f.gridImportKwh, f.gridExportKwh, n, e.meta.intervalHours));
          baselineNetKw.push(communityNetImportKw(f.baselineImportKwh, f.baselineExportKwh, n, e.meta.intervalHours));
        }
        return e.type === 'summary';
      }),
      map((e) => {
        const row = rowOfSummary(e.summary, id);
        return detail ? { ...row, detail: { summary: e.summary, community_net_import_kw: netKw, baseline_community_net_import_kw: baselineNetKw } } : row;
      }),
    ),
  );
}

export default runSweepTask;
