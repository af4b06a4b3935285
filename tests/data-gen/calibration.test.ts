import { describe, expect, it } from 'vitest';
import { populationReport, type PopulationReport } from '../../data-gen/index.ts';
import { population, rngFactory, weather } from './helpers.ts';

/**
 * The generator against the published figures it is calibrated to (REFERENCE-DATA.md), on a
 * 200-home community over a calendar year. Tolerances allow for one year's weather and a
 * finite sample of homes.
 */
describe('calibration on 200 homes over a year', () => {
  let report: PopulationReport;
  const check = (key: string) => {
    const c = report.checks.find((x) => x.key === key);
    if (!c || c.measured === null) throw new Error(`no measured figure for ${key}`);
    return c.measured;
  };

  it('generates the year', () => {
    report = populationReport(population(200, 'calibration'), weather(), 2025, rngFactory('calibration'));
    expect(report.days).toBe(365);
    expect(report.homes).toHaveLength(200);
  });

  it('a typical home uses about 500 kWh a month before EV charging (PG&E 2024), ±15%', () => {
    expect(check('monthly-kwh-excl-ev')).toBeGreaterThan(500 * 0.85);
    expect(check('monthly-kwh-excl-ev')).toBeLessThan(500 * 1.15);
  });

  it('PV yields about 1,580 kWh per kW a year (PVWatts-based), ±10%, winter months well below summer', () => {
    expect(check('pv-specific-yield')).toBeGreaterThan(1580 * 0.9);
    expect(check('pv-specific-yield')).toBeLessThan(1580 * 1.1);
    expect(check('pv-winter-summer-ratio')).toBeGreaterThan(45);
    expect(check('pv-winter-summer-ratio')).toBeLessThan(75);
  });

  it('an EV adds about 2.9 kWh a day (Burlig et al. 2024), ±20%', () => {
    expect(check('ev-kwh-per-day')).toBeGreaterThan(2.9 * 0.8);
    expect(check('ev-kwh-per-day')).toBeLessThan(2.9 * 1.2);
  });

  it('A/C is about 40% of an A/C home’s summer consumption (PG&E), refrigerators 37–51 kWh/month, water heating about 2,706 kWh/yr', () => {
    expect(check('ac-share-summer')).toBeGreaterThan(30);
    expect(check('ac-share-summer')).toBeLessThan(50);
    expect(check('refrigerator-kwh-month')).toBeGreaterThan(37);
    expect(check('refrigerator-kwh-month')).toBeLessThan(51);
    expect(check('water-heater-kwh-yr')).toBeGreaterThan(2706 * 0.85);
    expect(check('water-heater-kwh-yr')).toBeLessThan(2706 * 1.15);
  });

  it('summer months use more than spring months (A/C), and no home is implausible', () => {
    const m = report.monthly;
    expect(m[6].meanKwhExclEv).toBeGreaterThan(1.2 * m[3].meanKwhExclEv);
    for (const h of report.homes) {
      expect(h.meanMonthlyKwhExclEv, h.id).toBeGreaterThan(150);
      expect(h.meanMonthlyKwhExclEv, h.id).toBeLessThan(1500);
      if (h.pvKwhPerKw !== null) {
        expect(h.pvKwhPerKw, h.id).toBeGreaterThan(1100);
        expect(h.pvKwhPerKw, h.id).toBeLessThan(1900);
      }
    }
  });
});
