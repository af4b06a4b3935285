import { describe, expect, it } from 'vitest';
import { CompactStore } from '../../../outputs/server/store.ts';
import type { TimelineInterval } from '../../../sim/index.ts';

/** A timeline interval of homes on their plans' import rates (one value per home for every flow). */
function interval(index: number, rates: number[], flows: { load: number[]; gridImport: number[] }): TimelineInterval {
  return {
    index,
    start: `2026-07-15T${String(index).padStart(2, '0')}:00:00-07:00`,
    grid: 'up',
    price_signal_usd_per_kwh: 0.3,
    community_net_import_kw: 0,
    market: { clearing_price_usd_per_kwh: null, sent_kwh: 0, delivered_kwh: 0.5 * index, loss_kwh: 0, trades: 0, bids_kwh: 0, asks_kwh: 0, rejections: 0 },
    households: rates.map((rate, h) => ({
      id: `h0${h + 1}`,
      load_kwh: flows.load[h],
      pv_kwh: 0,
      battery_charge_kwh: 0,
      battery_discharge_kwh: 0,
      battery_self_discharge_kwh: 0,
      soc_kwh: 5,
      p2p_bought_kwh: 0,
      p2p_sold_kwh: 0,
      grid_import_kwh: flows.gridImport[h],
      grid_export_kwh: 0,
      tariff_rate_usd_per_kwh: rate,
      export_rate_usd_per_kwh: 0.05,
      generation_rate_usd_per_kwh: 0.1,
      p2p_delivery_charge_usd: 0,
      energy_cost_usd: flows.gridImport[h] * rate,
      baseline_energy_cost_usd: flows.load[h] * rate,
      action: 'hold' as const,
      forecast_kwh: [],
      forecast_pv_kwh: [],
      critical_kwh: 0,
      unserved_kwh: 0,
    })),
    coordination: null,
  };
}

describe('the server’s compact store', () => {
  // h01 and h03 on plan 0 (E-TOU-C), h02 on plan 1 (E-ELEC)
  const store = new CompactStore('run1', ['h01', 'h02', 'h03'], 2, [0, 1, 0]);
  store.push(interval(0, [0.4, 0.3, 0.4], { load: [1, 2, 3], gridImport: [1, 0, 2] }), []);
  store.push(interval(1, [0.5, 0.35, 0.5], { load: [1, 1, 1], gridImport: [0.5, 0.5, 0.5] }), []);

  it('sends each plan’s import rate and the community’s mean over homes, not the first home’s', () => {
    const t = store.tick(1);
    expect(t.tariff_rates_usd_per_kwh).toEqual([0.5, 0.35]);
    expect(t.tariff_rate_usd_per_kwh).toBeCloseTo((0.5 + 0.35 + 0.5) / 3, 5);
  });

  it('sums the community per interval, with the running energy savings', () => {
    const c = store.communitySeries();
    expect(c.load_kwh).toEqual([6, 3]);
    expect(c.grid_import_kwh).toEqual([3, 1.5]);
    expect(c.p2p_delivered_kwh).toEqual([0, 0.5]);
    // baseline − simulated energy cost: interval 0 (0.4·1 + 0.3·2 + 0.4·3) − (0.4·1 + 0 + 0.4·2) = 2.2 − 1.2; interval 1 adds 1.35 − 0.675
    expect(c.energy_savings_usd[0]).toBeCloseTo(1, 5);
    expect(c.energy_savings_usd[1]).toBeCloseTo(1 + 0.675, 5);
  });
});
