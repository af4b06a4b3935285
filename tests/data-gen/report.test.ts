import { describe, expect, it } from 'vitest';
import { APPLIANCES, PopulationReportSchema, formatPopulationReport, generateDays, populationReport } from '../../data-gen/index.ts';
import { population, rngFactory, weather } from './helpers.ts';

describe('populationReport', () => {
  const homes = population(12, 'report');
  const report = populationReport(homes, weather(), 2024, rngFactory('report'));

  it('is plain data matching its schema, over the whole (leap) year', () => {
    expect(() => PopulationReportSchema.parse(report)).not.toThrow();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.days).toBe(366);
    expect(report.households).toBe(12);
    expect(report.composition.withPv).toBe(homes.filter((h) => h.hasPv).length);
    expect(report.monthly.map((m) => m.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const c of report.checks) expect(c.source.length).toBeGreaterThan(0);
  });

  it('agrees with the days generateDays yields for the same seed', () => {
    const n = homes.length;
    const load = new Float64Array(n);
    const ev = new Float64Array(n);
    const pv = new Float64Array(n);
    const fridge = new Float64Array(n);
    for (const b of generateDays(
      { households: homes, weather: weather(), startDate: '2024-01-01', days: 366, timezone: 'America/Los_Angeles', intervalMinutes: 30, withAppliances: true },
      rngFactory('report'),
    )) {
      for (let i = 0; i < b.loadKwh.length; i++) {
        const h = i % n;
        load[h] += b.loadKwh[i];
        ev[h] += b.applianceKwh!.ev[i];
        pv[h] += b.pvKwh[i];
        fridge[h] += b.applianceKwh!.refrigerator[i];
      }
      expect(APPLIANCES).toContain('ev');
    }
    report.homes.forEach((r, h) => {
      expect(r.meanMonthlyKwhInclEv).toBeCloseTo(load[h] / 12, 6);
      expect(r.meanMonthlyKwhExclEv).toBeCloseTo((load[h] - ev[h]) / 12, 6);
      expect(r.pvKwh).toBeCloseTo(pv[h], 6);
      if (homes[h].hasEv) expect(r.evKwhPerDay).toBeCloseTo(ev[h] / 366, 9);
      else expect(r.evKwhPerDay).toBeNull();
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const byKey = Object.fromEntries(report.checks.map((c) => [c.key, c.measured]));
    expect(byKey['monthly-kwh-excl-ev']).toBeCloseTo(mean(homes.map((_, h) => (load[h] - ev[h]) / 12)), 6);
    expect(byKey['refrigerator-kwh-month']).toBeCloseTo(mean(Array.from(fridge)) / 12, 6);
    const pvHomes = homes.filter((h) => h.hasPv);
    expect(byKey['pv-specific-yield']).toBeCloseTo(
      (pvHomes.reduce((s, h) => s + pv[h.index], 0) / pvHomes.reduce((s, h) => s + h.pvKw, 0)) * (365 / 366),
      6,
    );
  });

  it('reports missing features as null rather than zero', () => {
    const none = population(4, 'none', { pvShare: 0, evShare: 0, acShare: 0, electricWaterHeaterShare: 0 });
    const r = populationReport(none, weather(), 2025, rngFactory('none'));
    const byKey = Object.fromEntries(r.checks.map((c) => [c.key, c.measured]));
    expect(byKey['pv-specific-yield']).toBeNull();
    expect(byKey['ev-kwh-per-day']).toBeNull();
    expect(byKey['ac-share-summer']).toBeNull();
    expect(byKey['water-heater-kwh-yr']).toBeNull();
    expect(byKey['ac-kwh-per-ac-home-yr']).toBeNull();
    expect(formatPopulationReport(r)).toContain('—');
  });

  it('sets the generated seasons beside the average use every territory’s baseline implies (allowance ÷ 0.6 … ÷ 0.5)', () => {
    expect(report.territory).toBe('S');
    expect(report.baselineImplied.map((b) => b.territory)).toEqual(['T', 'X', 'S', 'R', 'W']);
    const s = report.baselineImplied.find((b) => b.territory === 'S')!;
    expect(s.summerAllowanceKwhPerDay).toBe(15);
    expect(s.summerLowKwhPerDay).toBeCloseTo(25, 9);
    expect(s.summerHighKwhPerDay).toBeCloseTo(30, 9);
    expect(s.winterLowKwhPerDay).toBeCloseTo(17, 9);
    expect(s.winterHighKwhPerDay).toBeCloseTo(20.4, 9);
    const byKey = Object.fromEntries(report.checks.map((c) => [c.key, c]));
    expect(byKey['summer-kwh-per-day'].measured).toBe(report.seasons.summerKwhPerDay);
    expect(byKey['summer-kwh-per-day'].referenceLow).toBeCloseTo(25, 9);
    expect(byKey['winter-kwh-per-day'].referenceHigh).toBeCloseTo(20.4, 9);
    // the seasons are the year's load split by PG&E season: they average back to the annual figure
    const summerDays = 30 + 31 + 31 + 30;
    const annualPerDay = (report.seasons.summerKwhPerDay! * summerDays + report.seasons.winterKwhPerDay! * (366 - summerDays)) / 366;
    const meanMonthly = report.homes.reduce((a, h) => a + h.meanMonthlyKwhInclEv, 0) / report.homes.length;
    expect(annualPerDay).toBeCloseTo((meanMonthly * 12) / 366, 6);
    // a coastal community reads its own territory's ranges
    const coastal = populationReport(population(3, 'coast', { territory: 'X' }), weather(), 2025, rngFactory('coast'));
    expect(coastal.territory).toBe('X');
    expect(coastal.checks.find((c) => c.key === 'summer-kwh-per-day')!.referenceLow).toBeCloseTo(9.8 / 0.6, 9);
    const text = formatPopulationReport(report);
    expect(text).toMatch(/S \(these homes\)\s+15\.0\s+25\.0–30\.0\s+[\d.]+\s+10\.2\s+17\.0–20\.4\s+[\d.]+/);
    expect(text).toMatch(/Summer use \(Jun–Sep\), EV incl\.\s+[\d.]+\s+25\.00–30\.00\s+kWh\/day/);
  });

  it('formats a terminal table with measured and reference figures side by side', () => {
    const text = formatPopulationReport(report);
    expect(text).toContain('12 homes, calendar 2024');
    expect(text).toMatch(/Consumption excluding EV\s+[\d,]+\s+500\s+kWh\/month/);
    expect(text).toMatch(/PV specific yield\s+[\d,]+\s+1,580/);
    expect(text).toMatch(/EV home charging\s+[\d.]+\s+2\.9\s+kWh\/day/);
    expect(text).toMatch(/Refrigerator\s+\d+\s+37–51/);
    expect(text).toContain('h12');
    const many = populationReport(population(25, 'many'), weather(), 2025, rngFactory('many'));
    expect(formatPopulationReport(many)).toContain('… and 5 more homes');
  });
});
