/**
 * timeline.parquet and trades.parquet: the JSON timeline and trades flattened to one row per home
 * per interval (and one row per trade), typed columns, fed frame by frame as the run streams.
 * Column names are the JSON keys (snake_case); `interval` is the JSON interval's `index` and
 * `household_id` its household's `id`; the per-home columns are the registry's timeline.parquet
 * columns (sim/engine/columns.ts). Strings (start, ids, action) are dictionary-encoded.
 */
import { PARQUET_COLUMNS, type RunMeta, type TickFrame } from '../../sim/engine/index.ts';
import { communityNetImportKw } from '../../sim/index.ts';
import { batchOf, dictionary, f64, fixedWidthList, i32, utf8Words, type Column } from './columns.ts';
import { ParquetFileWriter, type ParquetFileOptions } from './file.ts';

/** Rows buffered before a batch (one row group) is handed to the encoder. */
export const TARGET_BATCH_ROWS = 1 << 19;

/** Dictionary ids of the string columns (fixed per column, so the same run writes the same bytes): `start`, `household_id`, then each code column in registry order. */
const START_DICTIONARY = 0;
const HOME_DICTIONARY = 1;
const FIRST_CODE_DICTIONARY = 2;

/** Column buffers for `capacity` rows of the timeline: the interval's own columns, then one per registry column in timeline.parquet (PARQUET_COLUMNS order). */
class TimelineBuffer {
  rows = 0;
  starts: string[] = [];
  readonly interval: Int32Array;
  readonly start: Int32Array;
  readonly home: Int32Array;
  readonly priceSignal: Float64Array;
  readonly netImport: Float64Array;
  /** one buffer per PARQUET_COLUMNS entry (horizon-wide columns hold `horizon` values a row) */
  readonly values: (Float64Array | Uint8Array)[];
  constructor(
    readonly capacity: number,
    readonly horizon: number,
  ) {
    this.interval = new Int32Array(capacity);
    this.start = new Int32Array(capacity);
    this.home = new Int32Array(capacity);
    this.priceSignal = new Float64Array(capacity);
    this.netImport = new Float64Array(capacity);
    this.values = PARQUET_COLUMNS.map((c) => (c.shape === 'code' ? new Uint8Array(capacity) : new Float64Array(c.shape === 'horizon' ? capacity * horizon : capacity)));
  }

  /** Copies one frame's n homes (the engine reuses its arrays). */
  add(f: TickFrame, n: number, intervalHours: number): void {
    const o = this.rows;
    const end = o + n;
    this.interval.fill(f.index, o, end);
    this.start.fill(this.starts.length, o, end);
    this.starts.push(f.startIso);
    for (let h = 0; h < n; h++) this.home[o + h] = h;
    this.priceSignal.fill(f.priceSignalUsdPerKwh, o, end);
    this.netImport.fill(communityNetImportKw(f.gridImportKwh, f.gridExportKwh, n, intervalHours), o, end);
    const H = this.horizon;
    for (let i = 0; i < PARQUET_COLUMNS.length; i++) {
      const width = PARQUET_COLUMNS[i].shape === 'horizon' ? H : 1;
      this.values[i].set(f[PARQUET_COLUMNS[i].key].subarray(0, n * width), o * width);
    }
    this.rows = end;
  }

  /** The buffered rows as columns (views: valid until the buffer is refilled); horizon-wide columns only with `forecasts`. */
  columns(ids: ReturnType<typeof utf8Words>, forecasts: boolean): Column[] {
    const r = this.rows;
    const columns: Column[] = [
      { name: 'interval', data: i32(this.interval.subarray(0, r)) },
      { name: 'start', data: dictionary(this.start.subarray(0, r), utf8Words(this.starts), START_DICTIONARY) },
      { name: 'price_signal_usd_per_kwh', data: f64(this.priceSignal.subarray(0, r)) },
      { name: 'community_net_import_kw', data: f64(this.netImport.subarray(0, r)) },
      { name: 'household_id', data: dictionary(this.home.subarray(0, r), ids, HOME_DICTIONARY) },
    ];
    let codeDictionary = FIRST_CODE_DICTIONARY;
    PARQUET_COLUMNS.forEach((c, i) => {
      const values = this.values[i];
      if (c.shape === 'code') columns.push({ name: c.json, data: dictionary((values as Uint8Array).subarray(0, r), CODE_WORDS[i]!, codeDictionary++) });
      else if (c.shape === 'horizon') {
        if (forecasts) columns.push({ name: c.json, data: fixedWidthList(values as Float64Array, r, this.horizon) });
      } else columns.push({ name: c.json, data: f64((values as Float64Array).subarray(0, r)) });
    });
    return columns;
  }
}

/** The names of each code column (null for the others), as Arrow strings. */
const CODE_WORDS = PARQUET_COLUMNS.map((c) => (c.shape === 'code' ? utf8Words(c.names) : null));

/** Columns Parquet dictionary-encodes: the interval's own, and the registry's `dictionary` and code columns. */
const DICTIONARY_COLUMNS = [
  'interval',
  'start',
  'price_signal_usd_per_kwh',
  'household_id',
  ...PARQUET_COLUMNS.filter((c) => c.parquet === 'dictionary' || c.shape === 'code').map((c) => c.json),
];

