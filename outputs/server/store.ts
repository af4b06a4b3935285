/**
 * What the server keeps of a run, in bounded memory:
 * - `CompactStore`: the display state of every interval (columns of Float32, one byte per action),
 *   about 45 bytes a household-interval, from which the socket `tick` records and late joiners'
 *   snapshots are built;
 * - `NdjsonLog`: the exact contract records (timeline intervals, trades) appended to a file on
 *   disk with an in-memory index of line offsets, so REST pages are read back without holding
 *   the timeline in memory.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type { Trade, TimelineInterval } from '../../sim/index.ts';
import type { CommunitySeries, CompactTick } from './schemas.ts';

const ACTIONS = ['hold', 'buy', 'sell'] as const;
const ACTION_CODE: Record<string, number> = { hold: 0, buy: 1, sell: 2 };

const HOUSEHOLD_FIELDS = [
  'soc_kwh',
  'load_kwh',
  'pv_kwh',
  'battery_charge_kwh',
  'battery_discharge_kwh',
  'grid_import_kwh',
  'grid_export_kwh',
  'p2p_bought_kwh',
  'p2p_sold_kwh',
  'energy_cost_usd',
  'baseline_energy_cost_usd',
] as const;
type HouseholdField = (typeof HOUSEHOLD_FIELDS)[number];

/** Display precision of the stream: 0.1 Wh for energy, 1/1000 cent for money and prices. */
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const r5 = (x: number) => Math.round(x * 1e5) / 1e5;
const roundOf = (f: HouseholdField) => (f.endsWith('_usd') ? r5 : r4);

/** Bytes the compact store needs per household-interval (for the memory budget). */
export const COMPACT_BYTES_PER_HOUSEHOLD_INTERVAL = HOUSEHOLD_FIELDS.length * 4 + 1;

class GrowableF64 {
  data = new Float64Array(64);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }
}

export class CompactStore {
  /** intervals stored so far */
  count = 0;
  private readonly columns: Record<HouseholdField, Float32Array>;
  private readonly action: Uint8Array;
  private readonly starts: string[];
  private readonly perInterval: {
    price: Float64Array;
    tariff: Float64Array;
    exportRate: Float64Array;
    clearing: Float64Array;
    sent: Float64Array;
    delivered: Float64Array;
    loss: Float64Array;
    bids: Float64Array;
    asks: Float64Array;
    trades: Int32Array;
    rejections: Int32Array;
    cumCost: Float64Array;
    cumBaseline: Float64Array;
    cumTrades: Int32Array;
    cumSent: Float64Array;
  };
  /** trades: first trade of each interval; buyer/seller as household indices */
  private readonly tradeStart: Int32Array;
  private readonly tBuyer = new GrowableF64();
  private readonly tSeller = new GrowableF64();
  private readonly tSent = new GrowableF64();
  private readonly tDelivered = new GrowableF64();
  private readonly tPrice = new GrowableF64();
  private readonly indexOfId = new Map<string, number>();
  /** the central agent's price coordination per interval (coordinated strategy): proposals, residual, each home's planned net position; NaN/-1 when none */
  private readonly coordIterations: Int32Array;
  private readonly coordResidual: Float64Array;
  private readonly coordPlanned: Float32Array;

  /** each home's plan (meta.plans order) and each plan's mean import rate over its homes per interval (CARE homes pay less on the same plan) */
  private readonly planOf: readonly number[];
  private readonly planHomes: Float64Array;
  private readonly planCount: number;
  private readonly planRates: Float64Array;

  constructor(
    readonly runId: string,
    readonly householdIds: readonly string[],
    readonly intervals: number,
    /** each home's index into the run's plans (default: one plan) */
    planOfHome: readonly number[] = householdIds.map(() => 0),
  ) {
    const plans = planOfHome.reduce((m, k) => Math.max(m, k + 1), 1);
    this.planOf = planOfHome;
    this.planCount = plans;
    this.planHomes = new Float64Array(plans);
    for (const k of planOfHome) this.planHomes[k] += 1;
    this.planRates = new Float64Array(plans * intervals);
    const cells = householdIds.length * intervals;
    this.columns = Object.fromEntries(HOUSEHOLD_FIELDS.map((f) => [f, new Float32Array(cells)])) as Record<HouseholdField, Float32Array>;
    this.action = new Uint8Array(cells);
    this.starts = new Array(intervals);
    const f64 = () => new Float64Array(intervals);
    this.perInterval = {
      price: f64(),
      tariff: f64(),
      exportRate: f64(),
      clearing: f64(),
      sent: f64(),
      delivered: f64(),
      loss: f64(),
      bids: f64(),
      asks: f64(),
      trades: new Int32Array(intervals),
      rejections: new Int32Array(intervals),
      cumCost: f64(),
      cumBaseline: f64(),
      cumTrades: new Int32Array(intervals),
      cumSent: f64(),
    };
    this.tradeStart = new Int32Array(intervals + 1);
    this.coordIterations = new Int32Array(intervals).fill(-1);
    this.coordResidual = new Float64Array(intervals);
    this.coordPlanned = new Float32Array(cells);
    householdIds.forEach((id, h) => this.indexOfId.set(id, h));
  }

