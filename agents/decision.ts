/**
 * What a household decides in one interval: its battery plan and its market orders. The one
 * output every strategy writes (`Strategy.decide`) and the engine settles. Plain data.
 */

export type Action = 'buy' | 'sell' | 'hold';

export interface HouseholdDecision {
  action: Action;
  /** battery charge planned from own PV or the grid (not from the market) */
  chargeKwh: number;
  /** battery discharge planned to serve the home's own load */
  dischargeKwh: number;
  /** ask: surplus PV part and stored-energy part (sent kWh), at one limit */
  askSurplusKwh: number;
  askBatteryKwh: number;
  askLimitUsdPerKwh: number;
  /** bid: own-deficit part and battery-charging part (sent kWh), at one limit */
  bidDeficitKwh: number;
  bidChargeKwh: number;
  bidLimitUsdPerKwh: number;
}

/** Sets a decision back to hold with no energy or orders (no allocation). */
export function resetDecision(out: HouseholdDecision): HouseholdDecision {
  out.action = 'hold';
  out.chargeKwh = 0;
  out.dischargeKwh = 0;
  out.askSurplusKwh = 0;
  out.askBatteryKwh = 0;
  out.askLimitUsdPerKwh = 0;
  out.bidDeficitKwh = 0;
  out.bidChargeKwh = 0;
  out.bidLimitUsdPerKwh = 0;
  return out;
}

export function createDecision(): HouseholdDecision {
  // every field in the literal, so they all live inside the object
  return resetDecision({ action: 'hold', chargeKwh: 0, dischargeKwh: 0, askSurplusKwh: 0, askBatteryKwh: 0, askLimitUsdPerKwh: 0, bidDeficitKwh: 0, bidChargeKwh: 0, bidLimitUsdPerKwh: 0 });
}
