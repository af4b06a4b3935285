/**
 * Receding-horizon optimising household: every interval it re-plans its own battery over the rest
 * of the day with the LP/MILP solver the core uses (HiGHS), against its own forecasts and its
 * tariff, acts on the first step, and trades its net position: bids for the deficit the plan
 * leaves at no more than the tariff (net of loss and fee), asks its surplus solar at no less than
 * the export value. Stored energy left at the end of the horizon is valued at the day's cheapest
 * import rate × discharge efficiency, so the plan does not dump it.
 *
 * Like the rule-based agent it sees only its own data and the public price signal; batteries never
 * export to the grid (export ≤ own PV), and a netting binary stops the plan from importing and
 * exporting in the same interval where the export value exceeds the import rate.
 */
import { formatLpNumber as num, loadHighs } from '../lp/index.ts';
import { resetDecision, type HouseholdDecision } from './decision.ts';
import { chargeCapKwh, dischargeCapKwh, storedEnergyMayLeave } from '../battery/index.ts';
import { ENERGY_EPSILON_KWH } from '../common/index.ts';

/** One household's planning problem at one interval. Index 0 is the current interval (actuals). */
export interface HorizonPlanInput {
  steps: number;
  loadKwh: Float64Array;
  pvKwh: Float64Array;
  importUsdPerKwh: Float64Array;
  exportUsdPerKwh: Float64Array;
  socKwh: number;
  minSocKwh: number;
  maxSocKwh: number;
  chargeEfficiency: number;
  dischargeEfficiency: number;
  /** power limit per interval (bus kWh) */
  stepKwh: number;
  /** this interval's limits (power and state of charge), bus kWh */
  maxChargeKwh: number;
  maxDischargeKwh: number;
  /** value of a stored kWh at the end of the horizon (USD per stored kWh) */
  terminalUsdPerStoredKwh: number;
  hasBattery: boolean;
  marketEnabled: boolean;
  transmissionLoss: number;
  /** per step: what the home pays the utility per P2P kWh delivered to it (the settlement regime) */
  p2pDeliveryUsdPerKwh: Float64Array;
  sellAllowanceKwh: number;
  /** battery/storage-mode.ts code: solar-only charges only from own PV and may export stored energy; no-export serves own load only */
  storageMode: number;
  /** battery wear, USD per kWh discharged */
  wearUsdPerKwh: number;
  /**
   * stored energy the plan should end with (the run's last day: what the home started with), or 0
   * for none, and what each stored kWh short of it costs the plan (set above anything a kWh could
   * earn, the target holds wherever the home can reach it)
   */
  terminalTargetKwh: number;
  terminalShortfallUsdPerKwh: number;
  /** what each stored kWh above the target at the end costs the plan (the run's last day: above the wear, so the plan spends it rather than ends with it; else 0) */
  terminalExcessUsdPerKwh: number;
}

export interface HorizonPlanner {
  /** writes the decision for the current interval into `out`; returns the LP status */
  plan(input: HorizonPlanInput, out: HouseholdDecision, risk?: HorizonRisk | null): string;
  readonly solves: number;
}

/** A possible future of the home's own load and PV (index 0, the current interval, is the same in all). */
export interface HorizonScenario {
  loadKwh: Float64Array;
  pvKwh: Float64Array;
  probability: number;
}

/**
 * Risk aversion of the plan: minimise (1 − weight)·E[cost] + weight·CVaR_alpha[cost] over the
 * scenarios (Rockafellar–Uryasev: CVaR = η + E[(cost − η)⁺] / (1 − alpha)). The first interval's
 * decisions are shared by every scenario (they are taken now); later ones adapt per scenario.
 */
export interface HorizonRisk {
  scenarios: readonly HorizonScenario[];
  alpha: number;
  weight: number;
}

/**
 * The plan as CPLEX LP text (pure; exported for tests). Without `risk` a single scenario (the
 * input's point forecast) is planned; with it, one copy of the battery and meter per scenario.
 */
