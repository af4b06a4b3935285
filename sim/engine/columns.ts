/**
 * The per-home column registry (Mesa's DataCollector reporters, declared once): every per-home
 * quantity an interval produces, with its unit, its timeline.json key, its timeline.parquet
 * encoding and how the run totals add it up. The engine state's result columns, the tick frame,
 * the collector's per-home totals, the JSON and Parquet timeline writers and the zod schema of a
 * timeline household are all derived from this list; underneath, each column is one typed array
 * indexed by home, allocated once per run.
 *
 * To add a per-home interval quantity:
 *   1. append one line to HOME_COLUMNS (its place in the list is its place in timeline.json and
 *      timeline.parquet: appending keeps existing files' layout): `key` with its unit in the name,
 *      `unit`, `json` (snake_case, or null), `parquet`, `total`, and `describe` for the schema;
 *   2. write it for every home in both settlements, every interval: `s.<key>[h] = …` in `settle`
 *      (phases.ts) and `settleIsland` (island.ts) — a column keeps the last interval's values
 *      until written;
 *   3. regenerate the committed JSON Schemas (`wattswap schema --out docs/schemas`) and describe
 *      the field in docs/OUTPUTS.md.
 * The engine state, the tick frame, the run totals, both timeline writers and the output schema
 * follow from the line; tests/sim/engine/columns.test.ts checks that they agree.
 */

export const ACTION_HOLD = 0;
export const ACTION_BUY = 1;
export const ACTION_SELL = 2;
export const ACTION_NAMES = ['hold', 'buy', 'sell'] as const;

/** One per-home column. */
export interface HomeColumn {
  /** state, frame and totals property (camelCase, unit in the name) */
  readonly key: string;
  readonly unit: 'kWh' | 'USD' | 'USD/kWh' | 'code';
  /**
   * `home`: one Float64Array entry per home; `code`: one Uint8Array entry per home, a code into
   * `names` (written as the name); `horizon`: `horizon` Float64Array entries per home, `[h * horizon + k]`
   */
  readonly shape: 'home' | 'code' | 'horizon';
  readonly names?: readonly string[];
  /** `state`: the settlement writes it into the engine state; `block`: a view on the day's input data */
  readonly source: 'state' | 'block';
  /** timeline.json household key, which is also the timeline.parquet column name (null: not in the timeline) */
  readonly json: string | null;
  /** its description in the output schema (default: the unit) */
  readonly describe?: string;
  /** timeline.parquet column (null: JSON only); `dictionary` asks for Parquet dictionary encoding */
  readonly parquet: 'plain' | 'dictionary' | null;
  /** how the run totals add the intervals up, per home (null: no total) */
  readonly total: 'sum' | 'max' | 'last' | null;
  /** the totals property when it is not `key` */
  readonly totalKey?: string;
}

