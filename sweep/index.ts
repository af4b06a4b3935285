/**
 * Sweeps: the cross product scenario × parameter set × seed, planned into validated runs, run in
 * piscina worker threads, stored run by run (resumable), aggregated into sweep.json + sweep.csv and
 * plotted as SVG. `wattswap sweep` (cli/commands/sweep.ts) drives it from the command line.
 */
import { z } from 'zod';
import { aggregateSweep } from './aggregate.ts';
import { RISK_DEFINITIONS, RunFileSchema, SWEEP_SCHEMA_VERSION, SweepDocumentSchema, type SweepDocument, type SweepRow } from './contract.ts';
import type { SweepPlan } from './plan.ts';

export { aggregateSweep, quantile, valueAtRisk, conditionalValueAtRisk, spreadOf, riskOf } from './aggregate.ts';
export * from './contract.ts';
export { parseSeeds, parseParam, parseParams, paramCombinations, overlayOf, runKeyOf, canonicalJson, parsePlotRun, describeParams, SWEEP_PARAMS } from './spec.ts';
export { planSweep, scenarioProblems, runConfigOf, type SweepInput, type SweepPlan, type SweepTask } from './plan.ts';
export { rowOfSummary, flattenNumbers } from './row.ts';
export { sweepCsv } from './csv.ts';
export { savingsDistributionSpec, pnlByStreamSpec, dispatchSpec, renderSvg, groupLabel, type DispatchPoint } from './plots.ts';
export { readDoneRun, writeAtomic } from './store.ts';
export { sha256 } from './spec.ts';
export { runSweepTasks, taskInputOf, type PoolOptions, type SweepFailure } from './pool.ts';
export { runSweepTask } from './worker.ts';

/** sweep.json: the spec, the definitions, an aggregate per scenario and parameter set, every row. */
export function sweepDocument(plan: SweepPlan, rows: SweepRow[]): SweepDocument {
  return SweepDocumentSchema.parse({
    schema_version: SWEEP_SCHEMA_VERSION,
    spec: plan.spec,
    runs: rows.length,
    definitions: { ...RISK_DEFINITIONS },
    aggregates: aggregateSweep(rows),
    rows,
  });
}

/** JSON Schemas of sweep.json and of a runs/<key>.json file, generated from the zod schemas (for `wattswap schema`). */
export function sweepJsonSchemas(): Record<string, unknown> {
  return {
    'sweep.schema.json': z.toJSONSchema(SweepDocumentSchema),
    'sweep-run.schema.json': z.toJSONSchema(RunFileSchema),
  };
}
