import { describe, expect, it } from 'vitest';
import { ConfigError, parseSimConfig, mergeConfig } from '../../sim/index.ts';
import { findScenario } from '../../sim/scenarios.ts';
import { checkContract } from './contract-check.ts';
import { collectRun, smallConfig } from './helpers.ts';

const TOL = 1e-6;

function configError(grid: unknown, time: unknown = { start: '2026-07-15', days: 1 }): ConfigError {
  try {
    parseSimConfig(mergeConfig({ time, grid }));
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('grid.outages config', () => {
  it('names the field and the reason for each bad outage', () => {
    expect(configError({ outages: [{ start: '2026-07-15T12:00', hours: 0 }] }).issues[0].path).toBe('grid.outages.0.hours');
    expect(configError({ outages: [{ start: '2026-07-15T12:00', hours: 2, noticeHours: -1 }] }).issues[0].path).toBe('grid.outages.0.noticeHours');
    expect(configError({ outages: [{ start: '15/07/2026 12:00', hours: 2 }] }).issues[0].path).toBe('grid.outages.0.start');
    const outside = configError({ outages: [{ start: '2026-07-15T12:00', hours: 2 }, { start: '2026-08-01T00:00', hours: 2 }] });
    expect(outside.issues.map((i) => i.path)).toEqual(['grid.outages.1.start']);
    expect(outside.message).toMatch(/outside the run/);
  });

  it('accepts an outage that overlaps the run window from before it', () => {
    const c = parseSimConfig(mergeConfig({ time: { start: '2026-07-15', days: 1 }, grid: { outages: [{ start: '2026-07-14T20:00', hours: 6 }] } }));
    expect(c.grid.outages[0].noticeHours).toBe(48);
  });
});

describe('an islanded community (grid down)', () => {
  const outage = { start: '2026-07-15T14:00', hours: 8, noticeHours: 6 };

  it('has no grid flow, closes every balance with unserved_kwh and serves critical load before deferrable load', async () => {
    for (const strategy of ['rule-based', 'receding-horizon'] as const) {
      const run = await collectRun(
        smallConfig({ seed: 7, households: { count: 6, pvShare: 0.5 }, agents: { strategy }, grid: { outages: [outage] }, baselines: { perfectForecast: false } }),
      );
      checkContract(run);
      const down = run.intervals.filter((iv) => iv.grid === 'down');
      expect(down).toHaveLength(16);
      expect(run.intervals.filter((iv) => iv.grid === 'notice')).toHaveLength(12);
      let unserved = 0;
      for (const iv of down) {
        for (const h of iv.households) {
          expect(h.grid_import_kwh + h.grid_export_kwh).toBe(0);
          unserved += h.unserved_kwh;
          // a home short of critical load got nothing for its deferrable load
          if (h.unserved_kwh > h.load_kwh - h.critical_kwh + TOL) expect(h.load_kwh - h.unserved_kwh).toBeLessThanOrEqual(h.critical_kwh + TOL);
        }
      }
      expect(unserved).toBeGreaterThan(0); // A/C evenings cannot all be carried by the island
      const o = run.summary.outage!;
      expect(o.hours_down).toBe(8);
      expect(Math.abs(o.community.unserved_kwh - unserved)).toBeLessThan(TOL);
      expect(o.community.worst_off).not.toBeNull();
      expect(o.without_p2p).toBeNull(); // no battery-only rerun asked for
    }
  });

  it('pre-charges batteries from the notice on, and not before', async () => {
    const base = { seed: 9, households: { count: 5, pvShare: 0.4 }, battery: { storageMode: 'no-export' }, time: { start: '2026-07-15', days: 2 } };
    const notice = { start: '2026-07-16T12:00', hours: 4, noticeHours: 10 }; // notice from 02:00 on the second day
    const without = await collectRun(smallConfig(base));
    const withOutage = await collectRun(smallConfig({ ...base, grid: { outages: [notice] } }));
    const noticeIndex = withOutage.intervals.findIndex((iv) => iv.grid === 'notice');
    const downIndex = withOutage.intervals.findIndex((iv) => iv.grid === 'down');
    expect(withOutage.intervals[noticeIndex].start).toMatch(/^2026-07-16T02:00/);
    // before the notice the two runs are the same interval by interval
    for (let i = 0; i < noticeIndex; i++) {
      withOutage.intervals[i].households.forEach((h, k) => expect(h.soc_kwh).toBe(without.intervals[i].households[k].soc_kwh));
    }
    // by the time the grid goes down every battery is full (no-export batteries may charge from the grid)
    const max = withOutage.summary.battery.max_soc_kwh;
    for (const h of withOutage.intervals[downIndex - 1].households) {
      const d = withOutage.summary.households_detail.find((x) => x.id === h.id)!;
      if (d.has_battery) expect(max - h.soc_kwh, `${h.id}: full but for self-discharge`).toBeLessThan(0.05);
    }
    // and in the notice window they charge whatever the tariff says: more stored than without the outage
    const sum = (iv: (typeof without.intervals)[number]) => iv.households.reduce((a, h) => a + h.soc_kwh, 0);
    expect(sum(withOutage.intervals[downIndex - 1])).toBeGreaterThan(sum(without.intervals[downIndex - 1]) + 1);
    checkContract(withOutage);
    expect(withOutage.summary.outage!.community.stored_energy_at_start_kwh).toBeGreaterThan((max - 0.05) * withOutage.summary.battery.households_with_battery);
  });

  it('uses the backup reserve while the grid is down (Storm Watch fills the battery first), and never discharges below it once the grid is back', async () => {
    const run = await collectRun(
      smallConfig({ seed: 3, households: { count: 2, pvShare: 0 }, battery: { storageMode: 'no-export' }, time: { days: 2 }, grid: { outages: [{ start: '2026-07-15T18:00', hours: 14, noticeHours: 6 }] } }),
    );
    checkContract(run);
    const reserve = run.summary.battery.min_soc_kwh;
    const down = run.intervals.filter((iv) => iv.grid === 'down');
    const lowest = Math.min(...down.flatMap((iv) => iv.households.map((h) => h.soc_kwh)));
    expect(lowest, 'an islanded battery draws into its reserve').toBeLessThan(reserve - 0.5);
    const firstDown = run.intervals.findIndex((iv) => iv.grid === 'down');
    for (const h of run.intervals[firstDown - 1].households) expect(run.summary.battery.max_soc_kwh - h.soc_kwh, `${h.id}: full before the outage`).toBeLessThan(0.05);
  });

  it('reports what P2P is worth during the outage (the battery-only rerun islanded alone)', async () => {
    const run = await collectRun(
      smallConfig({ seed: 4, households: { count: 6, pvShare: 0.5 }, grid: { outages: [{ start: '2026-07-15T06:00', hours: 18, noticeHours: 0 }] }, baselines: { batteryOnly: true, perfectForecast: false, perfectForesight: true } }),
    );
    checkContract(run);
    const o = run.summary.outage!;
    // the optimum knows the outage and minimises bills + wear + the value of lost load
    expect(run.summary.comparisons.perfect_foresight.status).toBe('optimal');
    expect(o.optimum).not.toBeNull();
    expect(o.optimum!.cost_with_lost_load_usd).toBeCloseTo(run.summary.comparisons.perfect_foresight.net_cost_usd! + o.optimum!.unserved_value_usd, 9);
    expect(o.community.cost_with_lost_load_usd).toBeCloseTo(run.summary.baseline_pge_cost - run.summary.savings + o.community.unserved_value_usd, 9);
    expect(o.without_p2p).not.toBeNull();
    expect(o.p2p_value!.unserved_kwh_avoided).toBeCloseTo(o.without_p2p!.unserved_kwh - o.community.unserved_kwh, 9);
    expect(o.community.unserved_value_usd).toBeLessThanOrEqual(o.without_p2p!.unserved_value_usd + TOL);
  });

  it('psps-2019 is a valid scenario: a 48 h outage announced 48 h ahead in a late-October window', () => {
    const s = findScenario('psps-2019')!;
    const c = parseSimConfig(mergeConfig(s.overlay));
    expect(c.grid.outages).toEqual([{ start: '2026-10-26T18:00', hours: 48, noticeHours: 48 }]);
    expect(c.time.start).toBe('2026-10-26');
    expect(s.sources.join(' ')).toMatch(/PSPS/);
  });
});
