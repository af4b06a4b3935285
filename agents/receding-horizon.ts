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
import highsModule from 'highs';
import type { Highs, InitOptions } from 'highs';
import { resetDecision, type HouseholdDecision } from './rule-based.ts';

const loadHighs = ((highsModule as unknown as { default?: unknown }).default ?? highsModule) as (options?: InitOptions) => Promise<Highs>;

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
  feeUsdPerKwh: number;
  sellAllowanceKwh: number;
}

export interface HorizonPlanner {
  /** writes the decision for the current interval into `out`; returns the LP status */
  plan(input: HorizonPlanInput, out: HouseholdDecision): string;
  readonly solves: number;
}

const num = (x: number): string => {
  const r = Number(x.toPrecision(12));
  if (Math.abs(r) < 1e-12) return '0';
  const s = String(r);
  return s.includes('e') ? r.toFixed(15).replace(/\.?0+$/, '') : s;
};

/** The plan as CPLEX LP text (pure; exported for tests). */
export function horizonLp(i: HorizonPlanInput): string {
  const K = i.steps;
  const obj: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const bin: string[] = [];
  const lo = Math.min(i.minSocKwh, i.socKwh);
  const hi = Math.max(i.maxSocKwh, i.socKwh);
  for (let k = 0; k < K; k++) {
    const load = i.loadKwh[k];
    const pv = i.pvKwh[k];
    obj.push(`+ ${num(i.importUsdPerKwh[k])} G${k}`, `- ${num(i.exportUsdPerKwh[k])} X${k}`);
    const chargeMax = i.hasBattery ? (k === 0 ? i.maxChargeKwh : i.stepKwh) : 0;
    const dischargeMax = i.hasBattery ? (k === 0 ? i.maxDischargeKwh : i.stepKwh) : 0;
    const gMax = load + chargeMax;
    const xMax = Math.max(0, pv);
    rows.push(` b${k}: + G${k} - X${k} - C${k} + D${k} = ${num(load - pv)}`);
    rows.push(` s${k}: + S${k}${k > 0 ? ` - S${k - 1}` : ''} - ${num(i.chargeEfficiency)} C${k} + ${num(1 / i.dischargeEfficiency)} D${k} = ${num(k === 0 ? i.socKwh : 0)}`);
    bounds.push(` G${k} <= ${num(gMax)}`, ` X${k} <= ${num(xMax)}`, ` C${k} <= ${num(chargeMax)}`, ` D${k} <= ${num(dischargeMax)}`, ` ${num(lo)} <= S${k} <= ${num(hi)}`);
    if (i.exportUsdPerKwh[k] >= i.importUsdPerKwh[k] && gMax > 0 && xMax > 0) {
      bin.push(` Y${k}`);
      rows.push(` mi${k}: + G${k} - ${num(gMax)} Y${k} <= 0`, ` mx${k}: + X${k} + ${num(xMax)} Y${k} <= ${num(xMax)}`);
    }
  }
  if (i.hasBattery && i.terminalUsdPerStoredKwh > 0) obj.push(`- ${num(i.terminalUsdPerStoredKwh)} S${K - 1}`);
  const parts = ['Minimize', ` obj: ${obj.join(' ')}`, 'Subject To', ...rows, 'Bounds', ...bounds];
  if (bin.length) parts.push('Binary', ...bin);
  parts.push('End', '');
  return parts.join('\n');
}

const EPS = 1e-9;

export async function createHorizonPlanner(): Promise<HorizonPlanner> {
  const highs = await loadHighs();
  let solves = 0;
  return {
    get solves() {
      return solves;
    },
    plan(i: HorizonPlanInput, out: HouseholdDecision): string {
      resetDecision(out);
      let charge = 0;
      let discharge = 0;
      let status = 'no battery';
      if (i.hasBattery) {
        solves++;
        const solution = highs.solve(horizonLp(i), { output_flag: false, log_to_console: false, mip_rel_gap: 1e-6, random_seed: 0 });
        status = solution.Status;
        if (solution.Status === 'Optimal') {
          const cols = solution.Columns as Record<string, { Primal?: number }>;
          charge = Math.min(i.maxChargeKwh, Math.max(0, cols.C0?.Primal ?? 0));
          discharge = Math.min(i.maxDischargeKwh, Math.max(0, cols.D0?.Primal ?? 0), Math.max(0, i.loadKwh[0]));
          if (charge > EPS && discharge > EPS) {
            if (charge >= discharge) discharge = 0;
            else charge = 0;
          }
          if (charge <= EPS) charge = 0;
          if (discharge <= EPS) discharge = 0;
        }
      }
      out.chargeKwh = charge;
      out.dischargeKwh = discharge;
      const load = i.loadKwh[0];
      const pv = i.pvKwh[0];
      if (i.marketEnabled) {
        const keep = 1 - i.transmissionLoss;
        const deficit = Math.max(0, load - pv - discharge);
        if (deficit > EPS) {
          out.bidDeficitKwh = deficit / keep;
          out.bidLimitUsdPerKwh = i.importUsdPerKwh[0] * keep - i.feeUsdPerKwh;
        }
        const surplus = Math.max(0, pv + discharge - load - charge);
        const ask = Math.min(surplus, Math.max(0, i.sellAllowanceKwh));
        if (ask > EPS && out.bidDeficitKwh === 0) {
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
