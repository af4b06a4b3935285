/**
 * The run outputs' contract with the frontend team (docs/OUTPUTS.md), as zod schemas: the one
 * source of the output types and of the JSON Schemas `wattswap schema` writes. Keys are snake_case;
 * energy in kWh per interval, money in USD, prices in USD/kWh, times ISO 8601 with the
 * America/Los_Angeles offset.
 */
import { z } from 'zod';
import { EXPORT_PROGRAMS, InputsReportSchema } from '../data-gen/index.ts';
import { SettlementSchema } from '../market/index.ts';
import { FederatedRoundRecordSchema } from '../federated/index.ts';
import { TIMELINE_COLUMNS, type TimelineColumn } from './engine/columns.ts';

export const SCHEMA_VERSION = 1;

const usd = z.number().describe('USD');
const kwh = z.number().describe('kWh');
const id = z.string().regex(/^h\d+$/).describe('household id');

export const RunInfoSchema = z.object({
  seed: z.number().int(),
  scenario: z.string(),
  households: z.number().int(),
  intervals: z.number().int(),
  interval_minutes: z.number().int(),
  start: z.string().describe('start of the first trading interval'),
  end: z.string().describe('end of the last trading interval'),
  days: z.number().int(),
  history_days: z.number().int(),
  tariff: z.string().describe('the configured plan (tariff.plan); each home’s plan is households_detail[].tariff'),
  tariff_assignment: z.enum(['nbt', 'uniform']).describe('nbt: homes with PV on E-ELEC with Net Billing Tariff export values, the others on `tariff`; uniform: every home on `tariff`'),
  matching_rule: z.string(),
  p2p_enabled: z.boolean(),
  strategy: z.string(),
  forecaster: z.string(),
  wattswap_version: z.string(),
});

/** A home's bill over the run, item by item (credits and receipts negative; the items sum to total_usd). */
export const BillItemsSchema = z.object({
  generation_usd: usd.describe('grid import × the generation component of the rate'),
  delivery_usd: usd.describe('grid import × (rate − generation component): distribution, transmission and the non-bypassable charges'),
  base_services_usd: usd.describe('the Base Services Charge of the sheets in force'),
  baseline_credit_usd: usd.describe('baseline credit on grid import within the allowance (≤ 0)'),
  export_credit_usd: usd.describe('− grid export × export value (≤ 0)'),
  p2p_paid_usd: usd.describe('paid to neighbours for P2P kWh'),
  p2p_delivery_usd: usd.describe('paid to the utility for delivering P2P kWh (market.settlement)'),
  p2p_received_usd: usd.describe('− received from neighbours for P2P kWh sold (≤ 0)'),
  tax_usd: usd.describe('Energy Commission tax on the kWh delivered to the home'),
  total_usd: usd.describe('Σ of the items: the bill'),
});
export type BillItems = z.infer<typeof BillItemsSchema>;

