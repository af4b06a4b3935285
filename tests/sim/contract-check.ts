import { expect } from 'vitest';
import { checkStorageRules, storageModeCode } from '../../battery/index.ts';
import type { CollectedRun } from './helpers.ts';

const TOL = 1e-6;

/** Checks every identity of docs/OUTPUTS.md on a collected run; throws with domain words. */
export function checkContract(run: CollectedRun): void {
  const s = run.summary;
  const eff = { c: s.battery.charge_efficiency, d: s.battery.discharge_efficiency };
  const maxStep = s.battery.max_power_kw * (s.run.interval_minutes / 60);
  const prevSoc = new Map(Object.entries(s.initial_soc_kwh));
  const energyCost = new Map<string, number>();
  let deliveryTotal = 0;
  const deliveryOf = new Map<string, number>();
  const soldPerDay = new Map<string, number>();
  const tradesByInterval = new Map<number, typeof run.trades>();
  for (const t of run.trades) {
    const list = tradesByInterval.get(t.interval) ?? [];
    list.push(t);
    tradesByInterval.set(t.interval, list);
  }
  let tradeCount = 0;
  for (const iv of run.intervals) {
    const ivTrades = tradesByInterval.get(iv.index) ?? [];
    tradeCount += ivTrades.length;
    expect(iv.market.trades, `interval ${iv.index}: trade count`).toBe(ivTrades.length);
    const day = iv.start.slice(0, 10);
    for (const h of iv.households) {
      const where = `household ${h.id}, interval ${iv.index}`;
      // demand not served only while the grid is down; then no grid flow at all
      const served = h.load_kwh - h.unserved_kwh;
      expect(h.unserved_kwh, `${where}: unserved ≤ load`).toBeLessThanOrEqual(h.load_kwh + TOL);
      expect(h.critical_kwh, `${where}: critical ≤ load`).toBeLessThanOrEqual(h.load_kwh + TOL);
      if (iv.grid === 'down') {
        expect(h.grid_import_kwh, `${where}: no grid import while the grid is down`).toBe(0);
        expect(h.grid_export_kwh, `${where}: no grid export while the grid is down`).toBe(0);
      } else expect(h.unserved_kwh, `${where}: all demand served while the grid is up`).toBe(0);
      const lhs = served + h.battery_charge_kwh + h.p2p_sold_kwh + h.grid_export_kwh;
      const rhs = h.pv_kwh + h.battery_discharge_kwh + h.p2p_bought_kwh + h.grid_import_kwh;
      expect(Math.abs(lhs - rhs), `${where}: energy balance`).toBeLessThan(TOL);
      for (const [k, v] of Object.entries(h)) if (typeof v === 'number') expect(v, `${where}: ${k} must be ≥ 0`).toBeGreaterThanOrEqual(k === 'energy_cost_usd' || k === 'baseline_energy_cost_usd' ? -Infinity : -TOL);
      expect(h.grid_import_kwh * h.grid_export_kwh, `${where}: import and export at once`).toBe(0);
      expect(h.battery_charge_kwh * h.battery_discharge_kwh, `${where}: charge and discharge at once`).toBe(0);
      expect(h.battery_charge_kwh, `${where}: charge power limit`).toBeLessThanOrEqual(maxStep + TOL);
      expect(h.battery_discharge_kwh, `${where}: discharge power limit`).toBeLessThanOrEqual(maxStep + TOL);
      const expectedSoc = prevSoc.get(h.id)! + h.battery_charge_kwh * eff.c - h.battery_discharge_kwh / eff.d - h.battery_self_discharge_kwh;
      expect(Math.abs(h.soc_kwh - expectedSoc), `${where}: SoC dynamics`).toBeLessThan(TOL);
      const detail = s.households_detail.find((d) => d.id === h.id)!;
      if (detail.has_battery) {
        // the backup reserve is used while the grid is down; below it afterwards a battery may only charge or hold
        if (iv.grid === 'down') expect(h.soc_kwh, `${where}: SoC ≥ 0 while islanded`).toBeGreaterThanOrEqual(-TOL);
        else if (h.soc_kwh < s.battery.min_soc_kwh - TOL) expect(h.battery_discharge_kwh, `${where}: no discharge below the reserve`).toBe(0);
        expect(h.soc_kwh, `${where}: SoC below ceiling`).toBeLessThanOrEqual(s.battery.max_soc_kwh + TOL);
      } else expect(h.soc_kwh).toBe(0);
      prevSoc.set(h.id, h.soc_kwh);
      // the home's Net Billing Tariff storage mode (solar-only: charge ≤ own PV; no-export: discharge ≤ own deficit,
      // export ≤ own PV, P2P sale ≤ own PV surplus)
      const mode = storageModeCode(detail.storage_mode);
      const rule = checkStorageRules(
        mode,
        { servedLoadKwh: served, pvKwh: h.pv_kwh, chargeKwh: h.battery_charge_kwh, dischargeKwh: h.battery_discharge_kwh, p2pSoldKwh: h.p2p_sold_kwh, gridExportKwh: h.grid_export_kwh },
        TOL,
      );
      expect(rule.ok ? 'ok' : rule.reason, `${where}: ${detail.storage_mode} storage rule`).toBe('ok');
      if (!detail.has_battery) expect(h.grid_export_kwh + h.p2p_sold_kwh, `${where}: a home without a battery sends only its PV surplus`).toBeLessThanOrEqual(Math.max(0, h.pv_kwh - served) + TOL);
      // P2P per household equals its trades
      const bought = ivTrades.filter((t) => t.buyer === h.id).reduce((a, t) => a + t.delivered_kwh, 0);
      const sold = ivTrades.filter((t) => t.seller === h.id).reduce((a, t) => a + t.sent_kwh, 0);
      expect(Math.abs(h.p2p_bought_kwh - bought), `${where}: bought = Σ delivered`).toBeLessThan(TOL);
      expect(Math.abs(h.p2p_sold_kwh - sold), `${where}: sold = Σ sent`).toBeLessThan(TOL);
      // sells only energy it has: what it sells never exceeds own PV + battery discharge beyond own load
      expect(h.p2p_sold_kwh + h.grid_export_kwh, `${where}: sold own energy only`).toBeLessThanOrEqual(h.pv_kwh + h.battery_discharge_kwh + TOL);
      if (h.p2p_sold_kwh > 0) expect(h.grid_import_kwh, `${where}: a seller imports nothing (no resold grid energy)`).toBe(0);
      const paid = ivTrades.filter((t) => t.buyer === h.id).reduce((a, t) => a + t.buyer_pays_usd, 0);
      const got = ivTrades.filter((t) => t.seller === h.id).reduce((a, t) => a + t.seller_receives_usd, 0);
      const cost = h.grid_import_kwh * h.tariff_rate_usd_per_kwh - h.grid_export_kwh * h.export_rate_usd_per_kwh + paid - got;
      expect(Math.abs(h.energy_cost_usd - cost), `${where}: energy cost`).toBeLessThan(TOL);
      // the buyer's delivery charges: Σ over its trades, each delivered kWh at the regime's rate (nothing while islanded)
      const delivery = ivTrades.filter((t) => t.buyer === h.id).reduce((a, t) => a + t.delivery_charge_usd, 0);
      expect(Math.abs(h.p2p_delivery_charge_usd - delivery), `${where}: delivery charge = Σ its trades'`).toBeLessThan(TOL);
      const regimeRate =
        iv.grid === 'down' ? 0 : s.market.settlement === 'supplier' ? h.tariff_rate_usd_per_kwh - h.generation_rate_usd_per_kwh : s.market.settlement === 'flat-fee' ? s.market_rules.fee_usd_per_kwh : 0;
      expect(Math.abs(h.p2p_delivery_charge_usd - h.p2p_bought_kwh * regimeRate), `${where}: ${s.market.settlement} delivery charge per delivered kWh`).toBeLessThan(TOL);
      expect(h.generation_rate_usd_per_kwh, `${where}: generation ≤ rate`).toBeLessThanOrEqual(h.tariff_rate_usd_per_kwh + TOL);
      deliveryTotal += h.p2p_delivery_charge_usd;
      deliveryOf.set(h.id, (deliveryOf.get(h.id) ?? 0) + h.p2p_delivery_charge_usd);
      energyCost.set(h.id, (energyCost.get(h.id) ?? 0) + h.energy_cost_usd);
    }
    for (const t of ivTrades) {
      const where = `trade ${t.seller}→${t.buyer} in interval ${t.interval}`;
      expect(t.sent_kwh, `${where}: max trade`).toBeLessThanOrEqual(s.market_rules.max_trade_kwh + TOL);
      expect(t.sent_kwh).toBeGreaterThan(0);
      expect(Math.abs(t.delivered_kwh - t.sent_kwh * (1 - s.market_rules.transmission_loss)), `${where}: loss`).toBeLessThan(TOL);
      expect(t.price_usd_per_kwh).toBeGreaterThanOrEqual(s.market_rules.min_price_usd_per_kwh - TOL);
      expect(t.price_usd_per_kwh).toBeLessThanOrEqual(s.market_rules.max_price_usd_per_kwh + TOL);
      expect(t.buyer).not.toBe(t.seller);
      expect(Math.abs(t.buyer_pays_usd - t.seller_receives_usd - t.delivery_charge_usd), `${where}: money conservation`).toBeLessThan(TOL);
      const key = `${t.seller}/${day}`;
      soldPerDay.set(key, (soldPerDay.get(key) ?? 0) + t.sent_kwh);
      expect(soldPerDay.get(key)!, `${where}: daily sell cap`).toBeLessThanOrEqual(s.market_rules.max_daily_sell_kwh + TOL);
    }
  }
  // totals equal the sum of the timeline
  expect(tradeCount).toBe(s.trades_executed);
  for (const d of s.households_detail) {
    expect(Math.abs(d.energy_cost_usd - (energyCost.get(d.id) ?? 0)), `${d.id}: summary energy cost = Σ timeline`).toBeLessThan(TOL);
    expect(Math.abs(d.optimized_cost_usd - (d.energy_cost_usd + d.fixed_charges_usd + d.credits_usd + d.energy_commission_tax_usd)), `${d.id}: bill identity`).toBeLessThan(TOL);
    expect(Math.abs(d.energy_commission_tax_usd - s.bill_terms.energy_commission_tax_usd_per_kwh * (d.grid_import_kwh + d.p2p_bought_kwh)), `${d.id}: tax on delivered kWh`).toBeLessThan(TOL);
    expect(Math.abs(d.baseline_cost_usd - (d.baseline_energy_cost_usd + d.fixed_charges_usd + d.baseline_credits_usd + d.baseline_energy_commission_tax_usd))).toBeLessThan(TOL);
    expect(Math.abs(d.final_soc_kwh - prevSoc.get(d.id)!)).toBeLessThan(TOL);
    // the itemised bills: the items sum to the total, which is the bill; the baseline has no P2P
    for (const [bill, total, what] of [[d.bill, d.optimized_cost_usd, 'bill'], [d.baseline_bill, d.baseline_cost_usd, 'baseline bill']] as const) {
      const { total_usd, ...items } = bill;
      expect(Math.abs(Object.values(items).reduce((a, x) => a + x, 0) - total_usd), `${d.id}: ${what} items sum to total_usd`).toBeLessThan(TOL);
      expect(Math.abs(total_usd - total), `${d.id}: ${what} total_usd`).toBeLessThan(TOL);
      expect(bill.baseline_credit_usd, `${d.id}: ${what} credit ≤ 0`).toBeLessThanOrEqual(0);
      expect(bill.export_credit_usd, `${d.id}: ${what} export credit ≤ 0`).toBeLessThanOrEqual(0);
      expect(bill.p2p_received_usd, `${d.id}: ${what} P2P receipts ≤ 0`).toBeLessThanOrEqual(0);
      expect(bill.generation_usd, `${d.id}: ${what} generation ≥ 0`).toBeGreaterThanOrEqual(-TOL);
      expect(bill.delivery_usd, `${d.id}: ${what} delivery ≥ 0`).toBeGreaterThanOrEqual(-TOL);
    }
    expect(d.baseline_bill.p2p_paid_usd + d.baseline_bill.p2p_delivery_usd + d.baseline_bill.p2p_received_usd, `${d.id}: no P2P in the baseline`).toBe(0);
    expect(Math.abs(d.bill.p2p_delivery_usd - (deliveryOf.get(d.id) ?? 0)), `${d.id}: bill's P2P delivery = Σ timeline`).toBeLessThan(TOL);
    expect(Math.abs(d.bill.base_services_usd - d.fixed_charges_usd) + Math.abs(d.bill.tax_usd - d.energy_commission_tax_usd) + Math.abs(d.bill.baseline_credit_usd - d.credits_usd)).toBeLessThan(TOL);
  }
  const sumBaseline = s.households_detail.reduce((a, d) => a + d.baseline_cost_usd, 0);
  const sumOptimized = s.households_detail.reduce((a, d) => a + d.optimized_cost_usd, 0);
  expect(Math.abs(s.baseline_pge_cost - sumBaseline)).toBeLessThan(TOL);
  expect(Math.abs(s.optimized_cost - sumOptimized)).toBeLessThan(TOL);
  // the headline: bills, plus the value of stored energy left (or the cost of refilling what was drawn down), minus wear
  const c = s.community;
  expect(Math.abs(c.bill_savings_usd - (s.baseline_pge_cost - s.optimized_cost)), 'bill savings').toBeLessThan(TOL);
  expect(Math.abs(s.savings - (s.baseline_pge_cost - s.optimized_cost + c.stored_energy_value_usd - c.battery_wear_cost_usd)), 'headline identity').toBeLessThan(TOL);
  expect(Math.abs(c.stored_energy_value_usd - s.households_detail.reduce((x, d) => x + d.stored_energy_value_usd, 0)), 'stored value = Σ homes').toBeLessThan(TOL);
  expect(Math.abs(c.battery_wear_cost_usd - s.households_detail.reduce((x, d) => x + d.battery_wear_cost_usd, 0)), 'wear = Σ homes').toBeLessThan(TOL);
  expect(Math.abs(s.savings - s.households_detail.reduce((x, d) => x + d.savings_usd, 0)), 'savings = Σ homes').toBeLessThan(TOL);
  if (s.baseline_pge_cost > 0) expect(Math.abs(s.savings_percent! - (100 * s.savings) / s.baseline_pge_cost)).toBeLessThan(TOL);
  else expect(s.savings_percent).toBeNull();
  for (const d of s.households_detail) {
    expect(Math.abs(d.battery_wear_cost_usd - s.battery.wear_cost_usd_per_kwh * d.battery_discharge_kwh), `${d.id}: wear = rate × discharge`).toBeLessThan(TOL);
    expect(Math.abs(d.stored_energy_value_usd - (d.final_soc_kwh - d.initial_soc_kwh) * d.refill_usd_per_stored_kwh), `${d.id}: stored value`).toBeLessThan(TOL);
    expect(d.storage_mode === null, `${d.id}: storage mode iff battery`).toBe(!d.has_battery);
  }
  // attribution: the parts add up, the community is the sum of its homes
  const a = s.attribution;
  expect(Math.abs(a.community.savings_usd - s.community.savings_adjusted_usd), 'attribution savings = adjusted savings').toBeLessThan(TOL);
  for (const k of ['savings_usd', 'battery_time_shifting_usd', 'p2p_extra_usd', 'forecast_cost_usd'] as const) {
    const v = a.community[k];
    if (v !== null) expect(Math.abs(v - a.households.reduce((x, h) => x + (h[k] ?? 0), 0)), `attribution ${k} = Σ homes`).toBeLessThan(TOL);
  }
  for (const h of [a.community, ...a.households]) {
    if (h.battery_time_shifting_usd !== null && h.p2p_extra_usd !== null) {
      expect(Math.abs(h.battery_time_shifting_usd + h.p2p_extra_usd - h.savings_usd), 'battery + P2P = savings').toBeLessThan(TOL);
    }
  }
  // money is conserved: what buyers pay = what sellers receive + what the utility bills for delivery
  expect(Math.abs(deliveryTotal - s.community.p2p_delivery_charges_usd), 'delivery charges = Σ timeline').toBeLessThan(TOL);
  const totalPaid = run.trades.reduce((a, t) => a + t.buyer_pays_usd, 0);
  const totalGot = run.trades.reduce((a, t) => a + t.seller_receives_usd, 0);
  expect(Math.abs(totalPaid - totalGot - s.community.p2p_delivery_charges_usd), 'community money conservation').toBeLessThan(TOL);
}

