/**
 * The coordinated home's plan as the LP it is, solved with HiGHS: the reference formulation that
 * `solveStoragePlan` (coordinated-plan.ts) solves exactly in O(K²) without a solver. The strategy
 * uses the fast solver; tests compare the two on random instances.
 */
import { chargeCapKwh, dischargeCapKwh, mayChargeFromImports, storedEnergyMayLeave } from '../battery/index.ts';
import { formatLpNumber as num, HIGHS_SOLVE_OPTIONS, type Highs } from '../lp/index.ts';
import type { CoordinatedPlan, CoordinatedPlanInput } from './coordinated-plan.ts';

/**
 * The home's plan as CPLEX LP text (pure; exported for tests). Per step k: G grid import, X grid
 * export, C charge, D discharge, S stored energy, Q P2P sold and B P2P bought (both kWh sent; B
 * delivers (1 − loss)·B). Minimises the grid bill, the P2P payments (B at price + fee, Q at price),
 * wear, less the value of what is stored at the end (and, on the run's last day, a penalty below
 * the starting energy). The storage mode's rules (battery/storage-mode.ts) bound C, D, X and Q;
 * imports serve only the home (and, where the mode allows, its battery); Σ Q ≤ the day's sell
 * allowance. Steps without trading have no Q or B.
 */
export function coordinatedLp(i: CoordinatedPlanInput): string {
  const K = i.steps;
  const keep = 1 - i.transmissionLoss;
  const obj: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const sold: string[] = [];
  const lo = Math.min(i.minSocKwh, i.socKwh);
  const hi = Math.max(i.maxSocKwh, i.socKwh);
  const battery = i.hasBattery;
  const fromImports = battery && mayChargeFromImports(i.storageMode);
  const mayLeave = battery && storedEnergyMayLeave(i.storageMode);
  for (let k = 0; k < K; k++) {
    const load = i.loadKwh[k];
    const pv = i.pvKwh[k];
    const chargeMax = battery ? chargeCapKwh(i.storageMode, pv, k === 0 ? i.maxChargeKwh : i.stepKwh) : 0;
    const dischargeMax = battery ? dischargeCapKwh(i.storageMode, load, pv, k === 0 ? i.maxDischargeKwh : i.stepKwh) : 0;
    const surplus = Math.max(0, pv - load);
    const ownUseMax = Math.max(0, load) + (fromImports ? chargeMax : 0);
    const balance = [`+ G${k}`, `- X${k}`];
    const ownUse = [`+ G${k}`];
    obj.push(`+ ${num(i.importUsdPerKwh[k])} G${k}`, `- ${num(i.exportUsdPerKwh[k])} X${k}`);
    bounds.push(` G${k} <= ${num(ownUseMax)}`, ` X${k} <= ${num(Math.max(0, pv) + (mayLeave ? dischargeMax : 0))}`);
    if (battery) {
      balance.push(`- C${k}`, `+ D${k}`);
      if (fromImports) ownUse.push(`- C${k}`);
      rows.push(` s${k}: + S${k}${k > 0 ? ` - S${k - 1}` : ''} - ${num(i.chargeEfficiency)} C${k} + ${num(1 / i.dischargeEfficiency)} D${k} = ${num(k === 0 ? i.socKwh : 0)}`);
      bounds.push(` C${k} <= ${num(chargeMax)}`, ` D${k} <= ${num(dischargeMax)}`, ` ${num(lo)} <= S${k} <= ${num(hi)}`);
      if (i.wearUsdPerKwh > 0) obj.push(`+ ${num(i.wearUsdPerKwh)} D${k}`);
    }
    if (i.marketEnabled) {
      const price = i.p2pUsdPerKwh[k];
      balance.push(`- Q${k}`, `+ ${num(keep)} B${k}`);
      ownUse.push(`+ ${num(keep)} B${k}`);
      obj.push(`+ ${num(price + keep * i.p2pDeliveryUsdPerKwh[k])} B${k}`, `- ${num(price)} Q${k}`);
      bounds.push(` B${k} <= ${num(ownUseMax / keep)}`);
      // a sale is PV surplus plus, where stored energy may leave, what the battery delivers
      if (mayLeave) {
        rows.push(` q${k}: + Q${k} - D${k} <= ${num(surplus)}`);
        bounds.push(` Q${k} <= ${num(surplus + dischargeMax)}`);
      } else bounds.push(` Q${k} <= ${num(surplus)}`);
      sold.push(`+ Q${k}`);
    }
    rows.push(` b${k}: ${balance.join(' ')} = ${num(load - pv)}`);
    if (battery || i.marketEnabled) rows.push(` u${k}: ${ownUse.join(' ')} <= ${num(Math.max(0, load))}`);
  }
  if (sold.length > 0) rows.push(` cap: ${sold.join(' ')} <= ${num(Math.max(0, i.sellAllowanceKwh))}`);
  if (battery && i.terminalUsdPerStoredKwh > 0) obj.push(`- ${num(i.terminalUsdPerStoredKwh)} S${K - 1}`);
  if (battery && i.terminalTargetKwh > 0) {
    rows.push(` ts: + S${K - 1} + TS >= ${num(i.terminalTargetKwh)}`);
    obj.push(`+ ${num(i.terminalShortfallUsdPerKwh)} TS`);
  }
  return ['Minimize', ` obj: ${obj.join(' ')}`, 'Subject To', ...rows, 'Bounds', ...bounds, 'End', ''].join('\n');
}

/** Solves home i's LP into `out` (a failed solve plans nothing: no trades, no battery). Returns the status. */
export function solveCoordinatedPlan(highs: Highs, i: CoordinatedPlanInput, out: CoordinatedPlan): string {
  out.soldKwh.fill(0);
  out.boughtKwh.fill(0);
  out.chargeKwh.fill(0);
  out.dischargeKwh.fill(0);
  const solution = highs.solve(coordinatedLp(i), HIGHS_SOLVE_OPTIONS);
  if (solution.Status !== 'Optimal') return solution.Status;
  const cols = solution.Columns as Record<string, { Primal?: number }>;
  const value = (name: string) => Math.max(0, cols[name]?.Primal ?? 0);
  for (let k = 0; k < i.steps; k++) {
    out.soldKwh[k] = value(`Q${k}`);
    out.boughtKwh[k] = value(`B${k}`);
    out.chargeKwh[k] = value(`C${k}`);
    out.dischargeKwh[k] = value(`D${k}`);
  }
  return solution.Status;
}

