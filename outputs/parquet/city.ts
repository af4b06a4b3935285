/**
 * city.parquet: city.json's rows (one per community) as a typed table, with the same column names.
 * Missing values (a null savings share or feeder limit) are nulls.
 */
import { Float64, Int32, Int64, Utf8, type DataType } from 'apache-arrow';
import type { CityRow } from '../../city/index.ts';
import { batchOf, nullableColumn, type Column } from './columns.ts';
import { ParquetFileWriter, type ParquetFileOptions } from './file.ts';

type Value = number | string | bigint | null;

/** Every CityRow field in city.json's order, with its column type. */
const COLUMNS: [keyof CityRow, () => DataType][] = [
  ['community', () => new Utf8()],
  ['key', () => new Utf8()],
  ['seed', () => new Int64()],
  ['households', () => new Int32()],
  ['baseline_cost_usd', () => new Float64()],
  ['optimized_cost_usd', () => new Float64()],
  ['savings_usd', () => new Float64()],
  ['savings_percent', () => new Float64()],
  ['trades', () => new Int32()],
  ['p2p_delivered_kwh', () => new Float64()],
  ['peak_net_import_kw', () => new Float64()],
  ['baseline_peak_net_import_kw', () => new Float64()],
  ['feeder_limit_kw', () => new Float64()],
  ['feeder_overload_intervals', () => new Int32()],
  ['baseline_feeder_overload_intervals', () => new Int32()],
  ['feeder_peak_loading_percent', () => new Float64()],
];

/** The rows as columns (pure). */
export function cityColumns(rows: readonly CityRow[]): Column[] {
  return COLUMNS.map(([name, type]) => {
    const cells = rows.map((r) => {
      const v = r[name];
      return (name === 'seed' ? BigInt(v as number) : v) as Value;
    });
    return { name, data: nullableColumn(cells, type()), nullable: true };
  });
}

/** Writes `rows` to `path` (a temporary file renamed into place once complete). */
export async function writeCityParquet(path: string, rows: readonly CityRow[], options: ParquetFileOptions = {}): Promise<void> {
  const batch = batchOf(cityColumns(rows));
  const file = new ParquetFileWriter(path, batch, options);
  if (rows.length > 0) file.append(batch);
  await file.close();
}
