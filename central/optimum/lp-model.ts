/**
 * Builds the community optimum as a CPLEX-LP-format string for HiGHS.
 *
 * Variables per home i and interval t (all ≥ 0, kWh per interval): G grid import, X grid export,
 * C charge, D discharge, S SoC at the end of t (battery homes), Q P2P sent, R P2P received
 * (when trading is allowed), Y netting binary (only where importing and exporting at once could
 * pay: a meter never takes energy in and sends it out at once, a P2P sale counting as sent out), and
 * per home Z the baseline energy that earns the credit. Each home pays its own plan's
 * import rate and earns its own plan's baseline credit; export values are one series.
 *
 * Net Billing Tariff paired storage, as battery/storage-mode.ts defines it (the agents, the engine
 * and this model apply the same rules):
 * - solar-only: C ≤ own PV in the interval, and imports (grid or P2P) serve only the home's load,
 *   never the battery; stored energy may leave, to the grid at the export value (so X may exceed
 *   PV) and to neighbours (Q ≤ PV surplus + D).
 * - no-export: the battery may charge from imports, but D ≤ max(0, load − PV) (it only serves the
 *   home's own load), X ≤ PV and Q ≤ max(0, PV − load): only surplus PV leaves the home.
 * - no battery: X ≤ PV and Q ≤ max(0, PV − load).
 * Battery wear is costed per kWh discharged.
 *
 * Grid outages (input.outage): in an interval with the grid down G and X are 0, and per home UC and
 * UD (unserved critical and deferrable load, ≥ 0, at most the critical and the deferrable load) and
 * W (curtailed PV, at most the PV) enter the balance; the objective adds each unserved kWh at its
 * value of lost load; the storage-mode rules apply to served load and delivered PV.
 */
import { chargeCapKwh, dischargeCapKwh, mayChargeFromImports, p2pSaleCapKwh, STORAGE_NONE, STORAGE_SOLAR_ONLY, storageModeCode, storedEnergyMayLeave } from '../../battery/index.ts';
import { formatLpNumber, lpTerm } from '../../lp/index.ts';
import type { OptimumInput } from './types.ts';

export interface ModelSize {
  variables: number;
  constraints: number;
  binaryVariables: number;
}

interface HomeShape {
  hasBattery: boolean;
  hasP2p: boolean;
  /** battery/storage-mode.ts code (STORAGE_NONE without a battery) */
  mode: number;
  /** stored energy may leave the home (solar-only) */
  storedMayLeave: boolean;
  /** the battery may charge from imports (no-export) */
  chargeFromImports: boolean;
  /** credit per kWh this home can still earn by importing (0 when it has no allowance) */
  creditUsdPerKwh: number;
  /** the battery's physical limit per interval (bus kWh) */
  stepKwh: number;
}

function homeShape(input: OptimumInput, i: number): HomeShape {
  const home = input.households[i];
  const mode = home.battery ? storageModeCode(home.battery.storageMode) : STORAGE_NONE;
  return {
    hasBattery: home.battery !== null,
    hasP2p: input.p2p !== null,
    mode,
    storedMayLeave: home.battery !== null && storedEnergyMayLeave(mode),
    chargeFromImports: home.battery !== null && mayChargeFromImports(mode),
    creditUsdPerKwh: home.baselineAllowanceKwh > 0 ? home.baselineCreditUsdPerKwh : 0,
    stepKwh: home.battery ? home.battery.maxPowerKw * input.intervalHours : 0,
  };
}

/** The storage mode's limits on one home in interval t (bus kWh): charge, discharge, grid export and P2P sale bounds. */
function intervalCaps(input: OptimumInput, shape: HomeShape, i: number, t: number): { chargeKwh: number; dischargeKwh: number; exportKwh: number; surplusKwh: number } {
  const home = input.households[i];
  const load = home.loadKwh[t];
  const pv = home.pvKwh[t];
  const dischargeKwh = shape.hasBattery ? dischargeCapKwh(shape.mode, load, pv, shape.stepKwh) : 0;
  return {
    chargeKwh: shape.hasBattery ? chargeCapKwh(shape.mode, pv, shape.stepKwh) : 0,
    dischargeKwh,
    // what can leave through the meter: own PV, plus stored energy where it may leave
    exportKwh: pv + (shape.storedMayLeave ? dischargeKwh : 0),
    // the P2P sale cap without stored energy: the PV surplus
    surplusKwh: p2pSaleCapKwh(shape.mode, load, pv, 0),
  };
}

