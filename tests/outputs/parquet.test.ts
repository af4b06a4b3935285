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
import { ParquetFileWriter, TimelineParquetWriter } from '../../outputs/parquet/index.ts';
import { parseSimConfig, runScenario, simulate, type RunEvent, type SimConfig, type TimelineInterval, type Trade } from '../../sim/index.ts';
import { smallConfig } from '../sim/helpers.ts';
import { batchOf, f64 } from '../../outputs/parquet/columns.ts';

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
  await writeRunOutputs(runScenario(c), c, dir);
  return dir;
}

const HOUSEHOLD_KEYS = [
  'load_kwh',
  'pv_kwh',
  'battery_charge_kwh',
  'battery_discharge_kwh',
  'battery_self_discharge_kwh',
  'soc_kwh',
  'p2p_bought_kwh',
  'p2p_sold_kwh',
  'grid_import_kwh',
  'grid_export_kwh',
  'tariff_rate_usd_per_kwh',
  'export_rate_usd_per_kwh',
  'energy_cost_usd',
  'baseline_energy_cost_usd',
  'action',
  'forecast_kwh',
  'forecast_pv_kwh',
] as const;

describe('outputs.format: parquet', () => {
  let jsonDir: string;
  let parquetDir: string;
  let intervals: TimelineInterval[];
  let trades: Trade[];

  beforeAll(async () => {
    duck = await DuckDBInstance.create(':memory:');
    db = await duck.connect();
    jsonDir = await runTo(config('json'));
    parquetDir = await runTo(config('parquet'));
    intervals = JSON.parse(readFileSync(join(jsonDir, 'timeline.json'), 'utf8')).intervals;
    trades = JSON.parse(readFileSync(join(jsonDir, 'trades.json'), 'utf8')).trades;
  });

  afterAll(() => {
    db?.closeSync();
    duck?.closeSync();
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
      load_kwh: 'DOUBLE',
      soc_kwh: 'DOUBLE',
      action: 'VARCHAR',
      forecast_kwh: 'DOUBLE[]',
    });
    const tradeTypes = await columnTypes(join(parquetDir, 'trades.parquet'));
    expect(tradeTypes).toMatchObject({ interval: 'INTEGER', buyer: 'VARCHAR', seller: 'VARCHAR', sent_kwh: 'DOUBLE', fee_usd: 'DOUBLE' });
  });

  it('holds every timeline value of timeline.json, exactly, one row per home per interval', async () => {
    const rows = await readParquet(join(parquetDir, 'timeline.parquet'));
    const expected: Row[] = [];
    for (const iv of intervals)
      for (const h of iv.households) {
        const row: Row = { interval: iv.index, start: iv.start, price_signal_usd_per_kwh: iv.price_signal_usd_per_kwh, household_id: h.id };
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

  it('writes a valid, empty trades.parquet when nothing trades', async () => {
    const c = parseSimConfig({ ...config('parquet'), market: { ...config('parquet').market, enabled: false } });
    const dir = await runTo(c);
    const rows = await readParquet(join(dir, 'trades.parquet'));
    expect(rows).toEqual([]);
    expect(await columnTypes(join(dir, 'trades.parquet'))).toMatchObject({ interval: 'INTEGER', buyer: 'VARCHAR' });
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
      const inner = runScenario(c).subscribe({
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
