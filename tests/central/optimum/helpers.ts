/** Builders and checks shared by the community-optimum tests. */
import { expect } from 'vitest';
import type { OptimumBattery, OptimumHousehold, OptimumInput, OptimumResult } from '../../../central/optimum/index.ts';

export const f64 = (values: number[]): Float64Array => Float64Array.from(values);
export const repeat = (value: number, n: number): number[] => Array.from({ length: n }, () => value);

/** A home whose plan (import rates, baseline credit) the community fills in unless given here. */
export type HomeSpec = Omit<OptimumHousehold, 'importUsdPerKwh' | 'baselineCreditUsdPerKwh'> & Partial<Pick<OptimumHousehold, 'importUsdPerKwh' | 'baselineCreditUsdPerKwh'>>;

export function home(loadKwh: number[], pvKwh: number[] = repeat(0, loadKwh.length), extra: Partial<HomeSpec> = {}): HomeSpec {
  return { loadKwh: f64(loadKwh), pvKwh: f64(pvKwh), battery: null, baselineAllowanceKwh: 0, ...extra };
}

/** A 10 kWh, 3 kW battery; no-export (may charge from the grid) and no wear unless told. */
export function battery(overrides: Partial<OptimumBattery> = {}): OptimumBattery {
  return {
    capacityKwh: 10,
    minSocKwh: 0,
    maxSocKwh: 10,
    maxPowerKw: 3,
    chargeEfficiency: 0.95,
    dischargeEfficiency: 0.95,
    initialSocKwh: 0,
    storageMode: 'no-export',
    wearUsdPerKwh: 0,
    ...overrides,
  };
}

export interface CommunityExtra extends Partial<OptimumInput> {
  /** every home's baseline credit unless the home sets its own */
  baselineCreditUsdPerKwh?: number;
}

/** Homes on one plan (`importUsdPerKwh`) unless a home brings its own; export 0.05 flat unless told. */
export function community(importUsdPerKwh: number[], homes: HomeSpec[], extra: CommunityExtra = {}): OptimumInput {
  const { baselineCreditUsdPerKwh = 0, ...rest } = extra;
  return {
    intervalHours: 0.5,
    exportUsdPerKwh: f64(repeat(0.05, importUsdPerKwh.length)),
    dayOfInterval: new Int32Array(importUsdPerKwh.length),
    households: homes.map((h) => ({ ...h, importUsdPerKwh: h.importUsdPerKwh ?? f64(importUsdPerKwh), baselineCreditUsdPerKwh: h.baselineCreditUsdPerKwh ?? baselineCreditUsdPerKwh })),
    p2p: null,
    terminalSocAtLeastInitial: true,
    ...rest,
  };
}

export function expectOptimal(result: OptimumResult): void {
  expect(result.status, `solver said: ${result.reason ?? ''}`).toBe('optimal');
}

/** The OUTPUTS.md identities: energy balance, battery dynamics and limits, P2P pool with loss; the cost identities. */
export function expectPhysicallyConsistent(input: OptimumInput, result: OptimumResult): void {
  const intervals = input.exportUsdPerKwh.length;
  const keep = input.p2p ? 1 - input.p2p.transmissionLoss : 0;
  for (let t = 0; t < intervals; t++) {
    let sentKwh = 0;
    let receivedKwh = 0;
    result.perHousehold.forEach(({ schedule: s }, i) => {
      const h = input.households[i];
      const inflowKwh = h.pvKwh[t] + s.dischargeKwh[t] + s.p2pReceivedKwh[t] + s.gridImportKwh[t];
      const outflowKwh = h.loadKwh[t] + s.chargeKwh[t] + s.p2pSentKwh[t] + s.gridExportKwh[t];
      expect(Math.abs(inflowKwh - outflowKwh), `energy balance of household ${i} at interval ${t}`).toBeLessThan(1e-6);
      expect(s.gridImportKwh[t] + s.p2pReceivedKwh[t], `household ${i} imports only for own use at ${t}`).toBeLessThanOrEqual(h.loadKwh[t] + s.chargeKwh[t] + 1e-6);
      const b = h.battery;
      if (b && s.socKwh) {
        const previousKwh = t === 0 ? b.initialSocKwh : s.socKwh[t - 1];
        const expectedKwh = previousKwh + s.chargeKwh[t] * b.chargeEfficiency - s.dischargeKwh[t] / b.dischargeEfficiency;
        expect(Math.abs(s.socKwh[t] - expectedKwh), `SoC dynamics of household ${i} at ${t}`).toBeLessThan(1e-6);
        expect(s.socKwh[t]).toBeGreaterThanOrEqual(b.minSocKwh - 1e-6);
        expect(s.socKwh[t]).toBeLessThanOrEqual(b.maxSocKwh + 1e-6);
        expect(Math.max(s.chargeKwh[t], s.dischargeKwh[t])).toBeLessThanOrEqual(b.maxPowerKw * input.intervalHours + 1e-6);
      } else {
        expect(s.chargeKwh[t] + s.dischargeKwh[t], `household ${i} has no battery`).toBe(0);
      }
      sentKwh += s.p2pSentKwh[t];
      receivedKwh += s.p2pReceivedKwh[t];
    });
    expect(Math.abs(receivedKwh - keep * sentKwh), `P2P pool loses exactly the transmission loss at ${t}`).toBeLessThan(1e-6);
  }
  result.perHousehold.forEach((h, i) => {
    const wear = input.households[i].battery?.wearUsdPerKwh ?? 0;
    expect(h.batteryWearUsd, `wear of household ${i}`).toBeCloseTo(wear * h.schedule.dischargeKwh.reduce((a, b) => a + b, 0), 9);
  });
  expect(result.billsUsd).toBeCloseTo(result.energyCostUsd + result.creditsUsd, 9);
  expect(result.totalCostUsd).toBeCloseTo(result.billsUsd + result.batteryWearUsd, 9);
}