/** Tight big-M bounds: what the meter could take in (G + R) at most, and send out (X + Q) at most, in interval t. */
function meterBoundsKwh(input: OptimumInput, shape: HomeShape, i: number, t: number): { importKwh: number; exportKwh: number } {
  const caps = intervalCaps(input, shape, i, t);
  return { importKwh: input.households[i].loadKwh[t] + (shape.chargeFromImports ? caps.chargeKwh : 0), exportKwh: caps.exportKwh };
}

/**
 * What a kWh leaving home i's meter in interval t could earn at most (USD): the export value, or —
 * a P2P sale leaves through the meter too — what the best-paid neighbour would otherwise pay the
 * grid for it less the delivery charge it still pays, less the transmission loss (a buyer never
 * values energy above its own import rate: it can always import instead).
 */
interface SendValues {
  /** each home's export credit per interval */
  exportUsdPerKwh: Float64Array[];
  keep: number;
  /** per interval: the highest import rate of any home, the home that has it, and the second highest */
  bestRate: Float64Array;
  bestHome: Int32Array;
  secondRate: Float64Array;
}

function sendValues(input: OptimumInput): SendValues {
  const intervals = intervalCount(input);
  const bestRate = new Float64Array(intervals).fill(-Infinity);
  const secondRate = new Float64Array(intervals).fill(-Infinity);
  const bestHome = new Int32Array(intervals).fill(-1);
  for (let i = 0; i < input.households.length; i++) {
    const rates = input.households[i].importUsdPerKwh;
    const delivery = input.households[i].p2pDeliveryUsdPerKwh;
    for (let t = 0; t < intervals; t++) {
      const rate = rates[t] - (delivery?.[t] ?? 0);
      if (rate > bestRate[t]) {
        secondRate[t] = bestRate[t];
        bestRate[t] = rate;
        bestHome[t] = i;
      } else if (rate > secondRate[t]) secondRate[t] = rate;
    }
  }
  return { exportUsdPerKwh: input.households.map((_, i) => exportOf(input, i)), keep: input.p2p ? 1 - input.p2p.transmissionLoss : 0, bestRate, bestHome, secondRate };
}

/** Home i's export credit per interval: its own, or the input's. */
export function exportOf(input: OptimumInput, i: number): Float64Array {
  return input.households[i].exportUsdPerKwh ?? input.exportUsdPerKwh;
}

function sendValueUsdPerKwh(v: SendValues, i: number, t: number): number {
  const neighbourRate = v.bestHome[t] === i ? v.secondRate[t] : v.bestRate[t];
  return Math.max(v.exportUsdPerKwh[i][t], v.keep > 0 && Number.isFinite(neighbourRate) ? v.keep * neighbourRate : 0);
}

/**
 * A meter cannot import (grid or P2P) and export (grid or P2P) in one interval. Where what leaving
 * energy could earn is at least the import rate net of the credit the import could still earn,
 * doing both at once would not lose money, so the LP alone does not rule it out: a binary decides
 * which way the meter runs. Elsewhere doing both always costs money and the LP never does it.
 */
function needsNettingBinary(input: OptimumInput, values: SendValues, shape: HomeShape, i: number, t: number): boolean {
  if (isDown(input, t)) return false; // no grid flow: nothing to net (a P2P send and receive at once only loses energy)
  if (sendValueUsdPerKwh(values, i, t) < input.households[i].importUsdPerKwh[t] - shape.creditUsdPerKwh) return false;
  const bounds = meterBoundsKwh(input, shape, i, t);
  return bounds.importKwh > 0 && bounds.exportKwh > 0;
}

/** The netting rows beyond the big-M pair: G + R ≤ load·Y + C where the battery may charge from imports, X + Q ≤ PV·(1 − Y) + D where stored energy may leave. */
function tighterNettingRows(shape: HomeShape): number {
  return (shape.chargeFromImports ? 1 : 0) + (shape.storedMayLeave ? 1 : 0);
}

function distinctDays(dayOfInterval: Int32Array): number {
  return new Set(dayOfInterval).size;
}

/** Whether the grid is down in interval t. */
export function isDown(input: OptimumInput, t: number): boolean {
  return input.outage ? input.outage.gridDown[t] === 1 : false;
}

/** Critical load of home i in interval t (0 without a critical series), at most its load. */
function criticalOf(input: OptimumInput, i: number, t: number): number {
  const home = input.households[i];
  return home.criticalKwh ? Math.min(home.loadKwh[t], Math.max(0, home.criticalKwh[t])) : 0;
}

