/**
 * Checks around the optimum: `findInputProblem` before solving (malformed or impossible input) and
 * `findScheduleViolation` after (an independent audit of a schedule against every rule the model
 * is meant to encode, without reading the LP).
 */
import { checkStorageRules, mayChargeFromImports, p2pSaleCapKwh, STORAGE_MODES, STORAGE_NO_EXPORT, storageModeCode, type StorageRuleCheck } from '../../battery/index.ts';
import { NETTING_TOLERANCE_KWH } from '../../common/index.ts';
import type { OptimumInput, OptimumSchedule } from './types.ts';

/** A problem found before solving: 'error' = malformed input, 'infeasible' = no schedule can exist. */
export interface InputProblem {
  status: 'error' | 'infeasible';
  reason: string;
}

const isNonNegative = (v: number): boolean => Number.isFinite(v) && v >= 0;

function checkSeries(name: string, series: ArrayLike<number>, length: number, nonNegative: boolean): string | null {
  if (series.length !== length) return `${name} has ${series.length} values, expected ${length}`;
  for (let t = 0; t < length; t++) {
    const v = series[t];
    if (!Number.isFinite(v) || (nonNegative && v < 0)) return `${name}[${t}] = ${v} is not a ${nonNegative ? 'finite non-negative' : 'finite'} number`;
  }
  return null;
}

/** Returns the first problem with the input, or null when it can be modelled. */
export function findInputProblem(input: OptimumInput): InputProblem | null {
  const error = (reason: string): InputProblem => ({ status: 'error', reason });
  const intervals = input.exportUsdPerKwh.length;
  if (!(Number.isFinite(input.intervalHours) && input.intervalHours > 0)) return error(`intervalHours = ${input.intervalHours} must be positive`);
  if (intervals === 0) return error('no intervals to optimise');
  if (input.households.length === 0) return error('no households to optimise');
  const seriesProblem =
    checkSeries('exportUsdPerKwh', input.exportUsdPerKwh, intervals, false) ??
    checkSeries('dayOfInterval', input.dayOfInterval, intervals, false);
  if (seriesProblem) return error(seriesProblem);
  if (input.outage) {
    const o = input.outage;
    if (o.gridDown.length !== intervals) return error(`outage.gridDown has ${o.gridDown.length} values, expected ${intervals}`);
    if (!isNonNegative(o.vollUsdPerKwh) || !isNonNegative(o.criticalVollUsdPerKwh)) return error(`outage values of lost load must be finite and non-negative, got ${o.vollUsdPerKwh} / ${o.criticalVollUsdPerKwh}`);
  }
  if (input.p2p) {
    const { maxDailySellKwh, transmissionLoss } = input.p2p;
    if (!isNonNegative(maxDailySellKwh)) return error(`p2p.maxDailySellKwh = ${maxDailySellKwh} must be non-negative`);
    if (!(Number.isFinite(transmissionLoss) && transmissionLoss >= 0 && transmissionLoss < 1)) return error(`p2p.transmissionLoss = ${transmissionLoss} must be in [0, 1)`);
  }
  for (let i = 0; i < input.households.length; i++) {
    const home = input.households[i];
    const homeProblem =
      checkSeries(`household ${i} loadKwh`, home.loadKwh, intervals, true) ??
      checkSeries(`household ${i} pvKwh`, home.pvKwh, intervals, true) ??
      checkSeries(`household ${i} importUsdPerKwh`, home.importUsdPerKwh, intervals, false) ??
      (home.exportUsdPerKwh ? checkSeries(`household ${i} exportUsdPerKwh`, home.exportUsdPerKwh, intervals, false) : null);
    if (homeProblem) return error(homeProblem);
    if (input.outage && home.criticalKwh) {
      const p = checkSeries(`household ${i} criticalKwh`, home.criticalKwh, intervals, true);
      if (p) return error(p);
    }
    if (!isNonNegative(home.baselineAllowanceKwh)) return error(`household ${i} baselineAllowanceKwh = ${home.baselineAllowanceKwh} must be non-negative`);
    if (!isNonNegative(home.baselineCreditUsdPerKwh)) return error(`household ${i} baselineCreditUsdPerKwh = ${home.baselineCreditUsdPerKwh} must be non-negative`);
    const b = home.battery;
    if (!b) continue;
    if (!STORAGE_MODES.includes(b.storageMode)) return error(`household ${i} battery storageMode = ${String(b.storageMode)} must be one of ${STORAGE_MODES.join(', ')}`);
    if (!isNonNegative(b.wearUsdPerKwh)) return error(`household ${i} battery wearUsdPerKwh = ${b.wearUsdPerKwh} must be a finite non-negative number`);
    for (const key of ['capacityKwh', 'minSocKwh', 'maxSocKwh', 'maxPowerKw', 'initialSocKwh'] as const) {
      if (!isNonNegative(b[key])) return error(`household ${i} battery ${key} = ${b[key]} must be a finite non-negative number`);
    }
    for (const key of ['chargeEfficiency', 'dischargeEfficiency'] as const) {
      if (!(Number.isFinite(b[key]) && b[key] > 0 && b[key] <= 1)) return error(`household ${i} battery ${key} = ${b[key]} must be in (0, 1]`);
    }
    if (b.minSocKwh > b.maxSocKwh || b.maxSocKwh > b.capacityKwh) {
      return { status: 'infeasible', reason: `household ${i} battery needs minSocKwh ≤ maxSocKwh ≤ capacityKwh, got ${b.minSocKwh} / ${b.maxSocKwh} / ${b.capacityKwh}` };
    }
    if (b.initialSocKwh < b.minSocKwh || b.initialSocKwh > b.maxSocKwh) {
      return { status: 'infeasible', reason: `household ${i} battery starts at ${b.initialSocKwh} kWh, outside its SoC window [${b.minSocKwh}, ${b.maxSocKwh}] kWh` };
    }
  }
  return null;
}

