/**
 * timeline.parquet and trades.parquet: the JSON timeline and trades flattened to one row per home
 * per interval (and one row per trade), typed columns, fed frame by frame as the run streams.
 * Column names are the JSON keys (snake_case); `interval` is the JSON interval's `index` and
 * `household_id` its household's `id`. Strings (start, ids, action) are dictionary-encoded.
 */
import { ACTION_NAMES, type RunMeta, type TickFrame } from '../../sim/engine/index.ts';
import { batchOf, dictionary, f64, fixedWidthList, i32, utf8Words, type Column } from './columns.ts';
import { ParquetFileWriter, type ParquetFileOptions } from './file.ts';

/** Rows buffered before a batch (one row group) is handed to the encoder. */
export const TARGET_BATCH_ROWS = 1 << 19;

/** Per-home energy and money fields, in the JSON timeline's order: [column, frame array]. */
const HOUSEHOLD_FIELDS = [
  ['load_kwh', 'loadKwh'],
  ['pv_kwh', 'pvKwh'],
  ['battery_charge_kwh', 'chargeKwh'],
  ['battery_discharge_kwh', 'dischargeKwh'],
  ['battery_self_discharge_kwh', 'selfDischargeKwh'],
  ['soc_kwh', 'socKwh'],
  ['p2p_bought_kwh', 'boughtKwh'],
  ['p2p_sold_kwh', 'soldKwh'],
  ['grid_import_kwh', 'gridImportKwh'],
  ['grid_export_kwh', 'gridExportKwh'],
] as const;
const COST_FIELDS = [
  ['energy_cost_usd', 'energyCostUsd'],
  ['baseline_energy_cost_usd', 'baselineEnergyCostUsd'],
] as const;
type FrameArray = (typeof HOUSEHOLD_FIELDS)[number][1] | (typeof COST_FIELDS)[number][1];

/** Column buffers for `capacity` rows of the timeline. */
class TimelineBuffer {
  rows = 0;
  starts: string[] = [];
  readonly interval: Int32Array;
  readonly start: Int32Array;
  readonly home: Int32Array;
  readonly priceSignal: Float64Array;
  readonly tariff: Float64Array;
  readonly exportRate: Float64Array;
  readonly action: Uint8Array;
  readonly fields: Record<FrameArray, Float64Array>;
  readonly forecastLoad: Float64Array;
  readonly forecastPv: Float64Array;
  constructor(
    readonly capacity: number,
    readonly horizon: number,
  ) {
    this.interval = new Int32Array(capacity);
    this.start = new Int32Array(capacity);
    this.home = new Int32Array(capacity);
    this.priceSignal = new Float64Array(capacity);
    this.tariff = new Float64Array(capacity);
    this.exportRate = new Float64Array(capacity);
    this.action = new Uint8Array(capacity);
    const fields = {} as Record<FrameArray, Float64Array>;
    for (const [, key] of [...HOUSEHOLD_FIELDS, ...COST_FIELDS]) fields[key] = new Float64Array(capacity);
    this.fields = fields;
    this.forecastLoad = new Float64Array(capacity * horizon);
    this.forecastPv = new Float64Array(capacity * horizon);
  }

  /** Copies one frame's n homes (the engine reuses its arrays). */
  add(f: TickFrame, n: number, planOfHome: Uint8Array): void {
    const o = this.rows;
    const end = o + n;
    this.interval.fill(f.index, o, end);
    this.start.fill(this.starts.length, o, end);
    this.starts.push(f.startIso);
    for (let h = 0; h < n; h++) this.home[o + h] = h;
    this.priceSignal.fill(f.priceSignalUsdPerKwh, o, end);
    // each home pays its own plan's rate
    for (let h = 0; h < n; h++) this.tariff[o + h] = f.importUsdPerKwhByPlan[planOfHome[h]];
    this.exportRate.fill(f.exportUsdPerKwh, o, end);
    this.action.set(f.action.subarray(0, n), o);
    for (const key of Object.keys(this.fields) as FrameArray[]) this.fields[key].set(f[key].subarray(0, n), o);
    const H = this.horizon;
    this.forecastLoad.set(f.forecastLoadKwh.subarray(0, n * H), o * H);
    this.forecastPv.set(f.forecastPvKwh.subarray(0, n * H), o * H);
    this.rows = end;
  }