export function horizonLp(i: HorizonPlanInput, risk: HorizonRisk | null = null): string {
  const K = i.steps;
  const scenarios = risk ? risk.scenarios : [{ loadKwh: i.loadKwh, pvKwh: i.pvKwh, probability: 1 }];
  const obj: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const bin: string[] = [];
  const lo = Math.min(i.minSocKwh, i.socKwh);
  const hi = Math.max(i.maxSocKwh, i.socKwh);
  const costTerms: string[][] = scenarios.map(() => []);
  scenarios.forEach((sc, si) => {
    // the current interval is shared: scenario 0 owns its variables, the others refer to them
    const v = (name: string, k: number) => (si === 0 || k === 0 ? `${name}${k}` : `${name}${k}s${si}`);
    for (let k = si === 0 ? 0 : 1; k < K; k++) {
      const load = sc.loadKwh[k];
      const pv = sc.pvKwh[k];
      const g = v('G', k);
      const x = v('X', k);
      const c = v('C', k);
      const d = v('D', k);
      const st = v('S', k);
      // the storage mode's rules (battery/storage-mode.ts); interval 0's limits already carry them
      const chargeMax = i.hasBattery ? (k === 0 ? i.maxChargeKwh : chargeCapKwh(i.storageMode, pv, i.stepKwh)) : 0;
      const dischargeMax = i.hasBattery ? (k === 0 ? i.maxDischargeKwh : dischargeCapKwh(i.storageMode, load, pv, i.stepKwh)) : 0;
      const gMax = load + chargeMax;
      // only a battery whose stored energy may leave exports beyond the home's own PV
      const xMax = Math.max(0, pv) + (storedEnergyMayLeave(i.storageMode) ? dischargeMax : 0);
      const tag = si === 0 ? `${k}` : `${k}s${si}`;
      rows.push(` b${tag}: + ${g} - ${x} - ${c} + ${d} = ${num(load - pv)}`);
      rows.push(` s${tag}: + ${st}${k > 0 ? ` - ${v('S', k - 1)}` : ''} - ${num(i.chargeEfficiency)} ${c} + ${num(1 / i.dischargeEfficiency)} ${d} = ${num(k === 0 ? i.socKwh : 0)}`);
      bounds.push(` ${g} <= ${num(gMax)}`, ` ${x} <= ${num(xMax)}`, ` ${c} <= ${num(chargeMax)}`, ` ${d} <= ${num(dischargeMax)}`, ` ${num(lo)} <= ${st} <= ${num(hi)}`);
      if (i.exportUsdPerKwh[k] >= i.importUsdPerKwh[k] && gMax > 0 && xMax > 0) {
        const y = v('Y', k);
        bin.push(` ${y}`);
        rows.push(` mi${tag}: + ${g} - ${num(gMax)} ${y} <= 0`, ` mx${tag}: + ${x} + ${num(xMax)} ${y} <= ${num(xMax)}`);
      }
    }
    for (let k = 0; k < K; k++) costTerms[si].push(`+ ${num(i.importUsdPerKwh[k])} ${v('G', k)}`, `- ${num(i.exportUsdPerKwh[k])} ${v('X', k)}`);
    if (i.hasBattery && i.wearUsdPerKwh > 0) for (let k = 0; k < K; k++) costTerms[si].push(`+ ${num(i.wearUsdPerKwh)} ${v('D', k)}`);
    if (i.hasBattery && i.terminalUsdPerStoredKwh > 0) costTerms[si].push(`- ${num(i.terminalUsdPerStoredKwh)} ${v('S', K - 1)}`);
    if (i.hasBattery && i.terminalTargetKwh > 0) {
      // a kWh short of the target at the end costs more than refilling it would
      const short = si === 0 ? 'TS' : `TSs${si}`;
      rows.push(` ts${si}: + ${v('S', K - 1)} + ${short} >= ${num(i.terminalTargetKwh)}`);
      costTerms[si].push(`+ ${num(i.terminalShortfallUsdPerKwh)} ${short}`);
      if (i.terminalExcessUsdPerKwh > 0) {
        const over = si === 0 ? 'TE' : `TEs${si}`;
        rows.push(` te${si}: + ${v('S', K - 1)} - ${over} <= ${num(i.terminalTargetKwh)}`);
        costTerms[si].push(`+ ${num(i.terminalExcessUsdPerKwh)} ${over}`);
      }
    }
  });
  if (!risk) obj.push(...costTerms[0]);
  else {
    // cost of scenario s as a free variable Ks; objective (1 − w)·Σ p·K + w·(η + Σ p·U / (1 − α))
    const w = risk.weight;
    scenarios.forEach((sc, si) => {
      const flip = (t: string) => (t.startsWith('+') ? `-${t.slice(1)}` : `+${t.slice(1)}`);
      rows.push(` k${si}: + K${si} ${costTerms[si].map(flip).join(' ')} = 0`);
      rows.push(` u${si}: + U${si} - K${si} + ETA >= 0`);
      bounds.push(` K${si} free`);
      if (1 - w > 0) obj.push(`+ ${num((1 - w) * sc.probability)} K${si}`);
      if (w > 0) obj.push(`+ ${num((w * sc.probability) / (1 - risk.alpha))} U${si}`);
    });
    bounds.push(' ETA free');
    if (w > 0) obj.push(`+ ${num(w)} ETA`);
    else obj.push('+ 0 ETA');
  }
  const parts = ['Minimize', ` obj: ${obj.join(' ')}`, 'Subject To', ...rows, 'Bounds', ...bounds];
  if (bin.length) parts.push('Binary', ...bin);
  parts.push('End', '');
  return parts.join('\n');
}

