import { describe, expect, it } from 'vitest';
import { createDecision, type HomeView } from '../../../agents/index.ts';
import { batteryParams } from '../../../battery/index.ts';
import type { DayBlock } from '../../../data-gen/index.ts';
import { FALLBACK_CRITICAL_KW, gridOfDay, noteCritical, preChargeOnNotice } from '../../../sim/engine/island.ts';
import { createEngineState } from '../../../sim/engine/state.ts';
import { GRID_DOWN, GRID_NOTICE, GRID_UP, outageWindows } from '../../../sim/outages.ts';
import { smallConfig } from '../helpers.ts';

function block(loadKwh: number[], criticalKwh?: number[]): DayBlock {
  const n = loadKwh.length;
  return {
    date: '2026-10-26', dayIndex: 0, intervals: 4,
    intervalStartIso: ['2026-10-26T17:00:00-07:00', '2026-10-26T17:30:00-07:00', '2026-10-26T18:00:00-07:00', '2026-10-26T18:30:00-07:00'],
    localHour: Float64Array.of(17, 17.5, 18, 18.5), month: 10, weekday: 1,
    temperatureC: new Float64Array(4), cloudCover: new Float64Array(4), ghiWm2: new Float64Array(4),
    households: n, loadKwh: Float64Array.from([...loadKwh, ...loadKwh, ...loadKwh, ...loadKwh]), pvKwh: new Float64Array(4 * n),
    ...(criticalKwh ? { criticalKwh: Float64Array.from([...criticalKwh, ...criticalKwh, ...criticalKwh, ...criticalKwh]) } : {}),
  };
}

describe('engine outage helpers', () => {
  it('marks each interval up, notice or down from the outage windows', () => {
    const windows = outageWindows([{ start: '2026-10-26T18:00', hours: 0.5, noticeHours: 0.5 }]);
    const { gridState, restoreHours } = gridOfDay(block([1]), windows);
    expect(Array.from(gridState)).toEqual([GRID_UP, GRID_NOTICE, GRID_DOWN, GRID_UP]);
    expect(restoreHours[2]).toBe(0.5);
  });

  it('uses the generator’s critical load, or 0.2 kW for measured data without an appliance split', () => {
    const s = createEngineState(Uint8Array.of(0, 0), [batteryParams(smallConfig().battery), batteryParams(smallConfig().battery)], new Float64Array(2), 6, [smallConfig().battery, smallConfig().battery]);
    noteCritical(s, block([1, 0.05], [0.3, 0.2]), 0, 0.5);
    expect(Array.from(s.criticalKwh)).toEqual([0.3, 0.05]); // clamped to the load
    noteCritical(s, block([1, 0.05]), 0, 0.5);
    expect(s.criticalKwh[0]).toBeCloseTo(FALLBACK_CRITICAL_KW * 0.5, 12);
    expect(s.criticalSeenIntervals).toBe(2);
  });

  it('pre-charge on notice takes the home’s charge limit (its storage mode’s) and sends no stored energy', () => {
    const d = createDecision();
    d.dischargeKwh = 1;
    d.askBatteryKwh = 1;
    d.askSurplusKwh = 0.5;
    d.action = 'sell';
    const home = { loadKwh: 0.2, pvKwh: 0.1, maxChargeKwh: 0.1 } as HomeView; // solar-only at dusk: at most its own PV
    preChargeOnNotice(d, home);
    expect(d.chargeKwh).toBe(0.1);
    expect(d.dischargeKwh).toBe(0);
    expect(d.askBatteryKwh).toBe(0);
    expect(d.askSurplusKwh).toBe(0);
    expect(d.action).toBe('hold');
  });
});
