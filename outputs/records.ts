import { TIMELINE_COLUMNS, type RunMeta, type TickFrame } from '../sim/engine/index.ts';
import type { Trade, TimelineHousehold, TimelineInterval } from '../sim/contract.ts';
import { communityNetImportKw } from '../sim/index.ts';

const GRID_STATE_NAMES = ['up', 'notice', 'down'] as const;

/** One interval of timeline.json, built from a tick frame (copies what it needs). Pure. */
export function timelineIntervalOf(meta: RunMeta, f: TickFrame): TimelineInterval {
  const n = meta.households.length;
  let sent = 0;
  let delivered = 0;
  let value = 0;
  for (let k = 0; k < f.trades.count; k++) {
    sent += f.trades.sentKwh[k];
    delivered += f.trades.deliveredKwh[k];
    value += f.trades.sentKwh[k] * f.trades.priceUsdPerKwh[k];
  }
  const households = new Array(n);
  for (let h = 0; h < n; h++) households[h] = timelineHouseholdOf(f, meta.households[h].id, h);
  return {
    index: f.index,
    start: f.startIso,
    grid: GRID_STATE_NAMES[f.gridState],
    price_signal_usd_per_kwh: f.priceSignalUsdPerKwh,
    community_net_import_kw: communityNetImportKw(f.gridImportKwh, f.gridExportKwh, n, meta.intervalHours),
    market: {
      clearing_price_usd_per_kwh: sent > 0 ? value / sent : null,
      sent_kwh: sent,
      delivered_kwh: delivered,
      loss_kwh: sent - delivered,
      trades: f.trades.count,
      bids_kwh: f.bidsKwh,
      asks_kwh: f.asksKwh,
      rejections: f.rejections.count,
    },
    households,
    coordination: f.coordination
      ? { iterations: f.coordination.iterations, residual_kwh: f.coordination.residualKwh, planned_net_kwh_by_home: Array.from(f.coordination.plannedNetKwh) }
      : null,
  };
}

/** The interval's trades as trades.json records. Pure. */
export function tradesOf(meta: RunMeta, f: TickFrame): Trade[] {
  const t = f.trades;
  const out: Trade[] = new Array(t.count);
  for (let k = 0; k < t.count; k++) {
    out[k] = {
      interval: f.index,
      buyer: meta.households[t.buyer[k]].id,
      seller: meta.households[t.seller[k]].id,
      sent_kwh: t.sentKwh[k],
      delivered_kwh: t.deliveredKwh[k],
      price_usd_per_kwh: t.priceUsdPerKwh[k],
      buyer_pays_usd: t.buyerPaysUsd[k],
      seller_receives_usd: t.sellerReceivesUsd[k],
      delivery_charge_usd: t.deliveryChargeUsd[k],
    };
  }
  return out;
}

/** Home h's entry of a timeline interval: its id, then every timeline column in registry order. */
function timelineHouseholdOf(f: TickFrame, id: string, h: number): TimelineHousehold {
  const H = f.horizon;
  const out: Record<string, unknown> = { id };
  for (const c of TIMELINE_COLUMNS) {
    const values = f[c.key];
    if (c.shape === 'horizon') out[c.json] = Array.from(values.subarray(h * H, h * H + H));
    else if (c.shape === 'code') out[c.json] = c.names[values[h]];
    else out[c.json] = values[h];
  }
  return out as TimelineHousehold;
}
