import { describe, expect, it } from 'vitest';
import { collectRun, smallConfig } from './helpers.ts';

/** Most a battery may end a run (without an outage) above or below the stored energy it started with, kWh. */
const NEUTRAL_KWH = 0.25;

const STRATEGIES = ['rule-based', 'receding-horizon', 'receding-horizon-cvar', 'coordinated'] as const;

const CONFIGS = [
  { name: 'a July day, supplier', over: { seed: 3, time: { start: '2026-07-15', days: 1 } } },
  { name: 'two January days, sandbox', over: { seed: 8, time: { start: '2026-01-20', days: 2 }, market: { settlement: 'sandbox' } } },
  { name: 'an April day, E-TOU-C for every home, supplier', over: { seed: 21, time: { start: '2026-04-14', days: 1 }, tariff: { assignment: 'uniform' } } },
];

describe('energy-neutral runs: every battery ends within 0.25 kWh of what it started with', () => {
  for (const c of CONFIGS) {
    it(`every strategy and the optimum on ${c.name}`, async () => {
      for (const strategy of STRATEGIES) {
        const run = await collectRun(
          smallConfig({ ...c.over, households: { count: 6 }, battery: { share: 0.7 }, agents: { strategy }, baselines: { perfectForesight: strategy === 'coordinated' } }),
        );
        const batteries = run.summary.households_detail.filter((d) => d.has_battery);
        expect(batteries.length).toBeGreaterThan(0);
        for (const d of batteries) {
          expect(Math.abs(d.final_soc_kwh - d.initial_soc_kwh), `${strategy}, ${d.id}: end − start stored energy`).toBeLessThanOrEqual(NEUTRAL_KWH);
        }
        const pf = run.summary.comparisons.perfect_foresight;
        if (strategy === 'coordinated') {
          expect(pf.status).toBe('optimal');
          expect(Math.abs(pf.stored_energy_change_kwh!), 'the optimum: Σ end − start stored energy').toBeLessThanOrEqual(NEUTRAL_KWH * batteries.length);
        }
      }
    });
  }
});
