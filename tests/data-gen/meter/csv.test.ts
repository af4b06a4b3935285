import { describe, expect, it } from 'vitest';
import { formatInputsReport, importHouseholds } from '../../../data-gen/index.ts';
import { HEADER, csv, inputErrorOf, rows, withFiles } from './helpers.ts';

const day = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('long CSV: timestamps', () => {
  it('takes offsets and Z exactly and lays the day out in Pacific time', async () => {
    const a = day(48, (i) => i / 100);
    const b = day(48, (i) => 1 + i / 100);
    const cwd = withFiles({
      'meter.csv': csv([HEADER, ...rows('a', '2025-07-01T00:00:00-07:00', 30, a), ...rows('b', '2025-07-01T07:00:00Z', 30, b, (i) => i / 1000)]),
    });
    const imp = await importHouseholds({ meter: 'meter.csv', cwd });
    expect(imp.households.map((h) => h.id)).toEqual(['a', 'b']);
    expect(imp.range).toEqual({ start: '2025-07-01T00:00:00-07:00', end: '2025-07-02T00:00:00-07:00', firstDate: '2025-07-01', lastDate: '2025-07-01' });
    const [blk] = [...imp.blocks('2025-07-01', 1)];
    expect(blk.intervals).toBe(48);
    expect(blk.intervalStartIso[0]).toBe('2025-07-01T00:00:00-07:00');
    expect(blk.weekday).toBe(2);
    expect(blk.month).toBe(7);
    expect(blk.localHour[3]).toBe(1.5);
    expect(blk.loadKwh[5 * 2]).toBeCloseTo(0.05, 6);
    expect(blk.loadKwh[5 * 2 + 1]).toBeCloseTo(1.05, 6);
    expect(blk.pvKwh[5 * 2 + 1]).toBeCloseTo(0.005, 6);
    expect(imp.report.intervalMinutes).toEqual([{ minutes: 30, homes: ['a', 'b'] }]);
    expect(imp.report.resampling).toEqual(['30-minute readings: used as they are']);
  });

  it('puts naive local times across spring-forward in place (46 half hours) and rejects a time that does not exist', async () => {
    // 2026-03-08: 02:00–02:59 does not exist in America/Los_Angeles
    const times: string[] = [];
    for (let m = 0; m < 24 * 60; m += 30) {
      const h = Math.floor(m / 60);
      if (h === 2) continue;
      times.push(`2026-03-08T${String(h).padStart(2, '0')}:${m % 60 === 0 ? '00' : '30'}:00`);
    }
    times.push('2026-03-09T00:00:00');
    const cwd = withFiles({ 'meter.csv': csv([HEADER, ...times.map((t, i) => `${t},a,${i},0`)]) });
    const imp = await importHouseholds({ meter: 'meter.csv', cwd });
    const [blk] = [...imp.blocks('2026-03-08', 1)];
    expect(blk.intervals).toBe(46);
    expect(blk.intervalStartIso[4]).toBe('2026-03-08T03:00:00-07:00');
    expect([...blk.loadKwh]).toEqual(times.slice(0, 46).map((_, i) => i));
    expect(imp.report.filledGaps.total.gaps).toBe(0);

    const bad = withFiles({ 'meter.csv': csv([HEADER, '2026-03-08T01:30:00,a,1,0', '2026-03-08T02:30:00,a,1,0']) });
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', cwd: bad }))).toBe(
      'meter.csv:3:1: local time "2026-03-08T02:30:00" does not exist in America/Los_Angeles (skipped by the daylight-saving change); give an offset',
    );
  });

  it('takes the repeated fall-back hour in file order (50 half hours)', async () => {
    const times: string[] = [];
    for (let m = 0; m < 24 * 60; m += 30) {
      const h = Math.floor(m / 60);
      const t = `2025-11-02T${String(h).padStart(2, '0')}:${m % 60 === 0 ? '00' : '30'}:00`;
      times.push(t);
      if (h === 1 && m % 60 === 30) times.push('2025-11-02T01:00:00', '2025-11-02T01:30:00');
    }
    times.push('2025-11-03T00:00:00');
    const cwd = withFiles({ 'meter.csv': csv([HEADER, ...times.map((t, i) => `${t},a,${i},0`)]) });
    const imp = await importHouseholds({ meter: 'meter.csv', cwd });
    const [blk] = [...imp.blocks('2025-11-02', 1)];
    expect(blk.intervals).toBe(50);
    expect(blk.intervalStartIso.slice(2, 6)).toEqual([
      '2025-11-02T01:00:00-07:00',
      '2025-11-02T01:30:00-07:00',
      '2025-11-02T01:00:00-08:00',
      '2025-11-02T01:30:00-08:00',
    ]);
    expect([...blk.loadKwh]).toEqual(day(50, (i) => i));
  });

  it('hourly naive data repeats 01:00 on the fall-back day: first PDT, then PST', async () => {
    const times = day(25, (i) => (i <= 1 ? i : i - 1)).map((h) => `2025-11-02T${String(h).padStart(2, '0')}:00:00`);
    times.push('2025-11-03T00:00:00');
    const cwd = withFiles({ 'meter.csv': csv([HEADER, ...times.map((t, i) => `${t},a,${2 * i},0`)]) });
    const imp = await importHouseholds({ meter: 'meter.csv', cwd });
    const [blk] = [...imp.blocks('2025-11-02', 1)];
    expect(blk.intervals).toBe(50);
    expect([...blk.loadKwh.slice(0, 8)]).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });
});

