import type { OptimumInput } from './types.ts';

/** A problem found before solving: 'error' = malformed input, 'infeasible' = no schedule can exist. */
export interface InputProblem {
  status: 'error' | 'infeasible';
  reason: string;
}

const isNonNegative = (v: number): boolean => Number.isFinite(v) && v >= 0;

function checkSeries(name: string, series: ArrayLike<number>, length: number, nonNegative: boolean): string | null {
  if (series.length !== length) return `${name} has ${series.length} values, expected ${length}`;
  for (let t = 0; t < length; t++) {
    const v = series[t];
    if (!Number.isFinite(v) || (nonNegative && v < 0)) return `${name}[${t}] = ${v} is not a ${nonNegative ? 'finite non-negative' : 'finite'} number`;
  }
  return null;
}

/** Returns the first problem with the input, or null when it can be modelled. */
export function findInputProblem(input: OptimumInput): InputProblem | null {
  const error = (reason: string): InputProblem => ({ status: 'error', reason });
  const intervals = input.importUsdPerKwh.length;
  if (!(Number.isFinite(input.intervalHours) && input.intervalHours > 0)) return error(`intervalHours = ${input.intervalHours} must be positive`);
  if (intervals === 0) return error('no intervals to optimise');
  if (input.households.length === 0) return error('no households to optimise');
  const seriesProblem =
    checkSeries('importUsdPerKwh', input.importUsdPerKwh, intervals, false) ??
    checkSeries('exportUsdPerKwh', input.exportUsdPerKwh, intervals, false) ??
    checkSeries('dayOfInterval', input.dayOfInterval, intervals, false);
  if (seriesProblem) return error(seriesProblem);
  if (!isNonNegative(input.baselineCreditUsdPerKwh)) return error(`baselineCreditUsdPerKwh = ${input.baselineCreditUsdPerKwh} must be non-negative`);
  if (input.p2p) {
    const { maxDailySellKwh, transmissionLoss } = input.p2p;
    if (!isNonNegative(maxDailySellKwh)) return error(`p2p.maxDailySellKwh = ${maxDailySellKwh} must be non-negative`);
    if (!(Number.isFinite(transmissionLoss) && transmissionLoss >= 0 && transmissionLoss < 1)) return error(`p2p.transmissionLoss = ${transmissionLoss} must be in [0, 1)`);
  }
  for (let i = 0; i < input.households.length; i++) {
    const home = input.households[i];
    const homeProblem =
      checkSeries(`household ${i} loadKwh`, home.loadKwh, intervals, true) ??
      checkSeries(`household ${i} pvKwh`, home.pvKwh, intervals, true);
    if (homeProblem) return error(homeProblem);
    if (!isNonNegative(home.baselineAllowanceKwh)) return error(`household ${i} baselineAllowanceKwh = ${home.baselineAllowanceKwh} must be non-negative`);
    const b = home.battery;
    if (!b) continue;
    for (const key of ['capacityKwh', 'minSocKwh', 'maxSocKwh', 'maxPowerKw', 'initialSocKwh'] as const) {
      if (!isNonNegative(b[key])) return error(`household ${i} battery ${key} = ${b[key]} must be a finite non-negative number`);
    }
    for (const key of ['chargeEfficiency', 'dischargeEfficiency'] as const) {
      if (!(Number.isFinite(b[key]) && b[key] > 0 && b[key] <= 1)) return error(`household ${i} battery ${key} = ${b[key]} must be in (0, 1]`);
    }
    if (b.minSocKwh > b.maxSocKwh || b.maxSocKwh > b.capacityKwh) {
      return { status: 'infeasible', reason: `household ${i} battery needs minSocKwh ≤ maxSocKwh ≤ capacityKwh, got ${b.minSocKwh} / ${b.maxSocKwh} / ${b.capacityKwh}` };
    }
    if (b.initialSocKwh < b.minSocKwh || b.initialSocKwh > b.maxSocKwh) {
      return { status: 'infeasible', reason: `household ${i} battery starts at ${b.initialSocKwh} kWh, outside its SoC window [${b.minSocKwh}, ${b.maxSocKwh}] kWh` };
    }
  }
  return null;
}