  get households(): number {
    return this.householdIds.length;
  }

  /** Appends one interval (its contract record and trades). Intervals arrive in order. */
  push(iv: TimelineInterval, trades: readonly Trade[]): void {
    const t = this.count;
    if (iv.index !== t) throw new Error(`internal: interval ${iv.index} arrived when ${t} was expected`);
    if (t >= this.intervals) throw new Error(`internal: more than ${this.intervals} intervals`);
    const n = this.households;
    const base = t * n;
    let cost = 0;
    let baseline = 0;
    for (let h = 0; h < n; h++) {
      const rec = iv.households[h];
      for (const f of HOUSEHOLD_FIELDS) this.columns[f][base + h] = rec[f];
      this.action[base + h] = ACTION_CODE[rec.action] ?? 0;
      cost += rec.energy_cost_usd;
      baseline += rec.baseline_energy_cost_usd;
    }
    const p = this.perInterval;
    const first = iv.households[0];
    this.starts[t] = iv.start;
    p.price[t] = iv.price_signal_usd_per_kwh;
    let rates = 0;
    for (let h = 0; h < n; h++) rates += iv.households[h].tariff_rate_usd_per_kwh;
    p.tariff[t] = n > 0 ? rates / n : Number.NaN;
    const at = t * this.planCount;
    for (let h = 0; h < n; h++) this.planRates[at + this.planOf[h]] += iv.households[h].tariff_rate_usd_per_kwh / this.planHomes[this.planOf[h]];
    p.exportRate[t] = first ? first.export_rate_usd_per_kwh : Number.NaN;
    p.clearing[t] = iv.market.clearing_price_usd_per_kwh ?? Number.NaN;
    p.sent[t] = iv.market.sent_kwh;
    p.delivered[t] = iv.market.delivered_kwh;
    p.loss[t] = iv.market.loss_kwh;
    p.bids[t] = iv.market.bids_kwh;
    p.asks[t] = iv.market.asks_kwh;
    p.trades[t] = iv.market.trades;
    p.rejections[t] = iv.market.rejections;
    p.cumCost[t] = (t > 0 ? p.cumCost[t - 1] : 0) + cost;
    p.cumBaseline[t] = (t > 0 ? p.cumBaseline[t - 1] : 0) + baseline;
    p.cumTrades[t] = (t > 0 ? p.cumTrades[t - 1] : 0) + iv.market.trades;
    p.cumSent[t] = (t > 0 ? p.cumSent[t - 1] : 0) + iv.market.sent_kwh;
    for (const tr of trades) {
      this.tBuyer.push(this.indexOfId.get(tr.buyer) ?? -1);
      this.tSeller.push(this.indexOfId.get(tr.seller) ?? -1);
      this.tSent.push(tr.sent_kwh);
      this.tDelivered.push(tr.delivered_kwh);
      this.tPrice.push(tr.price_usd_per_kwh);
    }
    this.tradeStart[t + 1] = this.tSent.length;
    if (iv.coordination) {
      this.coordIterations[t] = iv.coordination.iterations;
      this.coordResidual[t] = iv.coordination.residual_kwh;
      this.coordPlanned.set(iv.coordination.planned_net_kwh_by_home, base);
    }
    this.count = t + 1;
  }

  private coordinationAt(t: number): CompactTick['coordination'] {
    if (this.coordIterations[t] < 0) return null;
    const n = this.households;
    return {
      iterations: this.coordIterations[t],
      residual_kwh: r4(this.coordResidual[t]),
      planned_net_kwh_by_home: Array.from(this.coordPlanned.subarray(t * n, t * n + n), r4),
    };
  }

  /** The community per interval stored so far (sums over homes; display precision), for comparing runs. */
  communitySeries(): CommunitySeries {
    const n = this.households;
    const T = this.count;
    const p = this.perInterval;
    const total = (f: HouseholdField) => {
      const col = this.columns[f];
      const out = new Array<number>(T);
      for (let t = 0; t < T; t++) {
        let sum = 0;
        for (let h = 0; h < n; h++) sum += col[t * n + h];
        out[t] = r4(sum);
      }
      return out;
    };
    const each = (a: Float64Array, round: (x: number) => number) => Array.from(a.subarray(0, T), round);
    return {
      price_signal_usd_per_kwh: each(p.price, r5),
      import_rate_usd_per_kwh: each(p.tariff, r5),
      export_rate_usd_per_kwh: each(p.exportRate, r5),
      load_kwh: total('load_kwh'),
      pv_kwh: total('pv_kwh'),
      grid_import_kwh: total('grid_import_kwh'),
      grid_export_kwh: total('grid_export_kwh'),
      p2p_delivered_kwh: each(p.delivered, r4),
      battery_charge_kwh: total('battery_charge_kwh'),
      battery_discharge_kwh: total('battery_discharge_kwh'),
      energy_savings_usd: Array.from({ length: T }, (_, t) => r5(p.cumBaseline[t] - p.cumCost[t])),
    };
  }

