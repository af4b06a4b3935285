import { ACTION_NAMES, type RunMeta, type TickFrame } from '../sim/engine/index.ts';
import type { Trade, TimelineInterval } from '../sim/contract.ts';

const GRID_STATE_NAMES = ['up', 'notice', 'down'] as const;

/** One interval of timeline.json, built from a tick frame (copies what it needs). Pure. */
export function timelineIntervalOf(meta: RunMeta, f: TickFrame): TimelineInterval {
  const n = meta.households.length;
  const H = f.horizon;
  let sent = 0;
  let delivered = 0;
  let value = 0;
  for (let k = 0; k < f.trades.count; k++) {
    sent += f.trades.sentKwh[k];
    delivered += f.trades.deliveredKwh[k];
    value += f.trades.sentKwh[k] * f.trades.priceUsdPerKwh[k];
  }
  const households = new Array(n);
  for (let h = 0; h < n; h++) {
    households[h] = {
      id: meta.households[h].id,
      load_kwh: f.loadKwh[h],
      pv_kwh: f.pvKwh[h],
      battery_charge_kwh: f.chargeKwh[h],
      battery_discharge_kwh: f.dischargeKwh[h],
      battery_self_discharge_kwh: f.selfDischargeKwh[h],
      soc_kwh: f.socKwh[h],
      p2p_bought_kwh: f.boughtKwh[h],
      p2p_sold_kwh: f.soldKwh[h],
      grid_import_kwh: f.gridImportKwh[h],
      grid_export_kwh: f.gridExportKwh[h],
      tariff_rate_usd_per_kwh: f.importUsdPerKwhByPlan[meta.planOfHome[h]],
      export_rate_usd_per_kwh: f.exportUsdPerKwh,
      energy_cost_usd: f.energyCostUsd[h],
      baseline_energy_cost_usd: f.baselineEnergyCostUsd[h],
      action: ACTION_NAMES[f.action[h]],
      forecast_kwh: Array.from(f.forecastLoadKwh.subarray(h * H, h * H + H)),
      forecast_pv_kwh: Array.from(f.forecastPvKwh.subarray(h * H, h * H + H)),
      critical_kwh: f.criticalKwh[h],
      unserved_kwh: f.unservedKwh[h],
    };
  }
  return {
    index: f.index,
    start: f.startIso,
    grid: GRID_STATE_NAMES[f.gridState],
    price_signal_usd_per_kwh: f.priceSignalUsdPerKwh,
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
      fee_usd: t.feeUsd[k],
    };
  }
  return out;
}
