/**
 * Perfect-foresight community optimum, solved with HiGHS (WASM, through `lp/`). `createOptimumSolver()` loads
 * HiGHS once and returns a solver that keeps it in a closure; every `solve()` builds a fresh model,
 * so solves never share state.
 */
import { HIGHS_SOLVE_OPTIONS, loadHighs, primalValues, type Highs, type HighsSolution } from '../../lp/index.ts';
import { buildLpModel, exportOf, intervalCount, measureModel, varName, type ModelSize } from './lp-model.ts';
import type { OptimumHouseholdResult, OptimumInput, OptimumResult, OptimumSchedule, OptimumSolveOptions, OptimumSolver, OptimumStatus } from './types.ts';
import { findInputProblem, findScheduleViolation } from './validate.ts';

export const DEFAULT_MAX_VARIABLES = 200_000;

function unsolved(status: Exclude<OptimumStatus, 'optimal'>, reason: string, size: ModelSize): OptimumResult {
  return {
    status,
    reason,
    energyCostUsd: Number.NaN,
    creditsUsd: Number.NaN,
    batteryWearUsd: Number.NaN,
    billsUsd: Number.NaN,
    totalCostUsd: Number.NaN,
    gridImportKwh: Number.NaN,
    gridExportKwh: Number.NaN,
    p2pSentKwh: Number.NaN,
    peakGridImportKw: Number.NaN,
    unservedKwh: Number.NaN,
    unservedCriticalKwh: Number.NaN,
    unservedValueUsd: Number.NaN,
    variables: size.variables,
    constraints: size.constraints,
    binaryVariables: size.binaryVariables,
    perHousehold: [],
  };
}

const sum = (values: Float64Array): number => values.reduce((a, b) => a + b, 0);

function readSchedules(input: OptimumInput, solution: HighsSolution): OptimumSchedule[] {
  const intervals = intervalCount(input);
  const columns = primalValues(solution);
  const value = (name: string): number => {
    const primal = columns[name]?.Primal;
    if (primal === undefined) throw new Error(`HiGHS returned no value for ${name}`);
    return Math.max(0, primal); // every variable is ≥ 0; drop solver noise like -1e-12
  };
  const series = (name: (i: number, t: number) => string, i: number): Float64Array => {
    const out = new Float64Array(intervals);
    for (let t = 0; t < intervals; t++) out[t] = value(name(i, t));
    return out;
  };
  const down = input.outage ? input.outage.gridDown : null;
  const outageSeries = (name: (i: number, t: number) => string, i: number): Float64Array => {
    const out = new Float64Array(intervals);
    if (down) for (let t = 0; t < intervals; t++) if (down[t]) out[t] = value(name(i, t));
    return out;
  };
  return input.households.map((home, i) => ({
    ...(down ? outageColumns(outageSeries, i) : {}),
    chargeKwh: home.battery ? series(varName.charge, i) : new Float64Array(intervals),
    dischargeKwh: home.battery ? series(varName.discharge, i) : new Float64Array(intervals),
    socKwh: home.battery ? series(varName.soc, i) : null,
    gridImportKwh: series(varName.gridImport, i),
    gridExportKwh: series(varName.gridExport, i),
    p2pSentKwh: input.p2p ? series(varName.sent, i) : new Float64Array(intervals),
    p2pReceivedKwh: input.p2p ? series(varName.received, i) : new Float64Array(intervals),
  }));
}

/** A home's unserved load (all of it, and its critical part) and curtailed PV over the outage intervals. */
function outageColumns(read: (name: (i: number, t: number) => string, i: number) => Float64Array, i: number): Pick<OptimumSchedule, 'unservedKwh' | 'unservedCriticalKwh' | 'curtailedKwh'> {
  const critical = read(varName.unservedCritical, i);
  const deferrable = read(varName.unservedDeferrable, i);
  return { unservedCriticalKwh: critical, unservedKwh: critical.map((c, t) => c + deferrable[t]), curtailedKwh: read(varName.curtailed, i) };
}

