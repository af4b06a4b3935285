import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkContract } from './contract-check.ts';
import { collectRun, smallConfig } from './helpers.ts';

/** Kept for callers that import the checker from here (it lives in contract-check.ts). */
export { checkContract };

/** An outage starting `startHour` hours after midnight of `day` (local; negative: the day before). */
function outageAt(day: string, startHour: number, hours: number, noticeHours: number) {
  const start = DateTime.fromISO(day, { zone: 'America/Los_Angeles' }).plus({ hours: startHour }).toFormat("yyyy-MM-dd'T'HH:mm");
  return { start, hours, noticeHours };
}

describe('run invariants (docs/OUTPUTS.md identities)', () => {
  it('hold on the default scenario shape', async () => {
    const run = await collectRun(smallConfig({ households: { count: 10 } }));
    expect(run.intervals).toHaveLength(48);
    expect(run.trades.length).toBeGreaterThan(0);
    checkContract(run);
  });

  it('hold for random communities, tariffs, matching rules and settlement regimes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          count: fc.integer({ min: 1, max: 8 }),
          pvShare: fc.double({ min: 0, max: 1, noNaN: true }),
          batteryShare: fc.double({ min: 0, max: 1, noNaN: true }),
          plan: fc.constantFrom('E-TOU-C', 'E-TOU-D', 'EV2-A', 'E-ELEC', 'TOU-C-legacy'),
          rule: fc.constantFrom('instant', 'pay-as-bid', 'uniform-price'),
          settlement: fc.constantFrom('supplier', 'sandbox', 'flat-fee'),
          fee: fc.constantFrom(0, 0.01),
          maxTradeKwh: fc.constantFrom(0.5, 2),
          maxDailySellKwh: fc.constantFrom(1, 10),
          start: fc.constantFrom('2026-07-15', '2026-01-20', '2026-03-08', '2026-11-01'),
          assignment: fc.constantFrom('nbt', 'uniform'),
          storageMode: fc.constantFrom('auto', 'no-export', 'solar-only'),
          wear: fc.constantFrom(0, 0.1),
          // an outage inside or overlapping the day (it may start the evening before; the spring-forward day has 23 h)
          outage: fc.option(fc.record({ startHour: fc.integer({ min: -6, max: 21 }), hours: fc.integer({ min: 7, max: 30 }), noticeHours: fc.integer({ min: 0, max: 30 }) }), { nil: null }),
        }),
        async (r) => {
          const run = await collectRun(
            smallConfig({
              seed: r.seed,
              // solar-only charging needs PV at every home: it comes with pvShare 1
              households: { count: r.count, pvShare: r.storageMode === 'solar-only' ? 1 : r.pvShare },
              battery: { share: r.batteryShare, storageMode: r.storageMode, wearCostUsdPerKwh: r.wear },
              tariff: { plan: r.plan, assignment: r.assignment },
              market: { rule: r.rule, settlement: r.settlement, feeUsdPerKwh: r.fee, maxTradeKwh: r.maxTradeKwh, maxDailySellKwh: r.maxDailySellKwh },
              time: { start: r.start },
              grid: { outages: r.outage ? [outageAt(r.start, r.outage.startHour, r.outage.hours, r.outage.noticeHours)] : [] },
            }),
          );
          checkContract(run);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('hold for the receding-horizon strategy under each matching rule', async () => {
    for (const rule of ['instant', 'pay-as-bid', 'uniform-price']) {
      const run = await collectRun(smallConfig({ seed: 11, households: { count: 5 }, agents: { strategy: 'receding-horizon' }, market: { rule }, baselines: { perfectForecast: false } }));
      checkContract(run);
      expect(run.summary.run.strategy).toBe('receding-horizon');
    }
  });

  it('hold for the CVaR-aware planner', async () => {
    const run = await collectRun(
      smallConfig({ seed: 12, households: { count: 3 }, agents: { strategy: 'receding-horizon-cvar', cvar: { weight: 1 } }, baselines: { perfectForecast: false } }),
    );
    checkContract(run);
    expect(run.summary.run.strategy).toBe('receding-horizon-cvar');
  });

  it('hold with the gated transformer, FedAvg rounds and a P90 reserve', async () => {
    const run = await collectRun(
      smallConfig({ seed: 3, households: { count: 3 }, agents: { forecaster: 'gated', reserveQuantile: 'p90' }, baselines: { perfectForecast: false } }),
    );
    checkContract(run);
    expect(run.summary.federated!.rounds).toBe(8);
    expect(run.summary.run.forecaster).toBe('gated');
  });

  it('hold for the receding-horizon planner under each storage mode', async () => {
    for (const storageMode of ['solar-only', 'no-export'] as const) {
      const run = await collectRun(
        smallConfig({ seed: 21, households: { count: 4, pvShare: 1 }, battery: { storageMode }, agents: { strategy: 'receding-horizon' }, baselines: { perfectForecast: false } }),
      );
      checkContract(run);
      expect(run.summary.households_detail.every((d) => d.storage_mode === storageMode)).toBe(true);
    }
  });

  it('agents end the run with the stored energy they started with (within 0.05 kWh a home)', async () => {
    // the stated tolerance: the last day's plan refills to the starting state of charge from PV (solar-only) or
    // cheap imports after the last expensive block (no-export); forecast error can leave a small remainder
    for (const [strategy, start] of [
      ['rule-based', '2026-07-15'],
      ['rule-based', '2026-01-20'],
      ['receding-horizon', '2026-07-15'],
    ] as const) {
      // Net Billing Tariff homes: a NEM 2 home's export credit is close to its import rate, so ending a day with less stored is no loss to it
      const nbt = { nem2: 0, nbt23: 0, nbt24: 0, nbt25: 0, nbt26: 1 };
      const run = await collectRun(smallConfig({ seed: 5, households: { count: 6, exportMix: nbt }, agents: { strategy }, time: { start, days: 2 }, baselines: { perfectForecast: false } }));
      for (const d of run.summary.households_detail) {
        expect(d.final_soc_kwh - d.initial_soc_kwh, `${strategy} ${start} ${d.id} (${d.storage_mode}): end − start stored`).toBeGreaterThan(-0.05);
      }
    }
  });

  it('DST days have 46 and 50 intervals', async () => {
    const spring = await collectRun(smallConfig({ time: { start: '2026-03-08' } }));
    const autumn = await collectRun(smallConfig({ time: { start: '2026-11-01' } }));
    expect(spring.intervals).toHaveLength(46);
    expect(autumn.intervals).toHaveLength(50);
    expect(autumn.intervals[2].start).toMatch(/T01:00:00.*-07:00$/);
    expect(autumn.intervals[4].start).toMatch(/T01:00:00.*-08:00$/);
  });
});

describe('run invariants on measured homes (data/real-homes)', () => {
  it('hold for the five development homes imported from meter data, with the optimum and the reruns', async () => {
    const run = await collectRun(
      smallConfig({
        households: { source: { kind: 'meter', meter: 'data/real-homes/meter.csv', weather: 'data/real-homes/weather.csv' } },
        weather: { latitudeDeg: 34.09, longitudeDeg: -117.43 },
        time: { start: '2026-07-15', days: 2, historyDays: 14 },
        baselines: { batteryOnly: true, perfectForesight: true },
      }),
    );
    checkContract(run);
    expect(run.summary.run.households).toBe(5);
    expect(run.summary.households_detail.map((d) => d.id)).toEqual(['home01', 'home02', 'home03', 'home04', 'home05']);
    expect(run.summary.inputs!.homes).toBe(5);
    expect(run.summary.inputs!.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.summary.comparisons.perfect_foresight.status).toBe('optimal');
    // the meter's own load reaches the timeline unchanged: home01's first trading half hour is half its metered hour
    expect(run.intervals[0].households[0].load_kwh).toBeGreaterThan(0);
  });
});