describe('long CSV: interval lengths and resampling', () => {
  it('detects 15, 30 and 60 minutes per home and resamples to half hours (60 → halves, 15 → sums)', async () => {
    const q = day(96, (i) => (i % 4) + 1); // 1,2,3,4 per hour
    const hr = day(24, (i) => 2 * i);
    const cwd = withFiles({
      'meter.csv': csv([HEADER, ...rows('q', '2025-07-01T00:00:00-07:00', 15, q), ...rows('h', '2025-07-01T00:00:00-07:00', 60, hr, (i) => i)]),
    });
    const imp = await importHouseholds({ meter: 'meter.csv', cwd });
    expect(imp.report.intervalMinutes).toEqual([
      { minutes: 15, homes: ['q'] },
      { minutes: 60, homes: ['h'] },
    ]);
    expect(imp.report.resampling).toHaveLength(2);
    const [blk] = [...imp.blocks('2025-07-01', 1)];
    for (let t = 0; t < 48; t++) {
      expect(blk.loadKwh[t * 2]).toBe(t % 2 === 0 ? 3 : 7);
      expect(blk.loadKwh[t * 2 + 1]).toBe(Math.floor(t / 2));
      expect(blk.pvKwh[t * 2 + 1]).toBe(Math.floor(t / 2) / 2);
    }
  });

  it('reads rows in any order and quoted fields', async () => {
    const lines = rows('a', '2025-07-01T00:00:00-07:00', 30, day(49, (i) => i)).reverse();
    lines[3] = lines[3].split(',').map((f) => `"${f}"`).join(',');
    const cwd = withFiles({ 'meter.csv': csv([HEADER, ...lines]) });
    const imp = await importHouseholds({ meter: 'meter.csv', cwd });
    const [blk] = [...imp.blocks('2025-07-01', 1)];
    expect([...blk.loadKwh]).toEqual(day(48, (i) => i));
  });
});

describe('long CSV: gaps', () => {
  const values = day(49, (i) => i + 1);
  it('fills gaps up to 2 h linearly and counts them', async () => {
    const lines = rows('a', '2025-07-01T00:00:00-07:00', 30, values).filter((_, i) => i !== 1 && i !== 2 && !(i >= 10 && i < 14));
    const cwd = withFiles({ 'meter.csv': csv([HEADER, ...lines]) });
    const imp = await importHouseholds({ meter: 'meter.csv', cwd });
    const [blk] = [...imp.blocks('2025-07-01', 1)];
    expect([...blk.loadKwh]).toEqual(values.slice(0, 48));
    expect(imp.report.filledGaps.total).toEqual({ gaps: 2, longOutsideWindow: 0, intervals: 6, loadKwh: 2 + 3 + 11 + 12 + 13 + 14, pvKwh: 0 });
    expect(imp.report.filledGaps.perHome.a.gaps).toBe(2);
    expect(formatInputsReport(imp.report).split('\n')).toEqual([
      'inputs: 1 home from meter.csv (2025-07-01 … 2025-07-01, America/Los_Angeles)',
      '  30-minute data: 1 home',
      '  resampled: 30-minute readings: used as they are',
      '  filled: 2 gaps (6 intervals, 55 kWh load, 0 kWh PV) in 1 home, linearly',
      '  warning: no weather file: temperature, cloud cover and irradiance come from the synthetic climate (see data-gen/meter/weather-at.ts)',
    ]);
  });

  it('rejects a gap over 2 h naming the home and the gap, or drops the home when asked', async () => {
    const lines = [...rows('a', '2025-07-01T00:00:00-07:00', 30, values).filter((_, i) => i < 2 || i >= 7), ...rows('b', '2025-07-01T00:00:00-07:00', 30, values)];
    const cwd = withFiles({ 'meter.csv': csv([HEADER, ...lines]) });
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', cwd }))).toBe(
      'meter.csv: home a has a gap of 2 h 30 min without readings from 2025-07-01T01:00:00-07:00 to 2025-07-01T03:30:00-07:00; gaps up to 2 h are filled (or drop such homes: dropHomesWithLongGaps)',
    );
    const imp = await importHouseholds({ meter: 'meter.csv', cwd, dropHomesWithLongGaps: true });
    expect(imp.households.map((h) => h.id)).toEqual(['b']);
    expect(imp.report.droppedHomes).toEqual([
      { id: 'a', reason: 'home a has a gap of 2 h 30 min without readings from 2025-07-01T01:00:00-07:00 to 2025-07-01T03:30:00-07:00; gaps up to 2 h are filled' },
    ]);
  });
});

