/**
 * Builds the community optimum as a CPLEX-LP-format string for HiGHS.
 *
 * Variables per home i and interval t (all ≥ 0, kWh per interval): G grid import, X grid export,
 * C charge, D discharge, S SoC at the end of t (battery homes), Q P2P sent, R P2P received
 * (when trading is allowed), Y netting binary (only where importing and exporting at once could
 * pay), and per home Z the baseline energy that earns the credit. Grid export is bounded by the
 * home's PV in each interval (no battery-to-grid export); stored energy may be sold to neighbours.
 */
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
  /** credit per kWh this home can still earn by importing (0 when it has no allowance) */
  creditUsdPerKwh: number;
  maxChargeKwh: number;
  maxDischargeKwh: number;
}

function homeShape(input: OptimumInput, i: number): HomeShape {
  const home = input.households[i];
  const stepKwh = home.battery ? home.battery.maxPowerKw * input.intervalHours : 0;
  return {
    hasBattery: home.battery !== null,
    hasP2p: input.p2p !== null,
    creditUsdPerKwh: home.baselineAllowanceKwh > 0 ? input.baselineCreditUsdPerKwh : 0,
    maxChargeKwh: stepKwh,
    maxDischargeKwh: stepKwh,
  };
}

/** Tight big-M bounds: what the meter could import at most, and export at most, in interval t. */
function meterBoundsKwh(input: OptimumInput, shape: HomeShape, i: number, t: number): { importKwh: number; exportKwh: number } {
  const home = input.households[i];
  return { importKwh: home.loadKwh[t] + shape.maxChargeKwh, exportKwh: home.pvKwh[t] + shape.maxDischargeKwh };
}

/**
 * Where the export value is at least the import rate net of the credit the import could still earn,
 * importing and exporting at once would not lose money, so the LP alone does not rule it out: a
 * binary decides which way the meter runs. Elsewhere doing both always costs money and the LP
 * never does it.
 */
function needsNettingBinary(input: OptimumInput, shape: HomeShape, i: number, t: number): boolean {
  if (input.exportUsdPerKwh[t] < input.importUsdPerKwh[t] - shape.creditUsdPerKwh) return false;
  const bounds = meterBoundsKwh(input, shape, i, t);
  return bounds.importKwh > 0 && bounds.exportKwh > 0;
}

function distinctDays(dayOfInterval: Int32Array): number {
  return new Set(dayOfInterval).size;
}

export function measureModel(input: OptimumInput, enforceNetting: boolean): ModelSize {
  const intervals = input.importUsdPerKwh.length;
  const days = distinctDays(input.dayOfInterval);
  let variables = 0;
  let constraints = input.p2p ? intervals : 0; // P2P pool per interval
  let binaryVariables = 0;
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
    }
    if (shape.hasBattery || shape.hasP2p) constraints += intervals; // import only for own use
    if (shape.creditUsdPerKwh > 0) {
      variables += 1;
      constraints += 1;
    }
    if (enforceNetting) {
      let homeBinaries = 0;
      for (let t = 0; t < intervals; t++) if (needsNettingBinary(input, shape, i, t)) homeBinaries += 1;
      binaryVariables += homeBinaries;
      constraints += (shape.hasBattery ? 4 : 2) * homeBinaries; // big-M pair, plus the tighter pair with a battery
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
  creditedKwh: (i: number): string => `Z${i}`,
};

