/**
 * Settlement checks shared by the grid-connected and the islanded settlement: the home's battery
 * step and its storage-mode rules (a refused step or a broken rule is a bug, never bad input).
 */
import { checkStorageRules, stepBatteryAt, type StorageFlows } from '../../battery/index.ts';
import type { TradeList } from '../../market/index.ts';
import type { EngineState } from './state.ts';
import type { SettleMeta } from './types.ts';

/**
 * The settled interval of the home being checked: the settlement writes it, then calls
 * `assertStorageRules` (numbers pass through this object, not as arguments, so none is boxed).
 */
export const settledFlows: StorageFlows = { servedLoadKwh: 0, pvKwh: 0, chargeKwh: 0, dischargeKwh: 0, p2pSoldKwh: 0, gridExportKwh: 0 };

/** A settled interval (`settledFlows`) that breaks the home's storage mode is a bug in a strategy or the settlement. */
export function assertStorageRules(meta: SettleMeta, h: number, tick: number): void {
  const flows = settledFlows;
  const check = checkStorageRules(meta.storageMode[h], flows, STORAGE_RULE_TOLERANCE_KWH);
  if (!check.ok) storageRuleBroken(meta, h, tick, check.reason);
}

/**
 * The errors live in functions of their own: the hot checks above stay small enough for the
 * settlement's loop to inline whole (a call the compiler does not inline boxes its numbers).
 */
function storageRuleBroken(meta: SettleMeta, h: number, tick: number, reason: string): never {
  const flows = settledFlows;
  throw new Error(
    `internal: household ${meta.households[h].id} interval ${tick}: storage rule broken (${reason}); charge ${flows.chargeKwh} discharge ${flows.dischargeKwh} sold ${flows.p2pSoldKwh} export ${flows.gridExportKwh}`,
  );
}

/** Settlement rounding the storage-rule check allows (kWh). */
const STORAGE_RULE_TOLERANCE_KWH = 1e-6;

/**
 * Moves home h's battery by the interval's `s.chargeKwh[h]` and `s.dischargeKwh[h]` and writes its
 * self-discharge into `s.selfDischargeKwh[h]` (0 without a battery); the numbers stay in the state's
 * columns, so none is boxed on the way. `c` is the battery's columns (while islanded, the ones whose
 * floor is empty). A refused step is a bug in a strategy or the settlement.
 */
export function stepHomeBattery(s: EngineState, h: number, meta: SettleMeta, tick: number, c = s.batteryColumns): void {
  if (!s.hasBattery[h]) {
    s.selfDischargeKwh[h] = 0;
    return;
  }
  const charge = s.chargeKwh[h];
  const discharge = s.dischargeKwh[h];
  const step = s.batteryStep;
  const refused = stepBatteryAt(c, h, s.socKwh[h], charge, discharge, meta.intervalHours, step);
  if (refused !== null) batteryStepRefused(s, h, meta, tick, refused);
  s.socKwh[h] = step.socKwh;
  s.chargedCellsKwh[h] += charge * c.chargeEfficiency[h];
  s.dischargedCellsKwh[h] += discharge / c.dischargeEfficiency[h];
  s.selfDischargeKwh[h] = step.selfDischargeKwh;
}

function batteryStepRefused(s: EngineState, h: number, meta: SettleMeta, tick: number, reason: string): never {
  throw new Error(
    `internal: household ${meta.households[h].id} interval ${tick}: battery step refused (${reason}); charge ${s.chargeKwh[h]} discharge ${s.dischargeKwh[h]} soc ${s.socKwh[h]}`,
  );
}

/** Lands the interval's trades on the homes: kWh bought (delivered) and sold (sent), P2P paid (delivery charge included), received, and the delivery charges. */
export function landTrades(
  trades: TradeList,
  boughtKwh: Float64Array,
  soldKwh: Float64Array,
  p2pPaidUsd: Float64Array,
  p2pReceivedUsd: Float64Array,
  p2pDeliveryChargeUsd: Float64Array,
): void {
  boughtKwh.fill(0);
  soldKwh.fill(0);
  p2pPaidUsd.fill(0);
  p2pReceivedUsd.fill(0);
  p2pDeliveryChargeUsd.fill(0);
  for (let k = 0; k < trades.count; k++) {
    boughtKwh[trades.buyer[k]] += trades.deliveredKwh[k];
    soldKwh[trades.seller[k]] += trades.sentKwh[k];
    p2pPaidUsd[trades.buyer[k]] += trades.buyerPaysUsd[k];
    p2pReceivedUsd[trades.seller[k]] += trades.sellerReceivesUsd[k];
    p2pDeliveryChargeUsd[trades.buyer[k]] += trades.deliveryChargeUsd[k];
  }
}
