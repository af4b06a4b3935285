/** The run summary as the terminal shows it after `wattswap run`. */
import { formatInputsReport } from '../data-gen/index.ts';
import type { Summary } from '../sim/index.ts';

export function formatSummary(s: Summary, dir: string | null, seconds: number | null): string {
  const c = s.comparisons;
  const pf = c.perfect_foresight;
  const lines = [
    `wattswap — ${runLabel(s)}, seed ${s.run.seed}: ${s.run.households} households, ${s.run.intervals} intervals from ${s.run.start}, ${s.inputs ? plansOf(s) : s.run.tariff}`,
    `  P2P settlement: ${settlementLabel(s)}`,
    '',
    `  baseline PG&E cost (no battery, no P2P)  ${s.display.baseline_pge_cost}`,
    `  optimized cost                           ${s.display.optimized_cost}  (bills: ${plansOf(s)})`,
    `  stored energy                            ${signed(s.community.stored_energy_change_kwh, ' kWh')} at the end, worth ${usd(s.community.stored_energy_value_usd)} to refill`,
    `  battery wear                             ${usd(s.community.battery_wear_cost_usd)} (${s.battery.wear_cost_usd_per_kwh.toFixed(2)} $/kWh discharged)`,
    `  savings                                  ${s.display.savings} (${s.display.savings_percent}) = bills ${usd(s.community.bill_savings_usd)} + stored energy ${usd(s.community.stored_energy_value_usd)} − wear ${usd(s.community.battery_wear_cost_usd)}`,
    `  trades executed                          ${s.display.trades_executed} (${s.community.p2p_sent_kwh.toFixed(2)} kWh sent, ${s.community.p2p_loss_kwh.toFixed(2)} kWh lost, ${usd(s.community.p2p_delivery_charges_usd)} delivery charges to the utility)`,
    `  battery efficiency                       ${s.display.battery_efficiency}`,
    `  community peak grid import               ${s.community.peak_grid_import_kw.toFixed(1)} kW (baseline ${s.community.baseline_peak_grid_import_kw.toFixed(1)} kW, ${peakChange(s.community.peak_reduction_percent)})`,
    `  self-sufficiency                         ${fmtPct(s.community.self_sufficiency_percent)} (baseline ${fmtPct(s.community.baseline_self_sufficiency_percent)})`,
    `  battery only, no P2P                     ${comparison(c.battery_only)}`,
    `  perfect-foresight optimum                ${comparison(pf)}${pf.capture_percent === null ? '' : `; agents capture ${fmtPct(pf.capture_percent)}`}`,
  ];
  lines.push(...whereTheMoneyGoes(s));
  const a = s.attribution.community;
  if (s.attribution.status !== 'disabled') {
    lines.push(
      `  attribution (savings ${usd(a.savings_usd)})    battery ${usd(a.battery_time_shifting_usd)} · P2P ${usd(a.p2p_extra_usd)} · forecast error costs ${usd(a.forecast_cost_usd)}`,
      `  P2P gainers / losers                     ${s.attribution.p2p_gainers.length} / ${s.attribution.p2p_losers.length}${s.attribution.p2p_losers.length ? ` (${s.attribution.p2p_losers.join(', ')})` : ''}`,
    );
  }
  lines.push(...paybackLines(s.payback));
  const o = s.outage;
  if (o) {
    const c = o.community;
    const without = o.without_p2p ? ` · without P2P ${o.without_p2p.unserved_kwh.toFixed(1)} kWh (critical ${o.without_p2p.unserved_critical_kwh.toFixed(1)}), critical served ${o.without_p2p.hours_critical_fully_served} h` : '';
    lines.push(
      `  grid down ${o.hours_down} h (islanded)              unserved ${c.unserved_kwh.toFixed(1)} of ${c.demand_kwh.toFixed(1)} kWh (critical ${c.unserved_critical_kwh.toFixed(1)}), every home's critical load served ${c.hours_critical_fully_served} h${without}; worst off ${c.worst_off?.id ?? 'n/a'}${o.optimum ? `; optimum ${o.optimum.unserved_kwh.toFixed(1)} kWh unserved` : ''}`,
      `  sharing while islanded assumes a community microgrid: ${o.microgrid_assumption}`,
    );
  }
  const f = s.federated;
  if (f) {
    const loss = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
    lines.push(
      `  forecaster                               ${s.forecast.forecaster} on ${f.backend}: transformer "${f.preset}" (${f.parameters.toLocaleString('en-US')} parameters), ${f.rounds} FedAvg rounds, validation loss ${loss(f.pretrain?.validation_loss_before ?? null)} → ${loss(f.final_validation_loss)}${f.gate ? `; gate uses it for ${f.gate.learned_load_homes}/${f.gate.households} homes' load, ${f.gate.learned_pv_homes}/${f.gate.households} PV` : ''}`,
    );
  }
  if (s.inputs) lines.push('', formatInputsReport(s.inputs));
  if (dir) lines.push('', `  files: ${dir}`);
  if (seconds !== null) lines.push(`  wall time: ${seconds.toFixed(2)} s`);
  return lines.join('\n');
}