/** The outage rows of home i in interval t beyond its balance: solar-only C + W ≤ PV; no-export D + U − W ≤ load − PV (deficit) and Q + W − U ≤ PV − load (surplus). */
function outageRowCount(input: OptimumInput, shape: HomeShape, i: number, t: number): number {
  const home = input.households[i];
  const load = home.loadKwh[t];
  const pv = home.pvKwh[t];
  let rows = 0;
  if (shape.hasBattery && shape.mode === STORAGE_SOLAR_ONLY) rows++;
  if (shape.hasBattery && !shape.storedMayLeave && load > pv) rows++;
  if (shape.hasP2p && !shape.storedMayLeave && pv >= load) rows++;
  return rows;
}

/** Number of intervals of the model: the length of the community's export series. */
export function intervalCount(input: OptimumInput): number {
  return input.exportUsdPerKwh.length;
}

export function measureModel(input: OptimumInput, enforceNetting: boolean): ModelSize {
  const intervals = intervalCount(input);
  const days = distinctDays(input.dayOfInterval);
  let variables = 0;
  let constraints = input.p2p ? intervals : 0; // P2P pool per interval
  let binaryVariables = 0;
  const values = sendValues(input);
  for (let i = 0; i < input.households.length; i++) {
    const shape = homeShape(input, i);
    variables += 2 * intervals; // G, X
    constraints += intervals; // balance
    if (shape.hasBattery) {
      variables += 3 * intervals; // C, D, S
      constraints += intervals; // SoC dynamics
    }
    if (shape.hasP2p) {
      variables += 2 * intervals; // Q, R
      constraints += days; // daily sell cap
      if (shape.storedMayLeave) constraints += intervals; // sale ≤ surplus + discharge
    }
    if (shape.hasBattery || shape.hasP2p) constraints += intervals; // import only for own use
    for (let t = 0; t < intervals; t++) {
      if (!isDown(input, t)) continue;
      variables += 3; // unserved critical and deferrable load, curtailed PV
      constraints += outageRowCount(input, shape, i, t);
    }
    if (shape.creditUsdPerKwh > 0) {
      variables += 1;
      constraints += 1;
    }
    if (enforceNetting) {
      let homeBinaries = 0;
      for (let t = 0; t < intervals; t++) if (needsNettingBinary(input, values, shape, i, t)) homeBinaries += 1;
      binaryVariables += homeBinaries;
      constraints += (2 + tighterNettingRows(shape)) * homeBinaries;
    }
  }
  return { variables: variables + binaryVariables, constraints, binaryVariables };
}

export const varName = {
  gridImport: (i: number, t: number): string => `G${i}_${t}`,
  gridExport: (i: number, t: number): string => `X${i}_${t}`,
  charge: (i: number, t: number): string => `C${i}_${t}`,
  discharge: (i: number, t: number): string => `D${i}_${t}`,
  soc: (i: number, t: number): string => `S${i}_${t}`,
  sent: (i: number, t: number): string => `Q${i}_${t}`,
  received: (i: number, t: number): string => `R${i}_${t}`,
  importing: (i: number, t: number): string => `Y${i}_${t}`,
  unservedCritical: (i: number, t: number): string => `UC${i}_${t}`,
  unservedDeferrable: (i: number, t: number): string => `UD${i}_${t}`,
  curtailed: (i: number, t: number): string => `W${i}_${t}`,
  creditedKwh: (i: number): string => `Z${i}`,
};

interface LpParts {
  objective: string[];
  rows: string[];
  bounds: string[];
  binaries: string[];
}

