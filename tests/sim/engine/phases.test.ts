import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batteryParams } from '../../../battery/index.ts';
import type { DayBlock } from '../../../data-gen/index.ts';
import { dayRateStructure } from '../../../agents/index.ts';
import { addOrder, pushTrade, REJECTION_REASONS, SIDE_BUY, SIDE_SELL } from '../../../market/index.ts';
import { clearMarket, settle, type DayContext } from '../../../sim/engine/phases.ts';
import { createEngineState } from '../../../sim/engine/state.ts';
import type { SettleMeta } from '../../../sim/engine/types.ts';
import { smallConfig } from '../helpers.ts';

const config = smallConfig({ households: { count: 2 } });
const battery = batteryParams(config.battery);

/** A one-interval day for two homes: h0 has a surplus, h1 a deficit. */
function dayOf(loadKwh: number[], pvKwh: number[], importUsd = 0.5, exportUsd = 0.05, deliveryUsd = 0): DayContext {
  const block = {
    date: '2026-07-15', dayIndex: 0, intervals: 1, intervalStartIso: ['2026-07-15T12:00:00-07:00'],
    localHour: Float64Array.of(12), month: 7, weekday: 3,
    temperatureC: Float64Array.of(30), cloudCover: Float64Array.of(0), ghiWm2: Float64Array.of(800),
    households: 2, loadKwh: Float64Array.from(loadKwh), pvKwh: Float64Array.from(pvKwh),
  } satisfies DayBlock;
  const importUsdPerKwh = Float64Array.of(importUsd);
  return {
    dayIndex: 0,
    block,
    importByPlan: new Float64Array(1),
    deliveryByPlan: new Float64Array(1),
    homesOnPlan: Float64Array.of(2),
    gridState: new Uint8Array(1),
    restoreHours: new Float64Array(1),
    view: {
      intervals: 1, lastDay: false, plans: [{ importUsdPerKwh, exportUsdPerKwh: Float64Array.of(exportUsd), generationUsdPerKwh: Float64Array.of(importUsd - deliveryUsd), p2pDeliveryUsdPerKwh: Float64Array.of(deliveryUsd), structure: dayRateStructure(importUsdPerKwh, 1) }], planOfHome: new Uint8Array(2),
      exportUsdPerKwh: Float64Array.of(exportUsd), loadKwh: Float64Array.from(loadKwh), pvKwh: Float64Array.from(pvKwh), yesterdayMinSignalUsdPerKwh: Infinity,
    },
  };
}

function stateOf(socKwh: number[], hasBattery = [1, 1]) {
  return createEngineState(Uint8Array.from(hasBattery), [battery, battery], Float64Array.from(socKwh), 6, [config.battery, config.battery]);
}

const meta: SettleMeta = { households: [{ id: 'h01' }, { id: 'h02' }], intervalHours: 0.5, planOfHome: new Uint8Array(2), storageMode: Uint8Array.of(1, 2) };

