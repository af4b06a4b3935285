import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimumSolver, findNettingViolation, type OptimumInput, type OptimumSolver } from '../../../central/optimum/index.ts';
import { battery, community, expectOptimal, expectPhysicallyConsistent, f64, home, repeat, type HomeSpec } from './helpers.ts';

let solver: OptimumSolver;
beforeAll(async () => {
  solver = await createOptimumSolver();
});

describe('community optimum: grid only', () => {
  const loadKwh = [0.4, 0.9, 1.3, 0.2, 0.7, 1.1];
  const importUsdPerKwh = [0.31, 0.31, 0.49, 0.49, 0.39, 0.31];
  const billUsd = loadKwh.reduce((acc, kwh, t) => acc + kwh * importUsdPerKwh[t], 0);

  it('a home without PV or battery pays exactly its load at the tariff', () => {
    const input = community(importUsdPerKwh, [home(loadKwh)]);
    const result = solver.solve(input);
    expectOptimal(result);
    expect(result.energyCostUsd).toBeCloseTo(billUsd, 9);
    expect(result.creditsUsd).toBe(0);
    expect(result.gridImportKwh).toBeCloseTo(4.6, 9);
    expect(result.gridExportKwh).toBe(0);
    expect(result.peakGridImportKw).toBeCloseTo(1.3 / 0.5, 9);
    expect(result.perHousehold[0].finalSocKwh).toBeNull();
  });

  it.each([
    [2, 2],
    [10, 4.6],
  ])('the baseline credit is the credit rate times min(imports, allowance) (allowance %s kWh)', (allowanceKwh, creditedKwh) => {
    const input = community(importUsdPerKwh, [home(loadKwh, undefined, { baselineAllowanceKwh: allowanceKwh })], { baselineCreditUsdPerKwh: 0.0814 });
    const result = solver.solve(input);
    expectOptimal(result);
    expect(result.energyCostUsd).toBeCloseTo(billUsd, 9);
    expect(result.creditsUsd).toBeCloseTo(-0.0814 * creditedKwh, 9);
    expect(result.totalCostUsd).toBeCloseTo(billUsd - 0.0814 * creditedKwh, 9);
  });
});

describe('community optimum: battery', () => {
  it('charges at the power limit when cheap and discharges when expensive (hand-computed cost)', () => {
    // 4 cheap intervals (1 kWh load), 4 expensive (2 kWh load); 3 kW × 0.5 h = 1.5 kWh per interval, η = 0.95 each way.
    // Charging is power-limited: 6 kWh in, 6 × 0.95 × 0.95 = 5.415 kWh out, all of it in expensive intervals.
    const input = community([0.25, 0.25, 0.25, 0.25, 0.55, 0.55, 0.55, 0.55], [home([1, 1, 1, 1, 2, 2, 2, 2], undefined, { battery: battery() })]);
    const result = solver.solve(input);
    expectOptimal(result);
    const expectedUsd = (4 + 6) * 0.25 + (8 - 6 * 0.95 * 0.95) * 0.55;
    expect(result.totalCostUsd).toBeCloseTo(expectedUsd, 7);
    expect(Array.from(result.perHousehold[0].schedule.chargeKwh.subarray(0, 4))).toEqual([1.5, 1.5, 1.5, 1.5].map((v) => expect.closeTo(v, 7)));
    expect(result.perHousehold[0].finalSocKwh).toBeCloseTo(0, 7);
    expectPhysicallyConsistent(input, result);
  });

  it('ends with at least the initial stored energy only when asked to', () => {
    const households = [home(repeat(1, 6), undefined, { battery: battery({ minSocKwh: 1, initialSocKwh: 5 }) })];
    const constrained = solver.solve(community(repeat(0.45, 6), households));
    const free = solver.solve(community(repeat(0.45, 6), households, { terminalSocAtLeastInitial: false }));
    expectOptimal(constrained);
    expectOptimal(free);
    expect(constrained.perHousehold[0].finalSocKwh).toBeGreaterThanOrEqual(5 - 1e-7);
    expect(constrained.totalCostUsd).toBeCloseTo(6 * 0.45, 7); // flat price: cycling only loses energy
    expect(free.perHousehold[0].finalSocKwh).toBeCloseTo(1, 7); // drained to the SoC floor
    expect(free.totalCostUsd).toBeCloseTo((6 - 4 * 0.95) * 0.45, 7);
  });
});