/** A rule an optimum schedule breaks: which home and interval (null where the rule spans them), which rule, and by how much. */
export interface ScheduleViolation {
  household: number | null;
  interval: number | null;
  rule: ScheduleRule;
  reason: string;
}

export type ScheduleRule =
  | 'shape'
  | 'negative_flow'
  | 'energy_balance'
  | 'imports_beyond_own_use'
  | 'no_battery_flow'
  | 'power_limit'
  | 'soc_dynamics'
  | 'soc_window'
  | 'terminal_soc'
  | Exclude<StorageRuleCheck, { ok: true }>['reason']
  | 'p2p_pool'
  | 'daily_sell_cap'
  | 'netting'
  | 'grid_flow_while_down'
  | 'unserved_bounds';

export interface ScheduleCheckOptions {
  /** energy slack per check (kWh); default NETTING_TOLERANCE_KWH, the precision HiGHS guarantees */
  toleranceKwh?: number;
  /** also forbid a meter importing and exporting in one interval; default true */
  netting?: boolean;
}

/**
 * First (household, interval) whose meter both imports from the grid and sends energy out (to the
 * grid, or to a neighbour: a P2P sale leaves through the meter), or null. (Receiving from a
 * neighbour while sending out never pays, but can tie when the transmission loss is 0, so it is not
 * flagged.)
 */
export function findNettingViolation(schedules: OptimumSchedule[], toleranceKwh = NETTING_TOLERANCE_KWH): { household: number; interval: number } | null {
  for (let i = 0; i < schedules.length; i++) {
    const { gridImportKwh, gridExportKwh, p2pSentKwh } = schedules[i];
    for (let t = 0; t < gridImportKwh.length; t++) {
      if (gridImportKwh[t] > toleranceKwh && (gridExportKwh[t] > toleranceKwh || p2pSentKwh[t] > toleranceKwh)) return { household: i, interval: t };
    }
  }
  return null;
}

const SERIES = ['chargeKwh', 'dischargeKwh', 'gridImportKwh', 'gridExportKwh', 'p2pSentKwh', 'p2pReceivedKwh'] as const;

function shapeViolation(input: OptimumInput, schedules: OptimumSchedule[]): ScheduleViolation | null {
  const intervals = input.exportUsdPerKwh.length;
  const bad = (household: number | null, reason: string): ScheduleViolation => ({ household, interval: null, rule: 'shape', reason });
  if (schedules.length !== input.households.length) return bad(null, `${schedules.length} schedules for ${input.households.length} households`);
  for (let i = 0; i < schedules.length; i++) {
    const s = schedules[i];
    for (const key of SERIES) if (s[key].length !== intervals) return bad(i, `${key} has ${s[key].length} values, expected ${intervals}`);
    if ((s.socKwh === null) !== (input.households[i].battery === null)) return bad(i, 'socKwh must be present exactly when the home has a battery');
    if (s.socKwh && s.socKwh.length !== intervals) return bad(i, `socKwh has ${s.socKwh.length} values, expected ${intervals}`);
  }
  return null;
}