export interface TimelineParquetOptions extends ParquetFileOptions {
  /** rows per batch and row group (rounded to whole intervals); default TARGET_BATCH_ROWS */
  batchRows?: number;
  /** write the forecast_kwh and forecast_pv_kwh list columns (default true, as in timeline.json) */
  forecasts?: boolean;
}

/** Writes timeline.parquet as frames arrive: `push` each tick frame, then `close`. */
export class TimelineParquetWriter {
  private readonly file: ParquetFileWriter;
  private readonly buffer: TimelineBuffer;
  private readonly ids: ReturnType<typeof utf8Words>;
  private readonly n: number;
  private readonly intervalHours: number;
  private readonly forecasts: boolean;

  constructor(path: string, meta: RunMeta, options: TimelineParquetOptions = {}) {
    this.n = meta.households.length;
    this.intervalHours = meta.intervalHours;
    this.forecasts = options.forecasts ?? true;
    const perBatch = Math.max(1, Math.min(meta.intervals, Math.floor((options.batchRows ?? TARGET_BATCH_ROWS) / Math.max(1, this.n))));
    this.buffer = new TimelineBuffer(perBatch * this.n, meta.horizon);
    this.ids = utf8Words(meta.households.map((h) => h.id));
    const empty = new TimelineBuffer(0, meta.horizon).columns(this.ids, this.forecasts);
    this.file = new ParquetFileWriter(path, batchOf(empty), {
      rowGroupRows: perBatch * this.n,
      dictionaryColumns: DICTIONARY_COLUMNS,
      ...options,
    });
  }

  get parquet(): ParquetFileWriter {
    return this.file;
  }

  push(f: TickFrame): void {
    if (f.horizon !== this.buffer.horizon) throw new Error(`timeline.parquet: frame horizon ${f.horizon} ≠ run horizon ${this.buffer.horizon}`);
    this.buffer.add(f, this.n, this.intervalHours);
    if (this.buffer.rows + this.n > this.buffer.capacity) this.flush();
  }

  private flush(): void {
    if (this.buffer.rows === 0) return;
    this.file.append(batchOf(this.buffer.columns(this.ids, this.forecasts)));
    this.buffer.rows = 0;
    this.buffer.starts = [];
  }

  async close(): Promise<void> {
    this.flush();
    await this.file.close();
  }

  abort(): void {
    this.file.abort();
  }
}

const TRADE_FIELDS = ['sent_kwh', 'delivered_kwh', 'price_usd_per_kwh', 'buyer_pays_usd', 'seller_receives_usd', 'delivery_charge_usd'] as const;
const TRADE_ARRAYS = ['sentKwh', 'deliveredKwh', 'priceUsdPerKwh', 'buyerPaysUsd', 'sellerReceivesUsd', 'deliveryChargeUsd'] as const;

/** Writes trades.parquet (the trades.json fields, one row per trade) as frames arrive. */
export class TradesParquetWriter {
  private readonly file: ParquetFileWriter;
  private readonly ids: ReturnType<typeof utf8Words>;
  private interval: Int32Array;
  private buyer: Int32Array;
  private seller: Int32Array;
  private values: Float64Array[];
  private rows = 0;

  constructor(
    path: string,
    meta: RunMeta,
    options: TimelineParquetOptions = {},
    private readonly capacity = Math.min(options.batchRows ?? TARGET_BATCH_ROWS, 1 << 16),
  ) {
    this.ids = utf8Words(meta.households.map((h) => h.id));
    this.interval = new Int32Array(capacity);
    this.buyer = new Int32Array(capacity);
    this.seller = new Int32Array(capacity);
    this.values = TRADE_FIELDS.map(() => new Float64Array(capacity));
    this.file = new ParquetFileWriter(path, batchOf(this.columns(0)), {
      rowGroupRows: capacity,
      dictionaryColumns: ['interval', 'buyer', 'seller', 'price_usd_per_kwh'],
      ...options,
    });
  }

  private columns(r: number): Column[] {
    return [
      { name: 'interval', data: i32(this.interval.subarray(0, r)) },
      { name: 'buyer', data: dictionary(this.buyer.subarray(0, r), this.ids, 0) },
      { name: 'seller', data: dictionary(this.seller.subarray(0, r), this.ids, 1) },
      ...TRADE_FIELDS.map((name, i) => ({ name, data: f64(this.values[i].subarray(0, r)) })),
    ];
  }

  get parquet(): ParquetFileWriter {
    return this.file;
  }

  push(f: TickFrame): void {
    const t = f.trades;
    for (let k = 0; k < t.count; k++) {
      if (this.rows === this.capacity) this.flush();
      const o = this.rows++;
      this.interval[o] = f.index;
      this.buyer[o] = t.buyer[k];
      this.seller[o] = t.seller[k];
      for (let i = 0; i < TRADE_ARRAYS.length; i++) this.values[i][o] = t[TRADE_ARRAYS[i]][k];
    }
  }

  private flush(): void {
    if (this.rows === 0) return;
    this.file.append(batchOf(this.columns(this.rows)));
    // the appended batch was copied into WebAssembly memory: the buffers can be refilled
    this.rows = 0;
  }

  async close(): Promise<void> {
    this.flush();
    await this.file.close();
  }

  abort(): void {
    this.file.abort();
  }
}