function summarise(input: OptimumInput, schedules: OptimumSchedule[], size: ModelSize): OptimumResult {
  const intervals = intervalCount(input);
  const communityImportKwh = new Float64Array(intervals);
  const perHousehold: OptimumHouseholdResult[] = schedules.map((schedule, i) => {
    const home = input.households[i];
    let energyCostUsd = 0;
    const exportRate = exportOf(input, i);
    let p2pDeliveryUsd = 0;
    for (let t = 0; t < intervals; t++) {
      energyCostUsd += schedule.gridImportKwh[t] * home.importUsdPerKwh[t] - schedule.gridExportKwh[t] * exportRate[t];
      p2pDeliveryUsd += schedule.p2pReceivedKwh[t] * (home.p2pDeliveryUsdPerKwh?.[t] ?? 0);
      communityImportKwh[t] += schedule.gridImportKwh[t];
    }
    energyCostUsd += p2pDeliveryUsd;
    const gridImportKwh = sum(schedule.gridImportKwh);
    const dischargeKwh = sum(schedule.dischargeKwh);
    return {
      energyCostUsd,
      p2pDeliveryUsd,
      creditsUsd: -home.baselineCreditUsdPerKwh * Math.min(gridImportKwh, home.baselineAllowanceKwh),
      batteryWearUsd: home.battery ? home.battery.wearUsdPerKwh * dischargeKwh : 0,
      dischargeKwh,
      gridImportKwh,
      gridExportKwh: sum(schedule.gridExportKwh),
      p2pSentKwh: sum(schedule.p2pSentKwh),
      p2pReceivedKwh: sum(schedule.p2pReceivedKwh),
      finalSocKwh: schedule.socKwh ? schedule.socKwh[intervals - 1] : null,
      schedule,
    };
  });
  const total = (key: 'energyCostUsd' | 'creditsUsd' | 'batteryWearUsd' | 'gridImportKwh' | 'gridExportKwh' | 'p2pSentKwh'): number =>
    perHousehold.reduce((acc, home) => acc + home[key], 0);
  const energyCostUsd = total('energyCostUsd');
  const creditsUsd = total('creditsUsd');
  let unservedKwh = 0;
  let unservedCriticalKwh = 0;
  for (const s of schedules) {
    if (s.unservedKwh) unservedKwh += sum(s.unservedKwh);
    if (s.unservedCriticalKwh) unservedCriticalKwh += sum(s.unservedCriticalKwh);
  }
  const o = input.outage;
  const unservedValueUsd = o ? (unservedKwh - unservedCriticalKwh) * o.vollUsdPerKwh + unservedCriticalKwh * o.criticalVollUsdPerKwh : 0;
  const batteryWearUsd = total('batteryWearUsd');
  return {
    status: 'optimal',
    energyCostUsd,
    creditsUsd,
    batteryWearUsd,
    billsUsd: energyCostUsd + creditsUsd,
    totalCostUsd: energyCostUsd + creditsUsd + batteryWearUsd,
    gridImportKwh: total('gridImportKwh'),
    gridExportKwh: total('gridExportKwh'),
    p2pSentKwh: total('p2pSentKwh'),
    peakGridImportKw: communityImportKwh.reduce((peak, kwh) => Math.max(peak, kwh), 0) / input.intervalHours,
    unservedKwh,
    unservedCriticalKwh,
    unservedValueUsd,
    variables: size.variables,
    constraints: size.constraints,
    binaryVariables: size.binaryVariables,
    perHousehold,
  };
}

function solveWith(highs: Highs, input: OptimumInput, opts: OptimumSolveOptions): OptimumResult {
  const enforceNetting = opts.enforceNetting ?? true;
  const maxVariables = opts.maxVariables ?? DEFAULT_MAX_VARIABLES;
  const empty: ModelSize = { variables: 0, constraints: 0, binaryVariables: 0 };
  const problem = findInputProblem(input);
  if (problem) return unsolved(problem.status, problem.reason, empty);
  const size = measureModel(input, enforceNetting);
  if (size.variables > maxVariables) {
    return unsolved('skipped', `model has ${size.variables} variables, above the limit of ${maxVariables} (${input.households.length} households × ${intervalCount(input)} intervals)`, size);
  }
  let solution: HighsSolution;
  try {
    solution = highs.solve(buildLpModel(input, enforceNetting), HIGHS_SOLVE_OPTIONS);
  } catch (cause) {
    return unsolved('error', `HiGHS failed: ${cause instanceof Error ? cause.message : String(cause)}`, size);
  }
  if (solution.Status === 'Infeasible' || solution.Status === 'Primal infeasible or unbounded') {
    return unsolved('infeasible', `HiGHS: ${solution.Status}`, size);
  }
  if (solution.Status !== 'Optimal') return unsolved('error', `HiGHS stopped with status '${solution.Status}'`, size);
  const schedules = readSchedules(input, solution);
  // audit the schedule without the LP: a model bug must not pass as an optimum
  const violation = findScheduleViolation(input, schedules, { netting: enforceNetting });
  if (violation) return unsolved('error', `the solved schedule breaks ${violation.rule} (household ${violation.household ?? '-'}, interval ${violation.interval ?? '-'}): ${violation.reason}`, size);
  return summarise(input, schedules, size);
}

/** Loads HiGHS (once per thread, shared with the household planner); the returned solver reuses it for every solve. */
export async function createOptimumSolver(): Promise<OptimumSolver> {
  const highs = await loadHighs();
  return {
    solve: (input, opts = {}) => solveWith(highs, input, opts),
  };
}
