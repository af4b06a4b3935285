/**
 * The per-home column registry and what is derived from it: the tick frame, the run totals, the
 * JSON timeline and the timeline household schema agree with the registry and with each other on a
 * real run (with an outage, so the islanded settlement writes its columns too). The Parquet layout
 * is checked against the registry in tests/outputs/parquet.test.ts.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { timelineIntervalOf } from '../../../outputs/index.ts';
import { createColumnTotaller, HOME_COLUMNS, PARQUET_COLUMNS, TIMELINE_COLUMNS, totalKeyOf, type HomeColumn } from '../../../sim/engine/columns.ts';
import { simulate, type RunTotals, type TickFrame } from '../../../sim/engine/index.ts';
import { TimelineHouseholdSchema, TimelineIntervalSchema, type TimelineInterval } from '../../../sim/contract.ts';
import { smallConfig } from '../helpers.ts';

const UNIT_SUFFIX = { kWh: ['Kwh', '_kwh'], USD: ['Usd', '_usd'], 'USD/kWh': ['UsdPerKwh', '_usd_per_kwh'] } as const;

describe('the column registry', () => {
  it('names every column once, and every timeline key once', () => {
    const keys = HOME_COLUMNS.map((c) => c.key);
    expect(new Set(keys).size, 'a column key appears twice').toBe(keys.length);
    const json = TIMELINE_COLUMNS.map((c) => c.json);
    expect(new Set(json).size, 'a timeline key appears twice').toBe(json.length);
  });

  it('carries each unit in the column’s names (camelCase key, snake_case JSON key)', () => {
    for (const c of HOME_COLUMNS as readonly HomeColumn[]) {
      if (c.unit === 'code') {
        expect(c.names, `${c.key}: a code column needs its names`).toBeDefined();
        continue;
      }
      const [camel, snake] = UNIT_SUFFIX[c.unit];
      expect(c.key.endsWith(camel), `${c.key} should end in ${camel}`).toBe(true);
      if (c.json !== null) expect(c.json.endsWith(snake), `${c.json} should end in ${snake}`).toBe(true);
    }
  });

  it('writes to Parquet only columns of the JSON timeline (Parquet names are the JSON keys)', () => {
    for (const c of PARQUET_COLUMNS) expect(c.json, c.key).not.toBeNull();
  });

  it('is the timeline household schema: id, then every timeline column in registry order', () => {
    expect(Object.keys(TimelineHouseholdSchema.shape)).toEqual(['id', ...TIMELINE_COLUMNS.map((c) => c.json)]);
  });
});

/** A copy of every registry column of a frame (the engine reuses the arrays). */
function copyColumns(f: TickFrame): Record<string, Float64Array | Uint8Array> {
  return Object.fromEntries(HOME_COLUMNS.map((c) => [c.key, f[c.key].slice()]));
}

