import { beforeAll, describe, expect, it } from 'vitest';
import { createDecision, createHorizonPlanner, type HorizonPlanInput, type HorizonPlanner, type HorizonRisk } from '../../agents/index.ts';

function input(over: Partial<HorizonPlanInput> & { load: number[]; pv: number[]; imp: number[]; exp: number[] }): HorizonPlanInput {
  const K = over.load.length;
  return {
    steps: K,
    loadKwh: Float64Array.from(over.load),
    pvKwh: Float64Array.from(over.pv),
    importUsdPerKwh: Float64Array.from(over.imp),
    exportUsdPerKwh: Float64Array.from(over.exp),
    socKwh: 1.35,
    minSocKwh: 1.35,
    maxSocKwh: 10.8,
    chargeEfficiency: Math.sqrt(0.9),
    dischargeEfficiency: Math.sqrt(0.9),
    stepKwh: 2.5,
    maxChargeKwh: 2.5,
    maxDischargeKwh: 0,
    terminalUsdPerStoredKwh: 0,
    hasBattery: true,
    marketEnabled: true,
    transmissionLoss: 0.05,
    p2pDeliveryUsdPerKwh: new Float64Array(50),
    sellAllowanceKwh: 10,
    storageMode: 2, // no-export: the battery serves the home's own load
    wearUsdPerKwh: 0,
    terminalTargetKwh: 0,
    terminalShortfallUsdPerKwh: 0,
    terminalExcessUsdPerKwh: 0,
    ...over,
  };
}

describe('receding-horizon agent', () => {
  let planner: HorizonPlanner;
  beforeAll(async () => {
    planner = await createHorizonPlanner();
  });

  it('charges now when a later interval costs more than the round trip', () => {
    const d = createDecision();
    planner.plan(input({ load: [0.5, 2], pv: [0, 0], imp: [0.2, 0.6], exp: [0, 0] }), d);
    // the later 2 kWh need 2/η_d stored = 2/η_c/η_d bus kWh now
    expect(d.chargeKwh).toBeCloseTo(2 / 0.9, 6);
    expect(d.dischargeKwh).toBe(0);
    expect(d.action).toBe('buy');
    expect(d.bidDeficitKwh).toBeCloseTo(0.5 / 0.95, 9);
  });

  it('holds when the spread does not pay for the round-trip loss', () => {
    const d = createDecision();
    planner.plan(input({ load: [0.5, 2], pv: [0, 0], imp: [0.5, 0.52], exp: [0, 0] }), d);
    expect(d.chargeKwh).toBe(0);
  });

  it('covers the load from the battery so its own PV can be sold when exports pay more than imports', () => {
    const d = createDecision();
    planner.plan(input({ load: [1], pv: [1.5], imp: [0.4], exp: [0.9], socKwh: 8, maxDischargeKwh: 2.5 }), d);
    expect(d.dischargeKwh).toBeCloseTo(1, 6);
    expect(d.askSurplusKwh).toBeCloseTo(1.5, 6);
    expect(d.askLimitUsdPerKwh).toBe(0.9);
  });

  it('without a battery only trades its net position', () => {
    const d = createDecision();
    planner.plan(input({ load: [0.2], pv: [1.2], imp: [0.4], exp: [0.05], hasBattery: false }), d);
    expect([d.chargeKwh, d.dischargeKwh]).toEqual([0, 0]);
    expect(d.askSurplusKwh).toBeCloseTo(1, 9);
    expect(d.action).toBe('sell');
  });
});

describe('CVaR-aware receding-horizon agent', () => {
  let planner: HorizonPlanner;
  beforeAll(async () => {
    planner = await createHorizonPlanner();
  });

  const futures = (nextLoad: [number, number, number]): HorizonRisk => ({
    alpha: 0.8,
    weight: 0,
    scenarios: [
      { loadKwh: Float64Array.from([0.5, nextLoad[0]]), pvKwh: Float64Array.from([0, 0]), probability: 0.6 },
      { loadKwh: Float64Array.from([0.5, nextLoad[1]]), pvKwh: Float64Array.from([0, 0]), probability: 0.2 },
      { loadKwh: Float64Array.from([0.5, nextLoad[2]]), pvKwh: Float64Array.from([0, 0]), probability: 0.2 },
    ],
  });
  const now = input({ load: [0.5, 1], pv: [0, 0], imp: [0.3, 0.6], exp: [0, 0], stepKwh: 5, maxChargeKwh: 5 });

  it('with weight 0 plans for the expected future; with weight 1 stores for the bad one', () => {
    const mean = createDecision();
    planner.plan(now, mean, { ...futures([1, 3, 0]), weight: 0 });
    const averse = createDecision();
    planner.plan(now, averse, { ...futures([1, 3, 0]), weight: 1 });
    // stored energy for the expected (1 kWh) next-interval need vs the high (3 kWh) one
    expect(mean.chargeKwh).toBeCloseTo(1 / 0.9, 5);
    expect(averse.chargeKwh).toBeCloseTo(3 / 0.9, 5);
  });

  it('one certain future gives the same decision as the plain planner', () => {
    const plain = createDecision();
    planner.plan(now, plain);
    const risky = createDecision();
    planner.plan(now, risky, { ...futures([1, 1, 1]), weight: 0.7 });
    expect(risky.chargeKwh).toBeCloseTo(plain.chargeKwh, 9);
    expect(risky.dischargeKwh).toBeCloseTo(plain.dischargeKwh, 9);
  });
});