describe('long CSV: long gaps and the simulated window', () => {
  it('a gap over 2 h before the window (history) is filled, counted and warned about; inside the window it is an error', async () => {
    const two = day(97, (i) => (i % 48) / 10);
    const lines = rows('a', '2025-07-01T00:00:00-07:00', 30, two).filter((_, i) => i < 10 || i >= 20);
    const cwd = withFiles({ 'meter.csv': csv([HEADER, ...lines]) });
    const imp = await importHouseholds({ meter: 'meter.csv', cwd, window: { start: '2025-07-02', days: 1 } });
    expect(imp.report.filledGaps.total).toMatchObject({ gaps: 1, longOutsideWindow: 1, intervals: 10 });
    expect(imp.report.warnings).toContain('gaps over 2 h outside the simulated window were filled linearly (history only): a (1)');
    const [b] = [...imp.blocks('2025-07-01', 1)];
    expect(b.loadKwh[15]).toBeCloseTo(0.9 + (2.0 - 0.9) * (6 / 11), 5);
    expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', cwd, window: { start: '2025-07-01', days: 2 } }))).toBe(
      'meter.csv: home a has a gap of 5 h without readings from 2025-07-01T05:00:00-07:00 to 2025-07-01T10:00:00-07:00; gaps up to 2 h are filled (or drop such homes: dropHomesWithLongGaps)',
    );
  });
});