describe('settle: closes each home’s energy balance on a hand-made state', () => {
  it('lands a trade on buyer and seller, and the grid covers the rest', () => {
    const s = stateOf([5, 5], [0, 0]);
    const day = dayOf([0.5, 2.0], [2.5, 0]);
    s.askSurplusKwh[0] = 2; // h0 offered 2 kWh of surplus PV
    pushTrade(s.trades, 1, 0, 1.5, 0.3, config.market.transmissionLoss, 0.2);
    settle(s, day, 0, meta);
    // seller: 2.5 PV − 0.5 load = 2.0 surplus; 1.5 sent to h1, 0.5 exported
    expect(s.soldKwh[0]).toBeCloseTo(1.5, 12);
    expect(s.gridExportKwh[0]).toBeCloseTo(0.5, 12);
    expect(s.gridImportKwh[0]).toBe(0);
    // buyer: 2.0 load; 1.5 × 0.95 delivered, the rest from the grid
    expect(s.boughtKwh[1]).toBeCloseTo(1.425, 12);
    expect(s.gridImportKwh[1]).toBeCloseTo(0.575, 12);
    // it pays the seller 1.5 × 0.3 and the utility 0.2 per delivered kWh
    expect(s.p2pDeliveryChargeUsd[1]).toBeCloseTo(1.425 * 0.2, 12);
    expect(s.energyCostUsd[1]).toBeCloseTo(0.575 * 0.5 + 1.5 * 0.3 + 1.425 * 0.2, 12);
    expect(s.p2pDeliveryChargeUsd[0]).toBe(0);
    expect(s.energyCostUsd[0]).toBeCloseTo(-0.5 * 0.05 - 1.5 * 0.3, 12);
    expect(s.baselineEnergyCostUsd[1]).toBeCloseTo(1.0, 12);
  });

  it('stored energy sold beyond the surplus comes out of the seller’s battery', () => {
    const s = stateOf([6, 3]);
    const day = dayOf([1, 1], [1, 0]);
    s.askSurplusKwh[0] = 0; // an ask of stored energy only
    pushTrade(s.trades, 1, 0, 1, 0.3, config.market.transmissionLoss, 0);
    settle(s, day, 0, meta);
    expect(s.dischargeKwh[0]).toBeCloseTo(1, 12);
    expect(s.socKwh[0]).toBeCloseTo(6 - 1 / battery.dischargeEfficiency, 9);
    expect(s.gridImportKwh[0]).toBe(0);
  });

  it('keeps load + charge + sold + export = pv + discharge + bought + import for any trade', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (load, pv, sent) => {
          const s = stateOf([6, 6]);
          const day = dayOf([load, load], [pv, 0]);
          s.askSurplusKwh[0] = Math.max(0, pv - load);
          pushTrade(s.trades, 1, 0, sent, 0.3, config.market.transmissionLoss, 0.2);
          settle(s, day, 0, meta);
          for (let h = 0; h < 2; h++) {
            const lhs = day.block.loadKwh[h] + s.chargeKwh[h] + s.soldKwh[h] + s.gridExportKwh[h];
            const rhs = day.block.pvKwh[h] + s.dischargeKwh[h] + s.boughtKwh[h] + s.gridImportKwh[h];
            expect(Math.abs(lhs - rhs)).toBeLessThan(1e-9);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('clearMarket: the central agent admits, matches and settles orders', () => {
  it('clips an ask to what the home may send under its storage mode, and says why', () => {
    const s = stateOf([5, 5]);
    s.askCapKwh[0] = 0.4; // a no-export home with 0.4 kWh of PV surplus
    addOrder(s.book, 1, SIDE_BUY, 1.2, 0.45);
    addOrder(s.book, 0, SIDE_SELL, 1.0, 0.1);
    clearMarket(s, dayOf([1, 1], [1, 1]), 0, config, 0.3);
    expect(s.trades.sentKwh[0]).toBeCloseTo(0.4, 12);
    expect(s.rejections.count).toBe(1);
    expect(REJECTION_REASONS[s.rejections.reason[0]]).toBe('storage_rule');
    expect(s.rejections.quantityKwh[0]).toBeCloseTo(0.6, 12);
  });


  it('reports the admitted bids and asks and remembers them for the next signal', () => {
    const s = stateOf([5, 5]);
    s.askCapKwh.fill(5); // both homes may send 5 kWh under their storage modes
    addOrder(s.book, 1, SIDE_BUY, 1.2, 0.45);
    addOrder(s.book, 0, SIDE_SELL, 1.0, 0.1);
    const orders = clearMarket(s, dayOf([1, 1], [1, 1]), 0, config, 0.3);
    expect(orders.bidsKwh).toBeCloseTo(1.2, 12);
    expect(orders.asksKwh).toBeCloseTo(1.0, 12);
    expect(s.previousDemandKwh).toBeCloseTo(1.2, 12);
    expect(s.trades.count).toBe(1);
    expect(s.trades.sentKwh[0]).toBeCloseTo(1.0, 12);
    expect(s.soldTodayKwh[0]).toBeCloseTo(1.0, 12);
  });
});