  /** The buffered rows as columns (views: valid until the buffer is refilled). */
  columns(ids: ReturnType<typeof utf8Words>, actions: ReturnType<typeof utf8Words>, forecasts: boolean): Column[] {
    const r = this.rows;
    const v = (a: Float64Array) => f64(a.subarray(0, r));
    const columns: Column[] = [
      { name: 'interval', data: i32(this.interval.subarray(0, r)) },
      { name: 'start', data: dictionary(this.start.subarray(0, r), utf8Words(this.starts), 0) },
      { name: 'price_signal_usd_per_kwh', data: v(this.priceSignal) },
      { name: 'household_id', data: dictionary(this.home.subarray(0, r), ids, 1) },
      ...HOUSEHOLD_FIELDS.map(([name, key]) => ({ name, data: v(this.fields[key]) })),
      { name: 'tariff_rate_usd_per_kwh', data: v(this.tariff) },
      { name: 'export_rate_usd_per_kwh', data: v(this.exportRate) },
      ...COST_FIELDS.map(([name, key]) => ({ name, data: v(this.fields[key]) })),
      { name: 'action', data: dictionary(this.action.subarray(0, r), actions, 2) },
    ];
    if (forecasts)
      columns.push(
        { name: 'forecast_kwh', data: fixedWidthList(this.forecastLoad, r, this.horizon) },
        { name: 'forecast_pv_kwh', data: fixedWidthList(this.forecastPv, r, this.horizon) },
      );
    return columns;
  }
}

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
  private readonly actions = utf8Words(ACTION_NAMES);
  private readonly n: number;
  private readonly planOfHome: Uint8Array;
  private readonly forecasts: boolean;

  constructor(path: string, meta: RunMeta, options: TimelineParquetOptions = {}) {
    this.n = meta.households.length;
    this.planOfHome = meta.planOfHome;
    this.forecasts = options.forecasts ?? true;
    const perBatch = Math.max(1, Math.min(meta.intervals, Math.floor((options.batchRows ?? TARGET_BATCH_ROWS) / Math.max(1, this.n))));
    this.buffer = new TimelineBuffer(perBatch * this.n, meta.horizon);
    this.ids = utf8Words(meta.households.map((h) => h.id));
    const empty = new TimelineBuffer(0, meta.horizon).columns(this.ids, this.actions, this.forecasts);
    this.file = new ParquetFileWriter(path, batchOf(empty), {
      rowGroupRows: perBatch * this.n,
      dictionaryColumns: ['interval', 'start', 'price_signal_usd_per_kwh', 'household_id', 'tariff_rate_usd_per_kwh', 'export_rate_usd_per_kwh', 'action'],
      ...options,
    });
  }

  get parquet(): ParquetFileWriter {
    return this.file;
  }

  push(f: TickFrame): void {
    if (f.horizon !== this.buffer.horizon) throw new Error(`timeline.parquet: frame horizon ${f.horizon} ≠ run horizon ${this.buffer.horizon}`);
    this.buffer.add(f, this.n, this.planOfHome);
    if (this.buffer.rows + this.n > this.buffer.capacity) this.flush();
  }

  private flush(): void {
    if (this.buffer.rows === 0) return;
    this.file.append(batchOf(this.buffer.columns(this.ids, this.actions, this.forecasts)));
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

const TRADE_FIELDS = ['sent_kwh', 'delivered_kwh', 'price_usd_per_kwh', 'buyer_pays_usd', 'seller_receives_usd', 'fee_usd'] as const;
const TRADE_ARRAYS = ['sentKwh', 'deliveredKwh', 'priceUsdPerKwh', 'buyerPaysUsd', 'sellerReceivesUsd', 'feeUsd'] as const;

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