/** Home i's flows in interval t against physics, its storage mode and its meter. */
function intervalViolation(input: OptimumInput, s: OptimumSchedule, i: number, t: number, tol: number): ScheduleViolation | null {
  const home = input.households[i];
  const b = home.battery;
  const at = (rule: ScheduleRule, reason: string): ScheduleViolation => ({ household: i, interval: t, rule, reason });
  for (const key of SERIES) if (!(s[key][t] >= -tol)) return at('negative_flow', `${key} = ${s[key][t]}`);
  const outage = outageViolation(input, s, i, t, tol);
  if (outage) return outage;
  // with an outage, the load served and the PV delivered (unserved load and curtailed PV are 0 otherwise)
  const load = home.loadKwh[t] - (s.unservedKwh ? s.unservedKwh[t] : 0);
  const pv = home.pvKwh[t] - (s.curtailedKwh ? s.curtailedKwh[t] : 0);
  const inflow = pv + s.dischargeKwh[t] + s.p2pReceivedKwh[t] + s.gridImportKwh[t];
  const outflow = load + s.chargeKwh[t] + s.p2pSentKwh[t] + s.gridExportKwh[t];
  if (Math.abs(inflow - outflow) > tol) return at('energy_balance', `inflow ${inflow} kWh ≠ outflow ${outflow} kWh`);
  // without a battery the home has nothing but PV to send: it obeys the no-export rules
  const mode = b ? storageModeCode(b.storageMode) : STORAGE_NO_EXPORT;
  if (!b || !s.socKwh) {
    if (s.chargeKwh[t] > tol || s.dischargeKwh[t] > tol) return at('no_battery_flow', 'a home without a battery charges or discharges');
  } else {
    const stepKwh = b.maxPowerKw * input.intervalHours;
    if (Math.max(s.chargeKwh[t], s.dischargeKwh[t]) > stepKwh + tol) return at('power_limit', `charge ${s.chargeKwh[t]} / discharge ${s.dischargeKwh[t]} kWh above ${stepKwh} kWh`);
    const before = t === 0 ? b.initialSocKwh : s.socKwh[t - 1];
    const expected = before + s.chargeKwh[t] * b.chargeEfficiency - s.dischargeKwh[t] / b.dischargeEfficiency;
    if (Math.abs(s.socKwh[t] - expected) > tol) return at('soc_dynamics', `SoC ${s.socKwh[t]} kWh, dynamics give ${expected} kWh`);
    if (s.socKwh[t] < b.minSocKwh - tol || s.socKwh[t] > b.maxSocKwh + tol) return at('soc_window', `SoC ${s.socKwh[t]} kWh outside [${b.minSocKwh}, ${b.maxSocKwh}] kWh`);
  }
  const flows = { servedLoadKwh: load, pvKwh: pv, chargeKwh: s.chargeKwh[t], dischargeKwh: s.dischargeKwh[t], p2pSoldKwh: s.p2pSentKwh[t], gridExportKwh: s.gridExportKwh[t] };
  const rules = checkStorageRules(mode, flows, tol);
  if (!rules.ok) return at(rules.reason, `${b ? b.storageMode : 'no battery'}: ${JSON.stringify(flows)}`);
  const saleCapKwh = p2pSaleCapKwh(mode, load, pv, s.dischargeKwh[t]);
  if (s.p2pSentKwh[t] > saleCapKwh + tol) return at('sale_above_own_surplus', `sent ${s.p2pSentKwh[t]} kWh above PV surplus plus discharge ${saleCapKwh} kWh`);
  // imports serve the load, and the battery only where it may charge from imports
  const ownUseKwh = home.loadKwh[t] + (b && mayChargeFromImports(mode) ? s.chargeKwh[t] : 0);
  if (s.gridImportKwh[t] + s.p2pReceivedKwh[t] > ownUseKwh + tol) return at('imports_beyond_own_use', `imports ${s.gridImportKwh[t] + s.p2pReceivedKwh[t]} kWh above own use ${ownUseKwh} kWh`);
  return null;
}