export function buildLpModel(input: OptimumInput, enforceNetting: boolean): string {
  const intervals = input.importUsdPerKwh.length;
  const homes = input.households.length;
  const objective: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const binaries: string[] = [];
  const n = formatLpNumber;

  for (let i = 0; i < homes; i++) {
    const home = input.households[i];
    const shape = homeShape(input, i);
    const battery = home.battery;
    for (let t = 0; t < intervals; t++) {
      const g = varName.gridImport(i, t);
      const x = varName.gridExport(i, t);
      const load = home.loadKwh[t];
      const pv = home.pvKwh[t];
      const meter = meterBoundsKwh(input, shape, i, t);
      if (input.importUsdPerKwh[t] !== 0) objective.push(lpTerm(input.importUsdPerKwh[t], g));
      if (input.exportUsdPerKwh[t] !== 0) objective.push(lpTerm(-input.exportUsdPerKwh[t], x));
      // grid export only from the home's own PV: a battery never discharges to the grid (paired
      // storage under the Net Billing Tariff earns export credit for solar only; the agents obey the same rule)
      bounds.push(`${g} <= ${n(meter.importKwh)}`, `${x} <= ${n(Math.max(0, pv))}`);

      // balance: load + C + Q + X = pv + D + R + G
      const balance = [`+ ${g}`, `- ${x}`];
      // import only for own use: G + R ≤ load + C (with the balance, equivalent to selling only own energy: Q + X ≤ pv + D)
      const ownUse = [`+ ${g}`];
      if (battery) {
        const c = varName.charge(i, t);
        const d = varName.discharge(i, t);
        const s = varName.soc(i, t);
        balance.push(`- ${c}`, `+ ${d}`);
        ownUse.push(`- ${c}`);
        bounds.push(`${c} <= ${n(shape.maxChargeKwh)}`, `${d} <= ${n(shape.maxDischargeKwh)}`);
        const lastInterval = t === intervals - 1;
        const minSocKwh = lastInterval && input.terminalSocAtLeastInitial ? Math.max(battery.minSocKwh, battery.initialSocKwh) : battery.minSocKwh;
        bounds.push(`${n(minSocKwh)} <= ${s} <= ${n(battery.maxSocKwh)}`);
        // S_t − S_{t−1} − ηc·C + D/ηd = 0, with S_{−1} the initial SoC
        const dynamics = [`+ ${s}`, lpTerm(-battery.chargeEfficiency, c), lpTerm(1 / battery.dischargeEfficiency, d)];
        if (t > 0) dynamics.push(`- ${varName.soc(i, t - 1)}`);
        rows.push(` s${i}_${t}: ${dynamics.join(' ')} = ${n(t > 0 ? 0 : battery.initialSocKwh)}`);
      }
      if (shape.hasP2p) {
        const q = varName.sent(i, t);
        const r = varName.received(i, t);
        balance.push(`- ${q}`, `+ ${r}`);
        ownUse.push(`+ ${r}`);
        bounds.push(`${q} <= ${n(meter.exportKwh)}`, `${r} <= ${n(meter.importKwh)}`);
      }
      rows.push(` b${i}_${t}: ${balance.join(' ')} = ${n(load - pv)}`);
      if (shape.hasBattery || shape.hasP2p) rows.push(` u${i}_${t}: ${ownUse.join(' ')} <= ${n(load)}`);
      if (enforceNetting && needsNettingBinary(input, shape, i, t)) {
        const y = varName.importing(i, t);
        binaries.push(y);
        rows.push(` mi${i}_${t}: + ${g} - ${n(meter.importKwh)} ${y} <= 0`);
        rows.push(` mx${i}_${t}: + ${x} + ${n(meter.exportKwh)} ${y} <= ${n(meter.exportKwh)}`);
        if (battery) {
          // tighter for the relaxation, same integer solutions: G ≤ load·Y + C and X ≤ pv·(1 − Y) + D
          rows.push(` ni${i}_${t}: + ${g} - ${varName.charge(i, t)}${load > 0 ? ` - ${n(load)} ${y}` : ''} <= 0`);
          rows.push(` nx${i}_${t}: + ${x} - ${varName.discharge(i, t)}${pv > 0 ? ` + ${n(pv)} ${y}` : ''} <= ${n(pv)}`);
        }
      }
    }
    if (shape.hasP2p && input.p2p) {
      const sentByDay = new Map<number, string[]>();
      for (let t = 0; t < intervals; t++) {
        const day = input.dayOfInterval[t];
        const list = sentByDay.get(day) ?? [];
        list.push(`+ ${varName.sent(i, t)}`);
        sentByDay.set(day, list);
      }
      let k = 0;
      for (const list of sentByDay.values()) rows.push(` k${i}_${k++}: ${list.join('\n  ')} <= ${n(input.p2p.maxDailySellKwh)}`);
    }
    if (shape.creditUsdPerKwh > 0) {
      const z = varName.creditedKwh(i);
      objective.push(lpTerm(-shape.creditUsdPerKwh, z));
      bounds.push(`${z} <= ${n(home.baselineAllowanceKwh)}`);
      const imports: string[] = [];
      for (let t = 0; t < intervals; t++) imports.push(`- ${varName.gridImport(i, t)}`);
      rows.push(` z${i}: + ${z}\n  ${imports.join('\n  ')} <= 0`);
    }
  }
  if (input.p2p) {
    const keep = 1 - input.p2p.transmissionLoss;
    for (let t = 0; t < intervals; t++) {
      const pool: string[] = [];
      for (let i = 0; i < homes; i++) pool.push(`+ ${varName.received(i, t)}`, lpTerm(-keep, varName.sent(i, t)));
      rows.push(` p${t}: ${pool.join('\n  ')} = 0`);
    }
  }
  // an all-zero objective still needs one term for the reader
  if (objective.length === 0) objective.push(`+ 0 ${varName.gridImport(0, 0)}`);
  const sections = ['Minimize', ` obj: ${objective.join('\n  ')}`, 'Subject To', ...rows, 'Bounds', ...bounds.map((b) => ` ${b}`)];
  if (binaries.length > 0) sections.push('Binary', ...binaries.map((y) => ` ${y}`));
  sections.push('End', '');
  return sections.join('\n');
}
