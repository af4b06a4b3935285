import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GREEN_BUTTON_NOTE, importHouseholds } from '../../../data-gen/index.ts';
import { csv, inputErrorOf, withFiles } from './helpers.ts';

const SAMPLE = readFileSync(join(import.meta.dirname, '../../fixtures/meter/gb-home.xml'), 'utf8');
const wh = [...SAMPLE.matchAll(/<value>(\d+)<\/value>/g)].map((m) => Number(m[1]));
const importWh = wh.slice(0, 48).reduce((a, b) => a + b, 0);
const exportWh = wh.slice(48).reduce((a, b) => a + b, 0);

/** Hourly clear-sky weather for the sample's two days (temperature and cloud cover only). */
function weatherCsv(): string {
  const lines = ['timestamp,temperature_c,cloud_cover'];
  const t0 = Date.parse('2025-07-01T00:00:00-07:00');
  for (let h = 0; h < 48; h++) {
    const local = new Date(t0 + h * 3_600_000 - 7 * 3_600_000).toISOString().slice(0, 19);
    lines.push(`${local}-07:00,${(22 + 8 * Math.sin(((h % 24) - 9) * (Math.PI / 12))).toFixed(1)},0`);
  }
  return csv(lines);
}

describe('Green Button (ESPI XML)', () => {
  it('reads net flows, estimates PV from pv_kw and the weather, and reconstructs load = import − export + PV', async () => {
    const cwd = withFiles({
      'gb-home.xml': SAMPLE,
      'weather.csv': weatherCsv(),
      'homes.csv': csv(['household_id,pv_kw,battery_kwh,tariff,storage_mode', 'gb-home,4,13.5,EV2-A,']),
    });
    const imp = await importHouseholds({ meter: 'gb-home.xml', weather: 'weather.csv', homes: 'homes.csv', cwd });
    expect(imp.households).toHaveLength(1);
    expect(imp.households[0]).toMatchObject({ id: 'gb-home', hasPv: true, pvKw: 4 });
    expect(imp.overrides).toEqual({ 'gb-home': { batteryKwh: 13.5, tariff: 'EV2-A' } });
    expect(imp.report.files.map((f) => [f.path, f.role, f.format])).toEqual([
      ['gb-home.xml', 'meter', 'green-button-xml'],
      ['homes.csv', 'homes', 'csv'],
      ['weather.csv', 'weather', 'csv'],
    ]);
    expect(imp.report.intervalMinutes).toEqual([{ minutes: 60, homes: ['gb-home'] }]);
    const gb = imp.report.greenButton!;
    expect(gb.note).toBe(GREEN_BUTTON_NOTE);
    expect(gb.homes).toEqual(['gb-home']);
    let load = 0;
    let pv = 0;
    const blocks = [...imp.blocks('2025-07-01', 2)];
    for (const b of blocks) for (let i = 0; i < b.loadKwh.length; i++) {
      load += b.loadKwh[i];
      pv += b.pvKwh[i];
      expect(b.loadKwh[i]).toBeGreaterThanOrEqual(0);
    }
    expect(pv).toBeCloseTo(gb.estimatedPvKwh, 3);
    expect(load - pv).toBeCloseTo((importWh - exportWh) / 1000 + gb.clampedKwh, 3);
    // PV: none at night, about 4 kW × performance at clear-sky noon
    const noon = blocks[0].intervalStartIso.indexOf('2025-07-01T13:00:00-07:00');
    expect(blocks[0].pvKwh[0]).toBe(0);
    expect(blocks[0].pvKwh[noon]).toBeGreaterThan(1.0);
    expect(blocks[0].pvKwh[noon]).toBeLessThan(2.0);
    // a 4 kW array on a clear July day in Sacramento: 20–32 kWh (PVWatts: about 6.5 kWh/kW), more than the home exports
    expect(pv / 2).toBeGreaterThan(20);
    expect(pv / 2).toBeLessThan(32);
  });

  it('without pv_kw the load is import − export (clamped) and the report says so', async () => {
    const cwd = withFiles({ 'gb-home.xml': SAMPLE, 'weather.csv': weatherCsv() });
    const imp = await importHouseholds({ meter: 'gb-home.xml', weather: 'weather.csv', cwd });
    expect(imp.households[0].hasPv).toBe(false);
    expect(imp.report.warnings).toContain('gb-home.xml: home gb-home has no pv_kw in the household metadata: load = import − export, no PV estimated');
    expect(imp.report.greenButton!.clampedIntervals).toBeGreaterThan(0);
  });

  const cases: [string, string, string][] = [
    ['a unit other than Wh', SAMPLE.replaceAll('<uom>72</uom>', '<uom>38</uom>'), 'gb.xml: ReadingType uom 38 is not supported: interval energy must be in Wh (uom 72)'],
    [
      'an unknown flow direction',
      SAMPLE.replace('<flowDirection>19</flowDirection>', '<flowDirection>2</flowDirection>'),
      'gb.xml: ReadingType flowDirection 2 is not supported (1 forward, 19 reverse, 4 net)',
    ],
    ['a negative reading', SAMPLE.replace('<value>420</value>', '<value>-420</value>'), 'gb.xml: IntervalReading at 2025-07-01T00:00:00-07:00: value -420 is negative'],
    ['a value that is not a number', SAMPLE.replace('<value>420</value>', '<value>n/a</value>'), 'gb.xml: IntervalReading at 2025-07-01T00:00:00-07:00: value "n/a" is not a finite number'],
    ['not well-formed', SAMPLE.replace('</IntervalBlock>', '</IntervalBlok>'), 'gb.xml:194:7: not well-formed XML: Expected closing tag \'IntervalBlock\' (opened in line 96, col 7) instead of closing tag \'IntervalBlok\'.'],
    ['not a feed', '<?xml version="1.0"?><root/>', 'gb.xml: no Atom <feed> with <entry> elements: not a Green Button (ESPI) file'],
  ];
  for (const [name, xml, message] of cases) {
    it(`rejects ${name}`, async () => {
      const cwd = withFiles({ 'gb.xml': xml });
      expect(await inputErrorOf(importHouseholds({ meter: 'gb.xml', cwd }))).toBe(message);
    });
  }
});