const HouseholdDetailSchema = z.object({
  id,
  baseline_cost_usd: usd.describe(
    'bill without battery or trading: baseline_energy_cost_usd + fixed_charges_usd + baseline_credits_usd + baseline_energy_commission_tax_usd',
  ),
  optimized_cost_usd: usd.describe('bill in the simulation: energy_cost_usd + fixed_charges_usd + credits_usd + energy_commission_tax_usd'),
  energy_cost_usd: usd.describe('Σ over intervals of grid import × tariff − grid export × export value + P2P payments − P2P receipts'),
  baseline_energy_cost_usd: usd,
  fixed_charges_usd: usd.describe('Σ over the run’s days of the Base Services Charge on the sheet in force that day (none on E-TOU-C and EV2-A before 2026-03-01)'),
  credits_usd: usd.describe(
    'baseline credit (≤ 0): −credit rate × min(grid import kWh over the run, Σ daily baseline allowance); 0 on plans without one',
  ),
  baseline_credits_usd: usd.describe('the same credit computed on the no-battery, no-trading grid import'),
  energy_commission_tax_usd: usd.describe('California Energy Commission tax × kWh delivered to the home (grid import + P2P bought)'),
  baseline_energy_commission_tax_usd: usd.describe('the same tax on the no-battery, no-trading grid import'),
  savings_usd: usd.describe('baseline_cost_usd − optimized_cost_usd + stored_energy_value_usd − battery_wear_cost_usd'),
  tariff: z.string().describe('the home’s PG&E plan, e.g. E-ELEC or E-TOU-C'),
  storage_mode: z.enum(['solar-only', 'no-export']).nullable().describe('Net Billing Tariff paired-storage mode of its battery; null without one'),
  care: z
    .enum(['care', 'fera', 'none'])
    .describe('the home’s low-income programme (households.careShare, feraShare): CARE 35 % or FERA 18 % off energy charges but the wildfire fund charge, their Base Services Charge tier, the low-income ACC Plus'),
  export_compensation: z
    .enum(EXPORT_PROGRAMS)
    .nullable()
    .describe('the solar home’s export program: nem2 (legacy net metering) or the Net Billing Tariff vintage nbt23 … nbt26 of its application year (households.exportMix); null without solar'),
  battery_wear_cost_usd: usd.describe('wear cost × energy discharged'),
  stored_energy_value_usd: usd.describe('(final − initial stored kWh) × refill_usd_per_stored_kwh'),
  refill_usd_per_stored_kwh: z
    .number()
    .describe(
      'what putting a stored kWh back costs: a solar-only battery refills from PV it would otherwise export (the last day’s cheapest export value while the home had a PV surplus), any other home from its plan’s cheapest import of the last day; ÷ charge efficiency',
    ),
  has_pv: z.boolean(),
  has_ev: z.boolean(),
  has_battery: z.boolean(),
  pv_kw: z.number(),
  load_kwh: kwh,
  pv_kwh: kwh,
  grid_import_kwh: kwh,
  grid_export_kwh: kwh,
  baseline_grid_import_kwh: kwh,
  baseline_grid_export_kwh: kwh,
  p2p_bought_kwh: kwh.describe('delivered to this home by trades'),
  p2p_sold_kwh: kwh.describe('sent by this home into trades (before loss)'),
  battery_charge_kwh: kwh,
  battery_discharge_kwh: kwh,
  battery_self_discharge_kwh: kwh,
  initial_soc_kwh: kwh,
  final_soc_kwh: kwh,
  battery_capacity_end_kwh: kwh.describe('usable capacity after degradation at the end of the run (0 without a battery)'),
  equivalent_full_cycles: z.number(),
  peak_grid_import_kw: z.number(),
  baseline_peak_grid_import_kw: z.number(),
  self_sufficiency_percent: z.number().nullable().describe('100 × (1 − grid import / load); null when load is 0'),
  bill: BillItemsSchema.describe('optimized_cost_usd item by item: total_usd = optimized_cost_usd'),
  baseline_bill: BillItemsSchema.describe('baseline_cost_usd item by item (no battery, no P2P): total_usd = baseline_cost_usd'),
});

const AttributionPartsSchema = z.object({
  savings_usd: usd.describe('baseline bill − bill, stored-energy adjusted'),
  battery_time_shifting_usd: usd.nullable().describe('baseline − battery-only run (same agents, P2P off): what the battery alone saves'),
  p2p_extra_usd: usd.nullable().describe('battery-only run − this run: what P2P trading adds on top (negative = P2P cost money)'),
  forecast_cost_usd: usd
    .nullable()
    .describe('this run − the same agents with perfect forecasts: what imperfect forecasts cost (negative = the forecasts happened to help)'),
});

const PaybackHomeSchema = z.object({
  id,
  annual_battery_savings_usd: usd
    .nullable()
    .describe('what the battery saves its home in a year with P2P trading: the same street trading without batteries − this run (adjusted costs, scaled to 365 days); null when not measured'),
  simple_payback_years: z.number().nullable().describe('battery.capitalCostUsd ÷ annual_battery_savings_usd; null when the battery saves nothing (it never pays back) or was not measured'),
  annual_battery_savings_without_p2p_usd: usd
    .nullable()
    .describe('what the battery saves its home in a year without P2P: the baseline bill (no battery, no trading) − the battery-only run (adjusted costs, scaled to 365 days)'),
  simple_payback_years_without_p2p: z.number().nullable().describe('battery.capitalCostUsd ÷ annual_battery_savings_without_p2p_usd; null when it saves nothing'),
});