export async function createHorizonPlanner(): Promise<HorizonPlanner> {
  const highs = await loadHighs();
  let solves = 0;
  return {
    get solves() {
      return solves;
    },
    plan(i: HorizonPlanInput, out: HouseholdDecision, risk: HorizonRisk | null = null): string {
      resetDecision(out);
      let charge = 0;
      let discharge = 0;
      let status = 'no battery';
      if (i.hasBattery) {
        solves++;
        const solution = highs.solve(horizonLp(i, risk), { output_flag: false, log_to_console: false, mip_rel_gap: 1e-6, random_seed: 0 });
        status = solution.Status;
        if (solution.Status === 'Optimal') {
          const cols = solution.Columns as Record<string, { Primal?: number }>;
          charge = Math.min(i.maxChargeKwh, Math.max(0, cols.C0?.Primal ?? 0));
          // a battery whose stored energy may leave may discharge beyond the load (exported or sold)
          const dischargeTarget = Math.max(0, cols.D0?.Primal ?? 0);
          discharge = Math.min(i.maxDischargeKwh, storedEnergyMayLeave(i.storageMode) ? dischargeTarget : Math.min(dischargeTarget, Math.max(0, i.loadKwh[0])));
          if (charge > ENERGY_EPSILON_KWH && discharge > ENERGY_EPSILON_KWH) {
            if (charge >= discharge) discharge = 0;
            else charge = 0;
          }
          if (charge <= ENERGY_EPSILON_KWH) charge = 0;
          if (discharge <= ENERGY_EPSILON_KWH) discharge = 0;
        }
      }
      out.chargeKwh = charge;
      out.dischargeKwh = discharge;
      const load = i.loadKwh[0];
      const pv = i.pvKwh[0];
      if (i.marketEnabled) {
        const keep = 1 - i.transmissionLoss;
        const deficit = Math.max(0, load - pv - discharge);
        if (deficit > ENERGY_EPSILON_KWH) {
          out.bidDeficitKwh = deficit / keep;
          out.bidLimitUsdPerKwh = (i.importUsdPerKwh[0] - i.p2pDeliveryUsdPerKwh[0]) * keep;
        }
        const surplus = Math.max(0, pv + discharge - load - charge);
        const ask = Math.min(surplus, Math.max(0, i.sellAllowanceKwh));
        if (ask > ENERGY_EPSILON_KWH && out.bidDeficitKwh === 0) {
          out.askSurplusKwh = ask;
          out.askLimitUsdPerKwh = i.exportUsdPerKwh[0];
        }
      }
      if (out.bidDeficitKwh > 0) out.action = 'buy';
      else if (out.askSurplusKwh > 0) out.action = 'sell';
      return status;
    },
  };
}
