/**
 * What a home's planner sees at one interval (shared by the receding-horizon and the coordinated
 * strategies): the rest of the day — actuals now, the rolling forecast, then the day-ahead forecast
 * — its plan's rates, its battery, and what stored energy left at the end is worth.
 */
import type { HorizonPlanInput } from './receding-horizon.ts';
import type { DayView, HomeView, StrategyContext, TickView } from './strategy.ts';

/** What a stored kWh above the run's end target costs a plan beyond the wear of spending it (a tie-break toward ending energy-neutral, not a price). */
const EXCESS_MARGIN_USD_PER_KWH = 0.01;

/** Plans covering at most this many intervals (a day has 46–50). */
export const MAX_PLAN_STEPS = 50;

/** An empty plan input sized for any day. */
export function createHorizonInput(ctx: StrategyContext): HorizonPlanInput {
  return {
    steps: 0, loadKwh: new Float64Array(MAX_PLAN_STEPS), pvKwh: new Float64Array(MAX_PLAN_STEPS),
    importUsdPerKwh: new Float64Array(MAX_PLAN_STEPS), exportUsdPerKwh: new Float64Array(MAX_PLAN_STEPS),
    socKwh: 0, minSocKwh: 0, maxSocKwh: 0, chargeEfficiency: ctx.chargeEfficiency, dischargeEfficiency: ctx.dischargeEfficiency,
    stepKwh: ctx.maxPowerKw * ctx.intervalHours, maxChargeKwh: 0, maxDischargeKwh: 0, terminalUsdPerStoredKwh: 0,
    hasBattery: false, marketEnabled: ctx.marketEnabled, transmissionLoss: ctx.transmissionLoss, p2pDeliveryUsdPerKwh: new Float64Array(MAX_PLAN_STEPS), sellAllowanceKwh: 0,
    storageMode: 0, wearUsdPerKwh: ctx.wearUsdPerKwh, terminalTargetKwh: 0, terminalShortfallUsdPerKwh: 0, terminalExcessUsdPerKwh: 0,
  };
}

/** Fills home h's plan over the rest of the day (steps = intervals left, index 0 = now). */
export function fillHorizonInput(plan: HorizonPlanInput, ctx: StrategyContext, d: DayView, tk: TickView, h: number, home: HomeView): void {
  const H = ctx.horizon;
  const t = tk.t;
  const D = d.intervals;
  const rates = d.plans[d.planOfHome[h]];
  const K = D - t;
  plan.steps = K;
  for (let k = 0; k < K; k++) {
    const j = k - 1;
    plan.loadKwh[k] = k === 0 ? home.loadKwh : j < H ? tk.loadKwh[h * H + j] : d.loadKwh[h * D + t + k];
    plan.pvKwh[k] = k === 0 ? home.pvKwh : j < H ? tk.pvKwh[h * H + j] : d.pvKwh[h * D + t + k];
    plan.importUsdPerKwh[k] = rates.importUsdPerKwh[t + k];
    plan.exportUsdPerKwh[k] = rates.exportUsdPerKwh[t + k];
    plan.p2pDeliveryUsdPerKwh[k] = rates.p2pDeliveryUsdPerKwh[t + k];
  }
  plan.socKwh = home.socKwh;
  plan.minSocKwh = home.minSocKwh;
  plan.maxSocKwh = home.maxSocKwh;
  plan.maxChargeKwh = home.maxChargeKwh;
  plan.maxDischargeKwh = home.maxDischargeKwh;
  // a stored kWh left at the end of a day is worth the cheapest import it will displace tomorrow; at
  // the run's end nothing more is displaced: a kWh short of the start costs the shortfall price, a
  // kWh above it is worth nothing, so the plan ends with what it started (energy-neutral)
  plan.terminalUsdPerStoredKwh = d.lastDay ? 0 : rates.structure.dayMinUsdPerKwh * ctx.dischargeEfficiency;
  plan.storageMode = home.storageMode;
  plan.terminalTargetKwh = d.lastDay ? ctx.initialSocKwh[h] : 0;
  plan.terminalShortfallUsdPerKwh = d.lastDay ? shortfallUsdPerStoredKwh(plan, ctx) : 0;
  plan.terminalExcessUsdPerKwh = d.lastDay ? ctx.wearUsdPerKwh + EXCESS_MARGIN_USD_PER_KWH : 0;
  plan.hasBattery = home.hasBattery;
  plan.sellAllowanceKwh = home.sellAllowanceKwh;
}

/**
 * What a stored kWh short of the end-of-run target costs the plan: more than the best price any kWh
 * could fetch or displace over the rest of the day, so the plan ends with what the home started
 * with wherever it can (as the perfect-foresight optimum must).
 */
function shortfallUsdPerStoredKwh(plan: HorizonPlanInput, ctx: StrategyContext): number {
  let best = 0;
  for (let k = 0; k < plan.steps; k++) best = Math.max(best, plan.importUsdPerKwh[k], plan.exportUsdPerKwh[k]);
  return (1.1 * (best + ctx.wearUsdPerKwh)) / ctx.chargeEfficiency;
}
