import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { impliedAverageUseKwhPerDay } from '../../common/index.ts';
import { generateDays, generatePopulation, populationReport, type DayBlock, type PopulationReport } from '../../data-gen/index.ts';
import { createRngFactory, parseSimConfig } from '../../sim/index.ts';
import { days, population, rngFactory, weather } from './helpers.ts';

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
    return c;
  };
  const measured = (key: string) => check(key).measured!;

  it('generates the year', () => {
    report = populationReport(population(200, 'calibration'), weather(), 2025, rngFactory('calibration'));
    expect(report.days).toBe(365);
    expect(report.homes).toHaveLength(200);
    expect(report.territory).toBe('S');
  });

  it('summer and winter use fall in the ranges territory S’s baseline implies (allowance ÷ 0.6 … ÷ 0.5)', () => {
    const summer = impliedAverageUseKwhPerDay('S', 'summer');
    const winter = impliedAverageUseKwhPerDay('S', 'winter');
    expect(summer.low).toBeCloseTo(25, 9);
    expect(summer.high).toBeCloseTo(30, 9);
    expect(winter.low).toBeCloseTo(17, 9);
    expect(winter.high).toBeCloseTo(20.4, 9);
    expect(measured('summer-kwh-per-day')).toBeGreaterThan(summer.low);
    expect(measured('summer-kwh-per-day')).toBeLessThan(summer.high);
    expect(measured('winter-kwh-per-day')).toBeGreaterThan(winter.low);
    expect(measured('winter-kwh-per-day')).toBeLessThan(winter.high);
    expect(check('summer-kwh-per-day').referenceLow).toBeCloseTo(25, 9);
  });

  it('the year sits between PG&E’s statewide typical 500 kWh/month and the top of territory S’s implied range', () => {
    // 500 kWh/month is a statewide mean over coastal climates and apartments; a Sacramento Valley house uses more
    expect(measured('monthly-kwh-excl-ev')).toBeGreaterThan(500);
    const incl = check('monthly-kwh-incl-ev');
    expect(incl.measured!).toBeGreaterThan(incl.referenceLow!);
    expect(incl.measured!).toBeLessThan(incl.referenceHigh!);
  });

  it('PV yields about 1,580 kWh per kW a year (PVWatts-based), ±10%, winter months well below summer', () => {
    expect(measured('pv-specific-yield')).toBeGreaterThan(1580 * 0.9);
    expect(measured('pv-specific-yield')).toBeLessThan(1580 * 1.1);
    expect(measured('pv-winter-summer-ratio')).toBeGreaterThan(45);
    expect(measured('pv-winter-summer-ratio')).toBeLessThan(75);
  });

  it('an EV adds about 2.9 kWh a day (Burlig et al. 2024), ±20%', () => {
    expect(measured('ev-kwh-per-day')).toBeGreaterThan(2.9 * 0.8);
    expect(measured('ev-kwh-per-day')).toBeLessThan(2.9 * 1.2);
  });

  it('A/C is 40–55% of an A/C home’s summer use (PG&E statewide about 40%, more inland), refrigerators 37–51 kWh/month, water heating about 2,706 kWh/yr', () => {
    expect(measured('ac-share-summer')).toBeGreaterThan(40);
    expect(measured('ac-share-summer')).toBeLessThan(55);
    expect(measured('refrigerator-kwh-month')).toBeGreaterThan(37);
    expect(measured('refrigerator-kwh-month')).toBeLessThan(51);
    expect(measured('water-heater-kwh-yr')).toBeGreaterThan(2706 * 0.85);
    expect(measured('water-heater-kwh-yr')).toBeLessThan(2706 * 1.15);
  });

  it('an A/C home’s A/C uses more than a simulated energy-efficient Sacramento home (1,490 kWh/yr) and less than one in Fresno (2,968)', () => {
    expect(measured('ac-kwh-per-ac-home-yr')).toBeGreaterThan(1490);
    expect(measured('ac-kwh-per-ac-home-yr')).toBeLessThan(2968);
  });

  it('summer months use more than spring months (A/C), the furnace blower runs in winter only, and no home is implausible', () => {
    const m = report.monthly;
    expect(m[6].meanKwhExclEv).toBeGreaterThan(1.3 * m[3].meanKwhExclEv);
    expect(m[0].furnaceFanKwh).toBeGreaterThan(10 * Math.max(m[6].furnaceFanKwh, 0.1));
    expect(m[0].acKwhPerAcHome).toBeLessThan(1);
    for (const h of report.homes) {
      expect(h.meanMonthlyKwhExclEv, h.id).toBeGreaterThan(150);
      expect(h.meanMonthlyKwhExclEv, h.id).toBeLessThan(1800);
      if (h.pvKwhPerKw !== null) {
        expect(h.pvKwhPerKw, h.id).toBeGreaterThan(1100);
        expect(h.pvKwhPerKw, h.id).toBeLessThan(1900);
      }
    }
  });
});

