import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importHouseholds, inspectMeterFiles } from '../../../data-gen/index.ts';

// The development set is committed in the repository (data/real-homes, see its README). The
// product never reads it; this test does, and fails loudly when it is missing.
const repo = join(import.meta.dirname, '../../..');
const dir = join(repo, 'data/real-homes');
const meter = relative(repo, join(dir, 'meter.csv'));
const weather = relative(repo, join(dir, 'weather.csv'));

describe('development homes (data/real-homes)', () => {
  it('the files are there', () => {
    expect(existsSync(join(repo, meter)), `missing development data ${join(repo, meter)}`).toBe(true);
    expect(existsSync(join(repo, weather)), `missing development data ${join(repo, weather)}`).toBe(true);
  });

  it('import: five hourly homes, a year from 4 Aug 2025 in Pacific time, daily means as the README gives them', async () => {
    // Fontana, CA
    const imp = await importHouseholds({ meter, weather, cwd: repo, latitudeDeg: 34.09, longitudeDeg: -117.43 });
    expect(imp.households.map((h) => h.id)).toEqual(['home01', 'home02', 'home03', 'home04', 'home05']);
    expect(imp.households.every((h) => h.hasPv)).toBe(true);
    // PST all year: 2025-08-03T23:00-08:00 is midnight PDT
    expect(imp.range).toEqual({ start: '2025-08-04T00:00:00-07:00', end: '2026-08-04T00:00:00-07:00', firstDate: '2025-08-04', lastDate: '2026-08-03' });
    expect(imp.report.intervalMinutes).toEqual([{ minutes: 60, homes: ['home01', 'home02', 'home03', 'home04', 'home05'] }]);
    expect(imp.report.filledGaps.total.gaps).toBe(0);
    expect(imp.report.files.map((f) => f.sha256.length)).toEqual([64, 64]);
    const load = new Float64Array(5);
    const pv = new Float64Array(5);
    let days = 0;
    const sizes = new Map<number, number>();
    for (const b of imp.blocks('2025-08-04', 365)) {
      days++;
      sizes.set(b.intervals, (sizes.get(b.intervals) ?? 0) + 1);
      for (let i = 0; i < b.loadKwh.length; i++) {
        load[i % 5] += b.loadKwh[i];
        pv[i % 5] += b.pvKwh[i];
      }
    }
    expect(days).toBe(365);
    expect(Object.fromEntries(sizes)).toEqual({ 48: 363, 50: 1, 46: 1 });
    const meanLoad = [...load].map((x) => x / days);
    const meanPv = [...pv].map((x) => x / days);
    expect(Math.min(...meanLoad)).toBeCloseTo(19.6, 1);
    expect(Math.max(...meanLoad)).toBeCloseTo(29.6, 1);
    expect(Math.min(...meanPv)).toBeCloseTo(14.9, 1);
    expect(Math.max(...meanPv)).toBeCloseTo(19.8, 1);
  });

  it('inspect agrees', async () => {
    const r = await inspectMeterFiles([meter], { cwd: repo });
    expect(r.homes).toHaveLength(5);
    expect(r.homes.every((h) => h.intervalMinutes === 60 && h.intervalOk && h.gaps === 0 && h.readings === 8760)).toBe(true);
    expect(r.badRows).toEqual([]);
    expect(r.range).toEqual({ first: '2025-08-04T00:00:00-07:00', end: '2026-08-04T00:00:00-07:00' });
  });
});
