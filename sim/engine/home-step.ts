/**
 * Settlement checks shared by the grid-connected and the islanded settlement: the home's battery
 * step and its storage-mode rules (a refused step or a broken rule is a bug, never bad input).
 */
import { checkStorageRules, stepBatteryAt, type StorageFlows } from '../../battery/index.ts';
import type { EngineState } from './state.ts';
import type { RunMeta } from './types.ts';

const flows: StorageFlows = { servedLoadKwh: 0, pvKwh: 0, chargeKwh: 0, dischargeKwh: 0, p2pSoldKwh: 0, gridExportKwh: 0 };

/** A settled interval that breaks the home's storage mode is a bug in a strategy or the settlement. */
export function assertStorageRules(meta: RunMeta, h: number, tick: number, load: number, pv: number, charge: number, discharge: number, sold: number, exp: number): void {
  flows.servedLoadKwh = load;
  flows.pvKwh = pv;
  flows.chargeKwh = charge;
  flows.dischargeKwh = discharge;
  flows.p2pSoldKwh = sold;
  flows.gridExportKwh = exp;
  const check = checkStorageRules(meta.storageMode[h], flows, STORAGE_RULE_TOLERANCE_KWH);
  if (!check.ok) throw new Error(`internal: household ${meta.households[h].id} interval ${tick}: storage rule broken (${check.reason}); charge ${charge} discharge ${discharge} sold ${sold} export ${exp}`);
}

/** Settlement rounding the storage-rule check allows (kWh). */
const STORAGE_RULE_TOLERANCE_KWH = 1e-6;

/** Moves home h's battery; returns its self-discharge. A refused step is a bug in a strategy or the settlement. */
export function stepHomeBattery(s: EngineState, h: number, charge: number, discharge: number, meta: RunMeta, tick: number): number {
  const c = s.batteryColumns;
  const step = s.batteryStep;
  const refused = stepBatteryAt(c, h, s.socKwh[h], charge, discharge, meta.intervalHours, step);
  if (refused !== null) {
    throw new Error(
      `internal: household ${meta.households[h].id} interval ${tick}: battery step refused (${refused}); charge ${charge} discharge ${discharge} soc ${s.socKwh[h]}`,
    );
  }
  s.socKwh[h] = step.socKwh;
  s.chargedCellsKwh[h] += charge * c.chargeEfficiency[h];
  s.dischargedCellsKwh[h] += discharge / c.dischargeEfficiency[h];
  return step.selfDischargeKwh;
}

