/**
 * The optimum's independent checks: `findInputProblem` (before solving) and `findScheduleViolation`
 * (an audit of a schedule against the rules, without the LP), each on hand-written schedules that
 * break exactly one rule.
 */
import { describe, expect, it } from 'vitest';
import { findInputProblem, findScheduleViolation, type OptimumInput, type OptimumSchedule } from '../../../central/optimum/index.ts';
import { battery, community, f64, home } from './helpers.ts';

type Flows = Partial<Record<'chargeKwh' | 'dischargeKwh' | 'gridImportKwh' | 'gridExportKwh' | 'p2pSentKwh' | 'p2pReceivedKwh', number[]>> & { socKwh?: number[] | null };

/** A schedule from per-interval numbers (missing series are zero). */
function schedule(intervals: number, flows: Flows): OptimumSchedule {
  const s = (values?: number[]): Float64Array => (values ? f64(values) : new Float64Array(intervals));
  return {
    chargeKwh: s(flows.chargeKwh),
    dischargeKwh: s(flows.dischargeKwh),
    socKwh: flows.socKwh ? f64(flows.socKwh) : null,
    gridImportKwh: s(flows.gridImportKwh),
    gridExportKwh: s(flows.gridExportKwh),
    p2pSentKwh: s(flows.p2pSentKwh),
    p2pReceivedKwh: s(flows.p2pReceivedKwh),
  };
}

const p2p = { maxDailySellKwh: 10, transmissionLoss: 0.05 };
const ruleOf = (input: OptimumInput, schedules: OptimumSchedule[]): string | null => findScheduleViolation(input, schedules)?.rule ?? null;

