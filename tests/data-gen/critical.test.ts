import { describe, expect, it } from 'vitest';
import { days, population } from './helpers.ts';

describe('generateDays: the critical part of each home’s load', () => {
  it('is the refrigerator, the lighting and the always-on plug baseline: within the load, at least fridge + lighting, at most fridge + lighting + plug loads', () => {
    const blocks = days({ households: population(6), startDate: '2026-10-26', days: 2, withAppliances: true });
    for (const b of blocks) {
      const a = b.applianceKwh!;
      for (let i = 0; i < b.loadKwh.length; i++) {
        const c = b.criticalKwh![i];
        expect(c).toBeLessThanOrEqual(b.loadKwh[i] + 1e-12);
        expect(c).toBeGreaterThanOrEqual(a.refrigerator[i] + a.lighting[i] - 1e-12);
        expect(c).toBeLessThanOrEqual(a.refrigerator[i] + a.lighting[i] + a['plug-loads'][i] + 1e-12);
      }
    }
  });

  it('is a few hundred watts on average: about a third of an October day’s load', () => {
    const blocks = days({ households: population(10), startDate: '2026-10-26', days: 3 });
    let critical = 0;
    let load = 0;
    for (const b of blocks) {
      for (let i = 0; i < b.loadKwh.length; i++) {
        critical += b.criticalKwh![i];
        load += b.loadKwh[i];
      }
    }
    const meanKw = critical / (10 * 3 * 24);
    expect(meanKw).toBeGreaterThan(0.15);
    expect(meanKw).toBeLessThan(0.5);
    expect(critical / load).toBeGreaterThan(0.15);
    expect(critical / load).toBeLessThan(0.7);
  });
});