/** The scenario, or for measured homes the files they came from (and the scenario, unless the default). */
function runLabel(s: Summary): string {
  if (!s.inputs) return s.run.scenario;
  const files = s.inputs.files.filter((f) => f.role === 'meter').map((f) => f.path);
  return `measured homes from ${files.join(', ')}${s.run.scenario === DEFAULT_SCENARIO ? '' : ` (${s.run.scenario})`}`;
}

const DEFAULT_SCENARIO = 'baseline-summer';

const BILL_ITEMS = [
  ['generation_usd', 'generation (grid import)'],
  ['delivery_usd', 'delivery (grid import)'],
  ['base_services_usd', 'base services charge'],
  ['baseline_credit_usd', 'baseline credit'],
  ['export_credit_usd', 'export credit'],
  ['p2p_paid_usd', 'P2P paid to neighbours'],
  ['p2p_delivery_usd', 'P2P delivery (to the utility)'],
  ['p2p_received_usd', 'P2P received from neighbours'],
  ['tax_usd', 'Energy Commission tax'],
  ['total_usd', 'total'],
] as const;

/** The community's bills item by item, baseline beside the run. */
function whereTheMoneyGoes(s: Summary): string[] {
  const sum = (key: (typeof BILL_ITEMS)[number][0], which: 'bill' | 'baseline_bill') => s.households_detail.reduce((a, d) => a + d[which][key], 0);
  const col = (x: number) => usd(x).padStart(10);
  return [
    `  where the money goes                     ${'baseline'.padStart(10)}${'this run'.padStart(10)}`,
    ...BILL_ITEMS.map(([key, label]) => `    ${label.padEnd(37)}${col(sum(key, 'baseline_bill'))}${col(sum(key, 'bill'))}`),
  ];
}

/** A comparison on the headline's terms: its bills (as "optimized cost"), its net cost and savings. */
function comparison(x: Summary['comparisons']['battery_only']): string {
  if (x.cost_usd === null || x.net_cost_usd === null) return `${x.status}${x.reason ? `: ${x.reason}` : ''}`;
  return `bills ${usd(x.cost_usd)}, net ${usd(x.net_cost_usd)} (${fmtPct(x.savings_percent)} saved, stored energy ${signed(x.stored_energy_change_kwh ?? 0, ' kWh')})`;
}

/** The settlement regime in words, for the headline. */
function settlementLabel(s: Summary): string {
  const regime = s.market.settlement;
  if (regime === 'supplier') return "supplier (a neighbour's kWh replaces the generation part of the buyer's rate; the buyer pays PG&E's delivery on it)";
  if (regime === 'flat-fee') return `flat-fee (the buyer pays $${s.market_rules.fee_usd_per_kwh.toFixed(4)} per delivered kWh)`;
  return 'sandbox (no delivery charge on P2P kWh: a what-if no California tariff allows today)';
}

const usd = (x: number | null) => (x === null ? 'n/a' : `${x <= -0.005 ? '-' : ''}$${Math.abs(x).toFixed(2)}`);
const signed = (x: number, unit: string) => `${x >= -0.005 ? '+' : '−'}${Math.abs(x).toFixed(2)}${unit}`;

/** How many homes are on each plan, e.g. "6 × E-ELEC, 4 × E-TOU-C". */
function plansOf(s: Summary): string {
  const count = new Map<string, number>();
  for (const h of s.households_detail) count.set(h.tariff, (count.get(h.tariff) ?? 0) + 1);
  return [...count].map(([plan, k]) => `${k} × ${plan}`).join(', ');
}

const fmtPct = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)}%`);

/** "12.3% lower", "51.8% higher" (a peak the agents made: e.g. every battery charging at once), or "n/a". */
function peakChange(reductionPercent: number | null): string {
  if (reductionPercent === null) return 'n/a';
  return reductionPercent < 0 ? `${(-reductionPercent).toFixed(1)}% higher` : `${reductionPercent.toFixed(1)}% lower`;
}

/** Each battery's simple payback with and without P2P, or why there is none. */
function paybackLines(p: Summary['payback']): string[] {
  const head = `  battery payback ($${p.capital_cost_usd.toLocaleString('en-US')} each)`;
  if (p.status === 'not-computed') return [`${head.padEnd(43)}n/a: ${p.reason ?? ''}`];
  const years = (y: number | null, saved: number | null) => (saved === null ? 'n/a' : y === null ? `never (saves ${usd(saved)}/yr)` : `${y.toFixed(1)} yr (${usd(saved)}/yr)`);
  return [
    `${head.padEnd(43)}with P2P · without P2P${p.reason ? ` (${p.reason})` : ''}`,
    ...p.households.map((h) => `    ${h.id.padEnd(39)}${years(h.simple_payback_years, h.annual_battery_savings_usd)} · ${years(h.simple_payback_years_without_p2p, h.annual_battery_savings_without_p2p_usd)}`),
  ];
}
