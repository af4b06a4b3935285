/**
 * The community's energy flows per interval for one run, replayed in-process for the dispatch plot.
 * The comparison runs are switched off: they come after the trading ticks and do not change them.
 * It reads the ticks as timeline records (outputs/), so it lives at the edge, beside `wattswap sweep`.
 */
import { timelineIntervalOf } from '../outputs/index.ts';
import { resolveConfig, runWithComparisons, type SimConfig } from '../sim/index.ts';
import type { DispatchPoint } from '../sweep/index.ts';

export function collectDispatch(config: SimConfig): Promise<DispatchPoint[]> {
  const ticksOnly = resolveConfig(config, { overlays: [{ baselines: { batteryOnly: false, perfectForesight: false } }] });
  const points: DispatchPoint[] = [];
  return new Promise((resolve, reject) => {
    runWithComparisons(ticksOnly).subscribe({
      // frames are views the engine reuses: reduce each while it is current
      next: (e) => {
        if (e.type !== 'tick') return;
        const rec = timelineIntervalOf(e.meta, e.frame);
        const p: DispatchPoint = {
          index: rec.index,
          start: rec.start,
          load_kwh: 0,
          pv_kwh: 0,
          battery_charge_kwh: 0,
          battery_discharge_kwh: 0,
          grid_import_kwh: 0,
          grid_export_kwh: 0,
          p2p_delivered_kwh: rec.market.delivered_kwh,
        };
        for (const h of rec.households) {
          p.load_kwh += h.load_kwh;
          p.pv_kwh += h.pv_kwh;
          p.battery_charge_kwh += h.battery_charge_kwh;
          p.battery_discharge_kwh += h.battery_discharge_kwh;
          p.grid_import_kwh += h.grid_import_kwh;
          p.grid_export_kwh += h.grid_export_kwh;
        }
        points.push(p);
      },
      error: reject,
      complete: () => resolve(points),
    });
  });
}
