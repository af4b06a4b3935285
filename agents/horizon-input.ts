/**
 * What a home's planner sees at one interval (shared by the receding-horizon and the coordinated
 * strategies): the rest of the day — actuals now, the rolling forecast, then the day-ahead forecast
 * — its plan's rates, its battery, and what stored energy left at the end is worth.
 */
import { STORAGE_SOLAR_ONLY } from '../battery/index.ts';
import type { HorizonPlanInput } from './receding-horizon.ts';
import type { DayView, HomeView, PlanDay, StrategyContext, TickView } from './strategy.ts';

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
    storageMode: 0, wearUsdPerKwh: ctx.wearUsdPerKwh, terminalTargetKwh: 0, terminalShortfallUsdPerKwh: 0,
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
    plan.p2pDeliveryUsdPerKwh[k] = rates.p2pDeliveryUsdPerKwh[t + k];
    plan.exportUsdPerKwh[k] = d.exportUsdPerKwh[t + k];
  }
  plan.socKwh = home.socKwh;
  plan.minSocKwh = home.minSocKwh;
  plan.maxSocKwh = home.maxSocKwh;
  plan.maxChargeKwh = home.maxChargeKwh;
  plan.maxDischargeKwh = home.maxDischargeKwh;
  // a stored kWh left at the end is worth the cheapest import it will displace; on the run's last
  // day it is worth what refilling it would cost, so the plan ends with what it started
  plan.terminalUsdPerStoredKwh = d.lastDay ? terminalRefillUsdPerStoredKwh(ctx, h, d, rates) : rates.structure.dayMinUsdPerKwh * ctx.dischargeEfficiency;
  plan.storageMode = home.storageMode;
  plan.terminalTargetKwh = d.lastDay ? ctx.initialSocKwh[h] : 0;
  plan.terminalShortfallUsdPerKwh = d.lastDay ? shortfallUsdPerStoredKwh(plan, ctx) : 0;
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

/**
 * What a stored kWh costs to put back (USD per stored kWh): a solar-only battery refills from PV it
 * would otherwise export (the day's cheapest export value while the sun is up), any other from the
 * plan's cheapest import; either grossed up by the charge efficiency.
 */
function terminalRefillUsdPerStoredKwh(ctx: StrategyContext, h: number, d: DayView, rates: PlanDay): number {
  let price = rates.structure.dayMinUsdPerKwh;
  if (ctx.storageMode[h] === STORAGE_SOLAR_ONLY) {
    let minExport = Infinity;
    for (let k = 0; k < d.intervals; k++) if (d.pvKwh[h * d.intervals + k] > 0) minExport = Math.min(minExport, d.exportUsdPerKwh[k]);
    if (Number.isFinite(minExport)) price = minExport;
  }
  // just under the refill cost: a plan indifferent between buying a kWh to store it and not would
  // otherwise fill every battery at the run's last cheap hour (a rebound peak) for nothing
  return (END_STORAGE_DISCOUNT * price) / ctx.chargeEfficiency;
}

/** Share of its refill cost a kWh stored beyond the run's end target is worth to a plan (a tie-break, not a price). */
const END_STORAGE_DISCOUNT = 0.98;
