import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createCoordinatedPlan,
  createDecision,
  createPlanWorkspace,
  solveStoragePlan,
  type CoordinatedPlan,
  decisionOfPlan,
  planWithoutBattery,
  solveCoordinatedPlan,
  type CoordinatedPlanInput,
  type HomeView,
} from '../../agents/index.ts';
import { STORAGE_NO_EXPORT, STORAGE_SOLAR_ONLY } from '../../battery/index.ts';
import { loadHighs, type Highs } from '../../lp/index.ts';
import { checkContract } from '../sim/contract-check.ts';
import { collectRun, smallConfig } from '../sim/helpers.ts';

function input(over: Partial<CoordinatedPlanInput> & { load: number[]; pv: number[]; imp: number[]; exp: number[]; p2p: number[] }): CoordinatedPlanInput {
  const K = over.load.length;
  return {
    steps: K,
    loadKwh: Float64Array.from(over.load),
    pvKwh: Float64Array.from(over.pv),
    importUsdPerKwh: Float64Array.from(over.imp),
    exportUsdPerKwh: Float64Array.from(over.exp),
    p2pUsdPerKwh: Float64Array.from(over.p2p),
    socKwh: 8,
    minSocKwh: 1.35,
    maxSocKwh: 10.8,
    chargeEfficiency: Math.sqrt(0.9),
    dischargeEfficiency: Math.sqrt(0.9),
    stepKwh: 2.5,
    maxChargeKwh: 0,
    maxDischargeKwh: 2.5,
    terminalUsdPerStoredKwh: 0,
    hasBattery: true,
    marketEnabled: true,
    transmissionLoss: 0.05,
    p2pDeliveryUsdPerKwh: new Float64Array(50),
    sellAllowanceKwh: 10,
    storageMode: STORAGE_SOLAR_ONLY,
    wearUsdPerKwh: 0,
    terminalTargetKwh: 0,
    terminalShortfallUsdPerKwh: 0,
    terminalExcessUsdPerKwh: 0,
    ...over,
  };
}

function home(over: Partial<HomeView> = {}): HomeView {
  return {
    storageMode: STORAGE_SOLAR_ONLY, storedMayLeave: true, mayChargeFromImports: false, loadKwh: 0.5, pvKwh: 0, hasBattery: true,
    socKwh: 8, minSocKwh: 1.35, maxSocKwh: 10.8, maxChargeKwh: 0, maxDischargeKwh: 2.5, sellAllowanceKwh: 10, ...over,
  };
}

type Solve = (i: CoordinatedPlanInput, out: CoordinatedPlan) => void;
let highs: Highs;
const workspace = createPlanWorkspace(8);
const solvers: [string, Solve][] = [
  ['the single-store solver', (i, out) => void solveStoragePlan(i, workspace, out)],
  ['the HiGHS LP', (i, out) => expect(solveCoordinatedPlan(highs, i, out)).toBe('Optimal')],
];

describe.each(solvers)('the coordinated home plan against the centre’s prices (%s)', (_name, solve) => {
  beforeAll(async () => {
    highs = await loadHighs();
  });

  it('sells stored energy to neighbours when the proposed price beats every later use of it', () => {
    const plan = createCoordinatedPlan();
    const i = input({ load: [0.5, 0.5], pv: [0, 0], imp: [0.3, 0.3], exp: [0.05, 0.05], p2p: [0.6, 0.1] });
    solve(i, plan);
    expect(plan.soldKwh[0]).toBeGreaterThan(1.5);
    expect(plan.boughtKwh[0]).toBe(0);
  });

  it('never sells stored energy from a no-export battery, only surplus PV', () => {
    const plan = createCoordinatedPlan();
    const i = input({ load: [0.5, 0.5], pv: [1.5, 0], imp: [0.3, 0.3], exp: [0.05, 0.05], p2p: [0.6, 0.1], storageMode: STORAGE_NO_EXPORT, maxDischargeKwh: 0 });
    solve(i, plan);
    expect(plan.soldKwh[0]).toBeCloseTo(1, 9);
    expect(plan.dischargeKwh[0]).toBe(0);
  });

  it('buys from neighbours for its battery when the price is below the grid and later use pays for the round trip', () => {
    const plan = createCoordinatedPlan();
    const i = input({
      load: [0, 2], pv: [0, 0], imp: [0.4, 0.6], exp: [0, 0], p2p: [0.15, 0.5], storageMode: STORAGE_NO_EXPORT,
      socKwh: 1.35, maxChargeKwh: 2.5, maxDischargeKwh: 0,
    });
    solve(i, plan);
    expect(plan.boughtKwh[0]).toBeGreaterThan(1.5);
    expect(plan.boughtKwh[1]).toBeCloseTo(0, 9); // at 0.50 / 0.95 later, the stored kWh is the cheaper one
  });

  it('keeps the sale within the day’s sell allowance', () => {
    const plan = createCoordinatedPlan();
    solve(input({ load: [0, 0], pv: [2, 2], imp: [0.3, 0.3], exp: [0, 0], p2p: [0.5, 0.5], sellAllowanceKwh: 1.2, maxDischargeKwh: 0, socKwh: 10.8 }), plan);
    expect(plan.soldKwh[0] + plan.soldKwh[1]).toBeCloseTo(1.2, 9);
  });

});