describe('findScheduleViolation', () => {
  it('accepts a schedule that keeps every rule', () => {
    // solar-only: PV 2, load 1; stores 1 kWh of PV and sells nothing
    const input = community([0.3], [home([1], [2], { battery: battery({ storageMode: 'solar-only' }) })]);
    expect(findScheduleViolation(input, [schedule(1, { chargeKwh: [1], socKwh: [0.95] })])).toBeNull();
  });

  it('flags a solar-only battery charged from the grid', () => {
    const input = community([0.3], [home([1], [0.5], { battery: battery({ storageMode: 'solar-only' }) })]);
    const v = findScheduleViolation(input, [schedule(1, { chargeKwh: [1], gridImportKwh: [1.5], socKwh: [0.95] })]);
    expect(v).toMatchObject({ household: 0, interval: 0, rule: 'charge_above_own_pv' });
    expect(v?.reason).toContain('solar-only');
  });

  it('flags a solar-only battery charged from a neighbour within its PV (imports serve only the load)', () => {
    // PV 1 charges the battery, the neighbour's 1 kWh is exported: the battery was in effect filled by the neighbour
    const input = community([0.3], [home([0], [1], { battery: battery({ storageMode: 'solar-only' }) }), home([0], [2])], { p2p });
    const v = findScheduleViolation(input, [
      schedule(1, { chargeKwh: [1], p2pReceivedKwh: [0.95], gridExportKwh: [0.95], socKwh: [0.95] }),
      schedule(1, { p2pSentKwh: [1], gridExportKwh: [1] }),
    ]);
    expect(v).toMatchObject({ household: 0, rule: 'imports_beyond_own_use' });
  });

  it('flags a no-export battery discharging beyond the load net of PV', () => {
    const input = community([0.3], [home([1], [0], { battery: battery({ initialSocKwh: 5 }) })]);
    const v = findScheduleViolation(input, [schedule(1, { dischargeKwh: [1.5], gridExportKwh: [0.5], socKwh: [5 - 1.5 / 0.95] })]);
    expect(v).toMatchObject({ household: 0, interval: 0, rule: 'discharge_above_own_load' });
  });

  it('flags a no-export home exporting more than its PV', () => {
    const input = community([0.3], [home([0], [1], { battery: battery() })]);
    expect(ruleOf(input, [schedule(1, { gridImportKwh: [1], gridExportKwh: [2], socKwh: [0] })])).toBe('export_above_own_pv');
  });

  it('flags a no-export home selling more than its PV surplus', () => {
    const input = community([0.3], [home([0], [1], { battery: battery() }), home([2])], { p2p });
    const v = findScheduleViolation(input, [schedule(1, { gridImportKwh: [1], p2pSentKwh: [2], socKwh: [0] }), schedule(1, { p2pReceivedKwh: [1.9], gridImportKwh: [0.1] })]);
    expect(v).toMatchObject({ household: 0, rule: 'sale_above_own_surplus' });
  });

  it('holds a home without a battery to the no-export rules', () => {
    const input = community([0.3], [home([0], [1]), home([2])], { p2p });
    expect(ruleOf(input, [schedule(1, { gridImportKwh: [1], gridExportKwh: [2] }), schedule(1, { gridImportKwh: [2] })])).toBe('export_above_own_pv');
    expect(ruleOf(input, [schedule(1, { gridImportKwh: [1], p2pSentKwh: [2] }), schedule(1, { p2pReceivedKwh: [1.9], gridImportKwh: [0.1] })])).toBe('sale_above_own_surplus');
    expect(ruleOf(input, [schedule(1, { chargeKwh: [1], gridImportKwh: [1], gridExportKwh: [1] }), schedule(1, { gridImportKwh: [2] })])).toBe('no_battery_flow');
  });

  it('flags a solar-only sale above PV surplus plus discharge', () => {
    const input = community([0.3], [home([1], [1], { battery: battery({ storageMode: 'solar-only', initialSocKwh: 5 }) }), home([2])], { p2p });
    const v = findScheduleViolation(input, [
      schedule(1, { dischargeKwh: [0.5], gridImportKwh: [0.5], p2pSentKwh: [1], socKwh: [5 - 0.5 / 0.95] }),
      schedule(1, { p2pReceivedKwh: [0.95], gridImportKwh: [1.05] }),
    ]);
    expect(v).toMatchObject({ household: 0, rule: 'sale_above_own_surplus' });
  });

  it('flags broken physics: energy balance, SoC dynamics, power, the end of the span', () => {
    const input = community([0.3, 0.3], [home([1, 1], undefined, { battery: battery({ initialSocKwh: 2 }) })]);
    expect(ruleOf(input, [schedule(2, { gridImportKwh: [1, 0.5], socKwh: [2, 2] })])).toBe('energy_balance');
    expect(ruleOf(input, [schedule(2, { gridImportKwh: [1, 0], dischargeKwh: [0, 1], socKwh: [2, 1.5] })])).toBe('soc_dynamics');
    expect(ruleOf(input, [schedule(2, { gridImportKwh: [3, 1], chargeKwh: [2, 0], socKwh: [3.9, 3.9] })])).toBe('power_limit');
    expect(ruleOf(input, [schedule(2, { gridImportKwh: [1, 0], dischargeKwh: [0, 1], socKwh: [2, 2 - 1 / 0.95] })])).toBe('terminal_soc');
    expect(ruleOf({ ...input, terminalSocAtLeastInitial: false }, [schedule(2, { gridImportKwh: [1, 0], dischargeKwh: [0, 1], socKwh: [2, 2 - 1 / 0.95] })])).toBeNull();
  });

  it('flags a P2P pool that creates energy, trading while trading is off, and the daily sell cap', () => {
    const seller = home([0, 0], [3, 3]);
    const buyer = home([2, 2]);
    const trade = (sentKwh: number, receivedKwh: number) => [
      schedule(2, { p2pSentKwh: [sentKwh, 0], gridExportKwh: [3 - sentKwh, 3] }),
      schedule(2, { p2pReceivedKwh: [receivedKwh, 0], gridImportKwh: [2 - receivedKwh, 2] }),
    ];
    expect(ruleOf(community([0.3, 0.3], [seller, buyer], { p2p }), trade(2, 1.9))).toBeNull();
    expect(ruleOf(community([0.3, 0.3], [seller, buyer], { p2p }), trade(2, 2))).toBe('p2p_pool');
    expect(ruleOf(community([0.3, 0.3], [seller, buyer]), trade(2, 1.9))).toBe('p2p_pool');
    expect(findScheduleViolation(community([0.3, 0.3], [seller, buyer], { p2p: { ...p2p, maxDailySellKwh: 1 } }), trade(2, 1.9))).toMatchObject({ household: 0, rule: 'daily_sell_cap' });
  });

  it('flags a meter importing while it sends energy out, unless netting is not asked for', () => {
    const input = community([0.3], [home([1], [2]), home([2])], { p2p, exportUsdPerKwh: f64([0.8]) });
    const schedules = [schedule(1, { gridImportKwh: [1], gridExportKwh: [1], p2pSentKwh: [1] }), schedule(1, { p2pReceivedKwh: [0.95], gridImportKwh: [1.05] })];
    expect(ruleOf(input, schedules)).toBe('netting');
    expect(findScheduleViolation(input, schedules, { netting: false })).toBeNull();
  });

  it('flags a schedule of the wrong shape', () => {
    const input = community([0.3, 0.3], [home([1, 1], undefined, { battery: battery() })]);
    expect(ruleOf(input, [])).toBe('shape');
    expect(ruleOf(input, [schedule(1, { gridImportKwh: [1] })])).toBe('shape');
    expect(ruleOf(input, [schedule(2, { gridImportKwh: [1, 1] })])).toBe('shape'); // a battery home needs its SoC
  });
});

describe('findInputProblem', () => {
  it('names the household and field of a bad storage mode, wear cost, own rate or credit', () => {
    const withBattery = (over: object) => community([0.3], [home([1]), home([1], undefined, { battery: { ...battery(), ...over } })]);
    expect(findInputProblem(withBattery({ storageMode: 'auto' }))?.reason).toBe('household 1 battery storageMode = auto must be one of solar-only, no-export');
    expect(findInputProblem(withBattery({ wearUsdPerKwh: -0.1 }))?.reason).toContain('household 1 battery wearUsdPerKwh = -0.1');
    const shortRates = community([0.3, 0.3], [home([1, 1], undefined, { importUsdPerKwh: f64([0.3]) })]);
    expect(findInputProblem(shortRates)).toEqual({ status: 'error', reason: 'household 0 importUsdPerKwh has 1 values, expected 2' });
    const nanRate = community([0.3], [home([1], undefined, { importUsdPerKwh: f64([Number.NaN]) })]);
    expect(findInputProblem(nanRate)?.reason).toContain('household 0 importUsdPerKwh[0] = NaN');
    expect(findInputProblem(community([0.3], [home([1], undefined, { baselineCreditUsdPerKwh: -0.08 })]))?.reason).toContain('household 0 baselineCreditUsdPerKwh');
    expect(findInputProblem(community([0.3], [home([1]), home([1], undefined, { battery: battery() })]))).toBeNull();
  });
});
