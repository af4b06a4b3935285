/**
 * timeline.parquet and trades.parquet (written with parquet-wasm) read back with an independent
 * reader, DuckDB (@duckdb/node-api), and compared value by value with the JSON outputs of the
 * same run.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunOutputs } from '../../outputs/index.ts';
import { ParquetFileWriter, TimelineParquetWriter, writeSweepParquet } from '../../outputs/parquet/index.ts';
import { sweepCsv, type SweepRow } from '../../sweep/index.ts';
import { parseSimConfig, runWithComparisons, simulate, type RunEvent, type SimConfig, type TimelineInterval, type Trade } from '../../sim/index.ts';
import { smallConfig } from '../sim/helpers.ts';
import { batchOf, f64 } from '../../outputs/parquet/columns.ts';
import { PARQUET_COLUMNS } from '../../sim/engine/index.ts';

type Row = Record<string, unknown>;

let duck: DuckDBInstance;
let db: DuckDBConnection;
const sql = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function readParquet(path: string): Promise<Row[]> {
  const reader = await db.runAndReadAll(`SELECT * FROM read_parquet(${sql(path)})`);
  return reader.getRowObjectsJS() as Row[];
}

async function columnTypes(path: string): Promise<Record<string, string>> {
  const reader = await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sql(path)})`);
  return Object.fromEntries((reader.getRowObjectsJS() as Row[]).map((r) => [r.column_name as string, r.column_type as string]));
}

function config(format: 'json' | 'parquet'): SimConfig {
  // six homes, one day: enough for trades; seasonal-naive forecasts, no comparison runs
  return smallConfig({ households: { count: 6 }, outputs: { format, timeline: 'json' } });
}

async function runTo(c: SimConfig): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'wattswap-parquet-')), 'out');
  await writeRunOutputs(runWithComparisons(c), c, dir);
  return dir;
}

/** The per-home columns of timeline.parquet: the registry's Parquet columns, named by their JSON keys. */
const HOUSEHOLD_KEYS = PARQUET_COLUMNS.map((c) => c.json);

afterAll(() => {
  db?.closeSync();
  duck?.closeSync();
});

