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
 * charged and discharged returns η kWh. The reserve is fixed in kWh (the share of the nominal
 * capacity the home keeps for outages); the ceiling follows the faded capacity.
 */
export function batteryParams(cfg: BatteryConfig, capacityKwh: number = cfg.capacityKwh): BatteryParams {
  const eff = Math.sqrt(cfg.roundTripEfficiency);
  const minSocKwh = cfg.minSocFraction * cfg.capacityKwh;
  return {
    nominalCapacityKwh: cfg.capacityKwh,
    capacityKwh,
    maxPowerKw: cfg.maxPowerKw,
    chargeEfficiency: eff,
    dischargeEfficiency: eff,
    minSocKwh,
    maxSocKwh: Math.max(minSocKwh, cfg.maxSocFraction * capacityKwh),
    selfDischargePerDay: cfg.selfDischargePerDay,
  };
}

/** Stored energy before the first trading interval: the configured share, held within the bounds. */
export function initialSocKwh(cfg: BatteryConfig, p: BatteryParams): number {
  return Math.min(p.maxSocKwh, Math.max(p.minSocKwh, cfg.initialSocFraction * p.capacityKwh));
}

/** Most bus-side energy the battery can take this interval (power limit and ceiling). */
export function maxChargeKwh(p: BatteryParams, socKwh: number, intervalHours: number): number {
  const room = (p.maxSocKwh - socKwh) / p.chargeEfficiency;
  return Math.max(0, Math.min(p.maxPowerKw * intervalHours, room));
}

/** Most bus-side energy the battery can deliver this interval (power limit and reserve). */
export function maxDischargeKwh(p: BatteryParams, socKwh: number, intervalHours: number): number {
  const stored = (socKwh - p.minSocKwh) * p.dischargeEfficiency;
  return Math.max(0, Math.min(p.maxPowerKw * intervalHours, stored));
}

/** Self-discharge over an interval: a share of the energy above the reserve (kWh, ≥ 0). */
export function selfDischargeKwh(p: BatteryParams, socKwh: number, intervalHours: number): number {
  if (p.selfDischargePerDay <= 0) return 0;
  const above = Math.max(0, socKwh - p.minSocKwh);
  return above * p.selfDischargePerDay * (intervalHours / 24);
}

export type BatteryStep =
  | { ok: true; socKwh: number; selfDischargeKwh: number }
  | { ok: false; reason: string };

/**
 * One interval of battery physics: bus-side charge or discharge (never both), then self-discharge.
 * soc' = soc + charge·ηc − discharge/ηd − selfDischarge. Refuses (does not clamp) a request that
 * breaks the power limit, the reserve or the ceiling, so a caller's bug cannot hide. A battery
 * left above its ceiling by capacity fade may still discharge or hold.
 */
export function stepBattery(
  p: BatteryParams,
  socKwh: number,
  chargeKwh: number,
  dischargeKwh: number,
  intervalHours: number,
): BatteryStep {
  if (!(chargeKwh >= 0) || !(dischargeKwh >= 0)) return { ok: false, reason: 'negative or non-finite energy' };
  if (chargeKwh > ENERGY_EPSILON_KWH && dischargeKwh > ENERGY_EPSILON_KWH) {
    return { ok: false, reason: 'simultaneous charge and discharge' };
  }
  const limit = p.maxPowerKw * intervalHours + ENERGY_EPSILON_KWH;
  if (chargeKwh > limit || dischargeKwh > limit) return { ok: false, reason: 'power limit exceeded' };
  let next = socKwh + chargeKwh * p.chargeEfficiency - dischargeKwh / p.dischargeEfficiency;
  if (chargeKwh > 0) {
    // a round-off charge (≤ ε) is no charge: after capacity fade the ceiling can sit just below the
    // stored energy, and settlement residues of 1e-16 kWh must not be refused there
    if (next > p.maxSocKwh + ENERGY_EPSILON_KWH && chargeKwh > ENERGY_EPSILON_KWH) return { ok: false, reason: 'charge above the ceiling' };
    if (next > p.maxSocKwh && socKwh <= p.maxSocKwh) next = p.maxSocKwh;
  }
  if (next < p.minSocKwh - ENERGY_EPSILON_KWH) return { ok: false, reason: 'discharge below the reserve' };
  if (next < p.minSocKwh) next = p.minSocKwh;
  const lost = selfDischargeKwh(p, next, intervalHours);
  return { ok: true, socKwh: next - lost, selfDischargeKwh: lost };
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
