/**
 * The coordinated household (transactive energy, dual decomposition): every interval the central
 * agent proposes a P2P price per interval for the rest of the day; each home plans its own battery,
 * grid and P2P trades against those prices on its own forecasts (the receding-horizon planner's LP
 * with P2P purchases and sales added, solved exactly by the single-store solver in
 * coordinated-plan.ts; coordinated-lp.ts states the LP), and reports only its planned net
 * P2P position per interval. Its load, PV and battery never leave it. After the centre's last
 * proposal the home acts on the first step of its plan: a battery plan, and at most one order —
 * a bid for what it plans to buy or an ask for what it plans to sell — at the proposed price.
 *
 * Homes without a battery have no reason to plan ahead: each interval they buy their deficit where
 * a neighbour's kWh costs less than the grid's and sell their surplus where the price beats the
 * export value (the daily sell cap taken in time order), in closed form.
 */
import { p2pSaleCapKwh } from '../battery/index.ts';
import { ENERGY_EPSILON_KWH } from '../common/index.ts';
import type { CoordinatedPlan, CoordinatedPlanInput } from './coordinated-plan.ts';
import { resetDecision, type HouseholdDecision } from './decision.ts';
import type { HomeView } from './strategy.ts';

/**
 * A home without a battery, in closed form: each step it buys its deficit from neighbours where
 * price / (1 − loss) + delivery charge is below its import rate, and sells its surplus where the price beats
 * the export value, until the day's sell allowance is used (in time order).
 */
export function planWithoutBattery(i: CoordinatedPlanInput, out: CoordinatedPlan): void {
  const keep = 1 - i.transmissionLoss;
  let allowance = Math.max(0, i.sellAllowanceKwh);
  for (let k = 0; k < i.steps; k++) {
    out.chargeKwh[k] = 0;
    out.dischargeKwh[k] = 0;
    out.soldKwh[k] = 0;
    out.boughtKwh[k] = 0;
    if (!i.marketEnabled) continue;
    const net = i.loadKwh[k] - i.pvKwh[k];
    const price = i.p2pUsdPerKwh[k];
    if (net > 0 && price / keep + i.p2pDeliveryUsdPerKwh[k] < i.importUsdPerKwh[k]) out.boughtKwh[k] = net / keep;
    else if (net < 0 && price > i.exportUsdPerKwh[k]) {
      out.soldKwh[k] = Math.min(-net, allowance);
      allowance -= out.soldKwh[k];
    }
  }
}

/**
 * Turns the first step of a plan into the interval's decision: the battery's own-account charge and
 * discharge, and one order at the proposed price — a bid for the planned purchase (the part beyond
 * the home's remaining deficit charges the battery, and only if bought) or an ask for the planned
 * sale (PV surplus first; the rest is discharged only if sold).
 */
export function decisionOfPlan(plan: CoordinatedPlan, home: HomeView, priceUsdPerKwh: number, keep: number, out: HouseholdDecision): HouseholdDecision {
  resetDecision(out);
  // a plan (or a mean of plans) that both charges and discharges, or buys and sells, acts on the net
  const netCharge = plan.chargeKwh[0] - plan.dischargeKwh[0];
  let charge = Math.min(home.maxChargeKwh, Math.max(0, netCharge));
  let discharge = Math.min(home.maxDischargeKwh, Math.max(0, -netCharge));
  if (charge <= ENERGY_EPSILON_KWH) charge = 0;
  if (discharge <= ENERGY_EPSILON_KWH) discharge = 0;
  const netSold = plan.soldKwh[0] - plan.boughtKwh[0];
  let sold = Math.max(0, netSold);
  const bought = Math.max(0, -netSold);
  const load = home.loadKwh;
  const pv = home.pvKwh;
  if (bought > ENERGY_EPSILON_KWH) {
    const deficitLeft = Math.max(0, load - pv - discharge);
    const delivered = bought * keep;
    const toBattery = Math.min(charge, Math.max(0, delivered - deficitLeft));
    out.chargeKwh = charge - toBattery;
    out.dischargeKwh = discharge;
    out.bidDeficitKwh = Math.min(delivered, deficitLeft) / keep;
    out.bidChargeKwh = toBattery / keep;
    out.bidLimitUsdPerKwh = priceUsdPerKwh;
    out.action = out.bidDeficitKwh + out.bidChargeKwh > ENERGY_EPSILON_KWH ? 'buy' : 'hold';
    return out;
  }
  out.chargeKwh = charge;
  if (sold > ENERGY_EPSILON_KWH) {
    const cap = p2pSaleCapKwh(home.storageMode, load, pv, home.hasBattery ? discharge : 0);
    sold = Math.min(sold, cap, Math.max(0, home.sellAllowanceKwh));
    // the battery serves the home's own deficit first: a seller never imports (a mean of plans may
    // pair a sale with a grid import that no single plan would)
    const ownDischarge = Math.min(discharge, Math.max(0, load - pv));
    const busSurplus = Math.max(0, pv + ownDischarge - load - charge);
    out.askSurplusKwh = Math.min(sold, busSurplus);
    out.askBatteryKwh = home.storedMayLeave ? Math.max(0, Math.min(discharge - ownDischarge, sold - out.askSurplusKwh)) : 0;
    out.dischargeKwh = Math.max(0, discharge - out.askBatteryKwh);
    out.askLimitUsdPerKwh = priceUsdPerKwh;
    if (out.askSurplusKwh + out.askBatteryKwh > ENERGY_EPSILON_KWH) out.action = 'sell';
    return out;
  }
  out.dischargeKwh = discharge;
  return out;
}