describe('long CSV: bad input (locked texts)', () => {
  const ok = '2025-07-01T00:00:00-07:00,a,1,0';
  const cases: [string, string[], string][] = [
    ['negative value', [HEADER, ok, '2025-07-01T00:30:00-07:00,a,-0.5,0'], 'meter.csv:3:3: load_kwh -0.5 is negative'],
    ['non-numeric value', [HEADER, ok, '2025-07-01T00:30:00-07:00,a,1,abc'], 'meter.csv:3:4: pv_kwh "abc" is not a finite number'],
    ['non-finite value', [HEADER, ok, '2025-07-01T00:30:00-07:00,a,Infinity,0'], 'meter.csv:3:3: load_kwh "Infinity" is not a finite number'],
    ['NaN', [HEADER, ok, '2025-07-01T00:30:00-07:00,a,NaN,0'], 'meter.csv:3:3: load_kwh "NaN" is not a finite number'],
    ['hex value', [HEADER, ok, '2025-07-01T00:30:00-07:00,a,0x10,0'], 'meter.csv:3:3: load_kwh "0x10" is not a finite number'],
    ['empty load', [HEADER, '2025-07-01T00:30:00-07:00,a,,0'], 'meter.csv:2:3: load_kwh is empty'],
    ['empty id', [HEADER, '2025-07-01T00:30:00-07:00,,1,0'], 'meter.csv:2:2: household_id is empty'],
    ['too few fields', [HEADER, '2025-07-01T00:30:00-07:00,a'], 'meter.csv:2:3: 2 fields, the header has 4: load_kwh, pv_kwh missing'],
    ['a row without its pv_kwh field', [HEADER, ok, '2025-07-01T00:30:00-07:00,a,1'], 'meter.csv:3:4: 3 fields, the header has 4: pv_kwh missing'],
    ['a field too many', [HEADER, ok, '2025-07-01T00:30:00-07:00,a,1,0,2'], 'meter.csv:3:5: 5 fields, the header has 4: 1 extra after pv_kwh'],
    ['a trailing comma', [HEADER, ok, '2025-07-01T00:30:00-07:00,a,1,0,'], 'meter.csv:3:5: 5 fields, the header has 4: 1 extra after pv_kwh'],
    [
      'duplicate row',
      [HEADER, ok, '2025-07-01T00:30:00-07:00,a,1,0', '2025-07-01T07:00:00Z,a,2,0'],
      'meter.csv:4:1: duplicate row: home a already has a reading at 2025-07-01T00:00:00-07:00',
    ],
    [
      'unsorted duplicate',
      [HEADER, '2025-07-01T01:00:00-07:00,a,1,0', ok, '2025-07-01T00:30:00-07:00,a,1,0', '2025-07-01T00:00:00-07:00,a,1,0'],
      'meter.csv:5:1: duplicate row: home a already has a reading at 2025-07-01T00:00:00-07:00',
    ],
    ['not a timestamp', [HEADER, 'yesterday,a,1,0'], 'meter.csv:2:1: "yesterday" is not an ISO 8601 timestamp (expected e.g. 2025-08-04T00:00:00-08:00)'],
    ['impossible date', [HEADER, '2025-02-30T00:00:00Z,a,1,0'], 'meter.csv:2:1: "2025-02-30T00:00:00Z" is not a real date and time'],
    ['seconds', [HEADER, '2025-07-01T00:00:30Z,a,1,0'], 'meter.csv:2:1: "2025-07-01T00:00:30Z" is not on a whole minute (interval starts are whole minutes)'],
    [
      'missing header',
      [ok, '2025-07-01T00:30:00-07:00,a,1,0'],
      'meter.csv:1: header must name the columns timestamp, household_id, load_kwh (got "2025-07-01T00:00:00-07:00,a,1,0"; the header row is required)',
    ],
    ['header without load', ['timestamp,household_id,pv_kwh', ok], 'meter.csv:1: header must name the column load_kwh (got "timestamp,household_id,pv_kwh"; the header row is required)'],
    ['no rows', [HEADER], 'meter.csv:2: no data rows after the header'],
    [
      '20-minute data',
      [HEADER, ok, '2025-07-01T00:20:00-07:00,a,1,0'],
      'meter.csv:3:1: home a: readings 20 minutes apart; the interval length must be 15, 30 or 60 minutes',
    ],
    ['45-minute data', [HEADER, ok, '2025-07-01T00:45:00-07:00,a,1,0', '2025-07-01T01:30:00-07:00,a,1,0'], 'meter.csv: home a: readings 45 minutes apart; the interval length must be 15, 30 or 60 minutes'],
    ['a single reading', [HEADER, ok], 'meter.csv:2: home a has a single reading; its interval length cannot be detected'],
    [
      'half-hour data off the half hour',
      [HEADER, '2025-07-01T00:15:00-07:00,a,1,0', '2025-07-01T00:45:00-07:00,a,1,0'],
      'meter.csv: home a: 30-minute readings must start on the hour or half hour',
    ],
  ];
  for (const [name, lines, message] of cases) {
    it(name, async () => {
      const cwd = withFiles({ 'meter.csv': csv(lines) });
      expect(await inputErrorOf(importHouseholds({ meter: 'meter.csv', cwd }))).toBe(message);
    });
  }

  it('a home in two meter files', async () => {
    const one = csv([HEADER, ...rows('a', '2025-07-01T00:00:00-07:00', 30, day(48, () => 1))]);
    const cwd = withFiles({ 'one.csv': one, 'two.csv': one });
    expect(await inputErrorOf(importHouseholds({ meter: ['one.csv', 'two.csv'], cwd }))).toBe('two.csv: home a is also in one.csv');
  });

  it('a file that cannot be read', async () => {
    const cwd = withFiles({});
    expect(await inputErrorOf(importHouseholds({ meter: 'nope.csv', cwd }))).toBe('nope.csv: cannot read the file (ENOENT)');
  });

  it('ignores extra columns with a warning, and a file without pv_kwh has no PV', async () => {
    const lines = ['timestamp,household_id,note,load_kwh', ...rows('a', '2025-07-01T00:00:00-07:00', 30, day(48, () => 1)).map((r) => r.split(',')).map(([t, h, l]) => `${t},${h},x,${l}`)];
    const cwd = withFiles({ 'meter.csv': csv(lines) });
    const imp = await importHouseholds({ meter: 'meter.csv', cwd });
    expect(imp.report.warnings).toContain('meter.csv: ignored extra columns note');
    expect(imp.report.warnings).toContain('meter.csv: no pv_kwh column: these homes have no PV');
    expect(imp.households[0].hasPv).toBe(false);
  });

  it('a window the data does not cover is an error giving the data range', async () => {
    const cwd = withFiles({ 'meter.csv': csv([HEADER, ...rows('a', '2025-07-01T00:00:00-07:00', 30, day(48, () => 1))]) });
    const imp = await importHouseholds({ meter: 'meter.csv', cwd });
    expect(await inputErrorOf(() => imp.blocks('2025-07-01', 2).next())).toBe(
      'meter.csv: the window 2025-07-01 … 2025-07-02 (2 days) is not covered by the meter data: every home has data for 2025-07-01 … 2025-07-01 (2025-07-01T00:00:00-07:00 to 2025-07-02T00:00:00-07:00)',
    );
  });
});