// prettier-ignore
export const HOME_COLUMNS = [
  { key: 'loadKwh', unit: 'kWh', shape: 'home', source: 'block', json: 'load_kwh', parquet: 'plain', total: 'sum' },
  // PV the inverters delivered (less than pvAvailableKwh only when an islanded community curtailed it)
  { key: 'pvKwh', unit: 'kWh', shape: 'home', source: 'state', json: 'pv_kwh', parquet: 'plain', total: 'sum' },
  { key: 'chargeKwh', unit: 'kWh', shape: 'home', source: 'state', json: 'battery_charge_kwh', parquet: 'plain', total: 'sum', describe: 'energy drawn from the household bus into the battery' },
  { key: 'dischargeKwh', unit: 'kWh', shape: 'home', source: 'state', json: 'battery_discharge_kwh', parquet: 'plain', total: 'sum', describe: 'energy delivered from the battery to the household bus' },
  { key: 'selfDischargeKwh', unit: 'kWh', shape: 'home', source: 'state', json: 'battery_self_discharge_kwh', parquet: 'plain', total: 'sum' },
  { key: 'socKwh', unit: 'kWh', shape: 'home', source: 'state', json: 'soc_kwh', parquet: 'plain', total: 'last', totalKey: 'finalSocKwh', describe: 'stored energy at the end of the interval' },
  { key: 'boughtKwh', unit: 'kWh', shape: 'home', source: 'state', json: 'p2p_bought_kwh', parquet: 'plain', total: 'sum', describe: 'energy delivered to this household by trades' },
  { key: 'soldKwh', unit: 'kWh', shape: 'home', source: 'state', json: 'p2p_sold_kwh', parquet: 'plain', total: 'sum', describe: 'energy this household sent into trades (before loss)' },
  { key: 'gridImportKwh', unit: 'kWh', shape: 'home', source: 'state', json: 'grid_import_kwh', parquet: 'plain', total: 'sum' },
  { key: 'gridExportKwh', unit: 'kWh', shape: 'home', source: 'state', json: 'grid_export_kwh', parquet: 'plain', total: 'sum' },
  // the import rate of the home's plan, and the export value (billed only while the grid is up)
  { key: 'tariffRateUsdPerKwh', unit: 'USD/kWh', shape: 'home', source: 'state', json: 'tariff_rate_usd_per_kwh', parquet: 'dictionary', total: null },
  { key: 'exportRateUsdPerKwh', unit: 'USD/kWh', shape: 'home', source: 'state', json: 'export_rate_usd_per_kwh', parquet: 'dictionary', total: null },
  { key: 'energyCostUsd', unit: 'USD', shape: 'home', source: 'state', json: 'energy_cost_usd', parquet: 'plain', total: 'sum', describe: 'grid import − grid export + P2P payments − P2P receipts, this interval' },
  { key: 'baselineEnergyCostUsd', unit: 'USD', shape: 'home', source: 'state', json: 'baseline_energy_cost_usd', parquet: 'plain', total: 'sum' },
  // the home's decision: ACTION_HOLD, ACTION_BUY or ACTION_SELL
  { key: 'action', unit: 'code', shape: 'code', names: ACTION_NAMES, source: 'state', json: 'action', parquet: 'plain', total: null },
  // the home's forecast of its next `horizon` intervals, made at this interval
  { key: 'forecastLoadKwh', unit: 'kWh', shape: 'horizon', source: 'state', json: 'forecast_kwh', parquet: 'plain', total: null, describe: 'load forecast for the next H intervals, made at this interval' },
  { key: 'forecastPvKwh', unit: 'kWh', shape: 'horizon', source: 'state', json: 'forecast_pv_kwh', parquet: 'plain', total: null },
  // the critical part of the load, and the demand not served (0 while the grid is up)
  { key: 'criticalKwh', unit: 'kWh', shape: 'home', source: 'state', json: 'critical_kwh', parquet: null, total: null, describe: 'critical part of load_kwh (refrigerator, lighting, plug/medical baseline)' },
  { key: 'unservedKwh', unit: 'kWh', shape: 'home', source: 'state', json: 'unserved_kwh', parquet: null, total: null, describe: 'demand not served (0 while the grid is up); balance: (load − unserved) + battery_charge + p2p_sold + grid_export = pv + battery_discharge + p2p_bought + grid_import' },
  // not in the timeline: PV available before any curtailment, the curtailed PV and the unserved critical load
  { key: 'pvAvailableKwh', unit: 'kWh', shape: 'home', source: 'block', json: null, parquet: null, total: null },
  { key: 'curtailedKwh', unit: 'kWh', shape: 'home', source: 'state', json: null, parquet: null, total: null },
  { key: 'unservedCriticalKwh', unit: 'kWh', shape: 'home', source: 'state', json: null, parquet: null, total: null },
  // what the home would import / export with no battery and no P2P
  { key: 'baselineImportKwh', unit: 'kWh', shape: 'home', source: 'state', json: null, parquet: null, total: 'sum' },
  { key: 'baselineExportKwh', unit: 'kWh', shape: 'home', source: 'state', json: null, parquet: null, total: 'sum' },
  // P2P payments made and received this interval
  { key: 'p2pPaidUsd', unit: 'USD', shape: 'home', source: 'state', json: null, parquet: null, total: 'sum' },
  { key: 'p2pReceivedUsd', unit: 'USD', shape: 'home', source: 'state', json: null, parquet: null, total: 'sum' },
  // the generation component of the home's import rate, and what it paid the utility for delivering its P2P kWh (part of its P2P payments)
  { key: 'generationRateUsdPerKwh', unit: 'USD/kWh', shape: 'home', source: 'state', json: 'generation_rate_usd_per_kwh', parquet: 'dictionary', total: null, describe: 'generation component of tariff_rate_usd_per_kwh (the whole rate where the sheet does not unbundle it)' },
  // the bill's items this interval (households_detail[].bill), with and without battery and P2P: grid import at the rate, its generation part, the export credit
  { key: 'gridImportUsd', unit: 'USD', shape: 'home', source: 'state', json: null, parquet: null, total: 'sum' },
  { key: 'gridImportGenerationUsd', unit: 'USD', shape: 'home', source: 'state', json: null, parquet: null, total: 'sum' },
  { key: 'gridExportCreditUsd', unit: 'USD', shape: 'home', source: 'state', json: null, parquet: null, total: 'sum' },
  { key: 'baselineImportUsd', unit: 'USD', shape: 'home', source: 'state', json: null, parquet: null, total: 'sum' },
  { key: 'baselineImportGenerationUsd', unit: 'USD', shape: 'home', source: 'state', json: null, parquet: null, total: 'sum' },
  { key: 'baselineExportCreditUsd', unit: 'USD', shape: 'home', source: 'state', json: null, parquet: null, total: 'sum' },
  { key: 'p2pDeliveryChargeUsd', unit: 'USD', shape: 'home', source: 'state', json: 'p2p_delivery_charge_usd', parquet: 'plain', total: 'sum', describe: 'what the buyer paid the utility for delivering its P2P kWh this interval, under the market settlement regime' },
] as const satisfies readonly HomeColumn[];

