import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeConfig, parseSimConfig } from '../../sim/index.ts';
import { findScenario, SCENARIOS } from '../../sim/scenarios.ts';
import { collectRun, smallConfig } from './helpers.ts';

const base = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'sim.config.json'), 'utf8'));

describe('scenario library', () => {
  it('every scenario overlay validates on top of sim.config.json', () => {
    for (const s of SCENARIOS) {
      expect(() => parseSimConfig(mergeConfig(base, s.overlay, { scenario: s.name })), s.name).not.toThrow();
    }
  });

  it('has the scenarios the issue asks for, each described', () => {
    const names = SCENARIOS.map((s) => s.name);
    for (const n of ['heatwave-2022', 'high-solar', 'winter', 'ev-adoption', 'no-p2p', 'no-battery', 'stress', 'tariff-e-tou-d', 'tariff-ev2-a', 'tariff-e-elec', 'tariff-legacy-tou-c']) {
      expect(names).toContain(n);
    }
    expect(new Set(names).size).toBe(names.length);
    for (const s of SCENARIOS) expect(s.description.length, s.name).toBeGreaterThan(30);
  });

  it('the heat wave makes A/C load rise and Flex Alert cuts the responders\' evening load', async () => {
    const hw = findScenario('heatwave-2022')!.overlay as { time: object; weather: { heatWave: object; flexAlert: object } };
    const common = { seed: 5, households: { count: 6, acShare: 1 }, time: hw.time };
    const hot = await collectRun(smallConfig({ ...common, weather: { heatWave: hw.weather.heatWave } }));
    const alert = await collectRun(smallConfig({ ...common, weather: hw.weather }));
    const normal = await collectRun(smallConfig(common));
    const load = (r: typeof hot, from = 0, to = 24) =>
      r.intervals
        .filter((iv) => {
          const hour = Number(iv.start.slice(11, 13));
          return hour >= from && hour < to;
        })
        .reduce((a, iv) => a + iv.households.reduce((b, h) => b + h.load_kwh, 0), 0);
    expect(load(hot)).toBeGreaterThan(1.2 * load(normal));
    expect(load(alert, 16, 21)).toBeLessThan(load(hot, 16, 21));
  });
});