describe('the coordinated home plan without a battery, and the decision taken from a plan', () => {
  it('without a battery: buys the deficit below the grid rate, sells the surplus above the export value', () => {
    const plan = createCoordinatedPlan();
    planWithoutBattery(input({ load: [1, 0, 1], pv: [0, 2, 0], imp: [0.3, 0.3, 0.1], exp: [0.05, 0.05, 0.05], p2p: [0.2, 0.2, 0.2], hasBattery: false }), plan);
    expect(plan.boughtKwh[0]).toBeCloseTo(1 / 0.95, 12);
    expect(plan.soldKwh[1]).toBe(2);
    expect(plan.boughtKwh[2]).toBe(0); // 0.2 / 0.95 is above its 0.10 rate
  });

  it('turns a planned sale into an ask: PV surplus first, the rest from the battery only if sold', () => {
    const plan = createCoordinatedPlan();
    plan.dischargeKwh[0] = 2;
    plan.soldKwh[0] = 2.5;
    const out = decisionOfPlan(plan, home({ loadKwh: 0.5, pvKwh: 1 }), 0.4, 0.95, createDecision());
    expect(out.askSurplusKwh).toBeCloseTo(0.5, 12);
    expect(out.askBatteryKwh).toBeCloseTo(2, 12);
    expect(out.dischargeKwh).toBe(0);
    expect(out.askLimitUsdPerKwh).toBe(0.4);
    expect(out.action).toBe('sell');
  });

  it('sells from the battery only what is left after its own deficit: a seller never imports', () => {
    // a mean of plans: discharge 0.761 and a sale of 0.135 while the home's deficit is 0.672
    const plan = createCoordinatedPlan();
    plan.dischargeKwh[0] = 0.761;
    plan.soldKwh[0] = 0.135;
    const out = decisionOfPlan(plan, home({ loadKwh: 0.868, pvKwh: 0.196 }), 0.4, 0.95, createDecision());
    expect(out.askSurplusKwh).toBe(0);
    expect(out.askBatteryKwh).toBeCloseTo(0.761 - 0.672, 12);
    expect(out.dischargeKwh).toBeCloseTo(0.672, 12);
    expect(out.dischargeKwh + out.askBatteryKwh).toBeCloseTo(0.761, 12);
  });

  it('turns a planned purchase into a bid: the deficit part first, the rest charges the battery only if bought', () => {
    const plan = createCoordinatedPlan();
    plan.chargeKwh[0] = 1;
    plan.boughtKwh[0] = 2 / 0.95;
    const out = decisionOfPlan(plan, home({ loadKwh: 1, pvKwh: 0, mayChargeFromImports: true, storedMayLeave: false, maxChargeKwh: 2.5 }), 0.2, 0.95, createDecision());
    expect(out.bidDeficitKwh).toBeCloseTo(1 / 0.95, 12);
    expect(out.bidChargeKwh).toBeCloseTo(1 / 0.95, 12);
    expect(out.chargeKwh).toBeCloseTo(0, 12);
    expect(out.bidLimitUsdPerKwh).toBe(0.2);
  });
});

describe('the coordinated strategy in the engine', () => {
  it('never breaks a market or storage rule in small random communities (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          count: fc.integer({ min: 1, max: 5 }),
          pvShare: fc.double({ min: 0, max: 1, noNaN: true }),
          batteryShare: fc.double({ min: 0, max: 1, noNaN: true }),
          plan: fc.constantFrom('E-TOU-C', 'E-TOU-D', 'EV2-A', 'E-ELEC', 'TOU-C-legacy'),
          rule: fc.constantFrom('instant', 'pay-as-bid', 'uniform-price'),
          fee: fc.constantFrom(0, 0.01),
          maxTradeKwh: fc.constantFrom(0.5, 2),
          maxDailySellKwh: fc.constantFrom(1, 10),
          start: fc.constantFrom('2026-07-15', '2026-01-20', '2026-03-08'),
          assignment: fc.constantFrom('nbt', 'uniform'),
          storageMode: fc.constantFrom('auto', 'no-export', 'solar-only'),
          forecaster: fc.constantFrom('seasonal-naive', 'perfect'),
          wear: fc.constantFrom(0, 0.1),
        }),
        async (r) => {
          const run = await collectRun(
            smallConfig({
              seed: r.seed,
              households: { count: r.count, pvShare: r.storageMode === 'solar-only' ? 1 : r.pvShare },
              battery: { share: r.batteryShare, storageMode: r.storageMode, wearCostUsdPerKwh: r.wear },
              tariff: { plan: r.plan, assignment: r.assignment },
              market: { rule: r.rule, settlement: 'flat-fee', feeUsdPerKwh: r.fee, maxTradeKwh: r.maxTradeKwh, maxDailySellKwh: r.maxDailySellKwh },
              time: { start: r.start },
              agents: { strategy: 'coordinated', forecaster: r.forecaster },
            }),
          );
          checkContract(run);
          expect(run.summary.central.rejections.storage_rule).toBeUndefined();
          for (const iv of run.intervals) {
            expect(iv.coordination!.iterations).toBeGreaterThanOrEqual(1);
            expect(iv.coordination!.planned_net_kwh_by_home).toHaveLength(r.count);
          }
        },
      ),
      { numRuns: 8 },
    );
  }, 600_000);

  it('is deterministic: the same seed gives identical intervals, trades and summary', async () => {
    const config = smallConfig({ seed: 5, households: { count: 3 }, agents: { strategy: 'coordinated' } });
    const a = await collectRun(config);
    const b = await collectRun(config);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.summary.central.coordination!.intervals).toBe(48);
  }, 300_000);

  it('reports no coordination for other strategies or without trading', async () => {
    const plain = await collectRun(smallConfig({ seed: 5, households: { count: 2 } }));
    expect(plain.intervals[0].coordination).toBeNull();
    expect(plain.summary.central.coordination).toBeNull();
    const off = await collectRun(smallConfig({ seed: 5, households: { count: 2 }, agents: { strategy: 'coordinated' }, market: { enabled: false } }));
    expect(off.intervals[0].coordination).toBeNull();
    checkContract(off);
  }, 300_000);
});