type Column = (typeof HOME_COLUMNS)[number];
type ArrayOf<C extends Column> = C['shape'] extends 'code' ? Uint8Array : Float64Array;

/** The column key of every registry column. */
export type HomeColumnKey = Column['key'];

/** Every column as its typed array (the tick frame's per-home part). */
export type HomeColumnArrays = { [C in Column as C['key']]: ArrayOf<C> };

/** The columns the settlement writes (the engine state's result columns). */
export type StateColumnArrays = { [C in Column as C extends { source: 'state' } ? C['key'] : never]: ArrayOf<C> };

/** The per-home run totals the registry declares (`total`), under `totalKey` when it has one. */
export type ColumnTotals = {
  [C in Column as C extends { total: 'sum' | 'max' | 'last' } ? (C extends { totalKey: string } ? C['totalKey'] : C['key']) : never]: Float64Array;
};

/** The columns in timeline.json (in its order). */
export type TimelineColumn = Extract<Column, { json: string }>;

/** The columns in timeline.parquet (in its order). */
export type ParquetColumn = Extract<Column, { parquet: 'plain' | 'dictionary' }>;

/** Registry columns by where they appear (registry order). */
export const TIMELINE_COLUMNS = HOME_COLUMNS.filter((c): c is TimelineColumn => c.json !== null);
export const PARQUET_COLUMNS = HOME_COLUMNS.filter((c): c is ParquetColumn => c.parquet !== null);
export const TOTALLED_COLUMNS = HOME_COLUMNS.filter((c) => c.total !== null);

/** The totals property of a totalled column. */
export const totalKeyOf = (c: HomeColumn): string => c.totalKey ?? c.key;

/** The engine state's result columns for n homes (horizon-wide ones `n × horizon` long), all zero. */
export function createStateColumns(n: number, horizon: number): StateColumnArrays {
  const out: Record<string, Float64Array | Uint8Array> = {};
  for (const c of HOME_COLUMNS) {
    if (c.source !== 'state') continue;
    out[c.key] = c.shape === 'code' ? new Uint8Array(n) : new Float64Array(c.shape === 'horizon' ? n * horizon : n);
  }
  return out as StateColumnArrays;
}

const TOTAL_SUM = 0;
const TOTAL_MAX = 1;
const TOTAL_LAST = 2;

/**
 * Per-home totals of `columns` (each under its totals key) and `add`, which folds one interval's
 * frame into them: Σ for `sum`, the largest for `max` (−∞ before any interval), a copy for
 * `last`. The lists are built here, once; `add` runs one tight loop per column.
 */
export function createColumnTotaller(columns: readonly HomeColumn[], n: number) {
  const totalled = columns.filter((c) => c.total !== null);
  const keys = totalled.map((c) => c.key);
  const kinds = Int32Array.from(totalled, (c) => (c.total === 'sum' ? TOTAL_SUM : c.total === 'max' ? TOTAL_MAX : TOTAL_LAST));
  const sums = totalled.map((c) => new Float64Array(n).fill(c.total === 'max' ? -Infinity : 0));
  const totals: Record<string, Float64Array> = {};
  totalled.forEach((c, i) => (totals[totalKeyOf(c)] = sums[i]));
  return {
    totals,
    add(frame: object): void {
      const arrays = frame as Readonly<Record<string, Float64Array>>;
      for (let i = 0; i < keys.length; i++) {
        const src = arrays[keys[i]];
        const dst = sums[i];
        const kind = kinds[i];
        if (kind === TOTAL_SUM) for (let h = 0; h < n; h++) dst[h] += src[h];
        else if (kind === TOTAL_MAX) for (let h = 0; h < n; h++) dst[h] = Math.max(dst[h], src[h]);
        else dst.set(src.subarray(0, n));
      }
    },
  };
}
