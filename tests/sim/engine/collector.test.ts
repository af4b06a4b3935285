import { describe, expect, it } from 'vitest';
import { createRejectionList, createTradeList, pushRejection, resetRejectionList } from '../../../market/index.ts';
import { createTotalsCollector } from '../../../sim/engine/collector.ts';
import { createStateColumns } from '../../../sim/engine/columns.ts';
import type { CollectorMeta, TickFrame } from '../../../sim/engine/types.ts';
import { smallConfig } from '../helpers.ts';

const n = 2;
const config = smallConfig({ households: { count: n } });
const meta: CollectorMeta = {
  config,
  households: [{ id: 'h01' }, { id: 'h02' }],
  intervals: 2,
  intervalHours: 0.5,
  horizon: 1,
  plans: [{}],
  planOfHome: new Uint8Array(n),
  storageMode: new Uint8Array(n),
  wearUsdPerKwh: 0,
  initialSocKwh: new Float64Array(n),
  nominalBattery: { chargeEfficiency: 0.95 },
};

/** A quiet interval (every column zero) carrying `rejections`. */
function frameOf(index: number, rejections: ReturnType<typeof createRejectionList>): TickFrame {
  return {
    ...createStateColumns(n, 1),
    loadKwh: new Float64Array(n),
    pvAvailableKwh: new Float64Array(n),
    index,
    dayIndex: 0,
    intervalInDay: index,
    date: '2026-07-15',
    month: 7,
    startIso: `2026-07-15T${String(index).padStart(2, '0')}:00:00-07:00`,
    priceSignalUsdPerKwh: 0.3,
    importUsdPerKwh: 0.4,
    importUsdPerKwhByPlan: Float64Array.of(0.4),
    p2pDeliveryUsdPerKwhByPlan: Float64Array.of(0),
    exportUsdPerKwh: 0.05,
    gridState: 0,
    horizon: 1,
    trades: createTradeList(1),
    rejections,
    bidsKwh: 0,
    asksKwh: 0,
    coordination: null,
  };
}

describe('the totals collector', () => {
  it('counts rejections by reason, in the order the reasons first appeared, over the run', () => {
    const collector = createTotalsCollector(meta, false);
    const list = createRejectionList(4);
    pushRejection(list, 0, 0, 'sell_cap_reached', 0.5);
    pushRejection(list, 1, 1, 'price_out_of_bounds', 0.25);
    pushRejection(list, 2, 0, 'sell_cap_reached', 0.125);
    collector.tick(frameOf(0, list));
    resetRejectionList(list);
    pushRejection(list, 0, 1, 'storage_rule', 1);
    pushRejection(list, 1, 1, 'price_out_of_bounds', 0.5);
    collector.tick(frameOf(1, list));
    const { totals } = collector.finish({ capacityKwh: new Float64Array(n), equivalentCycles: new Float64Array(n), federated: null, forecastTape: null });
    expect(Object.keys(totals.rejectionCounts)).toEqual(['sell_cap_reached', 'price_out_of_bounds', 'storage_rule']);
    expect(totals.rejectionCounts).toEqual({
      sell_cap_reached: { count: 2, kwh: 0.625 },
      price_out_of_bounds: { count: 2, kwh: 0.75 },
      storage_rule: { count: 1, kwh: 1 },
    });
  });
});
