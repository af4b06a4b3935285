import { ENERGY_EPSILON_KWH } from '../common/index.ts';
import type { BatteryConfig } from './config.ts';

/**
 * The physical parameters of one battery at one point in its life. Energies are stored (cell-side)
 * kWh; charge and discharge amounts passed to the functions below are bus-side (AC) kWh.
 */
export interface BatteryParams {
  /** usable capacity when new, kWh */
  nominalCapacityKwh: number;
  /** usable capacity now (after fade), kWh */
  capacityKwh: number;
  maxPowerKw: number;
  /** share of bus energy that reaches the cells */
  chargeEfficiency: number;
  /** share of cell energy that reaches the bus */
  dischargeEfficiency: number;
  /** reserve: stored energy never goes below this, kWh (a share of the nominal capacity) */
  minSocKwh: number;
  /** ceiling: stored energy is never charged above this, kWh (a share of the current capacity) */
  maxSocKwh: number;
  /** share of stored energy above the reserve lost per day */
  selfDischargePerDay: number;
}

/**
 * Parameters from the config. The round trip is split evenly (charge = discharge = √η), so a kWh
 * charged and discharged returns η kWh. The floor is the owner's backup reserve, fixed in kWh (a
 * share of the nominal capacity kept for outages); the ceiling is the usable capacity, which
 * follows the fade.
 */
export function batteryParams(cfg: BatteryConfig, capacityKwh: number = cfg.capacityKwh): BatteryParams {
  const eff = Math.sqrt(cfg.roundTripEfficiency);
  const minSocKwh = (cfg.backupReservePercent / 100) * cfg.capacityKwh;
  return {
    nominalCapacityKwh: cfg.capacityKwh,
    capacityKwh,
    maxPowerKw: cfg.maxPowerKw,
    chargeEfficiency: eff,
    dischargeEfficiency: eff,
    minSocKwh,
    maxSocKwh: Math.max(minSocKwh, capacityKwh),
    selfDischargePerDay: cfg.selfDischargePerDay,
  };
}

/** Stored energy before the first trading interval: the configured share, held within the bounds. */
export function initialSocKwh(cfg: BatteryConfig, p: BatteryParams): number {
  return Math.min(p.maxSocKwh, Math.max(p.minSocKwh, cfg.initialSocFraction * p.capacityKwh));
}

/** Most bus-side energy the battery can take this interval (power limit and ceiling). */
export function maxChargeKwh(p: BatteryParams, socKwh: number, intervalHours: number): number {
  return chargeLimitKwh(p.maxSocKwh, p.chargeEfficiency, p.maxPowerKw, socKwh, intervalHours);
}

function chargeLimitKwh(maxSocKwh: number, chargeEfficiency: number, maxPowerKw: number, socKwh: number, intervalHours: number): number {
  const room = (maxSocKwh - socKwh) / chargeEfficiency;
  return Math.max(0, Math.min(maxPowerKw * intervalHours, room));
}

/** Most bus-side energy the battery can deliver this interval (power limit and reserve). */
export function maxDischargeKwh(p: BatteryParams, socKwh: number, intervalHours: number): number {
  return dischargeLimitKwh(p.minSocKwh, p.dischargeEfficiency, p.maxPowerKw, socKwh, intervalHours);
}

function dischargeLimitKwh(minSocKwh: number, dischargeEfficiency: number, maxPowerKw: number, socKwh: number, intervalHours: number): number {
  const stored = (socKwh - minSocKwh) * dischargeEfficiency;
  return Math.max(0, Math.min(maxPowerKw * intervalHours, stored));
}

/** Self-discharge over an interval: a share of the energy above the reserve (kWh, ≥ 0). */
export function selfDischargeKwh(p: BatteryParams, socKwh: number, intervalHours: number): number {
  return selfDischargeOf(p.minSocKwh, p.selfDischargePerDay, socKwh, intervalHours);
}