/** Home i's columns, rows and bounds in interval t. */
function addInterval(input: OptimumInput, netting: SendValues | null, shape: HomeShape, i: number, t: number, lp: LpParts): void {
  const n = formatLpNumber;
  const home = input.households[i];
  const battery = home.battery;
  const intervals = intervalCount(input);
  const g = varName.gridImport(i, t);
  const x = varName.gridExport(i, t);
  const load = home.loadKwh[t];
  const pv = home.pvKwh[t];
  const caps = intervalCaps(input, shape, i, t);
  const meter = meterBoundsKwh(input, shape, i, t);
  if (home.importUsdPerKwh[t] !== 0) lp.objective.push(lpTerm(home.importUsdPerKwh[t], g));
  const exportRate = exportOf(input, i)[t];
  if (exportRate !== 0) lp.objective.push(lpTerm(-exportRate, x));
  // grid export: own PV, plus stored energy where the storage mode lets it leave (solar-only)
  const down = isDown(input, t);
  lp.bounds.push(`${g} <= ${n(down ? 0 : meter.importKwh)}`, `${x} <= ${n(down ? 0 : caps.exportKwh)}`);

  // balance: (load − U) + C + Q + X = (pv − W) + D + R + G
  const balance = [`+ ${g}`, `- ${x}`];
  if (down) addOutageColumns(input, shape, i, t, balance, lp);
  // imports serve own use: G + R ≤ load (+ C where the battery may charge from imports)
  const ownUse = [`+ ${g}`];
  if (battery) {
    const c = varName.charge(i, t);
    const d = varName.discharge(i, t);
    const s = varName.soc(i, t);
    balance.push(`- ${c}`, `+ ${d}`);
    if (shape.chargeFromImports) ownUse.push(`- ${c}`);
    if (battery.wearUsdPerKwh > 0) lp.objective.push(lpTerm(battery.wearUsdPerKwh, d));
    lp.bounds.push(`${c} <= ${n(caps.chargeKwh)}`, `${d} <= ${n(caps.dischargeKwh)}`);
    const lastInterval = t === intervals - 1;
    const minSocKwh = lastInterval && input.terminalSocAtLeastInitial ? Math.max(battery.minSocKwh, battery.initialSocKwh) : battery.minSocKwh;
    lp.bounds.push(`${n(minSocKwh)} <= ${s} <= ${n(battery.maxSocKwh)}`);
    // stored energy left at the end is credited at its refill value (a constant offset aside, as the headline counts it)
    if (lastInterval && (battery.terminalValueUsdPerStoredKwh ?? 0) > 0) lp.objective.push(lpTerm(-(battery.terminalValueUsdPerStoredKwh ?? 0), s));
    // S_t − S_{t−1} − ηc·C + D/ηd = 0, with S_{−1} the initial SoC
    const dynamics = [`+ ${s}`, lpTerm(-battery.chargeEfficiency, c), lpTerm(1 / battery.dischargeEfficiency, d)];
    if (t > 0) dynamics.push(`- ${varName.soc(i, t - 1)}`);
    lp.rows.push(` s${i}_${t}: ${dynamics.join(' ')} = ${n(t > 0 ? 0 : battery.initialSocKwh)}`);
  }
  if (shape.hasP2p) {
    const q = varName.sent(i, t);
    const r = varName.received(i, t);
    balance.push(`- ${q}`, `+ ${r}`);
    ownUse.push(`+ ${r}`);
    const delivery = home.p2pDeliveryUsdPerKwh?.[t] ?? 0;
    if (delivery !== 0) lp.objective.push(lpTerm(delivery, r));
    lp.bounds.push(`${q} <= ${n(shape.storedMayLeave ? caps.surplusKwh + caps.dischargeKwh : caps.surplusKwh)}`, `${r} <= ${n(meter.importKwh)}`);
    // a sale is PV surplus plus, where stored energy may leave, what the battery delivers: Q − D ≤ surplus
    if (shape.storedMayLeave) lp.rows.push(` q${i}_${t}: + ${q} - ${varName.discharge(i, t)} <= ${n(caps.surplusKwh)}`);
  }
  lp.rows.push(` b${i}_${t}: ${balance.join(' ')} = ${n(load - pv)}`);
  if (shape.hasBattery || shape.hasP2p) lp.rows.push(` u${i}_${t}: ${ownUse.join(' ')} <= ${n(load)}`);
  if (netting && needsNettingBinary(input, netting, shape, i, t)) {
    const y = varName.importing(i, t);
    const takeIn = shape.hasP2p ? `+ ${g} + ${varName.received(i, t)}` : `+ ${g}`;
    const sendOut = shape.hasP2p ? `+ ${x} + ${varName.sent(i, t)}` : `+ ${x}`;
    lp.binaries.push(y);
    lp.rows.push(` mi${i}_${t}: ${takeIn} - ${n(meter.importKwh)} ${y} <= 0`);
    lp.rows.push(` mx${i}_${t}: ${sendOut} + ${n(meter.exportKwh)} ${y} <= ${n(meter.exportKwh)}`);
    // tighter for the relaxation, same integer solutions: G + R ≤ load·Y + C and X + Q ≤ pv·(1 − Y) + D
    if (shape.chargeFromImports) lp.rows.push(` ni${i}_${t}: ${takeIn} - ${varName.charge(i, t)}${load > 0 ? ` - ${n(load)} ${y}` : ''} <= 0`);
    if (shape.storedMayLeave) lp.rows.push(` nx${i}_${t}: ${sendOut} - ${varName.discharge(i, t)}${pv > 0 ? ` + ${n(pv)} ${y}` : ''} <= ${n(pv)}`);
  }
}

/**
 * While the grid is down: unserved critical (UC) and deferrable (UD) load at their values of lost
 * load, curtailed PV (W), into the balance; and the storage-mode rules on served load and delivered
 * PV (solar-only: C ≤ PV − W; no-export: D ≤ served − delivered PV, a sale ≤ delivered PV − served).
 */