export const PaybackSchema = z.object({
  status: z.enum(['computed', 'partial', 'not-computed']),
  reason: z.string().optional().describe('why the payback, or part of it, is missing'),
  capital_cost_usd: usd.describe('battery.capitalCostUsd: installed cost of one battery'),
  run_days: z.number().int(),
  households: z.array(PaybackHomeSchema).describe('every home with a battery (empty when not computed)'),
});

const ComparisonSchema = z.object({
  status: z.enum(['computed', 'optimal', 'skipped', 'infeasible', 'error', 'disabled']),
  reason: z.string().optional(),
  cost_usd: usd.nullable().describe('the community’s bills (as optimized_cost): energy, fixed charges, baseline credits and tax'),
  net_cost_usd: usd
    .nullable()
    .describe('cost_usd + battery wear − the value of the stored energy it ends with above the start (baseline_pge_cost − savings on the headline’s basis)'),
  stored_energy_change_kwh: kwh.nullable().describe('Σ over batteries of final − initial stored energy'),
  savings_usd: usd.nullable().describe('no_battery_no_p2p.cost_usd − net_cost_usd'),
  savings_percent: z.number().nullable(),
});

const OutageHomeSchema = z.object({
  id,
  demand_kwh: kwh.describe('load while the grid was down'),
  critical_demand_kwh: kwh.describe('its critical part (refrigerator, lighting, plug/medical baseline)'),
  unserved_kwh: kwh,
  unserved_critical_kwh: kwh,
  hours_critical_fully_served: z.number().describe('hours (while down) in which the home’s critical load was fully served'),
});

const OutageRunSchema = z.object({
  unserved_kwh: kwh,
  unserved_critical_kwh: kwh,
  unserved_value_usd: usd.describe('unserved deferrable kWh × voll_usd_per_kwh + unserved critical kWh × critical_voll_usd_per_kwh'),
  hours_critical_fully_served: z.number().describe('hours (while down) in which every home’s critical load was fully served'),
  worst_off: OutageHomeSchema.nullable().describe('the home with the most unserved critical load (then the most unserved load)'),
});

export const OutageSummarySchema = z.object({
  assumption: z.string().describe('how the community runs while the grid is down'),
  microgrid_assumption: z.string().describe('what sharing while the grid is down takes: a utility-sanctioned community microgrid behind one isolation point, a backup gateway per home (Rule 21 anti-islanding; CPUC Microgrid Incentive Program, D.23-04-034)'),
  critical_load: z.string().describe('what counts as critical load'),
  outages: z.array(z.object({ start: z.string(), hours: z.number(), notice_hours: z.number() })),
  hours_down: z.number().describe('hours of the trading window with the grid down'),
  voll_usd_per_kwh: z.number().describe('value of lost load for deferrable load, USD per unserved kWh'),
  critical_voll_usd_per_kwh: z.number().describe('value of lost load for critical load, USD per unserved kWh'),
  community: OutageRunSchema.extend({
    demand_kwh: kwh,
    critical_demand_kwh: kwh,
    stored_energy_at_start_kwh: kwh.describe('Σ stored energy when the grid went down (shows the pre-charge)'),
    p2p_delivered_kwh: kwh.describe('energy neighbours delivered to each other while islanded'),
    curtailed_pv_kwh: kwh.describe('PV the island could not use (no load, battery or neighbour to take it)'),
    cost_with_lost_load_usd: usd.describe(
      'the run’s cost on the headline’s basis (baseline_pge_cost − savings) plus unserved_value_usd: with an outage, compare this with optimum.cost_with_lost_load_usd (capture_percent compares bills only, and unserved load lowers bills)',
    ),
  }),
  households: z.array(OutageHomeSchema.extend({ stored_energy_at_start_kwh: kwh, p2p_bought_kwh: kwh, curtailed_pv_kwh: kwh })),
  without_p2p: OutageRunSchema.nullable().describe('the same homes islanded without P2P (the battery-only rerun): each home alone'),
  optimum: z
    .object({
      unserved_kwh: kwh,
      unserved_critical_kwh: kwh,
      unserved_value_usd: usd,
      cost_with_lost_load_usd: usd.describe('comparisons.perfect_foresight.net_cost_usd + unserved_value_usd: what the optimum minimises'),
    })
    .nullable()
    .describe('the perfect-foresight optimum’s unserved load (it minimises bills + wear + the value of lost load, with perfect knowledge of the outage); null when not solved'),
  p2p_value: z
    .object({
      unserved_kwh_avoided: kwh.describe('without-P2P unserved − with-P2P unserved'),
      unserved_critical_kwh_avoided: kwh,
      value_usd: usd.describe('the avoided unserved energy at the value of lost load'),
    })
    .nullable()
    .describe('what P2P between islanded homes is worth during the outage'),
});
export type OutageSummary = z.infer<typeof OutageSummarySchema>;
export type OutageRun = z.infer<typeof OutageRunSchema>;