describe('outputs.format: parquet', () => {
  let jsonDir: string;
  let parquetDir: string;
  let intervals: TimelineInterval[];
  let trades: Trade[];

  beforeAll(async () => {
    duck ??= await DuckDBInstance.create(':memory:');
    db ??= await duck.connect();
    jsonDir = await runTo(config('json'));
    parquetDir = await runTo(config('parquet'));
    intervals = JSON.parse(readFileSync(join(jsonDir, 'timeline.json'), 'utf8')).intervals;
    trades = JSON.parse(readFileSync(join(jsonDir, 'trades.json'), 'utf8')).trades;
  });


  it('writes timeline.parquet and trades.parquet instead of the JSON timeline and trades; summary stays JSON', () => {
    expect(readdirSync(parquetDir).sort()).toEqual(['config.json', 'summary.json', 'timeline.parquet', 'trades.parquet']);
    expect(readdirSync(jsonDir).sort()).toEqual(['config.json', 'summary.json', 'timeline.json', 'trades.json']);
    const summary = (d: string) => JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8'));
    expect(summary(parquetDir)).toEqual(summary(jsonDir));
  });

  it('has typed columns (DuckDB sees integers, doubles, strings and lists)', async () => {
    const types = await columnTypes(join(parquetDir, 'timeline.parquet'));
    expect(types).toMatchObject({
      interval: 'INTEGER',
      start: 'VARCHAR',
      household_id: 'VARCHAR',
      price_signal_usd_per_kwh: 'DOUBLE',
      community_net_import_kw: 'DOUBLE',
      load_kwh: 'DOUBLE',
      soc_kwh: 'DOUBLE',
      action: 'VARCHAR',
      forecast_kwh: 'DOUBLE[]',
    });
    const tradeTypes = await columnTypes(join(parquetDir, 'trades.parquet'));
    expect(tradeTypes).toMatchObject({ interval: 'INTEGER', buyer: 'VARCHAR', seller: 'VARCHAR', sent_kwh: 'DOUBLE', delivery_charge_usd: 'DOUBLE' });
  });

  it('has the interval’s columns, then every Parquet column of the registry in its order', async () => {
    const types = await columnTypes(join(parquetDir, 'timeline.parquet'));
    expect(Object.keys(types)).toEqual(['interval', 'start', 'price_signal_usd_per_kwh', 'community_net_import_kw', 'household_id', ...HOUSEHOLD_KEYS]);
  });

  it('holds every timeline value of timeline.json, exactly, one row per home per interval', async () => {
    const rows = await readParquet(join(parquetDir, 'timeline.parquet'));
    const expected: Row[] = [];
    for (const iv of intervals)
      for (const h of iv.households) {
        const row: Row = { interval: iv.index, start: iv.start, price_signal_usd_per_kwh: iv.price_signal_usd_per_kwh, community_net_import_kw: iv.community_net_import_kw, household_id: h.id };
        for (const k of HOUSEHOLD_KEYS) row[k] = h[k];
        expected.push(row);
      }
    expect(rows.length).toBe(6 * 48);
    expect(rows.length).toBe(expected.length);
    // toEqual compares numbers with Object.is: float64 exactness, no tolerance
    for (let i = 0; i < rows.length; i++) expect(rows[i], `row ${i}`).toEqual(expected[i]);
  });

  it('holds every trade of trades.json, exactly', async () => {
    expect(trades.length).toBeGreaterThan(0);
    const rows = await readParquet(join(parquetDir, 'trades.parquet'));
    expect(rows).toEqual(trades);
  });

  it('is byte-identical when run again with the same seed', async () => {
    const again = await runTo(config('parquet'));
    for (const f of ['timeline.parquet', 'trades.parquet'])
      expect(readFileSync(join(again, f)).equals(readFileSync(join(parquetDir, f))), f).toBe(true);
  });

  it('streams in several row groups when the run is larger than a batch', async () => {
    const c = config('parquet');
    let writer: TimelineParquetWriter | null = null;
    const path = join(mkdtempSync(join(tmpdir(), 'wattswap-parquet-')), 'timeline.parquet');
    await new Promise<void>((resolve, reject) =>
      simulate(c, { yieldEveryDay: true }).subscribe({
        next: (e) => {
          // 40 rows a batch: rounded down to whole intervals of 6 homes
          if (e.type === 'start') writer = new TimelineParquetWriter(path, e.meta, { batchRows: 40 });
          else if (e.type === 'tick') writer!.push(e.frame);
        },
        error: reject,
        complete: () => writer!.close().then(resolve, reject),
      }),
    );
    const groups = await db.runAndReadAll(`SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata(${sql(path)})`);
    expect(Number((groups.getRowObjectsJS()[0] as Row).n)).toBe(8); // 288 rows, 36 rows (6 intervals × 6 homes) a group
    const rows = await readParquet(path);
    expect(rows.map((r) => [r.interval, r.household_id])).toEqual(
      intervals.flatMap((iv) => iv.households.map((h) => [iv.index, h.id])),
    );
  });

  it('leaves the forecast lists out when asked', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wattswap-parquet-')), 'timeline.parquet');
    let writer: TimelineParquetWriter | null = null;
    await new Promise<void>((resolve, reject) =>
      simulate(config('parquet'), { yieldEveryDay: true }).subscribe({
        next: (e) => {
          if (e.type === 'start') writer = new TimelineParquetWriter(path, e.meta, { forecasts: false });
          else if (e.type === 'tick') writer!.push(e.frame);
        },
        error: reject,
        complete: () => writer!.close().then(resolve, reject),
      }),
    );
    const types = await columnTypes(path);
    expect(Object.keys(types)).not.toContain('forecast_kwh');
    expect(Object.keys(types)).toContain('baseline_energy_cost_usd');
    expect((await readParquet(path)).length).toBe(6 * 48);
  });

  it('writes a valid, empty trades.parquet when nothing trades', async () => {
    const c = parseSimConfig({ ...config('parquet'), market: { ...config('parquet').market, enabled: false } });
    const dir = await runTo(c);
    const rows = await readParquet(join(dir, 'trades.parquet'));
    expect(rows).toEqual([]);
    expect(await columnTypes(join(dir, 'trades.parquet'))).toMatchObject({ interval: 'INTEGER', buyer: 'VARCHAR' });
  });
});

function sweepRow(over: Partial<SweepRow>): SweepRow {
  return {
    key: 'k',
    scenario: 'baseline-summer',
    seed: 1,
    params: {},
    households: 2,
    baseline_cost_usd: 10.5,
    optimized_cost_usd: 9.25,
    savings_usd: 1.25,
    savings_percent: 11.904761904761905,
    savings_adjusted_usd: 1.3,
    battery_only_status: 'computed',
    battery_only_cost_usd: 9.5,
    battery_only_savings_usd: 1,
    battery_only_savings_percent: 9.523809523809524,
    p2p_extra_savings_usd: 0.25,
    p2p_extra_savings_percent: 2.380952380952381,
    perfect_foresight_status: 'skipped',
    perfect_foresight_savings_percent: null,
    capture_percent: null,
    trades: 7,
    p2p_sent_kwh: 3.1,
    p2p_delivered_kwh: 2.945,
    peak_reduction_percent: 12.5,
    worst_home_id: 'h02',
    worst_home_bill_change_usd: 0.1,
    homes: [
      { id: 'h01', baseline_cost_usd: 5, optimized_cost_usd: 4.15 },
      { id: 'h02', baseline_cost_usd: 5.5, optimized_cost_usd: 5.1 },
    ],
    attribution: { 'community.savings_usd': 1.25, 'community.p2p_extra_usd': null },
    ...over,
  };
}

