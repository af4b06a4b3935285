import { outageSummaryOf } from './outage-summary.ts';
import { coversAYear, paybackOf, type Rerun } from './payback.ts';
import { storageModeName } from '../battery/index.ts';
import { ENERGY_EPSILON_KWH } from '../common/index.ts';
import { datesFrom, householdBill, planTermsOver, type Bill, type FixedChargeTier, type PlanRunTerms, type TariffSheet } from '../market/index.ts';
import { SCHEMA_VERSION, type BillItems, type Summary } from './contract.ts';
import { feederLoadingPercent } from './feeder.ts';
import type { RunMeta, RunTotals } from './engine/index.ts';

export const WATTSWAP_VERSION = '0.1.0';

export interface OptimumOutcome {
  status: 'optimal' | 'infeasible' | 'skipped' | 'error' | 'disabled';
  reason?: string;
  /** community total on the headline basis: bills (energy + credits + fixed charges) + battery wear − the value of stored energy it ends with above the start */
  costUsd: number | null;
  /** the bills alone (energy + credits + fixed charges + tax) */
  billsUsd: number | null;
  /** Σ over batteries of final − initial stored energy (kWh) */
  storedEnergyChangeKwh: number | null;
  variables: number | null;
  constraints: number | null;
  gridImportKwh: number | null;
  p2pSentKwh: number | null;
  peakGridImportKw: number | null;
  /** with outages: the optimum's unserved load, its critical part and their value of lost load (null without outages or unsolved) */
  unserved?: { kwh: number; criticalKwh: number; valueUsd: number } | null;
}

/** Plan p's charges over the run's days (Base Services Charge of `tier`, baseline credit, tax), each day under the sheet in force. */
export function planTermsOf(meta: RunMeta, totals: RunTotals, p: number, tier: FixedChargeTier = meta.config.tariff.fixedCharge): PlanRunTerms {
  const [year, month, day] = meta.config.time.start.split('-').map(Number);
  return planTermsOver(meta.plans[p], tier, meta.config.households.territory, datesFrom({ year, month, day }, totals.days));
}

/** Home h's Base Services Charge tier: CARE and FERA homes pay theirs (unless the config waives it), others the configured tier. */
export function fixedChargeTierOf(meta: Pick<RunMeta, 'config' | 'lowIncome'>, h: number): FixedChargeTier {
  const tier = meta.config.tariff.fixedCharge;
  return tier === 'none' || meta.lowIncome[h] === 'none' ? tier : meta.lowIncome[h];
}

/** Household h's bill over the run on its own plan: energy + fixed charges + baseline credit on its grid import + Energy Commission tax. */
export function billOf(meta: RunMeta, totals: RunTotals, h: number, energyUsd: number, gridImportKwh: number, p2pBoughtKwh: number): Bill {
  const terms = planTermsOf(meta, totals, meta.planOfHome[h], fixedChargeTierOf(meta, h));
  return householdBill({ ...terms, baselineAllowanceKwh: totals.baselineAllowanceKwh }, energyUsd, gridImportKwh, p2pBoughtKwh);
}

/** Household h's bill in the simulation. */
const simulatedBillOf = (meta: RunMeta, totals: RunTotals, h: number): Bill =>
  billOf(meta, totals, h, totals.energyCostUsd[h], totals.gridImportKwh[h], totals.boughtKwh[h]);

/** The sheets the run's homes were billed under: plan, effective date, file and source. */
function sheetsUsed(meta: RunMeta, totals: RunTotals) {
  const seen = new Set<string>();
  const sheets: TariffSheet[] = meta.plans
    .flatMap((_, p) => planTermsOf(meta, totals, p).sheets)
    .filter((s) => !seen.has(`${s.plan} ${s.effective}`) && seen.add(`${s.plan} ${s.effective}`) !== undefined);
  return sheets.map((s) => ({ plan: s.plan, effective: s.effective, advice_letter: s.adviceLetter, file: s.file, source: s.sourceUrl }));
}

/** Community bill of a run's totals (Σ of household bills). */
export function communityCostUsd(meta: RunMeta, totals: RunTotals): number {
  let sum = 0;
  for (let h = 0; h < meta.households.length; h++) {
    sum += simulatedBillOf(meta, totals, h).totalUsd;
  }
  return sum;
}

/**
 * Household h's cost over the run, honestly counted: its bill, minus the value of any stored
 * energy it added (plus the cost of refilling what it drew down), plus its battery's wear. The
 * headline savings and the attribution are both built on it.
 */
