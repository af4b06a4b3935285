/**
 * Paired storage under California's Net Billing Tariff (CPUC D.22-12-056; PG&E's paired-storage
 * rules; CALSSA's NBT paired-storage fact sheet): a battery behind a solar meter runs in one of
 * two modes.
 *
 * - solar-only charging ("export" mode): the battery charges only from the home's own PV in the
 *   same interval, and may discharge to the home, to neighbours (a P2P sale leaves through the
 *   seller's meter: it is an export) and to the grid at the hourly export value.
 * - no-export: the battery may charge from the grid (or from neighbours), but discharges only to
 *   serve the home's own load; it never exports, to the grid or to a neighbour. The home may still
 *   export (or sell) surplus PV.
 *
 * Legacy net metering (NEM 2) homes follow the same two modes: CPUC D.14-05-033 (NEM-paired
 * storage, PG&E Electric Rule 21 / Schedule NEM2 paired-storage provisions) lets storage that
 * charges only from the on-site renewable system export for NEM credit, and requires storage that
 * may charge from the grid not to export (a non-export relay, or for systems over 10 kW interval
 * metering, which is not modelled). That this is how PG&E applies it to every home is an assumption
 * this module states, not a figure checked against a billing record.
 *
 * This module is the one definition every part of the simulator applies: the agents' plans, the
 * central agent's order validation, the engine's settlement and the perfect-foresight optimum.
 * Pure functions over numbers; energies are bus-side kWh in one interval.
 */

export const STORAGE_MODES = ['solar-only', 'no-export'] as const;
export type StorageMode = (typeof STORAGE_MODES)[number];

/** Storage mode codes for typed arrays (0 = the home has no battery). */
export const STORAGE_NONE = 0;
export const STORAGE_SOLAR_ONLY = 1;
export const STORAGE_NO_EXPORT = 2;
export type StorageModeCode = typeof STORAGE_NONE | typeof STORAGE_SOLAR_ONLY | typeof STORAGE_NO_EXPORT;

export function storageModeCode(mode: StorageMode | null): StorageModeCode {
  return mode === 'solar-only' ? STORAGE_SOLAR_ONLY : mode === 'no-export' ? STORAGE_NO_EXPORT : STORAGE_NONE;
}

export function storageModeName(code: number): StorageMode | null {
  return code === STORAGE_SOLAR_ONLY ? 'solar-only' : code === STORAGE_NO_EXPORT ? 'no-export' : null;
}

/** The mode `auto` gives a home: solar-only charging with PV, no export without. */
export function autoStorageMode(hasPv: boolean): StorageMode {
  return hasPv ? 'solar-only' : 'no-export';
}

/** Most the battery may take in this interval under the mode (bus kWh), given its physical limit. */
export function chargeCapKwh(mode: number, pvKwh: number, physicalMaxKwh: number): number {
  return mode === STORAGE_SOLAR_ONLY ? Math.min(physicalMaxKwh, Math.max(0, pvKwh)) : physicalMaxKwh;
}

/** Most the battery may deliver in this interval under the mode (bus kWh), given its physical limit. */
export function dischargeCapKwh(mode: number, servedLoadKwh: number, pvKwh: number, physicalMaxKwh: number): number {
  return mode === STORAGE_NO_EXPORT ? Math.min(physicalMaxKwh, Math.max(0, servedLoadKwh - pvKwh)) : physicalMaxKwh;
}

/** Whether stored energy may leave the home (to the grid or to a neighbour). */
export function storedEnergyMayLeave(mode: number): boolean {
  return mode !== STORAGE_NO_EXPORT;
}

/** Whether the battery may charge from energy bought from neighbours (or the grid). */
export function mayChargeFromImports(mode: number): boolean {
  return mode !== STORAGE_SOLAR_ONLY;
}

/**
 * Most the home may send into P2P trades this interval: its PV surplus, plus — where stored energy
 * may leave — what its battery can still deliver.
 */
export function p2pSaleCapKwh(mode: number, servedLoadKwh: number, pvKwh: number, batteryDischargeMaxKwh: number): number {
  const surplus = Math.max(0, pvKwh - servedLoadKwh);
  return storedEnergyMayLeave(mode) ? surplus + Math.max(0, batteryDischargeMaxKwh) : surplus;
}

/** One home's flows in one interval (bus kWh). */
export interface StorageFlows {
  servedLoadKwh: number;
  pvKwh: number;
  chargeKwh: number;
  dischargeKwh: number;
  p2pSoldKwh: number;
  gridExportKwh: number;
}

export type StorageRuleCheck = { ok: true } | { ok: false; reason: 'charge_above_own_pv' | 'discharge_above_own_load' | 'export_above_own_pv' | 'sale_above_own_surplus' };

/**
 * Checks one interval against the mode's rules (OUTPUTS.md): solar-only → charge ≤ PV; no-export →
 * discharge ≤ max(0, served load − PV), grid export ≤ PV, P2P sold ≤ max(0, PV − served load).
 */
const RULES_OK: StorageRuleCheck = Object.freeze({ ok: true });

export function checkStorageRules(mode: number, f: StorageFlows, toleranceKwh: number): StorageRuleCheck {
  if (mode === STORAGE_SOLAR_ONLY && f.chargeKwh > f.pvKwh + toleranceKwh) return { ok: false, reason: 'charge_above_own_pv' };
  if (mode === STORAGE_NO_EXPORT) {
    if (f.dischargeKwh > Math.max(0, f.servedLoadKwh - f.pvKwh) + toleranceKwh) return { ok: false, reason: 'discharge_above_own_load' };
    if (f.gridExportKwh > f.pvKwh + toleranceKwh) return { ok: false, reason: 'export_above_own_pv' };
    if (f.p2pSoldKwh > Math.max(0, f.pvKwh - f.servedLoadKwh) + toleranceKwh) return { ok: false, reason: 'sale_above_own_surplus' };
  }
  return RULES_OK;
}