describe('community optimum: P2P', () => {
  const seller = (n: number): HomeSpec => home(repeat(0, n), repeat(3, n));
  const buyer = (n: number): HomeSpec => home(repeat(2, n));
  const p2p = { maxDailySellKwh: 10, transmissionLoss: 0.05 };

  it('routes surplus to the neighbour when export pays less than import; the buyer receives 0.95 × sent', () => {
    const input = community([0.4, 0.4], [seller(2), buyer(2)], { p2p });
    const result = solver.solve(input);
    expectOptimal(result);
    const sentPerIntervalKwh = 2 / 0.95; // just enough to cover the buyer's 2 kWh
    const [s, b] = result.perHousehold;
    expect(s.p2pSentKwh).toBeCloseTo(2 * sentPerIntervalKwh, 7);
    expect(b.p2pReceivedKwh).toBeCloseTo(0.95 * s.p2pSentKwh, 7);
    expect(b.gridImportKwh).toBeCloseTo(0, 7);
    expect(result.totalCostUsd).toBeCloseTo(-2 * 0.05 * (3 - sentPerIntervalKwh), 7);
    expectPhysicallyConsistent(input, result);

    const withoutP2p = solver.solve({ ...input, p2p: null });
    expectOptimal(withoutP2p);
    expect(withoutP2p.totalCostUsd).toBeCloseTo(2 * (2 * 0.4 - 3 * 0.05), 7);
    expect(withoutP2p.p2pSentKwh).toBe(0);
  });

  it('respects the daily sell cap on each calendar day', () => {
    const input = community(repeat(0.4, 4), [seller(4), buyer(4)], {
      p2p: { maxDailySellKwh: 3, transmissionLoss: 0.05 },
      dayOfInterval: Int32Array.from([0, 0, 1, 1]),
    });
    const result = solver.solve(input);
    expectOptimal(result);
    const sent = result.perHousehold[0].schedule.p2pSentKwh;
    expect(sent[0] + sent[1]).toBeCloseTo(3, 7);
    expect(sent[2] + sent[3]).toBeCloseTo(3, 7);
    // per day: buyer imports 4 − 0.95 × 3, seller exports 6 − 3
    expect(result.totalCostUsd).toBeCloseTo(2 * ((4 - 2.85) * 0.4 - 3 * 0.05), 7);
    expectPhysicallyConsistent(input, result);
  });
});

describe('community optimum: netting', () => {
  it.each(['no-export', 'solar-only'] as const)('never imports and exports through one meter in an interval, even where export pays more than import (%s)', (storageMode) => {
    // interval 1 is an NBT summer evening: export 0.60 > import 0.30
    const input = community([0.3, 0.3], [home([2, 2], [0, 2], { battery: battery({ initialSocKwh: 2, storageMode }) })], {
      exportUsdPerKwh: f64([0.05, 0.6]),
    });
    const netted = solver.solve(input);
    const relaxed = solver.solve(input, { enforceNetting: false });
    expectOptimal(netted);
    expectOptimal(relaxed);
    expect(netted.binaryVariables).toBeGreaterThan(0);
    expect(relaxed.binaryVariables).toBe(0);
    expect(findNettingViolation(netted.perHousehold.map((h) => h.schedule))).toBeNull();
    expect(findNettingViolation(relaxed.perHousehold.map((h) => h.schedule))).not.toBeNull();
    expect(relaxed.totalCostUsd).toBeLessThan(netted.totalCostUsd - 0.1);
    expectPhysicallyConsistent(input, netted);
  });

  it('also nets where the baseline credit makes importing cheaper than the export value', () => {
    // import 0.30 − credit 0.08 = 0.22 < export 0.25: without netting, import the load and export all PV
    const input = community([0.3], [home([2], [2], { baselineAllowanceKwh: 10 })], {
      exportUsdPerKwh: f64([0.25]),
      baselineCreditUsdPerKwh: 0.08,
    });
    const netted = solver.solve(input);
    const relaxed = solver.solve(input, { enforceNetting: false });
    expectOptimal(netted);
    expectOptimal(relaxed);
    expect(netted.totalCostUsd).toBeCloseTo(0, 7);
    expect(relaxed.totalCostUsd).toBeCloseTo(2 * (0.3 - 0.08 - 0.25), 7);
    expect(findNettingViolation(netted.perHousehold.map((h) => h.schedule))).toBeNull();
  });
});