function selfDischargeOf(minSocKwh: number, selfDischargePerDay: number, socKwh: number, intervalHours: number): number {
  if (selfDischargePerDay <= 0) return 0;
  const above = Math.max(0, socKwh - minSocKwh);
  return above * selfDischargePerDay * (intervalHours / 24);
}

export type BatteryStep =
  | { ok: true; socKwh: number; selfDischargeKwh: number }
  | { ok: false; reason: string };

/**
 * One interval of battery physics: bus-side charge or discharge (never both), then self-discharge.
 * soc' = soc + charge·ηc − discharge/ηd − selfDischarge. Refuses (does not clamp) a request that
 * breaks the power limit, the reserve or the ceiling, so a caller's bug cannot hide. A battery
 * left above its ceiling by capacity fade may still discharge or hold; one left below its reserve
 * by an outage may still charge or hold.
 */
export function stepBattery(
  p: BatteryParams,
  socKwh: number,
  chargeKwh: number,
  dischargeKwh: number,
  intervalHours: number,
): BatteryStep {
  const out = { socKwh: 0, selfDischargeKwh: 0 };
  const refused = stepCells(p.maxPowerKw, p.chargeEfficiency, p.dischargeEfficiency, p.minSocKwh, p.maxSocKwh, p.selfDischargePerDay, socKwh, chargeKwh, dischargeKwh, intervalHours, out);
  return refused === null ? { ok: true, socKwh: out.socKwh, selfDischargeKwh: out.selfDischargeKwh } : { ok: false, reason: refused };
}

/** Where the allocation-free battery step writes its result. */
export interface BatteryStepOut {
  socKwh: number;
  selfDischargeKwh: number;
}

/** `stepBattery` on the parameters' values: writes the result into `out`, returns null, or the reason it refuses (`out` untouched). */
function stepCells(
  maxPowerKw: number,
  chargeEfficiency: number,
  dischargeEfficiency: number,
  minSocKwh: number,
  maxSocKwh: number,
  selfDischargePerDay: number,
  socKwh: number,
  chargeKwh: number,
  dischargeKwh: number,
  intervalHours: number,
  out: BatteryStepOut,
): string | null {
  if (!(chargeKwh >= 0) || !(dischargeKwh >= 0)) return 'negative or non-finite energy';
  if (chargeKwh > ENERGY_EPSILON_KWH && dischargeKwh > ENERGY_EPSILON_KWH) return 'simultaneous charge and discharge';
  const limit = maxPowerKw * intervalHours + ENERGY_EPSILON_KWH;
  if (chargeKwh > limit || dischargeKwh > limit) return 'power limit exceeded';
  let next = socKwh + chargeKwh * chargeEfficiency - dischargeKwh / dischargeEfficiency;
  if (chargeKwh > 0) {
    // a round-off charge (≤ ε) is no charge: after capacity fade the ceiling can sit just below the
    // stored energy, and settlement residues of 1e-16 kWh must not be refused there
    if (next > maxSocKwh + ENERGY_EPSILON_KWH && chargeKwh > ENERGY_EPSILON_KWH) return 'charge above the ceiling';
    if (next > maxSocKwh && socKwh <= maxSocKwh) next = maxSocKwh;
  }
  if (dischargeKwh > ENERGY_EPSILON_KWH && next < minSocKwh - ENERGY_EPSILON_KWH) return 'discharge below the reserve';
  // a battery left below its reserve by an outage (the reserve is used while islanded) may charge or hold there
  if (next < minSocKwh && socKwh >= minSocKwh) next = minSocKwh;
  const lost = selfDischargeOf(minSocKwh, selfDischargePerDay, next, intervalHours);
  out.socKwh = next - lost;
  out.selfDischargeKwh = lost;
  return null;
}