/**
 * The default run's community (sim.config.json: 10 homes, seed 42, Sacramento weather, territory S),
 * generated as the engine generates it: a year of history before 15 July 2026, in one stream.
 */
describe('the default community', () => {
  const config = parseSimConfig(JSON.parse(readFileSync(new URL('../../sim.config.json', import.meta.url), 'utf8')));
  const rngFor = createRngFactory(config.seed);
  const households = generatePopulation(config.households, rngFor);
  const n = households.length;
  const blocks: DayBlock[] = [
    ...generateDays(
      {
        households,
        weather: config.weather,
        startDate: '2025-07-15',
        days: config.time.historyDays + 1,
        timezone: 'America/Los_Angeles',
        intervalMinutes: config.time.intervalMinutes,
        withAppliances: true,
      },
      rngFor,
    ),
  ];
  const perHome = (b: DayBlock, arr: Float64Array) => arr.reduce((a, x) => a + x, 0) / n;
  const weekday = (b: DayBlock) => b.weekday <= 5;

  it('is the configured run: 10 homes in territory S, with the run’s day last', () => {
    expect(config.time.start).toBe('2026-07-15');
    expect(config.time.historyDays).toBe(365);
    expect(households).toHaveLength(10);
    for (const hh of households) expect(hh.territory).toBe('S');
    expect(blocks.at(-1)!.date).toBe('2026-07-15');
  });

  it('uses 24–32 kWh per home on the July weekday of the default run (EV included)', () => {
    const day = blocks.at(-1)!;
    expect(weekday(day)).toBe(true);
    const kwh = perHome(day, day.loadKwh);
    expect(kwh).toBeGreaterThan(24);
    expect(kwh).toBeLessThan(32);
  });

  it('uses what territory S’s winter baseline implies (17–20.4 kWh/day) on winter weekdays, and more on summer weekdays', () => {
    const mean = (bs: DayBlock[]) => bs.reduce((s, b) => s + perHome(b, b.loadKwh), 0) / bs.length;
    const winter = blocks.filter((b) => weekday(b) && (b.month >= 10 || b.month <= 5));
    const summer = blocks.filter((b) => weekday(b) && b.month >= 6 && b.month <= 9);
    expect(winter.length).toBeGreaterThan(150);
    expect(mean(winter)).toBeGreaterThan(17);
    expect(mean(winter)).toBeLessThan(20.4);
    expect(mean(summer)).toBeGreaterThan(25);
    expect(mean(summer)).toBeLessThan(32);
  });

  it('runs more A/C on hotter summer days: daily A/C energy tracks the daily high (Pearson r > 0.85)', () => {
    const summer = blocks.filter((b) => b.month >= 6 && b.month <= 9);
    const xs = summer.map((b) => Math.max(...b.temperatureC));
    const ys = summer.map((b) => perHome(b, b.applianceKwh!.ac));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    xs.forEach((x, i) => {
      sxy += (x - mx) * (ys[i] - my);
      sxx += (x - mx) ** 2;
      syy += (ys[i] - my) ** 2;
    });
    expect(sxy / Math.sqrt(sxx * syy)).toBeGreaterThan(0.85);
  });
});

describe('A/C and temperature', () => {
  it('a warmer day never costs less A/C energy in any interval of any home (property)', () => {
    const homes = population(8, 'warmer', { acShare: 1 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 150 }),
        fc.double({ min: -8, max: 8, noNaN: true }),
        fc.double({ min: 0.1, max: 6, noNaN: true }),
        (dayOfSeason, offsetC, warmerC) => {
          const start = new Date(Date.UTC(2026, 4, 1 + dayOfSeason)).toISOString().slice(0, 10);
          const at = (c: number) => days({ households: homes, startDate: start, days: 2, withAppliances: true, weather: weather({ temperatureOffsetC: c }) }, 'warmer');
          const cool = at(offsetC);
          const warm = at(offsetC + warmerC);
          for (let d = 0; d < cool.length; d++) {
            const a = cool[d].applianceKwh!.ac;
            const b = warm[d].applianceKwh!.ac;
            for (let i = 0; i < a.length; i++) if (!(b[i] >= a[i] - 1e-12)) return false;
          }
          return true;
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it('the A/C never draws more than its rated power, and a hot day costs clearly more than a mild one', () => {
    const homes = population(20, 'hot', { acShare: 1 });
    const total = (c: number) =>
      days({ households: homes, startDate: '2026-07-20', days: 3, withAppliances: true, weather: weather({ temperatureOffsetC: c }) }, 'hot').reduce((s, b) => {
        b.applianceKwh!.ac.forEach((kwh, i) => expect(kwh).toBeLessThanOrEqual(homes[i % b.households].acKw * 0.5 + 1e-9));
        return s + b.applianceKwh!.ac.reduce((a, x) => a + x, 0);
      }, 0);
    expect(total(4)).toBeGreaterThan(1.3 * total(0));
    expect(total(0)).toBeGreaterThan(1.3 * total(-4));
  });
});