describe('community optimum: failure cases', () => {
  it('skips a model above the variable limit without solving, saying the size and the limit', () => {
    const input = community([0.3, 0.3], [home([1, 1])]);
    const result = solver.solve(input, { maxVariables: 3 });
    expect(result.status).toBe('skipped');
    expect(result.variables).toBe(4);
    expect(result.reason).toMatch(/4 variables.*limit of 3/);
    expect(result.totalCostUsd).toBeNaN();
    expect(result.perHousehold).toEqual([]);
  });

  it('skips a week for 100 trading homes with batteries under the default limit of 200,000 variables', () => {
    const intervals = 336;
    const households = Array.from({ length: 100 }, () => home(repeat(0.5, intervals), undefined, { battery: battery() }));
    const result = solver.solve(community(repeat(0.3, intervals), households, { p2p: { maxDailySellKwh: 10, transmissionLoss: 0.05 } }));
    expect(result.status).toBe('skipped');
    expect(result.variables).toBe(100 * intervals * 7); // G X C D S Q R
    expect(result.reason).toContain('200000');
  });

  it('reports a battery that starts above its SoC ceiling as infeasible', () => {
    const result = solver.solve(community([0.3], [home([1], undefined, { battery: battery({ maxSocKwh: 9, initialSocKwh: 9.5 }) })]));
    expect(result.status).toBe('infeasible');
    expect(result.reason).toContain('outside its SoC window');
  });

  it('reports malformed input as an error naming the field', () => {
    const short = solver.solve(community([0.3, 0.3], [home([1])]));
    expect(short.status).toBe('error');
    expect(short.reason).toContain('household 0 loadKwh has 1 values, expected 2');
    const nan = solver.solve(community([0.3, Number.NaN], [home([1, 1])]));
    expect(nan.status).toBe('error');
    expect(nan.reason).toContain('importUsdPerKwh[1]');
  });
});

describe('community optimum: properties', () => {
  const kwh = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((v) => v / 100);
  const intervals = 8;
  const series = (max: number) => fc.array(kwh(max), { minLength: intervals, maxLength: intervals });
  const arbHome = fc.record({
    loadKwh: series(2),
    pvKwh: series(3),
    hasBattery: fc.boolean(),
    initialSocKwh: kwh(8),
    allowanceKwh: kwh(6),
  });
  const arbCommunity = fc.record({
    homes: fc.array(arbHome, { minLength: 2, maxLength: 4 }),
    importUsdPerKwh: fc.array(fc.integer({ min: 10, max: 60 }).map((v) => v / 100), { minLength: intervals, maxLength: intervals }),
    exportUsdPerKwh: fc.array(fc.integer({ min: 0, max: 70 }).map((v) => v / 100), { minLength: intervals, maxLength: intervals }),
    maxDailySellKwh: kwh(10),
  });
  const toInput = (c: typeof arbCommunity extends fc.Arbitrary<infer T> ? T : never): OptimumInput =>
    community(
      c.importUsdPerKwh,
      c.homes.map((h) =>
        home(h.loadKwh, h.pvKwh, {
          baselineAllowanceKwh: h.allowanceKwh,
          battery: h.hasBattery ? battery({ minSocKwh: 1, maxSocKwh: 9, initialSocKwh: Math.max(1, h.initialSocKwh) }) : null,
        }),
      ),
      {
        exportUsdPerKwh: f64(c.exportUsdPerKwh),
        dayOfInterval: Int32Array.from({ length: intervals }, (_, t) => (t < 4 ? 0 : 1)),
        p2p: { maxDailySellKwh: c.maxDailySellKwh, transmissionLoss: 0.05 },
        baselineCreditUsdPerKwh: 0.0814,
      },
    );

  it('batteries and P2P never make the optimum dearer, and the optimum stays physical and netted', () => {
    fc.assert(
      fc.property(arbCommunity, (c) => {
        const input = toInput(c);
        const full = solver.solve(input);
        const noBattery = solver.solve({ ...input, households: input.households.map((h) => ({ ...h, battery: null })) });
        const noP2p = solver.solve({ ...input, p2p: null });
        for (const r of [full, noBattery, noP2p]) expectOptimal(r);
        const slackUsd = 1e-6 * (1 + Math.abs(full.totalCostUsd));
        expect(full.totalCostUsd, 'battery+P2P vs no battery').toBeLessThanOrEqual(noBattery.totalCostUsd + slackUsd);
        expect(full.totalCostUsd, 'battery+P2P vs no P2P').toBeLessThanOrEqual(noP2p.totalCostUsd + slackUsd);
        expect(findNettingViolation(full.perHousehold.map((h) => h.schedule))).toBeNull();
        expectPhysicallyConsistent(input, full);
        for (let i = 0; i < input.households.length; i++) {
          const sent = full.perHousehold[i].schedule.p2pSentKwh;
          expect(sent[0] + sent[1] + sent[2] + sent[3]).toBeLessThanOrEqual(c.maxDailySellKwh + 1e-6);
          expect(sent[4] + sent[5] + sent[6] + sent[7]).toBeLessThanOrEqual(c.maxDailySellKwh + 1e-6);
          const b = input.households[i].battery;
          if (b) expect(full.perHousehold[i].finalSocKwh).toBeGreaterThanOrEqual(b.initialSocKwh - 1e-6);
        }
      }),
      { numRuns: 12, seed: 20260715 },
    );
  });

  it('gives deep-equal results for the same input solved twice', () => {
    const input = toInput(fc.sample(arbCommunity, { numRuns: 1, seed: 7 })[0]);
    expect(solver.solve(input)).toEqual(solver.solve(input));
  });
});