export function adjustedHomeCostUsd(meta: RunMeta, totals: RunTotals, h: number): number {
  const bill = simulatedBillOf(meta, totals, h).totalUsd;
  return bill - storedEnergyValueUsd(totals, meta, h) + totals.batteryWearUsd[h];
}

/** Home h's change in stored energy priced at what refilling it would cost (negative when it drew its battery down). */
export function storedEnergyValueUsd(totals: RunTotals, meta: RunMeta, h: number): number {
  return (totals.finalSocKwh[h] - meta.initialSocKwh[h]) * totals.refillUsdPerStoredKwh[h];
}

/** Σ over homes of adjustedHomeCostUsd. */
export function communityAdjustedCostUsd(meta: RunMeta, totals: RunTotals): number {
  let sum = 0;
  for (let h = 0; h < meta.households.length; h++) sum += adjustedHomeCostUsd(meta, totals, h);
  return sum;
}

const money = (x: number) => `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`;
const pct = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)}%`);
const ratio = (num: number, den: number): number | null => (Math.abs(den) > 1e-12 ? (100 * num) / den : null);
const sum = (a: Float64Array) => a.reduce((s, x) => s + x, 0);
/** A saving as a share of the baseline bill; null when that bill is not positive (the share would mislead). */
const percentOfBaseline = (savingsUsd: number, baselineUsd: number): number | null => (baselineUsd > 0 ? (100 * savingsUsd) / baselineUsd : null);

/** A comparison rerun's community bill, and its cost adjusted for stored energy and wear (what savings compare). */
interface RerunCost {
  billUsd: number;
  adjustedUsd: number;
  storedChangeKwh: number;
}
const rerunCost = (meta: RunMeta, totals: RunTotals): RerunCost => ({
  billUsd: communityCostUsd(meta, totals),
  adjustedUsd: communityAdjustedCostUsd(meta, totals),
  storedChangeKwh: storedChangeKwh(meta, totals),
});

/** Σ over homes of final − initial stored energy (kWh). */
function storedChangeKwh(meta: RunMeta, totals: RunTotals): number {
  let sum = 0;
  for (let h = 0; h < meta.households.length; h++) sum += totals.finalSocKwh[h] - meta.initialSocKwh[h];
  return sum;
}

/** A comparison computed from a rerun's costs. */
function rerunComparison(baselineCost: number, c: RerunCost): Summary['comparisons']['battery_only'] {
  return {
    status: 'computed',
    cost_usd: c.billUsd,
    net_cost_usd: c.adjustedUsd,
    stored_energy_change_kwh: c.storedChangeKwh,
    savings_usd: baselineCost - c.adjustedUsd,
    savings_percent: percentOfBaseline(baselineCost - c.adjustedUsd, baselineCost),
  };
}

const disabledComparison = (reason: string) => ({ status: 'disabled' as const, reason, cost_usd: null, net_cost_usd: null, stored_energy_change_kwh: null, savings_usd: null, savings_percent: null });

/**
 * A bill item by item: grid import split into generation and delivery, the Base Services Charge, the
 * baseline credit, the export credit, P2P paid to neighbours and to the utility for delivery, P2P
 * received, and the tax. The items sum to the bill's total (to rounding).
 */
function billItemsOf(bill: Bill, importUsd: number, generationUsd: number, exportCreditUsd: number, p2pPaidUsd: number, p2pDeliveryUsd: number, p2pReceivedUsd: number): BillItems {
  return {
    generation_usd: generationUsd,
    delivery_usd: importUsd - generationUsd,
    base_services_usd: bill.fixedUsd,
    baseline_credit_usd: bill.creditsUsd,
    export_credit_usd: -exportCreditUsd,
    p2p_paid_usd: p2pPaidUsd - p2pDeliveryUsd,
    p2p_delivery_usd: p2pDeliveryUsd,
    p2p_received_usd: -p2pReceivedUsd,
    tax_usd: bill.taxUsd,
    total_usd: bill.totalUsd,
  };
}

/** The per-household block of summary.json. */
function householdDetailOf(meta: RunMeta, totals: RunTotals) {
  return meta.households.map((hh, h) => {
    const bill = simulatedBillOf(meta, totals, h);
    const base = billOf(meta, totals, h, totals.baselineEnergyCostUsd[h], totals.baselineImportKwh[h], 0);
    const load = totals.loadKwh[h];
    const storedValue = storedEnergyValueUsd(totals, meta, h);
    return {
      id: hh.id,
      baseline_cost_usd: base.totalUsd,
      optimized_cost_usd: bill.totalUsd,
      energy_cost_usd: bill.energyUsd,
      baseline_energy_cost_usd: base.energyUsd,
      fixed_charges_usd: bill.fixedUsd,
      credits_usd: bill.creditsUsd,
      baseline_credits_usd: base.creditsUsd,
      energy_commission_tax_usd: bill.taxUsd,
      baseline_energy_commission_tax_usd: base.taxUsd,
      savings_usd: base.totalUsd - bill.totalUsd + storedValue - totals.batteryWearUsd[h],
      tariff: meta.plans[meta.planOfHome[h]].id,
      storage_mode: storageModeName(meta.storageMode[h]),
      export_compensation: meta.exportProgram[h],
      care: meta.lowIncome[h],
      battery_wear_cost_usd: totals.batteryWearUsd[h],
      stored_energy_value_usd: storedValue,
      refill_usd_per_stored_kwh: totals.refillUsdPerStoredKwh[h],
      has_pv: hh.hasPv,
      has_ev: hh.hasEv,
      has_battery: meta.hasBattery[h] === 1,
      pv_kw: hh.pvKw,
      load_kwh: load,
      pv_kwh: totals.pvKwh[h],
      grid_import_kwh: totals.gridImportKwh[h],
      grid_export_kwh: totals.gridExportKwh[h],
      baseline_grid_import_kwh: totals.baselineImportKwh[h],
      baseline_grid_export_kwh: totals.baselineExportKwh[h],
      p2p_bought_kwh: totals.boughtKwh[h],
      p2p_sold_kwh: totals.soldKwh[h],
      battery_charge_kwh: totals.chargeKwh[h],
      battery_discharge_kwh: totals.dischargeKwh[h],
      battery_self_discharge_kwh: totals.selfDischargeKwh[h],
      initial_soc_kwh: meta.initialSocKwh[h],
      final_soc_kwh: totals.finalSocKwh[h],
      battery_capacity_end_kwh: totals.capacityKwh[h],
      equivalent_full_cycles: totals.equivalentCycles[h],
      peak_grid_import_kw: totals.peakImportKw[h],
      baseline_peak_grid_import_kw: totals.baselinePeakImportKw[h],
      self_sufficiency_percent: load > 0 ? 100 * (1 - totals.gridImportKwh[h] / load) : null,
      bill: billItemsOf(bill, totals.gridImportUsd[h], totals.gridImportGenerationUsd[h], totals.gridExportCreditUsd[h], totals.p2pPaidUsd[h], totals.p2pDeliveryChargeUsd[h], totals.p2pReceivedUsd[h]),
      baseline_bill: billItemsOf(base, totals.baselineImportUsd[h], totals.baselineImportGenerationUsd[h], totals.baselineExportCreditUsd[h], 0, 0, 0),
    };
  });
}

/** Builds summary.json from the run's totals and its comparisons. Pure. */
/** Each battery's simple payback from the run and its reruns (a year or more; sim/payback.ts). */
function runPaybackOf(meta: RunMeta, totals: RunTotals, detail: readonly { baseline_cost_usd: number }[], batteryOnly: RunTotals | null, noBattery: Rerun | null) {
  const costsOf = (m: RunMeta, t: RunTotals) => meta.households.map((_, h) => adjustedHomeCostUsd(m, t, h));
  return paybackOf(meta, {
    baselineUsd: detail.map((d) => d.baseline_cost_usd),
    runUsd: costsOf(meta, totals),
    batteryOnlyUsd: batteryOnly && coversAYear(meta.config.time.days) ? costsOf(meta, batteryOnly) : null,
    noBatteryUsd: noBattery ? costsOf(noBattery.meta, noBattery.totals) : null,
  });
}

export function buildSummary(
  meta: RunMeta,
  totals: RunTotals,
  batteryOnly: RunTotals | null,
  optimum: OptimumOutcome,
  perfectForecast: RunTotals | null = null,
  noBattery: Rerun | null = null,
): Summary {
  const { config, households } = meta;
  const n = households.length;
  const b = meta.nominalBattery;

  const detail = householdDetailOf(meta, totals);

  const baselineCost = detail.reduce((s, d) => s + d.baseline_cost_usd, 0);
  const optimizedCost = detail.reduce((s, d) => s + d.optimized_cost_usd, 0);
  const billSavings = baselineCost - optimizedCost;

  const chargeIn = sum(totals.chargeKwh);
  const dischargeOut = sum(totals.dischargeKwh);
  let storedChange = 0;
  for (let h = 0; h < n; h++) storedChange += totals.finalSocKwh[h] - meta.initialSocKwh[h];
  const batteryEfficiency = chargeIn > ENERGY_EPSILON_KWH ? (100 * dischargeOut) / chargeIn : null;
  const storedValue = detail.reduce((s, d) => s + d.stored_energy_value_usd, 0);
  const wear = detail.reduce((s, d) => s + d.battery_wear_cost_usd, 0);
  // the headline: bill savings not bought by emptying the batteries, net of their wear
  const savings = billSavings + storedValue - wear;
  const savingsPercent = baselineCost > 0 ? (100 * savings) / baselineCost : null;
  const savingsAdjusted = savings;

  const configuredTerms = planTermsOf(meta, totals, 0);
  const load = sum(totals.loadKwh);
  const gridImport = sum(totals.gridImportKwh);
  const baselineImport = sum(totals.baselineImportKwh);

  const batteryOnlyCost = batteryOnly ? rerunCost(meta, batteryOnly) : null;
  const perfectForecastCost = perfectForecast ? rerunCost(meta, perfectForecast) : null;
  const attribution = attributionOf(meta, totals, detail.map((d) => d.baseline_cost_usd), batteryOnly, perfectForecast);
  const payback = runPaybackOf(meta, totals, detail, batteryOnly, noBattery);

  return {
    schema_version: SCHEMA_VERSION,
    run: {
      seed: config.seed,
      scenario: config.scenario,
      households: n,
      intervals: totals.intervals,
      interval_minutes: config.time.intervalMinutes,
      start: meta.startIso,
      end: meta.endIso,
      days: totals.days,
      history_days: meta.historyDays,
      tariff: meta.tariff.id,
      tariff_assignment: config.tariff.assignment,
      matching_rule: config.market.rule,
      p2p_enabled: config.market.enabled,
      strategy: config.agents.strategy,
      forecaster: meta.forecaster,
      wattswap_version: WATTSWAP_VERSION,
    },
    baseline_pge_cost: baselineCost,
    optimized_cost: optimizedCost,
    savings,
    savings_percent: savingsPercent,
    trades_executed: totals.tradesExecuted,
    battery_efficiency: batteryEfficiency,
    display: {
      baseline_pge_cost: money(baselineCost),
      optimized_cost: money(optimizedCost),
      savings: money(savings),
      savings_percent: savingsPercent === null ? 'n/a (baseline bill ≤ $0)' : pct(savingsPercent),
      trades_executed: totals.tradesExecuted,
      battery_efficiency: pct(batteryEfficiency),
    },
    battery: {
      capacity_kwh: b.nominalCapacityKwh,
      wear_cost_usd_per_kwh: meta.wearUsdPerKwh,
      min_soc_kwh: b.minSocKwh,
      max_soc_kwh: b.maxSocKwh,
      max_power_kw: b.maxPowerKw,
      charge_efficiency: b.chargeEfficiency,
      discharge_efficiency: b.dischargeEfficiency,
      households_with_battery: meta.hasBattery.reduce((s, x) => s + x, 0),
    },
    market_rules: {
      max_trade_kwh: config.market.maxTradeKwh,
      max_daily_sell_kwh: config.market.maxDailySellKwh,
      min_price_usd_per_kwh: config.market.minPriceUsdPerKwh,
      max_price_usd_per_kwh: config.market.maxPriceUsdPerKwh,
      transmission_loss: config.market.transmissionLoss,
      fee_usd_per_kwh: config.market.feeUsdPerKwh,
    },
    market: { settlement: config.market.settlement },
    initial_soc_kwh: Object.fromEntries(households.map((hh, h) => [hh.id, meta.initialSocKwh[h]])),
    tariff: { sheets: sheetsUsed(meta, totals) },
    bill_terms: {
      fixed_charge_usd_per_day: configuredTerms.fixedUsd / Math.max(totals.days, 1),
      baseline_credit_usd_per_kwh: configuredTerms.baselineCreditUsdPerKwh,
      energy_commission_tax_usd_per_kwh: configuredTerms.taxUsdPerKwh,
      baseline_allowance_kwh: totals.baselineAllowanceKwh,
      export_compensation: config.tariff.exportCompensation,
    },
    households_detail: detail,
    community: {
      load_kwh: load,
      pv_kwh: sum(totals.pvKwh),
      grid_import_kwh: gridImport,
      grid_export_kwh: sum(totals.gridExportKwh),
      baseline_grid_import_kwh: baselineImport,
      baseline_grid_export_kwh: sum(totals.baselineExportKwh),
      battery_charge_kwh: chargeIn,
      battery_discharge_kwh: dischargeOut,
      stored_energy_change_kwh: storedChange,
      stored_energy_value_usd: storedValue,
      battery_wear_cost_usd: wear,
      bill_savings_usd: billSavings,
      savings_adjusted_usd: savingsAdjusted,
      p2p_sent_kwh: totals.sentKwh,
      p2p_delivered_kwh: totals.deliveredKwh,
      p2p_loss_kwh: totals.sentKwh - totals.deliveredKwh,
      p2p_buyer_paid_usd: totals.buyerPaidUsd,
      p2p_seller_received_usd: totals.sellerReceivedUsd,
      p2p_delivery_charges_usd: totals.deliveryChargesUsd,
      p2p_share_of_load_percent: ratio(totals.deliveredKwh, load) ?? 0,
      peak_grid_import_kw: totals.communityPeakImportKw,
      baseline_peak_grid_import_kw: totals.communityBaselinePeakImportKw,
      peak_reduction_percent: ratio(totals.communityBaselinePeakImportKw - totals.communityPeakImportKw, totals.communityBaselinePeakImportKw),
      feeder_limit_kw: totals.feederLimitKw,
      feeder_overload_intervals: totals.feederOverloadIntervals,
      baseline_feeder_overload_intervals: totals.baselineFeederOverloadIntervals,
      feeder_peak_loading_percent: feederLoadingPercent(totals.feederPeakAbsNetKw, totals.feederLimitKw),
      self_sufficiency_percent: load > 0 ? 100 * (1 - gridImport / load) : null,
      baseline_self_sufficiency_percent: load > 0 ? 100 * (1 - baselineImport / load) : null,
      price_signal_usd_per_kwh: {
        min: totals.priceSignalMin,
        mean: totals.priceSignalSum / totals.intervals,
        max: totals.priceSignalMax,
      },
    },
    comparisons: comparisonsOf(baselineCost, batteryOnlyCost, perfectForecastCost, optimum, savingsAdjusted),
    payback,
    attribution,
    federated: totals.federated,
    central: { rejections: totals.rejectionCounts, coordination: coordinationOf(totals, meta.households.length) },
    ...(meta.inputs ? { inputs: meta.inputs } : {}),
    forecast: {
      forecaster: meta.forecaster,
      horizon_intervals: meta.horizon,
      load_mae_kwh_by_step: Array.from(totals.forecastLoadAbsErrorKwh, (e, k) => (totals.forecastCount[k] > 0 ? e / totals.forecastCount[k] : 0)),
      pv_mae_kwh_by_step: Array.from(totals.forecastPvAbsErrorKwh, (e, k) => (totals.forecastCount[k] > 0 ? e / totals.forecastCount[k] : 0)),
    },
    ...outageOf(meta, totals, batteryOnly, optimum, baselineCost - savings),
  };
}

function outageOf(meta: RunMeta, totals: RunTotals, batteryOnly: RunTotals | null, optimum: OptimumOutcome, adjustedCostUsd: number): Pick<Summary, 'outage'> {
  const unserved = optimum.unserved && optimum.costUsd !== null ? { ...optimum.unserved, costUsd: optimum.costUsd } : null;
  const outage = outageSummaryOf(meta, totals.outage, batteryOnly ? batteryOnly.outage : null, unserved, adjustedCostUsd);
  return outage ? { outage } : {};
}

/** The summary's comparisons: the no-battery baseline, the reruns and the perfect-foresight optimum. */
function comparisonsOf(
  baselineCost: number,
  batteryOnlyCost: RerunCost | null,
  perfectForecastCost: RerunCost | null,
  optimum: OptimumOutcome,
  savingsAdjusted: number,
): Summary['comparisons'] {
  const optimumSavings = optimum.costUsd === null ? null : baselineCost - optimum.costUsd;
  return {
    no_battery_no_p2p: { status: 'computed', cost_usd: baselineCost, net_cost_usd: baselineCost, stored_energy_change_kwh: 0, savings_usd: 0, savings_percent: 0 },
    battery_only: batteryOnlyCost === null ? disabledComparison('baselines.batteryOnly is false') : rerunComparison(baselineCost, batteryOnlyCost),
    perfect_forecasts: perfectForecastCost === null ? disabledComparison('baselines.perfectForecast is false') : rerunComparison(baselineCost, perfectForecastCost),
    perfect_foresight: {
      status: optimum.status,
      ...(optimum.reason ? { reason: optimum.reason } : {}),
      cost_usd: optimum.billsUsd,
      net_cost_usd: optimum.costUsd,
      stored_energy_change_kwh: optimum.storedEnergyChangeKwh,
      savings_usd: optimumSavings,
      savings_percent: optimumSavings === null ? null : percentOfBaseline(optimumSavings, baselineCost),
      capture_percent: optimumSavings === null ? null : ratio(savingsAdjusted, optimumSavings),
      variables: optimum.variables,
      constraints: optimum.constraints,
      grid_import_kwh: optimum.gridImportKwh,
      p2p_sent_kwh: optimum.p2pSentKwh,
      peak_grid_import_kw: optimum.peakGridImportKw,
    },
  };
}

const HALF_CENT = 0.005;

/**
 * Splits the savings into the proposal's three strategies, each measured by a rerun of the same
 * homes with the same draws: battery time-shifting (the battery-only run), the extra from P2P
 * (this run vs battery-only) and the cost of imperfect forecasts (this run vs perfect forecasts).
 * savings = battery_time_shifting + p2p_extra exactly; forecast_cost is what perfect forecasts
 * would add on top. Pure.
 */
export function attributionOf(
  meta: RunMeta,
  totals: RunTotals,
  baselineCostUsd: readonly number[],
  batteryOnly: RunTotals | null,
  perfectForecast: RunTotals | null,
): Summary['attribution'] {
  const parts = (h: number) => {
    const cost = adjustedHomeCostUsd(meta, totals, h);
    const battery = batteryOnly ? adjustedHomeCostUsd(meta, batteryOnly, h) : null;
    const perfect = perfectForecast ? adjustedHomeCostUsd(meta, perfectForecast, h) : null;
    return {
      savings_usd: baselineCostUsd[h] - cost,
      battery_time_shifting_usd: battery === null ? null : baselineCostUsd[h] - battery,
      p2p_extra_usd: battery === null ? null : battery - cost,
      forecast_cost_usd: perfect === null ? null : cost - perfect,
    };
  };
  const households = meta.households.map((hh, h) => ({ id: hh.id, ...parts(h) }));
  const total = (k: 'savings_usd' | 'battery_time_shifting_usd' | 'p2p_extra_usd' | 'forecast_cost_usd') =>
    households.some((x) => x[k] === null) ? null : households.reduce((a, x) => a + (x[k] as number), 0);
  const community = {
    savings_usd: total('savings_usd')!,
    battery_time_shifting_usd: total('battery_time_shifting_usd'),
    p2p_extra_usd: total('p2p_extra_usd'),
    forecast_cost_usd: total('forecast_cost_usd'),
  };
  const status = batteryOnly && perfectForecast ? 'computed' : batteryOnly || perfectForecast ? 'partial' : 'disabled';
  return {
    status,
    basis:
      'adjusted costs (bill − Δ stored energy × what refilling it costs the home + battery wear), the headline’s basis; savings = battery_time_shifting + p2p_extra; forecast_cost = this run − the same agents with perfect forecasts',
    community,
    households,
    p2p_gainers: batteryOnly ? households.filter((x) => (x.p2p_extra_usd ?? 0) > HALF_CENT).map((x) => x.id) : [],
    p2p_losers: batteryOnly ? households.filter((x) => (x.p2p_extra_usd ?? 0) < -HALF_CENT).map((x) => x.id) : [],
  };
}

/** The central agent's price coordination over the run (null when no interval was coordinated). */
function coordinationOf(totals: RunTotals, homes: number): Summary['central']['coordination'] {
  const k = totals.coordinatedIntervals;
  if (k === 0) return null;
  return {
    intervals: k,
    mean_iterations: totals.coordinationIterations / k,
    mean_abs_residual_kwh: totals.coordinationAbsResidualKwh / k,
    mean_abs_plan_gap_kwh: totals.coordinationAbsPlanGapKwh / (k * Math.max(1, homes)),
  };
}
