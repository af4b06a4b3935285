import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerInspectCommand } from '../../../cli/commands/inspect.ts';
import { InspectReportSchema, formatInspectReport, inspectMeterFiles } from '../../../data-gen/index.ts';
import { HEADER, csv, rows, withFiles } from './helpers.ts';

const lines = () => {
  const a = rows('a', '2025-07-01T00:00:00-07:00', 60, Array(24).fill(1), () => 0.5).filter((_, i) => i !== 5 && !(i >= 10 && i < 14));
  return [HEADER, ...a, '2025-07-01T03:00:00-07:00,b,-1,0', '2025-07-01T04:00:00-07:00,b,x,0', ...rows('b', '2025-07-01T00:00:00-07:00', 15, Array(8).fill(0.25))];
};

describe('inspect', () => {
  it('lists range, interval, gaps and how they would be filled, daily means and broken rows', async () => {
    const cwd = withFiles({ 'meter.csv': csv(lines()) });
    const r = await inspectMeterFiles(['meter.csv'], { cwd });
    expect(InspectReportSchema.parse(r)).toEqual(r);
    expect(r.range).toEqual({ first: '2025-07-01T00:00:00-07:00', end: '2025-07-02T00:00:00-07:00' });
    const [a, b] = r.homes;
    expect(a).toMatchObject({ id: 'a', intervalMinutes: 60, intervalOk: true, readings: 19, gaps: 2, missingIntervals: 5, longestGapMinutes: 240, longGaps: 1 });
    expect(a.meanDailyLoadKwh).toBeCloseTo(24, 6);
    expect(a.meanDailyPvKwh).toBeCloseTo(12, 6);
    expect(b).toMatchObject({ id: 'b', intervalMinutes: 15, readings: 8, meanDailyLoadKwh: 24 });
    expect(r.badRows).toEqual([
      { file: 'meter.csv', line: 21, column: 3, reason: 'load_kwh -1 is negative' },
      { file: 'meter.csv', line: 22, column: 3, reason: 'load_kwh "x" is not a finite number' },
    ]);
    expect(r.notes).toContain('homes with gaps over 2 h fail the import unless dropped (dropHomesWithLongGaps)');
    const text = formatInspectReport(r);
    expect(text).toContain('meter.csv:21:3: load_kwh -1 is negative');
    expect(text.split('\n')[4]).toMatch(/^home\s+interval\s+first/);
  });

  it('the command prints a table or JSON; exit 0 when the files would import, 2 when not', async () => {
    const cwd = withFiles({
      'bad.csv': csv(lines()),
      'good.csv': csv([HEADER, ...rows('a', '2025-07-01T00:00:00-07:00', 30, Array(48).fill(1))]),
      'empty.csv': '',
      'cut.csv': csv([HEADER, ...rows('a', '2025-07-01T00:00:00-07:00', 30, Array(48).fill(1)).map((r, i) => (i === 7 ? r.slice(0, r.lastIndexOf(',')) : r))]),
    });
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      let code = -1;
      const program = new Command().exitOverride();
      registerInspectCommand(program, { out: (s) => out.push(s), err: (s) => err.push(s) }, (c) => (code = c), cwd);
      await program.parseAsync(['node', 'wattswap', 'inspect', ...args]);
      return { out: out.join('\n'), err: err.join('\n'), code };
    };
    const good = await run('good.csv', '--json');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out).homes[0].id).toBe('a');
    const bad = await run('bad.csv');
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('bad rows (2):');
    const cut = await run('cut.csv');
    expect(cut.code).toBe(2);
    expect(cut.out).toContain('bad rows (1):\n  cut.csv:9:4: 3 fields, the header has 4: pv_kwh missing');
    const empty = await run('empty.csv');
    expect(empty.code).toBe(2);
    expect(empty.err).toBe('wattswap inspect: bad input (WATTSWAP_ERR_INPUT)\nempty.csv:1: the file is empty (a header row is required)');
  });
});
