/**
 * Plain-data input and result of the perfect-foresight community optimum: the cheapest schedule
 * the community could reach if every household's load and PV were known for the whole span.
 * Depends only on the shared storage-mode definition (battery/storage-mode.ts), so the central
 * agent can feed it from any source.
 */
import type { StorageMode } from '../../battery/index.ts';

export interface OptimumBattery {
  capacityKwh: number;
  minSocKwh: number;
  maxSocKwh: number;
  maxPowerKw: number;
  chargeEfficiency: number;
  dischargeEfficiency: number;
  /** stored energy before the first interval */
  initialSocKwh: number;
  /**
   * Net Billing Tariff paired-storage mode (battery/storage-mode.ts). solar-only: charges only from
   * the home's own PV in the interval, may discharge to the grid and to neighbours. no-export: may
   * charge from the grid or neighbours, discharges only to serve the home's own load net of its PV.
   */
  storageMode: StorageMode;
  /** battery wear, USD per kWh discharged (bus side), e.g. 0.10; 0 = none */
  wearUsdPerKwh: number;
  /**
   * what a stored kWh left at the end above the start is worth (USD per stored kWh; the headline's
   * refill value), credited in the objective so the optimum values end-of-run storage as the agents'
   * summary does; 0 (the default) = not credited
   */
  terminalValueUsdPerStoredKwh?: number;
}

export interface OptimumHousehold {
  /** per interval */
  loadKwh: Float64Array;
  /** per interval */
  pvKwh: Float64Array;
  battery: null | OptimumBattery;
  /** this home's import tariff per interval (its own plan: E-ELEC, E-TOU-C, …) */
  importUsdPerKwh: Float64Array;
  /** this home's export credit per interval (its export program's); absent: the input's exportUsdPerKwh */
  exportUsdPerKwh?: Float64Array;
  /** what this home pays the utility per P2P kWh delivered to it, per interval (the settlement regime; absent = nothing) */
  p2pDeliveryUsdPerKwh?: Float64Array;
  /** baseline allowance of this home's plan over the whole span (kWh), 0 if none */
  baselineAllowanceKwh: number;
  /** baseline credit of this home's plan, magnitude (e.g. 0.0814 on E-TOU-C, 0 on E-ELEC) */
  baselineCreditUsdPerKwh: number;
  /** critical part of the load per interval (used with an outage; clamped to the load; absent = none of it critical) */
  criticalKwh?: Float64Array;
}

/**
 * Grid outages: in the intervals where `gridDown` is 1 there is no grid import or export; load may
 * go unserved at a value of lost load (critical load at its own, higher value) and PV may be
 * curtailed. The objective adds Σ VOLL × unserved to the bills and wear.
 */
export interface OptimumOutage {
  /** 1 where the grid is down, per interval */
  gridDown: Uint8Array;
  vollUsdPerKwh: number;
  criticalVollUsdPerKwh: number;
}

export interface OptimumP2p {
  maxDailySellKwh: number;
  /** fraction of sent energy lost in transit, 0 … <1 */
  transmissionLoss: number;
}

export interface OptimumInput {
  /** length of one interval (h), e.g. 0.5 */
  intervalHours: number;
  /** export value per interval, one series for the community (NBT; may exceed an import rate in a few summer evening hours); its length is the number of intervals */
  exportUsdPerKwh: Float64Array;
  /** calendar-day index of each interval, for the daily sell cap */
  dayOfInterval: Int32Array;
  households: OptimumHousehold[];
  /** null = no trading allowed */
  p2p: null | OptimumP2p;
  /** the optimum may not end with less stored energy than it started with */
  terminalSocAtLeastInitial: boolean;
  /** grid outages (absent or null: the grid is always up) */
  outage?: OptimumOutage | null;
}

export interface OptimumSolveOptions {
  /** refuse (status 'skipped') models with more variables than this; default 200,000 */
  maxVariables?: number;
  /**
   * Forbid a meter from importing and exporting in the same interval (binaries where that could
   * pay). Default true; false solves the LP relaxation, a lower bound used to show what netting costs.
   */
  enforceNetting?: boolean;
}

/** One household's optimal schedule, per interval (kWh; SoC at the end of the interval). */
export interface OptimumSchedule {
  chargeKwh: Float64Array;
  dischargeKwh: Float64Array;
  /** null when the household has no battery */
  socKwh: Float64Array | null;
  gridImportKwh: Float64Array;
  gridExportKwh: Float64Array;
  p2pSentKwh: Float64Array;
  p2pReceivedKwh: Float64Array;
  /** with an outage: load not served (all of it, and its critical part) and PV curtailed; absent = 0 */
  unservedKwh?: Float64Array;
  unservedCriticalKwh?: Float64Array;
  curtailedKwh?: Float64Array;
}

export interface OptimumHouseholdResult {
  /** Σ grid import·own rate − export·value + P2P delivery charges for this home; P2P payments between homes excluded (the optimum sets no price) */
  energyCostUsd: number;
  /** Σ P2P received · the home's delivery charge (paid to the utility; part of energyCostUsd) */
  p2pDeliveryUsd: number;
  /** baseline credit earned by this home (≤ 0) */
  creditsUsd: number;
  /** battery wear: wearUsdPerKwh · Σ discharge (0 without a battery) */
  batteryWearUsd: number;
  dischargeKwh: number;
  gridImportKwh: number;
  gridExportKwh: number;
  p2pSentKwh: number;
  p2pReceivedKwh: number;
  finalSocKwh: number | null;
  schedule: OptimumSchedule;
}

export type OptimumStatus = 'optimal' | 'infeasible' | 'skipped' | 'error';

export interface OptimumResult {
  status: OptimumStatus;
  /** why the status is not 'optimal' */
  reason?: string;
  /** community Σ import·rate − export·value + P2P delivery charges (payments between homes cancel inside the community); NaN unless optimal */
  energyCostUsd: number;
  /** baseline credits (≤ 0); NaN unless optimal */
  creditsUsd: number;
  /** Σ battery wear over the homes; NaN unless optimal */
  batteryWearUsd: number;
  /** energyCostUsd + creditsUsd: the energy part of the bills (fixed charges are added by the caller); NaN unless optimal */
  billsUsd: number;
  /** billsUsd + batteryWearUsd: what the optimum minimises; NaN unless optimal */
  totalCostUsd: number;
  gridImportKwh: number;
  gridExportKwh: number;
  p2pSentKwh: number;
  /** max over intervals of community Σ import / intervalHours */
  peakGridImportKw: number;
  /** with an outage: load not served, its critical part, and their value of lost load (part of what the optimum minimises, not of totalCostUsd); 0 without */
  unservedKwh: number;
  unservedCriticalKwh: number;
  unservedValueUsd: number;
  /** size of the model (also reported when skipped) */
  variables: number;
  constraints: number;
  /** binary variables among `variables` (netting in intervals where export could pay more than import) */
  binaryVariables: number;
  /** deliberately absent: wall time would make results non-deterministic; the caller may time it */
  solveMs?: never;
  /** empty unless optimal */
  perHousehold: OptimumHouseholdResult[];
}

export interface OptimumSolver {
  solve(input: OptimumInput, opts?: OptimumSolveOptions): OptimumResult;
}
