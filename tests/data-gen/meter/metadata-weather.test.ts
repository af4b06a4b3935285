import { describe, expect, it } from 'vitest';
import { importHouseholds, InputsReportSchema } from '../../../data-gen/index.ts';
import { HEADER, csv, inputErrorOf, rows, withFiles } from './helpers.ts';

const meter = () => csv([HEADER, ...rows('a', '2025-07-01T00:00:00-07:00', 30, Array(96).fill(0.5), (i) => (i % 48 > 20 && i % 48 < 30 ? 1 : 0))]);
const weatherLines = (header: string, f: (h: number) => string, hours = 48) => {
  const t0 = Date.parse('2025-07-01T07:00:00Z');
  return [header, ...Array.from({ length: hours }, (_, h) => `${new Date(t0 + h * 3_600_000).toISOString().slice(0, 19)}Z,${f(h)}`)];
};

describe('household metadata', () => {
  it('pv_kw and the other fields come from the file; unknown ids are errors with their line', async () => {
    const cwd = withFiles({ 'meter.csv': meter(), 'homes.csv': csv(['household_id,pv_kw,battery_kwh', 'a,6.5,0', 'zzz,4,']) });
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', homes: 'homes.csv', cwd }))).toBe('homes.csv:3:1: household_id "zzz" is not in the meter data');
  });

  it('takes CSV and JSON; missing fields fall back to the config', async () => {
    const cwd = withFiles({
      'meter.csv': meter(),
      'homes.csv': csv(['household_id,pv_kw,battery_kwh', 'a,6.5,']),
      'homes.json': JSON.stringify([{ household_id: 'a', storage_mode: 'shared' }]),
      'bad.json': JSON.stringify({ homes: [{ household_id: 'a', pv_kw: -1 }] }),
      'unknown.json': JSON.stringify([{ household_id: 'b' }]),
    });
    const fromCsv = await importHouseholds({ meter: 'meter.csv', homes: 'homes.csv', cwd });
    expect(fromCsv.households[0]).toMatchObject({ id: 'a', pvKw: 6.5, hasPv: true });
    expect(fromCsv.overrides).toEqual({});
    const fromJson = await importHouseholds({ meter: 'meter.csv', homes: 'homes.json', cwd });
    expect(fromJson.overrides).toEqual({ a: { storageMode: 'shared' } });
    // pv_kw from the data when the metadata does not give it: peak half-hour PV power / 0.85
    expect(fromJson.households[0].pvKw).toBeCloseTo(2.4, 5);
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', homes: 'bad.json', cwd }))).toBe('bad.json: homes[0].pv_kw: Too small: expected number to be >=0');
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', homes: 'unknown.json', cwd }))).toBe('unknown.json: household_id "b" is not in the meter data');
  });

  it('rejects a bad value with its line and column, and a repeated id', async () => {
    const cwd = withFiles({ 'meter.csv': meter(), 'h1.csv': csv(['household_id,pv_kw', 'a,four']), 'h2.csv': csv(['household_id,pv_kw', 'a,1', 'a,2']) });
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', homes: 'h1.csv', cwd }))).toBe('h1.csv:2:2: pv_kw "four" is not a finite number');
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', homes: 'h2.csv', cwd }))).toBe('h2.csv:3:1: household_id "a" appears twice');
  });

  it('rejects a row with fewer or more fields than the header, at the first missing or extra field', async () => {
    const cwd = withFiles({ 'meter.csv': meter(), 'few.csv': csv(['household_id,pv_kw,battery_kwh', 'a,6.5']), 'many.csv': csv(['household_id,pv_kw', 'a,6.5,13.5']) });
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', homes: 'few.csv', cwd }))).toBe('few.csv:2:3: 2 fields, the header has 3: battery_kwh missing');
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', homes: 'many.csv', cwd }))).toBe('many.csv:2:3: 3 fields, the header has 2: 1 extra after pv_kw');
  });
});

describe('weather file', () => {
  it('feeds the day blocks and reports the features it lacks', async () => {
    const cwd = withFiles({
      'meter.csv': meter(),
      'weather.csv': csv(weatherLines('timestamp,temperature_c,ghi_w_m2,wind', (h) => `${20 + (h % 24)},${h % 24 >= 7 && h % 24 <= 18 ? 500 : 0},3`)),
    });
    const imp = await importHouseholds({ meter: 'meter.csv', weather: 'weather.csv', cwd });
    expect(imp.report.weather).toEqual({
      file: 'weather.csv',
      intervalMinutes: 60,
      filledIntervals: 0,
      missingFeatures: ['relative_humidity_pct', 'cloud_cover', 'diffuse_irradiance_w_m2', 'direct_irradiance_w_m2'],
    });
    expect(imp.report.warnings).toContain('weather.csv: ignored extra columns wind');
    expect(imp.report.warnings).toContain('weather.csv: no relative_humidity_pct, cloud_cover, diffuse_irradiance_w_m2, direct_irradiance_w_m2 (fallbacks in data-gen/meter/weather-at.ts)');
    const [b] = [...imp.blocks('2025-07-01', 1)];
    expect([...b.temperatureC.slice(0, 4)]).toEqual([20, 20, 21, 21]);
    expect(b.ghiWm2[2 * 12]).toBeCloseTo(500, 3);
    expect(b.ghiWm2[0]).toBe(0);
    expect(InputsReportSchema.safeParse(imp.report).success).toBe(true);
  });

  it('without a weather file says which features it could not use and still gives weather', async () => {
    const cwd = withFiles({ 'meter.csv': meter() });
    const imp = await importHouseholds({ meter: 'meter.csv', cwd });
    expect(imp.report.weather.missingFeatures).toContain('temperature_c');
    expect(imp.report.warnings).toContain('no weather file: temperature, cloud cover and irradiance come from the synthetic climate (see data-gen/meter/weather-at.ts)');
    const [b] = [...imp.blocks('2025-07-01', 1)];
    expect(Math.max(...b.temperatureC)).toBeGreaterThan(25);
    expect(Math.max(...b.ghiWm2)).toBeGreaterThan(600);
    expect(b.cloudCover.every((c) => c >= 0 && c <= 1)).toBe(true);
  });

  it('narrows the range to what the weather covers, and rejects bad weather rows', async () => {
    const cwd = withFiles({
      'meter.csv': meter(),
      'short.csv': csv(weatherLines('timestamp,temperature_c', () => '20', 24)),
      'bad.csv': csv(weatherLines('timestamp,temperature_c,cloud_cover', (h) => (h === 3 ? '20,50' : '20,0.5'))),
      'nan.csv': csv(weatherLines('timestamp,temperature_c', (h) => (h === 1 ? 'warm' : '20'))),
    });
    const imp = await importHouseholds({ meter: 'meter.csv', weather: 'short.csv', cwd });
    expect(imp.range.lastDate).toBe('2025-07-01');
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', weather: 'bad.csv', cwd }))).toBe('bad.csv:5:3: cloud_cover 50 is outside 0…1');
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', weather: 'nan.csv', cwd }))).toBe('nan.csv:3:2: temperature_c "warm" is not a finite number');
    const cut = withFiles({ 'meter.csv': meter(), 'cut.csv': csv(weatherLines('timestamp,temperature_c,cloud_cover', (h) => (h === 2 ? '20' : '20,0.5'))) });
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', weather: 'cut.csv', cwd: cut }))).toBe('cut.csv:4:3: 2 fields, the header has 3: cloud_cover missing');
  });
});
