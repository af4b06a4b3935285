/**
 * The Net Billing Tariff rules in the perfect-foresight optimum: storage modes, homes without a
 * battery, battery wear and each home's own plan. Each rule is shown on a constructed case where
 * breaking it would pay, beside the same case under the other mode (where the behaviour is allowed
 * and the optimum takes it).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkStorageRules, p2pSaleCapKwh, STORAGE_NO_EXPORT, storageModeCode } from '../../../battery/index.ts';
import { createOptimumSolver, findScheduleViolation, type OptimumInput, type OptimumResult, type OptimumSolver } from '../../../central/optimum/index.ts';
import { battery, community, expectOptimal, expectPhysicallyConsistent, f64, home, repeat } from './helpers.ts';

let solver: OptimumSolver;
beforeAll(async () => {
  solver = await createOptimumSolver();
});

const TOL = 1e-6;
const series = (r: OptimumResult, i: number, key: 'chargeKwh' | 'dischargeKwh' | 'gridImportKwh' | 'gridExportKwh' | 'p2pSentKwh' | 'p2pReceivedKwh'): number[] =>
  Array.from(r.perHousehold[i].schedule[key]);

function solveOptimal(input: OptimumInput, opts?: Parameters<OptimumSolver['solve']>[1]): OptimumResult {
  const result = solver.solve(input, opts);
  expectOptimal(result);
  expectPhysicallyConsistent(input, result);
  expect(findScheduleViolation(input, result.perHousehold.map((h) => h.schedule), { netting: opts?.enforceNetting ?? true })).toBeNull();
  return result;
}

describe('no-export storage', () => {
  // interval 1 is a summer evening where the export value (0.80) is above the import rate (0.30);
  // the battery starts with 8 kWh and need not end with it, so dumping it would pay
  const evening = (storageMode: 'no-export' | 'solar-only'): OptimumInput =>
    community([0.3, 0.3], [home([1, 1], [0, 2], { battery: battery({ initialSocKwh: 8, storageMode }) })], {
      exportUsdPerKwh: f64([0.05, 0.8]),
      terminalSocAtLeastInitial: false,
    });

  it('never exports stored energy, even where the export value is above the import rate', () => {
    const r = solveOptimal(evening('no-export'));
    expect(series(r, 0, 'gridExportKwh')[1], 'exports only its PV surplus').toBeCloseTo(1, 7);
    expect(series(r, 0, 'dischargeKwh')).toEqual([expect.closeTo(1, 7), expect.closeTo(0, 7)]); // serves its own load only
    // t0: the battery serves the load; t1: PV serves the load and 1 kWh surplus earns 0.80
    expect(r.totalCostUsd).toBeCloseTo(-0.8, 7);
    // the same home in solar-only mode exports stored energy and earns more: the rule binds
    const free = solveOptimal(evening('solar-only'));
    expect(series(free, 0, 'gridExportKwh')[1]).toBeCloseTo(2.5, 7);
    expect(free.totalCostUsd).toBeCloseTo(-0.5 * 0.05 - 2.5 * 0.8, 7); // t0 also dumps 0.5 kWh at 0.05
  });

  it('never sells stored energy to a neighbour, who would pay well for it', () => {
    const make = (storageMode: 'no-export' | 'solar-only'): OptimumInput =>
      community(repeat(0.5, 2), [home([0, 0], [0, 0], { battery: battery({ initialSocKwh: 8, storageMode }) }), home([2, 2])], {
        p2p: { maxDailySellKwh: 10, transmissionLoss: 0.05 },
        terminalSocAtLeastInitial: false,
      });
    const r = solveOptimal(make('no-export'));
    expect(r.p2pSentKwh).toBeCloseTo(0, 7);
    expect(r.totalCostUsd).toBeCloseTo(4 * 0.5, 7);
    const free = solveOptimal(make('solar-only'));
    expect(free.perHousehold[0].p2pSentKwh).toBeCloseTo(3, 7); // 1.5 kWh per interval, the power limit
    expect(free.totalCostUsd).toBeCloseTo((4 - 0.95 * 3) * 0.5, 7);
  });

  it('charges from the grid at night for its own evening load', () => {
    const r = solveOptimal(community([0.1, 0.1, 0.6, 0.6], [home([0, 0, 1, 1], undefined, { battery: battery() })]));
    expect(series(r, 0, 'dischargeKwh').slice(2)).toEqual([expect.closeTo(1, 7), expect.closeTo(1, 7)]);
    expect(r.totalCostUsd).toBeCloseTo((2 / 0.9025) * 0.1, 7);
  });
});

describe('solar-only storage', () => {
  // cheap grid (0.10) all afternoon, an expensive evening (0.60); a little PV early on
  const afternoon = (storageMode: 'no-export' | 'solar-only'): OptimumInput =>
    community([0.1, 0.1, 0.1, 0.1, 0.6, 0.6], [home([1, 1, 1, 1, 2, 2], [0.5, 0.5, 0, 0, 0, 0], { battery: battery({ storageMode }) })]);

  it('never charges from the grid, even when the grid is cheap and the evening dear', () => {
    const r = solveOptimal(afternoon('solar-only'));
    const pv = [0.5, 0.5, 0, 0, 0, 0];
    series(r, 0, 'chargeKwh').forEach((c, t) => expect(c, `charge at ${t}`).toBeLessThanOrEqual(pv[t] + TOL));
    series(r, 0, 'gridImportKwh').forEach((g, t) => expect(g, `imports serve only the load at ${t}`).toBeLessThanOrEqual([1, 1, 1, 1, 2, 2][t] + TOL));
    // its 1 kWh of PV is stored (the grid serves the load meanwhile) and delivered as 0.9025 kWh in the evening
    expect(r.totalCostUsd).toBeCloseTo(4 * 0.1 + (4 - 0.9025) * 0.6, 7);
    // a no-export battery may fill from the grid and does: the rule binds
    const free = solveOptimal(afternoon('no-export'));
    expect(series(free, 0, 'chargeKwh').slice(0, 4).reduce((a, b) => a + b, 0)).toBeGreaterThan(3);
    expect(free.totalCostUsd).toBeLessThan(r.totalCostUsd - 0.5);
  });

  it('exports stored solar energy in the evening when the export value pays', () => {
    // midday: 3 kWh PV at 0.05; evening: no PV, export values 0.70 then 0.60, above the import rate
    const input = community([0.3, 0.3, 0.3, 0.3], [home([0, 0, 0, 0], [3, 3, 0, 0], { battery: battery({ storageMode: 'solar-only' }) })], {
      exportUsdPerKwh: f64([0.05, 0.05, 0.7, 0.6]),
    });
    const r = solveOptimal(input);
    expect(series(r, 0, 'chargeKwh').slice(0, 2)).toEqual([expect.closeTo(1.5, 7), expect.closeTo(1.5, 7)]);
    const exports = series(r, 0, 'gridExportKwh');
    expect(exports[2], 'export above its (zero) PV').toBeCloseTo(1.5, 7);
    expect(exports[2] + exports[3]).toBeCloseTo(3 * 0.9025, 7);
    expect(r.totalCostUsd).toBeCloseTo(-3 * 0.05 - 1.5 * 0.7 - (3 * 0.9025 - 1.5) * 0.6, 7);
    // the same battery in no-export mode may not: it exports only its PV
    const held = solveOptimal({ ...input, households: input.households.map((h) => ({ ...h, battery: battery({ storageMode: 'no-export' }) })) });
    expect(held.gridExportKwh).toBeCloseTo(6, 7);
    expect(held.totalCostUsd).toBeCloseTo(-6 * 0.05, 7);
  });

  it('never imports while it sells: a sale leaves through the meter, so the battery cannot pass grid energy on', () => {
    // the seller's import earns a baseline credit the buyer's would not (0.30 − 0.0814 against the
    // buyer's 0.30): importing its own load and sending away its PV (stored and released in the same
    // interval, so the sale stays within PV surplus + discharge) would pay
    const input = community(
      [0.3],
      [home([1], [2], { battery: battery({ storageMode: 'solar-only' }), baselineAllowanceKwh: 10, baselineCreditUsdPerKwh: 0.0814 }), home([2])],
      { p2p: { maxDailySellKwh: 10, transmissionLoss: 0.05 } },
    );
    const r = solveOptimal(input);
    const s = r.perHousehold[0].schedule;
    expect(s.p2pSentKwh[0]).toBeCloseTo(1, 7); // its PV surplus
    expect(s.gridImportKwh[0]).toBeCloseTo(0, 7);
    expect(r.totalCostUsd).toBeCloseTo((2 - 0.95) * 0.3, 7);
    // without netting (the LP relaxation) the pass-through happens and pays: the rule binds
    const relaxed = solveOptimal(input, { enforceNetting: false });
    const rs = relaxed.perHousehold[0].schedule;
    expect(rs.gridImportKwh[0]).toBeGreaterThan(0.5);
    expect(rs.p2pSentKwh[0]).toBeGreaterThan(1.5);
    expect(rs.p2pSentKwh[0]).toBeLessThanOrEqual(p2pSaleCapKwh(storageModeCode('solar-only'), 1, 2, rs.dischargeKwh[0]) + TOL);
    expect(relaxed.totalCostUsd).toBeLessThan(r.totalCostUsd - 0.02);
  });
});

describe('homes without a battery', () => {
  it('never export more than their PV, even with netting off and the export value above the import rate', () => {
    const input = community([0.3], [home([1], [2])], { exportUsdPerKwh: f64([0.8]) });
    const relaxed = solveOptimal(input, { enforceNetting: false });
    expect(relaxed.perHousehold[0].gridExportKwh).toBeCloseTo(2, 7); // imports its load, exports all its PV: relaxed, but no more than the PV
    expect(relaxed.totalCostUsd).toBeCloseTo(0.3 - 1.6, 7);
    const netted = solveOptimal(input);
    expect(netted.perHousehold[0].gridExportKwh).toBeCloseTo(1, 7);
    expect(netted.totalCostUsd).toBeCloseTo(-0.8, 7);
  });

  it('sell neighbours only their PV surplus, even where importing for their own load would earn a credit', () => {
    // A: 1 kWh load, 2 kWh PV, unused baseline allowance (credit 0.08); B: 2 kWh load, no credit.
    // Importing A's load (0.30 − 0.08) and sending B all 2 kWh of PV would cost 0.25 instead of 0.315.
    const input = community([0.3], [home([1], [2], { baselineAllowanceKwh: 10, baselineCreditUsdPerKwh: 0.08 }), home([2])], {
      p2p: { maxDailySellKwh: 10, transmissionLoss: 0.05 },
    });
    for (const enforceNetting of [true, false]) {
      const r = solveOptimal(input, { enforceNetting });
      expect(r.perHousehold[0].p2pSentKwh).toBeCloseTo(1, 7);
      expect(r.perHousehold[0].gridImportKwh).toBeCloseTo(0, 7);
      expect(r.totalCostUsd).toBeCloseTo((2 - 0.95) * 0.3, 7);
    }
  });
});

describe('battery wear', () => {
  // cheap 0.25 then 0.30: a round trip of 0.9025 delivers a kWh for 0.277, a margin of 2.3¢ per kWh discharged
  const arbitrage = (wearUsdPerKwh: number): OptimumInput =>
    community([0.25, 0.25, 0.25, 0.25, 0.3, 0.3, 0.3, 0.3], [home(repeat(1, 8), undefined, { battery: battery({ wearUsdPerKwh }) })]);
  const gridOnlyUsd = 4 * 0.25 + 4 * 0.3;

  it('makes a marginal arbitrage not worth it', () => {
    const r = solveOptimal(arbitrage(0.1));
    expect(r.perHousehold[0].dischargeKwh).toBeCloseTo(0, 7);
    expect(r.batteryWearUsd).toBeCloseTo(0, 7);
    expect(r.totalCostUsd).toBeCloseTo(gridOnlyUsd, 7);
  });

  it('is costed per kWh discharged and reported apart from the bills when the arbitrage still pays', () => {
    const r = solveOptimal(arbitrage(0.01));
    expect(r.perHousehold[0].dischargeKwh).toBeCloseTo(4, 7); // the evening load, at most load − PV
    expect(r.batteryWearUsd).toBeCloseTo(0.04, 7);
    expect(r.perHousehold[0].batteryWearUsd).toBeCloseTo(0.04, 7);
    expect(r.billsUsd).toBeCloseTo(4 * 0.25 + (4 / 0.9025) * 0.25, 7);
    expect(r.totalCostUsd).toBeCloseTo(r.billsUsd + 0.04, 9);
    expect(r.totalCostUsd).toBeLessThan(gridOnlyUsd);
  });
});

describe("each home's own plan", () => {
  it('bills every home at its own rates and baseline credit', () => {
    // A on a made-up E-TOU-C-like plan with a baseline credit, B on an E-ELEC-like plan without one
    const a = home([1, 2], undefined, { importUsdPerKwh: f64([0.4, 0.5]), baselineAllowanceKwh: 1, baselineCreditUsdPerKwh: 0.08 });
    const b = home([2, 1], undefined, { importUsdPerKwh: f64([0.35, 0.6]), baselineCreditUsdPerKwh: 0 });
    const r = solveOptimal(community([0, 0], [a, b]));
    expect(r.perHousehold[0].energyCostUsd).toBeCloseTo(1 * 0.4 + 2 * 0.5, 9);
    expect(r.perHousehold[0].creditsUsd).toBeCloseTo(-0.08, 9);
    expect(r.perHousehold[1].energyCostUsd).toBeCloseTo(2 * 0.35 + 1 * 0.6, 9);
    expect(r.perHousehold[1].creditsUsd).toBe(-0);
    expect(r.totalCostUsd).toBeCloseTo(1.4 - 0.08 + 1.3, 9);
  });

  it('sends shared energy to the neighbour whose own plan makes the import dearest', () => {
    const r = solveOptimal(
      community([0.3], [home([0], [1]), home([1], undefined, { importUsdPerKwh: f64([0.3]) }), home([1], undefined, { importUsdPerKwh: f64([0.5]) })], {
        p2p: { maxDailySellKwh: 10, transmissionLoss: 0.05 },
      }),
    );
    expect(r.perHousehold[1].p2pReceivedKwh).toBeCloseTo(0, 7);
    expect(r.perHousehold[2].p2pReceivedKwh).toBeCloseTo(0.95, 7);
    expect(r.totalCostUsd).toBeCloseTo(0.3 + 0.05 * 0.5, 7);
  });
});

describe('storage rules: property over random communities', () => {
  const kwh = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((v) => v / 100);
  const usd = (min: number, max: number) => fc.integer({ min: min * 100, max: max * 100 }).map((v) => v / 100);
  const intervals = 6;
  const arr = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: intervals, maxLength: intervals });
  const arbHome = fc.record({
    loadKwh: arr(kwh(2)),
    pvKwh: arr(kwh(3)),
    battery: fc.option(fc.record({ storageMode: fc.constantFrom('solar-only' as const, 'no-export' as const), initialSocKwh: kwh(8), wearUsdPerKwh: usd(0, 0.1) }), { nil: null }),
    plan: fc.integer({ min: 0, max: 1 }),
    allowanceKwh: kwh(4),
  });
  const arbCommunity = fc.record({
    homes: fc.array(arbHome, { minLength: 2, maxLength: 4 }),
    plans: fc.tuple(arr(usd(0.1, 0.6)), arr(usd(0.1, 0.6))),
    exportUsdPerKwh: arr(usd(0, 0.8)),
    maxDailySellKwh: kwh(8),
    trading: fc.boolean(),
  });
  const toInput = (c: typeof arbCommunity extends fc.Arbitrary<infer T> ? T : never): OptimumInput =>
    community(
      c.plans[0],
      c.homes.map((h) =>
        home(h.loadKwh, h.pvKwh, {
          importUsdPerKwh: f64(c.plans[h.plan]),
          // plan 0 earns a baseline credit, plan 1 does not (E-TOU-C vs E-ELEC)
          baselineCreditUsdPerKwh: h.plan === 0 ? 0.0814 : 0,
          baselineAllowanceKwh: h.plan === 0 ? h.allowanceKwh : 0,
          battery: h.battery ? battery({ ...h.battery, minSocKwh: 1, maxSocKwh: 9, initialSocKwh: Math.max(1, h.battery.initialSocKwh) }) : null,
        }),
      ),
      {
        exportUsdPerKwh: f64(c.exportUsdPerKwh),
        dayOfInterval: Int32Array.from({ length: intervals }, (_, t) => (t < 3 ? 0 : 1)),
        p2p: c.trading ? { maxDailySellKwh: c.maxDailySellKwh, transmissionLoss: 0.05 } : null,
      },
    );

  it('every schedule obeys checkStorageRules in every interval, ends with its stored energy, and bills each home at its own rates', () => {
    fc.assert(
      fc.property(arbCommunity, (c) => {
        const input = toInput(c);
        const r = solveOptimal(input);
        r.perHousehold.forEach(({ schedule: s, energyCostUsd, finalSocKwh }, i) => {
          const h = input.households[i];
          // a home without a battery has only PV to send: the no-export rules hold for it too
          const mode = h.battery ? storageModeCode(h.battery.storageMode) : STORAGE_NO_EXPORT;
          let billUsd = 0;
          for (let t = 0; t < intervals; t++) {
            const flows = { servedLoadKwh: h.loadKwh[t], pvKwh: h.pvKwh[t], chargeKwh: s.chargeKwh[t], dischargeKwh: s.dischargeKwh[t], p2pSoldKwh: s.p2pSentKwh[t], gridExportKwh: s.gridExportKwh[t] };
            expect(checkStorageRules(mode, flows, TOL), `household ${i} (${h.battery?.storageMode ?? 'no battery'}) at ${t}`).toEqual({ ok: true });
            expect(s.p2pSentKwh[t]).toBeLessThanOrEqual(p2pSaleCapKwh(mode, h.loadKwh[t], h.pvKwh[t], s.dischargeKwh[t]) + TOL);
            billUsd += s.gridImportKwh[t] * h.importUsdPerKwh[t] - s.gridExportKwh[t] * input.exportUsdPerKwh[t];
          }
          expect(energyCostUsd).toBeCloseTo(billUsd, 9);
          if (h.battery) expect(finalSocKwh!).toBeGreaterThanOrEqual(h.battery.initialSocKwh - TOL);
        });
      }),
      { numRuns: 15, seed: 20261201 },
    );
  });
});