describe('sweep.parquet', () => {
  beforeAll(async () => {
    duck ??= await DuckDBInstance.create(':memory:');
    db ??= await duck.connect();
  });

  it('holds the sweep rows with sweep.csv’s columns, typed, nulls kept', async () => {
    const rows = [
      sweepRow({ key: 'a', seed: 1, params: { 'battery.capacityKwh': 10, 'market.enabled': true, 'agents.strategy': 'rule-based', 'tariff.x': [1, 2] } }),
      sweepRow({
        key: 'b',
        seed: 4294967295,
        params: { 'battery.capacityKwh': 13.5, 'market.enabled': false, 'agents.strategy': 'receding-horizon' },
        homes: [{ id: 'h10', baseline_cost_usd: 1, optimized_cost_usd: 0.5 }],
        worst_home_id: null,
        attribution: null,
      }),
    ];
    const path = join(mkdtempSync(join(tmpdir(), 'wattswap-sweep-')), 'sweep.parquet');
    await writeSweepParquet(path, rows);
    const types = await columnTypes(path);
    expect(Object.keys(types)).toEqual(sweepCsv(rows).split('\n')[0].split(','));
    expect(types).toMatchObject({
      seed: 'BIGINT',
      'param.battery.capacityKwh': 'DOUBLE',
      'param.market.enabled': 'BOOLEAN',
      'param.agents.strategy': 'VARCHAR',
      'param.tariff.x': 'VARCHAR',
      households: 'INTEGER',
      savings_usd: 'DOUBLE',
      'bill_usd.h10': 'DOUBLE',
    });
    const got = await readParquet(path);
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({
      key: 'a',
      seed: 1n,
      'param.battery.capacityKwh': 10,
      'param.tariff.x': '[1,2]',
      savings_percent: 11.904761904761905,
      capture_percent: null,
      'bill_usd.h01': 4.15,
      'bill_usd.h10': null,
      'attribution.community.savings_usd': 1.25,
      'attribution.community.p2p_extra_usd': null,
    });
    expect(got[1]).toMatchObject({ key: 'b', seed: 4294967295n, 'param.market.enabled': false, worst_home_id: null, 'bill_usd.h10': 0.5, 'attribution.community.savings_usd': null });
  });

  it('an empty sweep is a valid empty table', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wattswap-sweep-')), 'sweep.parquet');
    await writeSweepParquet(path, []);
    expect(await readParquet(path)).toEqual([]);
  });
});

describe('Parquet output failures', () => {
  it('an unwritable output directory is a clear error naming the file, and leaves nothing behind', async () => {
    const base = mkdtempSync(join(tmpdir(), 'wattswap-parquet-bad-'));
    const blocker = join(base, 'not-a-dir');
    writeFileSync(blocker, 'a file where a directory should be');
    const path = join(blocker, 'timeline.parquet');
    expect(() => new ParquetFileWriter(path, batchOf([{ name: 'x', data: f64(new Float64Array(0)) }]))).toThrow(
      /cannot write Parquet file .*not-a-dir\/timeline\.parquet: ENOTDIR/,
    );
    expect(readdirSync(base)).toEqual(['not-a-dir']);
  });

  it('a run that fails mid-stream leaves no directory and no partial Parquet file', async () => {
    const base = mkdtempSync(join(tmpdir(), 'wattswap-parquet-fail-'));
    const c = config('parquet');
    let ticks = 0;
    const failing = new Observable<RunEvent>((sub) => {
      const inner = runWithComparisons(c).subscribe({
        next: (e) => {
          if (e.type === 'tick' && ++ticks === 20) sub.error(new Error('disk on fire'));
          else sub.next(e);
        },
        error: (err) => sub.error(err),
        complete: () => sub.complete(),
      });
      return () => inner.unsubscribe();
    });
    await expect(writeRunOutputs(failing, c, join(base, 'out'))).rejects.toThrow('disk on fire');
    // let the encoder notice the abort
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(base)).toEqual([]);
    expect(existsSync(join(base, 'out'))).toBe(false);
  });
});
