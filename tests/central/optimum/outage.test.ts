import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimumSolver, findScheduleViolation, type OptimumSolver } from '../../../central/optimum/index.ts';
import { battery, community, expectOptimal, f64, home } from './helpers.ts';

let solver: OptimumSolver;
beforeAll(async () => {
  solver = await createOptimumSolver();
});

const outage = (gridDown: number[], voll = 2, criticalVoll = 20) => ({ gridDown: Uint8Array.from(gridDown), vollUsdPerKwh: voll, criticalVollUsdPerKwh: criticalVoll });

describe('the perfect-foresight optimum with a grid outage (cost + value of lost load)', () => {
  it('buys no grid energy while the grid is down, pre-charges before it, and serves critical load before deferrable load', () => {
    // one home with a no-export battery starting empty; the grid is down in intervals 2–3
    const input = community(
      [0.3, 0.3, 0.3, 0.3],
      [home([1, 1, 2, 2], [0, 0, 0, 0], { battery: battery({ maxPowerKw: 4, maxSocKwh: 3, capacityKwh: 3 }), criticalKwh: f64([0.5, 0.5, 1, 1]) })],
      { outage: outage([0, 0, 1, 1]), terminalSocAtLeastInitial: false },
    );
    const r = solver.solve(input);
    expectOptimal(r);
    const s = r.perHousehold[0].schedule;
    expect(s.gridImportKwh[2] + s.gridImportKwh[3]).toBe(0);
    expect(s.socKwh![1]).toBeCloseTo(3, 6); // full when the grid goes down
    // 3 kWh stored × 0.95 = 2.85 kWh for 4 kWh of load (2 critical): critical first
    expect(s.unservedCriticalKwh![2] + s.unservedCriticalKwh![3]).toBeCloseTo(0, 6);
    expect(r.unservedKwh).toBeCloseTo(4 - 2.85, 6);
    expect(r.unservedValueUsd).toBeCloseTo((4 - 2.85) * 2, 6);
    expect(findScheduleViolation(input, r.perHousehold.map((x) => x.schedule))).toBeNull();
  });

  it('shares a neighbour’s PV over P2P while islanded and curtails what no one can take', () => {
    const input = community(
      [0.3, 0.3],
      [home([0, 0], [3, 3]), home([1, 1], [0, 0], { criticalKwh: f64([0.5, 0.5]) })],
      { outage: outage([1, 1]), p2p: { maxDailySellKwh: 100, transmissionLoss: 0.05 } },
    );
    const r = solver.solve(input);
    expectOptimal(r);
    expect(r.unservedKwh).toBeCloseTo(0, 6);
    expect(r.gridImportKwh + r.gridExportKwh).toBe(0);
    const pv = r.perHousehold[0].schedule;
    expect(pv.curtailedKwh![0]).toBeCloseTo(3 - 1 / 0.95, 6);
  });

  it('without P2P the neighbour stays dark: unserved load at its value of lost load', () => {
    const input = community([0.3], [home([0], [3]), home([1], [0], { criticalKwh: f64([0.5]) })], { outage: outage([1]) });
    const r = solver.solve(input);
    expectOptimal(r);
    expect(r.unservedKwh).toBeCloseTo(1, 6);
    expect(r.unservedCriticalKwh).toBeCloseTo(0.5, 6);
    expect(r.unservedValueUsd).toBeCloseTo(0.5 * 2 + 0.5 * 20, 6);
  });

  it('the audit flags grid flow while the grid is down', () => {
    const input = community([0.3], [home([1], [0], { criticalKwh: f64([0.5]) })], { outage: outage([1]) });
    const r = solver.solve(input);
    expectOptimal(r);
    const s = { ...r.perHousehold[0].schedule, gridImportKwh: f64([1]), unservedKwh: f64([0]), unservedCriticalKwh: f64([0]) };
    expect(findScheduleViolation(input, [s])?.rule).toBe('grid_flow_while_down');
  });
});
