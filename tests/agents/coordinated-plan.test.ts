import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createCoordinatedPlan,
  createPlanWorkspace,
  solveCoordinatedPlan,
  solveStoragePlan,
  type CoordinatedPlan,
  type CoordinatedPlanInput,
} from '../../agents/index.ts';
import { chargeCapKwh, dischargeCapKwh, STORAGE_NO_EXPORT, STORAGE_NONE, STORAGE_SOLAR_ONLY } from '../../battery/index.ts';
import { loadHighs, type Highs } from '../../lp/index.ts';

const EC = Math.sqrt(0.9);
const ED = Math.sqrt(0.9);

interface Case {
  steps: { load: number; pv: number; imp: number; expShare: number; p2pShare: number }[];
  soc: number;
  mode: number;
  max0: [number, number];
  terminal: number;
  target: number;
  wear: number;
  allowance: number;
  market: boolean;
  fee: number;
}

/**
 * An instance where netting cannot bind: no kWh sold is worth more than a kWh bought costs (the P2P
 * price lies between what makes buying from a neighbour cost the export value and the import rate).
 */
function instance(c: Case): CoordinatedPlanInput {
  const K = c.steps.length;
  const keep = 0.95;
  const f = (g: (s: Case['steps'][number]) => number) => Float64Array.from(c.steps.map(g));
  return {
    steps: K,
    loadKwh: f((s) => s.load),
    pvKwh: f((s) => s.pv),
    importUsdPerKwh: f((s) => s.imp),
    exportUsdPerKwh: f((s) => s.imp * s.expShare),
    p2pUsdPerKwh: f((s) => {
      const lo = Math.max(0, (s.imp * s.expShare - c.fee) * keep);
      const hi = Math.max(lo, (s.imp - c.fee) * keep);
      return lo + (hi - lo) * s.p2pShare;
    }),
    socKwh: c.soc,
    minSocKwh: 1.35,
    maxSocKwh: 10.8,
    chargeEfficiency: EC,
    dischargeEfficiency: ED,
    stepKwh: 2.5,
    maxChargeKwh: c.max0[0],
    maxDischargeKwh: c.max0[1],
    terminalUsdPerStoredKwh: c.terminal,
    hasBattery: true,
    marketEnabled: c.market,
    transmissionLoss: 1 - keep,
    p2pDeliveryUsdPerKwh: new Float64Array(K).fill(c.fee),
    sellAllowanceKwh: c.allowance,
    storageMode: c.mode,
    wearUsdPerKwh: c.wear,
    terminalTargetKwh: c.target,
    terminalShortfallUsdPerKwh: c.target > 0 ? 2 : 0,
    terminalExcessUsdPerKwh: 0,
  };
}

/** What a plan costs the home, with the bus netted each step; throws where it breaks a limit. */
function planCostUsd(i: CoordinatedPlanInput, plan: CoordinatedPlan): number {
  const keep = 1 - i.transmissionLoss;
  const tol = 1e-7;
  let soc = i.socKwh;
  let cost = 0;
  let sold = 0;
  for (let k = 0; k < i.steps; k++) {
    const c = plan.chargeKwh[k];
    const d = plan.dischargeKwh[k];
    const load = i.loadKwh[k];
    const pv = i.pvKwh[k];
    expect(c).toBeLessThanOrEqual(chargeCapKwh(i.storageMode, pv, k === 0 ? i.maxChargeKwh : i.stepKwh) + tol);
    expect(d).toBeLessThanOrEqual(dischargeCapKwh(i.storageMode, load, pv, k === 0 ? i.maxDischargeKwh : i.stepKwh) + tol);
    soc += c * i.chargeEfficiency - d / i.dischargeEfficiency;
    expect(soc).toBeGreaterThanOrEqual(Math.min(i.minSocKwh, i.socKwh) - tol);
    expect(soc).toBeLessThanOrEqual(Math.max(i.maxSocKwh, i.socKwh) + tol);
    const p2p = i.p2pUsdPerKwh[k];
    const residual = load - pv + c - d - keep * plan.boughtKwh[k] + plan.soldKwh[k];
    cost += i.importUsdPerKwh[k] * Math.max(0, residual) - i.exportUsdPerKwh[k] * Math.max(0, -residual);
    cost += (p2p + keep * i.p2pDeliveryUsdPerKwh[k]) * plan.boughtKwh[k] - p2p * plan.soldKwh[k] + i.wearUsdPerKwh * d;
    sold += plan.soldKwh[k];
  }
  expect(sold).toBeLessThanOrEqual(i.sellAllowanceKwh + tol);
  return cost - i.terminalUsdPerStoredKwh * soc + i.terminalShortfallUsdPerKwh * Math.max(0, i.terminalTargetKwh - soc);
}

const stepArb = fc.record({
  load: fc.double({ min: 0, max: 3, noNaN: true }),
  pv: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 4, noNaN: true })),
  imp: fc.double({ min: 0.1, max: 0.7, noNaN: true }),
  expShare: fc.double({ min: 0, max: 1, noNaN: true }),
  p2pShare: fc.double({ min: 0, max: 0.999, noNaN: true }),
});