describe('one run, through everything derived from the registry', () => {
  const n = 4;
  let frames: Record<string, Float64Array | Uint8Array>[];
  let intervals: TimelineInterval[];
  let totals: RunTotals;
  /** each home's plan rate, from the frame's per-plan rates, and its export credit from its plan's export schedule */
  let rates: { tariff: number[]; exportRate: number[] }[];

  beforeAll(async () => {
    const config = smallConfig({ seed: 5, households: { count: n, pvShare: 0.5 }, grid: { outages: [{ start: '2026-07-15T14:00', hours: 3, noticeHours: 2 }] } });
    frames = [];
    intervals = [];
    rates = [];
    await new Promise<void>((resolve, reject) =>
      simulate(config).subscribe({
        next: (e) => {
          if (e.type === 'tick') {
            frames.push(copyColumns(e.frame));
            intervals.push(timelineIntervalOf(e.meta, e.frame));
            const byPlan = e.frame.importUsdPerKwhByPlan;
            const at = DateTime.fromISO(e.frame.startIso, { setZone: true });
            const lt = { year: at.year, month: at.month, day: at.day, hour: at.hour, minute: at.minute, weekday: at.weekday };
            rates.push({ tariff: Array.from(e.meta.planOfHome, (p) => byPlan[p]), exportRate: Array.from(e.meta.planOfHome, (p) => e.meta.exports[p].usdPerKwhAt(lt)) });
          } else if (e.type === 'end') totals = e.totals;
        },
        error: reject,
        complete: resolve,
      }),
    );
  });

  it('ran islanded intervals as well as grid-connected ones', () => {
    expect(intervals.some((iv) => iv.grid === 'down')).toBe(true);
    expect(intervals.some((iv) => iv.grid === 'up')).toBe(true);
  });

  it('writes every timeline column into every JSON household, in registry order, with the frame’s value', () => {
    const order = ['id', ...TIMELINE_COLUMNS.map((c) => c.json)];
    intervals.forEach((iv, t) => {
      const H = iv.households[0].forecast_kwh.length;
      iv.households.forEach((home, h) => {
        expect(Object.keys(home)).toEqual(order);
        for (const c of TIMELINE_COLUMNS as readonly HomeColumn[]) {
          const values = frames[t][c.key];
          const expected = c.shape === 'horizon' ? Array.from(values.subarray(h * H, h * H + H)) : c.shape === 'code' ? c.names![values[h]] : values[h];
          expect((home as Record<string, unknown>)[c.json!], `interval ${t} home ${h} ${c.json}`).toEqual(expected);
        }
      });
    });
  });

  it('gives each home its own plan’s import rate and its own export program’s credit, islanded or not', () => {
    expect(new Set(rates.flatMap((r) => r.tariff)).size, 'the rates should vary over the day').toBeGreaterThan(1);
    intervals.forEach((iv, t) => {
      expect(iv.households.map((home) => home.tariff_rate_usd_per_kwh), `interval ${t} (${iv.grid})`).toEqual(rates[t].tariff);
      expect(iv.households.map((home) => home.export_rate_usd_per_kwh), `interval ${t} (${iv.grid})`).toEqual(rates[t].exportRate);
    });
  });

  it('validates against the schema derived from the registry', () => {
    for (const iv of intervals) expect(TimelineIntervalSchema.safeParse(iv).success, `interval ${iv.index}`).toBe(true);
  });

  it('totals each totalled column as the sum, max or last value over the intervals', () => {
    const byKey = totals as unknown as Record<string, Float64Array>;
    for (const c of HOME_COLUMNS as readonly HomeColumn[]) {
      if (c.total === null) continue;
      const expected = new Float64Array(n).fill(c.total === 'max' ? -Infinity : 0);
      for (const f of frames)
        for (let h = 0; h < n; h++) {
          const v = f[c.key][h];
          expected[h] = c.total === 'sum' ? expected[h] + v : c.total === 'max' ? Math.max(expected[h], v) : v;
        }
      expect(Array.from(byKey[totalKeyOf(c)]), `${c.key} (${c.total}) as ${totalKeyOf(c)}`).toEqual(Array.from(expected));
    }
  });
});

describe('createColumnTotaller', () => {
  const toy: HomeColumn[] = [
    { key: 'aKwh', unit: 'kWh', shape: 'home', source: 'state', json: null, parquet: null, total: 'sum' },
    { key: 'bKwh', unit: 'kWh', shape: 'home', source: 'state', json: null, parquet: null, total: 'max', totalKey: 'peakBKwh' },
    { key: 'cKwh', unit: 'kWh', shape: 'home', source: 'state', json: null, parquet: null, total: 'last' },
    { key: 'dKwh', unit: 'kWh', shape: 'home', source: 'state', json: null, parquet: null, total: null },
  ];

  it('adds frames as Σ, max and last per home, under the totals key, and leaves untotalled columns out', () => {
    const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(value, value, value), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const t = createColumnTotaller(toy, 3);
        let sum = [0, 0, 0];
        let max = [-Infinity, -Infinity, -Infinity];
        let last = [0, 0, 0];
        for (const row of rows) {
          const col = (i: number) => Float64Array.from(row, (r) => r[i]);
          t.add({ aKwh: col(0), bKwh: col(1), cKwh: col(2), dKwh: col(0) });
          sum = sum.map((s, h) => s + row[h][0]);
          max = max.map((m, h) => Math.max(m, row[h][1]));
          last = row.map((r) => r[2]);
        }
        expect(Object.keys(t.totals)).toEqual(['aKwh', 'peakBKwh', 'cKwh']);
        expect(Array.from(t.totals.aKwh)).toEqual(sum);
        expect(Array.from(t.totals.peakBKwh)).toEqual(max);
        expect(Array.from(t.totals.cKwh)).toEqual(last);
      }),
      { numRuns: 100 },
    );
  });
});