export const SummarySchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  run: RunInfoSchema,
  baseline_pge_cost: usd.describe('same households, same load and solar, no battery, no P2P, on the tariff'),
  optimized_cost: usd.describe('what they pay in the simulation'),
  savings: usd.describe(
    'baseline_pge_cost − optimized_cost + community.stored_energy_value_usd − community.battery_wear_cost_usd: bill savings not bought by emptying the batteries, net of their wear',
  ),
  savings_percent: z.number().nullable().describe('100 × savings / baseline_pge_cost; null when baseline_pge_cost ≤ 0 (display says why)'),
  trades_executed: z.number().int(),
  battery_efficiency: z
    .number()
    .nullable()
    .describe(
      'percent: energy the batteries delivered / energy they took in over the run (Σ discharge / Σ charge, bus side), self-discharge and any change in stored energy included — below the round trip when the run ends with more stored, above it when it drew the batteries down; null if no energy went in',
    ),
  display: z.object({
    baseline_pge_cost: z.string(),
    optimized_cost: z.string(),
    savings: z.string(),
    savings_percent: z.string(),
    trades_executed: z.number().int(),
    battery_efficiency: z.string(),
  }),
  battery: z.object({
    capacity_kwh: kwh,
    min_soc_kwh: kwh,
    max_soc_kwh: kwh,
    max_power_kw: z.number(),
    charge_efficiency: z.number(),
    discharge_efficiency: z.number(),
    households_with_battery: z.number().int(),
    wear_cost_usd_per_kwh: z.number().describe('battery wear, USD per kWh discharged'),
  }),
  market_rules: z.object({
    max_trade_kwh: kwh,
    max_daily_sell_kwh: kwh,
    min_price_usd_per_kwh: z.number(),
    max_price_usd_per_kwh: z.number(),
    transmission_loss: z.number(),
    fee_usd_per_kwh: z.number().describe('under settlement flat-fee: what the buyer pays per delivered P2P kWh (unused otherwise)'),
  }),
  market: z.object({
    settlement: SettlementSchema.describe(
      "supplier: the buyer pays the utility its rate less the generation component per delivered P2P kWh (a local market run by the energy supplier); sandbox: no delivery charge (a what-if no California tariff allows today); flat-fee: market_rules.fee_usd_per_kwh per delivered kWh",
    ),
  }),
  initial_soc_kwh: z.record(z.string(), kwh).describe('stored energy before the first interval'),
  tariff: z.object({
    sheets: z
      .array(
        z.object({
          plan: z.string(),
          effective: z.string().nullable().describe('YYYY-MM-DD the sheet took force; null for the undated legacy preset'),
          advice_letter: z.string().nullable(),
          file: z.string().describe('the data file in the repo'),
          source: z.string().nullable().describe('the PG&E document the figures come from'),
        }),
      )
      .describe('the rate sheets the homes were billed under, by plan, oldest first: each day is priced under the sheet in force that day (before the oldest sheet, the oldest)'),
  }),
  bill_terms: z.object({
    fixed_charge_usd_per_day: z.number().describe('the configured plan’s Base Services Charge, mean over the run’s days'),
    baseline_credit_usd_per_kwh: z.number().describe('the configured plan’s baseline credit, each day’s sheet weighted by that day’s allowance'),
    energy_commission_tax_usd_per_kwh: z.number().describe('California Energy Resources Surcharge per kWh consumed (CDTFA), mean over the run’s days'),
    baseline_allowance_kwh: kwh.describe('Σ over the run’s days of the daily allowance (territory, season)'),
    export_compensation: z.string(),
  }),
  households_detail: z.array(HouseholdDetailSchema),
  community: z.object({
    load_kwh: kwh,
    pv_kwh: kwh,
    grid_import_kwh: kwh,
    grid_export_kwh: kwh,
    baseline_grid_import_kwh: kwh,
    baseline_grid_export_kwh: kwh,
    battery_charge_kwh: kwh,
    battery_discharge_kwh: kwh,
    stored_energy_change_kwh: kwh.describe('Σ final − initial state of charge'),
    stored_energy_value_usd: usd.describe(
      'Σ over homes of the change in stored energy × what refilling it costs the home (households_detail[].refill_usd_per_stored_kwh); negative when the run drew down its batteries',
    ),
    battery_wear_cost_usd: usd.describe('Σ over homes of battery wear (wear cost × energy discharged)'),
    bill_savings_usd: usd.describe('baseline_pge_cost − optimized_cost: the bills alone, before stored energy and wear'),
    savings_adjusted_usd: usd.describe('equal to savings (kept for schema compatibility: savings is now stored-energy and wear adjusted)'),
    p2p_sent_kwh: kwh,
    p2p_delivered_kwh: kwh,
    p2p_loss_kwh: kwh,
    p2p_buyer_paid_usd: usd,
    p2p_seller_received_usd: usd,
    p2p_delivery_charges_usd: usd.describe('Σ over trades of what buyers paid the utility for delivering their P2P kWh (part of p2p_buyer_paid_usd)'),
    p2p_share_of_load_percent: z.number(),
    peak_grid_import_kw: z.number().describe('largest community grid import in one interval, as average kW'),
    baseline_peak_grid_import_kw: z.number(),
    peak_reduction_percent: z.number().nullable(),
    feeder_limit_kw: z.number().nullable().describe('the community’s service transformer limit (grid.feederLimitKw), kW, on net import and on reverse flow; null = unlimited'),
    feeder_overload_intervals: z
      .number()
      .int()
      .describe('intervals whose community net flow (Σ grid import − Σ grid export, as average kW; the timeline’s community_net_import_kw) exceeded the limit in either direction; 0 with no limit'),
    baseline_feeder_overload_intervals: z.number().int().describe('the same count for the same homes without batteries and P2P (the baseline of baseline_pge_cost)'),
    feeder_peak_loading_percent: z.number().nullable().describe('100 × the largest |community net flow| / feeder_limit_kw; null with no limit'),
    self_sufficiency_percent: z.number().nullable(),
    baseline_self_sufficiency_percent: z.number().nullable(),
    price_signal_usd_per_kwh: z.object({ min: z.number(), mean: z.number(), max: z.number() }),
  }),
  comparisons: z.object({
    no_battery_no_p2p: ComparisonSchema.describe('the headline baseline'),
    battery_only: ComparisonSchema.describe('the same agents with P2P trading switched off'),
    perfect_forecasts: ComparisonSchema.describe('the same agents and market with perfect forecasts of each home’s own load and PV'),
    perfect_foresight: ComparisonSchema.extend({
      capture_percent: z
        .number()
        .nullable()
        .describe('100 × agents’ savings / optimum savings (both stored-energy and wear adjusted): the share of attainable savings the agents capture'),
      variables: z.number().int().nullable(),
      constraints: z.number().int().nullable(),
      grid_import_kwh: kwh.nullable(),
      p2p_sent_kwh: kwh.nullable(),
      peak_grid_import_kw: z.number().nullable(),
    }).describe('community optimum with perfect foresight of load and PV (MILP solved by HiGHS); each battery ends with at least the stored energy it started with, and nothing is credited for more'),
  }),
  payback: PaybackSchema.describe('simple payback of each battery with and without P2P (a run of 365 days or more; sim/payback.ts)'),
  attribution: z
    .object({
      status: z.enum(['computed', 'partial', 'disabled']),
      basis: z.string().describe('how the parts are measured'),
      community: AttributionPartsSchema,
      households: z.array(AttributionPartsSchema.extend({ id: z.string() })),
      p2p_gainers: z.array(z.string()).describe('homes whose bill is lower with P2P than with the battery alone (by more than half a cent)'),
      p2p_losers: z.array(z.string()).describe('homes whose bill is higher with P2P than with the battery alone (by more than half a cent)'),
    })
    .describe('the savings split into the proposal’s three strategies, each measured by rerunning the same homes'),
  federated: z
    .object({
      backend: z.string().describe('TensorFlow.js backend the models ran on: tensorflow (tfjs-node), wasm or cpu'),
      backend_detail: z.string(),
      preset: z.string(),
      parameters: z.number().int(),
      rounds: z.number().int().describe('FedAvg rounds run in the trading window (see federated.json)'),
      rounds_aggregated: z.number().int(),
      pretrain: z
        .object({
          households: z.number().int(),
          samples: z.number().int(),
          mean_local_loss: z.number().nullable().describe('mean local pinball loss of the clients in the last pre-training round'),
          rounds: z.number().int().describe('FedAvg rounds of pre-training behind the deployed model'),
          round_losses: z.array(z.number().nullable()).describe('mean local pinball loss of the clients used, per pre-training round'),
          selected_round: z.number().int().describe('how many pre-training rounds the deployed model had: the checkpoint with the lowest loss on the held-out newest days (0 = the untrained model)'),
          selection_rounds: z.number().int().describe('rounds run with the newest days held out to choose `selected_round` (0 without a hold-out)'),
          validation_loss_before: z.number().nullable(),
          validation_loss_after: z.number().nullable(),
        })
        .nullable()
        .describe('federated pre-training of the first global model on the homes’ history (FedAvg rounds)'),
      final_validation_loss: z.number().nullable().describe('mean pinball loss of the global model on held-out windows after the last round'),
      gate: z
        .object({ learned_load_homes: z.number().int(), learned_pv_homes: z.number().int(), households: z.number().int() })
        .nullable()
        .describe('with the gated forecaster: homes whose gate used the transformer (rather than seasonal naive or the 7-day seasonal mean) at the end'),
      dp_epsilon: z.number().nullable().describe('cumulative ε of differential privacy, when enabled'),
    })
    .nullable()
    .describe('learned forecasters and federated averaging; null with seasonal-naive or perfect forecasts'),
  central: z.object({
    rejections: z.record(z.string(), z.object({ count: z.number().int(), kwh })).describe('orders or matches the central agent refused, by reason'),
    coordination: z
      .object({
        intervals: z.number().int().describe('intervals whose price the central agent coordinated'),
        mean_iterations: z.number().describe('price proposals the homes answered per interval, on average'),
        mean_abs_residual_kwh: z.number().describe('mean |planned bought − planned sold| (kWh sent) at the final proposal of an interval'),
        mean_abs_plan_gap_kwh: z.number().describe('mean over homes and intervals of |planned − actual net P2P position| (sold − bought, kWh)'),
      })
      .nullable()
      .optional()
      .describe('price coordination (agents.strategy = coordinated with trading on); null otherwise'),
  }),
  inputs: InputsReportSchema.optional().describe('what was imported when the homes come from meter data (INPUTS.md): files with SHA-256, homes, range, interval lengths, resampling, filled gaps, warnings'),
  forecast: z.object({
    forecaster: z.string(),
    horizon_intervals: z.number().int(),
    load_mae_kwh_by_step: z.array(z.number()).describe('mean absolute error of the load forecast, 1 … H intervals ahead'),
    pv_mae_kwh_by_step: z.array(z.number()),
  }),
  outage: OutageSummarySchema.optional().describe('grid outages (Public Safety Power Shutoffs) and how the islanded community fared; absent when grid.outages is empty'),
});
export type Summary = z.infer<typeof SummarySchema>;