const caseArb: fc.Arbitrary<Case> = fc.record({
  steps: fc.array(stepArb, { minLength: 1, maxLength: 14 }),
  soc: fc.double({ min: 0.5, max: 12, noNaN: true }),
  mode: fc.constantFrom(STORAGE_NONE, STORAGE_SOLAR_ONLY, STORAGE_NO_EXPORT),
  max0: fc.tuple(fc.double({ min: 0, max: 2.5, noNaN: true }), fc.double({ min: 0, max: 2.5, noNaN: true })),
  terminal: fc.double({ min: 0, max: 0.6, noNaN: true }),
  target: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 10, noNaN: true })),
  wear: fc.constantFrom(0, 0.05),
  allowance: fc.oneof(fc.constant(10), fc.double({ min: 0, max: 4, noNaN: true })),
  market: fc.boolean(),
  fee: fc.constantFrom(0, 0.01),
});

describe('the single-store plan solver (exact, without an LP solver)', () => {
  let highs: Highs;
  beforeAll(async () => {
    highs = await loadHighs();
  });

  it('costs what the HiGHS optimum of the same LP costs, and keeps every limit (property)', () => {
    const ws = createPlanWorkspace(16);
    const fast = createCoordinatedPlan(16);
    const reference = createCoordinatedPlan(16);
    fc.assert(
      fc.property(caseArb, (c) => {
        const i = instance(c);
        solveStoragePlan(i, ws, fast);
        expect(solveCoordinatedPlan(highs, i, reference)).toBe('Optimal');
        const fastUsd = planCostUsd(i, fast);
        const lpUsd = planCostUsd(i, reference);
        expect(Math.abs(fastUsd - lpUsd), `fast ${fastUsd} vs LP ${lpUsd}`).toBeLessThan(1e-6 * (1 + Math.abs(lpUsd)));
      }),
      { numRuns: 400 },
    );
  });

  it('never imports and sells in the same step, even at a P2P price above the import rate', () => {
    const ws = createPlanWorkspace(4);
    const plan = createCoordinatedPlan(4);
    const i = instance({
      steps: [{ load: 1, pv: 0, imp: 0.3, expShare: 0.1, p2pShare: 0 }, { load: 1, pv: 0, imp: 0.3, expShare: 0.1, p2pShare: 0 }],
      soc: 8, mode: STORAGE_SOLAR_ONLY, max0: [0, 2.5], terminal: 0, target: 0, wear: 0, allowance: 10, market: true, fee: 0,
    });
    i.p2pUsdPerKwh.fill(0.6);
    solveStoragePlan(i, ws, plan);
    for (let k = 0; k < 2; k++) {
      const residual = i.loadKwh[k] - i.pvKwh[k] + plan.chargeKwh[k] - plan.dischargeKwh[k] - 0.95 * plan.boughtKwh[k] + plan.soldKwh[k];
      if (plan.soldKwh[k] > 0) expect(residual).toBeLessThanOrEqual(1e-9);
    }
    expect(plan.soldKwh[0]).toBeGreaterThan(1); // it still sells what its battery holds beyond its own load
  });

  it('sells exactly the allowance when the allowance binds', () => {
    const ws = createPlanWorkspace(4);
    const plan = createCoordinatedPlan(4);
    const steps = [0, 1, 2].map(() => ({ load: 0, pv: 2, imp: 0.4, expShare: 0.2, p2pShare: 0.9 }));
    const i = instance({ steps, soc: 10.8, mode: STORAGE_NONE, max0: [0, 0], terminal: 0, target: 0, wear: 0, allowance: 2.7, market: true, fee: 0 });
    const sold = solveStoragePlan(i, ws, plan);
    expect(sold).toBeCloseTo(2.7, 9);
    expect(plan.soldKwh[0] + plan.soldKwh[1] + plan.soldKwh[2]).toBeCloseTo(2.7, 9);
  });

  it('without a market plans the battery alone: stores midday PV for the evening peak', () => {
    const ws = createPlanWorkspace(4);
    const plan = createCoordinatedPlan(4);
    const i = instance({
      steps: [{ load: 0.5, pv: 2.5, imp: 0.3, expShare: 0.2, p2pShare: 0 }, { load: 2, pv: 0, imp: 0.6, expShare: 0.2, p2pShare: 0 }],
      soc: 1.35, mode: STORAGE_SOLAR_ONLY, max0: [2.5, 0], terminal: 0, target: 0, wear: 0, allowance: 10, market: false, fee: 0,
    });
    solveStoragePlan(i, ws, plan);
    // it charges just what covers the evening's 2 kWh after losses: 2 / 0.9 from PV (the last 0.22
    // kWh of it while the home imports at 0.30) — every stored kWh saves 0.60 · 0.9
    expect(plan.chargeKwh[0]).toBeCloseTo(2 / (EC * ED), 9);
    expect(plan.dischargeKwh[1]).toBeCloseTo(2, 9);
    expect(plan.soldKwh[0] + plan.boughtKwh[0]).toBe(0);
  });
});