function addOutageColumns(input: OptimumInput, shape: HomeShape, i: number, t: number, balance: string[], lp: LpParts): void {
  const n = formatLpNumber;
  const o = input.outage!;
  const home = input.households[i];
  const load = home.loadKwh[t];
  const pv = home.pvKwh[t];
  const crit = criticalOf(input, i, t);
  const uc = varName.unservedCritical(i, t);
  const ud = varName.unservedDeferrable(i, t);
  const w = varName.curtailed(i, t);
  balance.push(`+ ${uc}`, `+ ${ud}`, `- ${w}`);
  if (o.criticalVollUsdPerKwh !== 0) lp.objective.push(lpTerm(o.criticalVollUsdPerKwh, uc));
  if (o.vollUsdPerKwh !== 0) lp.objective.push(lpTerm(o.vollUsdPerKwh, ud));
  lp.bounds.push(`${uc} <= ${n(crit)}`, `${ud} <= ${n(load - crit)}`, `${w} <= ${n(pv)}`);
  if (shape.hasBattery && shape.mode === STORAGE_SOLAR_ONLY) lp.rows.push(` oc${i}_${t}: + ${varName.charge(i, t)} + ${w} <= ${n(pv)}`);
  if (shape.hasBattery && !shape.storedMayLeave && load > pv) lp.rows.push(` od${i}_${t}: + ${varName.discharge(i, t)} + ${uc} + ${ud} - ${w} <= ${n(load - pv)}`);
  if (shape.hasP2p && !shape.storedMayLeave && pv >= load) lp.rows.push(` oq${i}_${t}: + ${varName.sent(i, t)} + ${w} - ${uc} - ${ud} <= ${n(pv - load)}`);
}

/** Home i's rows over the whole span: the daily P2P sell cap and the baseline credit. */
function addSpanRows(input: OptimumInput, shape: HomeShape, i: number, lp: LpParts): void {
  const n = formatLpNumber;
  const home = input.households[i];
  const intervals = intervalCount(input);
  if (shape.hasP2p && input.p2p) {
    const sentByDay = new Map<number, string[]>();
    for (let t = 0; t < intervals; t++) {
      const day = input.dayOfInterval[t];
      const list = sentByDay.get(day) ?? [];
      list.push(`+ ${varName.sent(i, t)}`);
      sentByDay.set(day, list);
    }
    let k = 0;
    for (const list of sentByDay.values()) lp.rows.push(` k${i}_${k++}: ${list.join('\n  ')} <= ${n(input.p2p.maxDailySellKwh)}`);
  }
  if (shape.creditUsdPerKwh > 0) {
    const z = varName.creditedKwh(i);
    lp.objective.push(lpTerm(-shape.creditUsdPerKwh, z));
    lp.bounds.push(`${z} <= ${n(home.baselineAllowanceKwh)}`);
    const imports: string[] = [];
    for (let t = 0; t < intervals; t++) imports.push(`- ${varName.gridImport(i, t)}`);
    lp.rows.push(` z${i}: + ${z}\n  ${imports.join('\n  ')} <= 0`);
  }
}

export function buildLpModel(input: OptimumInput, enforceNetting: boolean): string {
  const intervals = intervalCount(input);
  const lp: LpParts = { objective: [], rows: [], bounds: [], binaries: [] };
  const netting = enforceNetting ? sendValues(input) : null;
  for (let i = 0; i < input.households.length; i++) {
    const shape = homeShape(input, i);
    for (let t = 0; t < intervals; t++) addInterval(input, netting, shape, i, t, lp);
    addSpanRows(input, shape, i, lp);
  }
  if (input.p2p) {
    const keep = 1 - input.p2p.transmissionLoss;
    for (let t = 0; t < intervals; t++) {
      const pool: string[] = [];
      for (let i = 0; i < input.households.length; i++) pool.push(`+ ${varName.received(i, t)}`, lpTerm(-keep, varName.sent(i, t)));
      lp.rows.push(` p${t}: ${pool.join('\n  ')} = 0`);
    }
  }
  // an all-zero objective still needs one term for the reader
  if (lp.objective.length === 0) lp.objective.push(`+ 0 ${varName.gridImport(0, 0)}`);
  const sections = ['Minimize', ` obj: ${lp.objective.join('\n  ')}`, 'Subject To', ...lp.rows, 'Bounds', ...lp.bounds.map((b) => ` ${b}`)];
  if (lp.binaries.length > 0) sections.push('Binary', ...lp.binaries.map((y) => ` ${y}`));
  sections.push('End', '');
  return sections.join('\n');
}