export const ActionSchema = z.enum(['buy', 'sell', 'hold']);

/** The zod schema of each enumerated (`code`) timeline column, its values in the schema's order. */
const CODE_SCHEMAS = { action: ActionSchema } satisfies Record<Extract<TimelineColumn, { shape: 'code' }>['key'], z.ZodEnum>;

type ColumnSchema<C extends TimelineColumn> = C['shape'] extends 'horizon' ? z.ZodArray<z.ZodNumber> : C['shape'] extends 'code' ? typeof ActionSchema : z.ZodNumber;

/** A timeline column's schema: kWh and USD as numbers described by their unit (or the column's description), horizon-wide columns as arrays. */
function columnSchema(c: TimelineColumn): z.ZodType {
  if (c.shape === 'code') return CODE_SCHEMAS[c.key];
  const base = c.shape === 'horizon' ? z.array(z.number()) : c.unit === 'kWh' ? kwh : c.unit === 'USD' ? usd : z.number();
  return 'describe' in c ? base.describe(c.describe) : base;
}

/** The per-home interval fields of a timeline household, derived from the column registry (sim/engine/columns.ts), in its order. */
function timelineColumnsShape(): { [C in TimelineColumn as C['json']]: ColumnSchema<C> } {
  const shape: Record<string, z.ZodType> = {};
  for (const c of TIMELINE_COLUMNS) shape[c.json] = columnSchema(c);
  return shape as { [C in TimelineColumn as C['json']]: ColumnSchema<C> };
}