/** Grid outages: no grid flow while down; unserved load within the load (critical within critical), curtailment within PV, all 0 while up. */
function outageViolation(input: OptimumInput, s: OptimumSchedule, i: number, t: number, tol: number): ScheduleViolation | null {
  const at = (rule: ScheduleRule, reason: string): ScheduleViolation => ({ household: i, interval: t, rule, reason });
  const home = input.households[i];
  const down = input.outage ? input.outage.gridDown[t] === 1 : false;
  if (down && (s.gridImportKwh[t] > tol || s.gridExportKwh[t] > tol)) return at('grid_flow_while_down', `import ${s.gridImportKwh[t]} / export ${s.gridExportKwh[t]} kWh with the grid down`);
  const unserved = s.unservedKwh ? s.unservedKwh[t] : 0;
  const critical = s.unservedCriticalKwh ? s.unservedCriticalKwh[t] : 0;
  const curtailed = s.curtailedKwh ? s.curtailedKwh[t] : 0;
  const criticalLoad = home.criticalKwh ? Math.min(home.loadKwh[t], Math.max(0, home.criticalKwh[t])) : 0;
  if (!down && (unserved > tol || curtailed > tol)) return at('unserved_bounds', `unserved ${unserved} / curtailed ${curtailed} kWh with the grid up`);
  if (!(unserved >= -tol && critical >= -tol && curtailed >= -tol)) return at('negative_flow', `unserved ${unserved} / critical ${critical} / curtailed ${curtailed} kWh`);
  if (unserved > home.loadKwh[t] + tol || critical > criticalLoad + tol || critical > unserved + tol || unserved - critical > home.loadKwh[t] - criticalLoad + tol || curtailed > home.pvKwh[t] + tol) {
    return at('unserved_bounds', `unserved ${unserved} (critical ${critical}) of load ${home.loadKwh[t]} (critical ${criticalLoad}), curtailed ${curtailed} of PV ${home.pvKwh[t]}`);
  }
  return null;
}

/** The community's P2P pool per interval and each home's daily sell cap. */
function p2pViolation(input: OptimumInput, schedules: OptimumSchedule[], tol: number): ScheduleViolation | null {
  const intervals = input.exportUsdPerKwh.length;
  const keep = input.p2p ? 1 - input.p2p.transmissionLoss : 0;
  for (let t = 0; t < intervals; t++) {
    let sent = 0;
    let received = 0;
    for (const s of schedules) {
      sent += s.p2pSentKwh[t];
      received += s.p2pReceivedKwh[t];
    }
    const slack = tol * (1 + schedules.length);
    if (!input.p2p && (sent > slack || received > slack)) return { household: null, interval: t, rule: 'p2p_pool', reason: `sent ${sent} kWh, received ${received} kWh while trading is off` };
    if (Math.abs(received - keep * sent) > slack) return { household: null, interval: t, rule: 'p2p_pool', reason: `received ${received} kWh ≠ ${keep} × sent ${sent} kWh` };
  }
  if (!input.p2p) return null;
  for (let i = 0; i < schedules.length; i++) {
    const byDay = new Map<number, number>();
    for (let t = 0; t < intervals; t++) byDay.set(input.dayOfInterval[t], (byDay.get(input.dayOfInterval[t]) ?? 0) + schedules[i].p2pSentKwh[t]);
    for (const [day, kwh] of byDay) {
      if (kwh > input.p2p.maxDailySellKwh + tol) return { household: i, interval: null, rule: 'daily_sell_cap', reason: `sent ${kwh} kWh on day ${day}, cap ${input.p2p.maxDailySellKwh} kWh` };
    }
  }
  return null;
}

/**
 * Independent audit of an optimum schedule, without the LP: energy balance, imports only for own
 * use, battery power, SoC dynamics, window and end, the Net Billing Tariff storage-mode rules of
 * battery/storage-mode.ts (a home without a battery obeys the no-export rules), the P2P pool with its
 * loss and the daily sell cap, and (optionally) netting. Returns the first broken rule, or null.
 */
export function findScheduleViolation(input: OptimumInput, schedules: OptimumSchedule[], opts: ScheduleCheckOptions = {}): ScheduleViolation | null {
  const tol = opts.toleranceKwh ?? NETTING_TOLERANCE_KWH;
  const shape = shapeViolation(input, schedules);
  if (shape) return shape;
  const intervals = input.exportUsdPerKwh.length;
  for (let i = 0; i < schedules.length; i++) {
    for (let t = 0; t < intervals; t++) {
      const v = intervalViolation(input, schedules[i], i, t, tol);
      if (v) return v;
    }
    const b = input.households[i].battery;
    const soc = schedules[i].socKwh;
    if (b && soc && input.terminalSocAtLeastInitial && soc[intervals - 1] < b.initialSocKwh - tol) {
      return { household: i, interval: intervals - 1, rule: 'terminal_soc', reason: `ends with ${soc[intervals - 1]} kWh, started with ${b.initialSocKwh} kWh` };
    }
  }
  const p2p = p2pViolation(input, schedules, tol);
  if (p2p) return p2p;
  if (opts.netting ?? true) {
    const netting = findNettingViolation(schedules, tol);
    if (netting) return { ...netting, rule: 'netting', reason: `household ${netting.household} imports from the grid and sends energy out in interval ${netting.interval}` };
  }
  return null;
}
