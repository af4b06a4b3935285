/**
 * Arrow columns from typed arrays, without copying: the small vocabulary the Parquet tables are
 * built from. Non-null unless said otherwise.
 */
import {
  Bool,
  Dictionary,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Uint8,
  Utf8,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';

export type Column = { name: string; data: Data; nullable?: boolean };

export const f64 = (values: Float64Array): Data => makeData({ type: new Float64(), length: values.length, data: values });
export const i32 = (values: Int32Array): Data => makeData({ type: new Int32(), length: values.length, data: values });

/**
 * Strings as a dictionary: `indices` (Int32 or Uint8) into `words`. `id` is the dictionary's id in
 * the Arrow schema the file stores: fixed per column, so the same run writes the same bytes.
 */
export function dictionary(indices: Int32Array | Uint8Array, words: Data<Utf8>, id: number): Data {
  const keys = indices instanceof Uint8Array ? new Uint8() : new Int32();
  return makeData({ type: new Dictionary(new Utf8(), keys, id), length: indices.length, data: indices, dictionary: makeVector(words) });
}

export const utf8Words = (words: readonly string[]): Data<Utf8> => vectorFromArray(words as string[], new Utf8()).data[0];

/** A list column whose every row holds `width` consecutive values of `values`. */
export function fixedWidthList(values: Float64Array, rows: number, width: number): Data {
  const offsets = new Int32Array(rows + 1);
  for (let i = 0; i <= rows; i++) offsets[i] = i * width;
  return makeData({
    type: new List(new Field('item', new Float64(), false)),
    length: rows,
    valueOffsets: offsets,
    child: makeData({ type: new Float64(), length: rows * width, data: values.subarray(0, rows * width) }),
  });
}

/** A nullable column from plain values (small tables: sweep rows). */
export function nullableColumn(values: readonly (number | string | boolean | bigint | null)[], type: DataType): Data {
  return vectorFromArray(values as never[], type).data[0];
}

export const nullableTypes = { f64: () => new Float64(), i64: () => new Int64(), utf8: () => new Utf8(), bool: () => new Bool() };

export function schemaOf(columns: readonly Column[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, c.data.type, c.nullable ?? false)));
}

/** One record batch from equally long columns. */
export function batchOf(columns: readonly Column[], schema = schemaOf(columns)): RecordBatch {
  const length = columns.length ? columns[0].data.length : 0;
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, children: columns.map((c) => c.data) }));
}
