/**
 * sweep.parquet: the sweep rows as a typed table, with sweep.csv's columns (`param.<path>`,
 * `bill_usd.<id>`, `baseline_bill_usd.<id>`, `attribution.<key>`). Missing values are nulls.
 */
import { Bool, Float64, Int32, Int64, Utf8, type DataType } from 'apache-arrow';
import type { SweepRow } from '../../sweep/index.ts';
import { batchOf, nullableColumn, type Column } from './columns.ts';
import { ParquetFileWriter, type ParquetFileOptions } from './file.ts';

type Value = number | string | boolean | bigint | null;

/** The row fields after key, scenario, seed and the parameters, in sweep.csv's order, with their type. */
const FIXED: [keyof SweepRow, 'int' | 'f64' | 'utf8'][] = [
  ['households', 'int'],
  ['baseline_cost_usd', 'f64'],
  ['optimized_cost_usd', 'f64'],
  ['savings_usd', 'f64'],
  ['savings_percent', 'f64'],
  ['savings_adjusted_usd', 'f64'],
  ['battery_only_status', 'utf8'],
  ['battery_only_cost_usd', 'f64'],
  ['battery_only_savings_usd', 'f64'],
  ['battery_only_savings_percent', 'f64'],
  ['p2p_extra_savings_usd', 'f64'],
  ['p2p_extra_savings_percent', 'f64'],
  ['perfect_foresight_status', 'utf8'],
  ['perfect_foresight_savings_percent', 'f64'],
  ['capture_percent', 'f64'],
  ['trades', 'int'],
  ['p2p_sent_kwh', 'f64'],
  ['p2p_delivered_kwh', 'f64'],
  ['peak_reduction_percent', 'f64'],
  ['worst_home_id', 'utf8'],
  ['worst_home_bill_change_usd', 'f64'],
];

const TYPES = { int: () => new Int32(), f64: () => new Float64(), utf8: () => new Utf8() };
const byHomeId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * A parameter column's type from its values: booleans, whole numbers (Int64), numbers (Float64) or
 * strings; anything else (arrays, objects, mixed types) is its JSON text.
 */
function paramColumn(name: string, values: readonly unknown[]): Column {
  const present = values.filter((v) => v !== undefined && v !== null);
  const all = (test: (v: unknown) => boolean) => present.length > 0 && present.every(test);
  let type: DataType;
  let cells: Value[];
  if (all((v) => typeof v === 'boolean')) [type, cells] = [new Bool(), values.map((v) => (v ?? null) as Value)];
  else if (all((v) => Number.isSafeInteger(v))) [type, cells] = [new Int64(), values.map((v) => (v == null ? null : BigInt(v as number)))];
  else if (all((v) => typeof v === 'number')) [type, cells] = [new Float64(), values.map((v) => (v ?? null) as Value)];
  else [type, cells] = [new Utf8(), values.map((v) => (v == null ? null : typeof v === 'string' ? v : JSON.stringify(v)))];
  return { name, data: nullableColumn(cells, type), nullable: true };
}

/** The rows as columns (pure). */
export function sweepColumns(rows: readonly SweepRow[]): Column[] {
  const paramPaths = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  const homeIds = [...new Set(rows.flatMap((r) => r.homes.map((h) => h.id)))].sort(byHomeId);
  const attributionKeys = [...new Set(rows.flatMap((r) => Object.keys(r.attribution ?? {})))];
  const col = (name: string, type: DataType, cells: Value[]): Column => ({ name, data: nullableColumn(cells, type), nullable: true });
  const home = (r: SweepRow, id: string) => r.homes.find((h) => h.id === id);
  return [
    col('key', new Utf8(), rows.map((r) => r.key)),
    col('scenario', new Utf8(), rows.map((r) => r.scenario)),
    col('seed', new Int64(), rows.map((r) => BigInt(r.seed))),
    ...paramPaths.map((p) => paramColumn(`param.${p}`, rows.map((r) => r.params[p]))),
    ...FIXED.map(([k, t]) => col(k, TYPES[t](), rows.map((r) => (r[k] ?? null) as Value))),
    ...homeIds.map((id) => col(`bill_usd.${id}`, new Float64(), rows.map((r) => home(r, id)?.optimized_cost_usd ?? null))),
    ...homeIds.map((id) => col(`baseline_bill_usd.${id}`, new Float64(), rows.map((r) => home(r, id)?.baseline_cost_usd ?? null))),
    ...attributionKeys.map((k) => col(`attribution.${k}`, new Float64(), rows.map((r) => r.attribution?.[k] ?? null))),
  ];
}

/** Writes `rows` to `path` (a temporary file renamed into place once complete). */
export async function writeSweepParquet(path: string, rows: readonly SweepRow[], options: ParquetFileOptions = {}): Promise<void> {
  const batch = batchOf(sweepColumns(rows));
  const file = new ParquetFileWriter(path, batch, options);
  // with no rows the batch is the empty table close() writes
  if (rows.length > 0) file.append(batch);
  await file.close();
}