  /** The socket `tick` record of interval t (display precision). */
  tick(t: number): CompactTick {
    if (t < 0 || t >= this.count) throw new Error(`internal: interval ${t} not stored (have ${this.count})`);
    const n = this.households;
    const base = t * n;
    const households = {} as Record<string, unknown>;
    for (const f of HOUSEHOLD_FIELDS) {
      const col = this.columns[f];
      const round = roundOf(f);
      const out = new Array<number>(n);
      for (let h = 0; h < n; h++) out[h] = round(col[base + h]);
      households[f] = out;
    }
    const action = new Array<(typeof ACTIONS)[number]>(n);
    for (let h = 0; h < n; h++) action[h] = ACTIONS[this.action[base + h]];
    households.action = action;
    const trades = [];
    for (let k = this.tradeStart[t]; k < this.tradeStart[t + 1]; k++) {
      trades.push({
        buyer: this.householdIds[this.tBuyer.data[k]] ?? '?',
        seller: this.householdIds[this.tSeller.data[k]] ?? '?',
        sent_kwh: r4(this.tSent.data[k]),
        delivered_kwh: r4(this.tDelivered.data[k]),
        price_usd_per_kwh: r5(this.tPrice.data[k]),
      });
    }
    const p = this.perInterval;
    return {
      run_id: this.runId,
      index: t,
      intervals: this.intervals,
      start: this.starts[t],
      price_signal_usd_per_kwh: r5(p.price[t]),
      tariff_rate_usd_per_kwh: r5(p.tariff[t]),
      tariff_rates_usd_per_kwh: Array.from(this.planRates.subarray(t * this.planCount, (t + 1) * this.planCount), r5),
      export_rate_usd_per_kwh: r5(p.exportRate[t]),
      market: {
        clearing_price_usd_per_kwh: Number.isNaN(p.clearing[t]) ? null : r5(p.clearing[t]),
        sent_kwh: r4(p.sent[t]),
        delivered_kwh: r4(p.delivered[t]),
        loss_kwh: r4(p.loss[t]),
        trades: p.trades[t],
        bids_kwh: r4(p.bids[t]),
        asks_kwh: r4(p.asks[t]),
        rejections: p.rejections[t],
      },
      households: households as CompactTick['households'],
      coordination: this.coordinationAt(t),
      trades,
      running: {
        energy_cost_usd: r5(p.cumCost[t]),
        baseline_energy_cost_usd: r5(p.cumBaseline[t]),
        energy_savings_usd: r5(p.cumBaseline[t] - p.cumCost[t]),
        trades: p.cumTrades[t],
        p2p_sent_kwh: r4(p.cumSent[t]),
      },
    };
  }
}

/**
 * An append-only newline-delimited JSON file with an index of where each line starts, so any
 * range of records is read back with one positioned read. Writes are buffered (1 MiB) and
 * synchronous: bounded memory, no backlog behind a slow disk.
 */
export class NdjsonLog {
  private fd: number | null;
  private offsets = new GrowableF64();
  private bytes = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private flushedBytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w+');
    this.offsets.push(0);
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  append(value: unknown): void {
    const line = `${JSON.stringify(value)}\n`;
    const size = Buffer.byteLength(line);
    this.pending.push(line);
    this.pendingBytes += size;
    this.bytes += size;
    this.offsets.push(this.bytes);
    if (this.pendingBytes > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.fd === null || this.pendingBytes === 0) return;
    const buf = Buffer.from(this.pending.join(''));
    let written = 0;
    while (written < buf.length) written += writeSync(this.fd, buf, written, buf.length - written, this.flushedBytes + written);
    this.flushedBytes += buf.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The JSON texts of records [from, to), without parsing them. */
  readRaw(from: number, to: number): string[] {
    const end = Math.min(to, this.length);
    if (this.fd === null || from >= end) return [];
    this.flush();
    const start = this.offsets.data[from];
    const stop = this.offsets.data[end];
    const buf = Buffer.alloc(stop - start);
    let got = 0;
    while (got < buf.length) {
      const k = readSync(this.fd, buf, got, buf.length - got, start + got);
      if (k === 0) break;
      got += k;
    }
    const text = buf.toString('utf8', 0, got);
    return text.split('\n').slice(0, end - from);
  }

  /** Closes the file; reads return nothing afterwards. */
  dispose(): void {
    if (this.fd === null) return;
    this.flush();
    closeSync(this.fd);
    this.fd = null;
  }
}