/**
 * Many batteries' parameters as columns, one entry per home (struct of arrays): for loops over
 * every home each interval, which then read typed arrays in order instead of one object per home.
 * The `…At` functions below are the functions above on home h's column entries (the same
 * arithmetic, so the same results to the bit).
 */
export interface BatteryColumns {
  nominalCapacityKwh: Float64Array;
  capacityKwh: Float64Array;
  maxPowerKw: Float64Array;
  chargeEfficiency: Float64Array;
  dischargeEfficiency: Float64Array;
  minSocKwh: Float64Array;
  maxSocKwh: Float64Array;
  selfDischargePerDay: Float64Array;
}

export function createBatteryColumns(n: number): BatteryColumns {
  const f = () => new Float64Array(n);
  return { nominalCapacityKwh: f(), capacityKwh: f(), maxPowerKw: f(), chargeEfficiency: f(), dischargeEfficiency: f(), minSocKwh: f(), maxSocKwh: f(), selfDischargePerDay: f() };
}

/** Writes battery `p` into entry h of the columns. */
export function setBatteryColumns(c: BatteryColumns, h: number, p: BatteryParams): void {
  c.nominalCapacityKwh[h] = p.nominalCapacityKwh;
  c.capacityKwh[h] = p.capacityKwh;
  c.maxPowerKw[h] = p.maxPowerKw;
  c.chargeEfficiency[h] = p.chargeEfficiency;
  c.dischargeEfficiency[h] = p.dischargeEfficiency;
  c.minSocKwh[h] = p.minSocKwh;
  c.maxSocKwh[h] = p.maxSocKwh;
  c.selfDischargePerDay[h] = p.selfDischargePerDay;
}

/** `maxChargeKwh` of home h's battery. */
export function maxChargeKwhAt(c: BatteryColumns, h: number, socKwh: number, intervalHours: number): number {
  return chargeLimitKwh(c.maxSocKwh[h], c.chargeEfficiency[h], c.maxPowerKw[h], socKwh, intervalHours);
}

/** `maxDischargeKwh` of home h's battery. */
export function maxDischargeKwhAt(c: BatteryColumns, h: number, socKwh: number, intervalHours: number): number {
  return dischargeLimitKwh(c.minSocKwh[h], c.dischargeEfficiency[h], c.maxPowerKw[h], socKwh, intervalHours);
}

/** `stepBattery` of home h's battery without allocating: writes into `out` and returns null, or returns the reason it refuses. */
export function stepBatteryAt(c: BatteryColumns, h: number, socKwh: number, chargeKwh: number, dischargeKwh: number, intervalHours: number, out: BatteryStepOut): string | null {
  return stepCells(c.maxPowerKw[h], c.chargeEfficiency[h], c.dischargeEfficiency[h], c.minSocKwh[h], c.maxSocKwh[h], c.selfDischargePerDay[h], socKwh, chargeKwh, dischargeKwh, intervalHours, out);
}

/** Equivalent full cycles from cell-side throughput: (charged + discharged) / 2 / capacity. */
export function equivalentFullCycles(chargedCellKwh: number, dischargedCellKwh: number, nominalCapacityKwh: number): number {
  return nominalCapacityKwh > 0 ? (chargedCellKwh + dischargedCellKwh) / (2 * nominalCapacityKwh) : 0;
}

/**
 * Capacity after ageing: linear fade per equivalent full cycle plus calendar fade growing with
 * √(years in service) (REFERENCE-DATA.md "Batteries": 1,000–3,000 cycles to 80 %; calendar fade
 * grows with √time). Never below zero.
 */
export function fadedCapacityKwh(cfg: BatteryConfig, equivalentCycles: number, ageYears: number): number {
  const fade =
    cfg.degradation.fadePerEquivalentCycle * Math.max(0, equivalentCycles) +
    cfg.degradation.calendarFadePerSqrtYear * Math.sqrt(Math.max(0, ageYears));
  return cfg.capacityKwh * Math.max(0, 1 - fade);
}