export const TimelineHouseholdSchema = z.object({ id, ...timelineColumnsShape() });
export type TimelineHousehold = z.infer<typeof TimelineHouseholdSchema>;

export const TimelineIntervalSchema = z.object({
  index: z.number().int(),
  start: z.string(),
  grid: z.enum(['up', 'notice', 'down']).describe('the grid this interval: up, up with an outage announced, or down (islanded; pv_kwh is then the PV delivered, after curtailment)'),
  price_signal_usd_per_kwh: z.number(),
  community_net_import_kw: z.number().describe('the community’s net flow through its feeder: (Σ grid import − Σ grid export) / interval hours, kW; negative = reverse flow'),
  market: z.object({
    clearing_price_usd_per_kwh: z.number().nullable().describe('volume-weighted mean trade price; null without trades'),
    sent_kwh: kwh,
    delivered_kwh: kwh,
    loss_kwh: kwh,
    trades: z.number().int(),
    bids_kwh: kwh,
    asks_kwh: kwh,
    rejections: z.number().int(),
  }),
  households: z.array(TimelineHouseholdSchema),
  coordination: z
    .object({
      iterations: z.number().int().describe('price proposals the homes answered before the market cleared'),
      residual_kwh: z.number().describe('planned bought − planned sold this interval at the final proposal, kWh sent (positive: more planned demand than supply)'),
      planned_net_kwh_by_home: z
        .array(z.number())
        .describe('each home’s planned net P2P position (households order): sold (kWh sent) − bought (kWh delivered); the actual is p2p_sold_kwh − p2p_bought_kwh'),
    })
    .nullable()
    .optional()
    .describe('the central agent’s price coordination this interval (agents.strategy = coordinated); null otherwise'),
});
export type TimelineInterval = z.infer<typeof TimelineIntervalSchema>;

export const TimelineSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  intervals: z.array(TimelineIntervalSchema),
});

export const TradeSchema = z.object({
  interval: z.number().int(),
  buyer: id,
  seller: id,
  sent_kwh: kwh,
  delivered_kwh: kwh,
  price_usd_per_kwh: z.number(),
  buyer_pays_usd: usd,
  seller_receives_usd: usd,
  delivery_charge_usd: usd.describe('what the buyer paid the utility for delivering the kWh (part of buyer_pays_usd)'),
});
export type Trade = z.infer<typeof TradeSchema>;

export const TradesSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  trades: z.array(TradeSchema),
});

export const FederatedFileSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  rounds: z.array(FederatedRoundRecordSchema),
});
