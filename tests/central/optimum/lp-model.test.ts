import { describe, expect, it } from 'vitest';
import { buildLpModel, measureModel } from '../../../central/optimum/lp-model.ts';
import type { OptimumInput } from '../../../central/optimum/index.ts';
import { loadHighs } from '../../../lp/index.ts';

describe('LP model size', () => {
  it('counts exactly the columns and rows HiGHS reads', async () => {
    const intervals = 6;
    const series = (f: (t: number) => number): Float64Array => Float64Array.from({ length: intervals }, (_, t) => f(t));
    const battery = { capacityKwh: 10, minSocKwh: 1, maxSocKwh: 9, maxPowerKw: 4, chargeEfficiency: 0.95, dischargeEfficiency: 0.95, initialSocKwh: 5, wearUsdPerKwh: 0.1 };
    const eTouC = series((t) => (t < 3 ? 0.3 : 0.5));
    const input: OptimumInput = {
      intervalHours: 0.5,
      exportUsdPerKwh: series((t) => (t === 4 ? 0.8 : 0.05)),
      dayOfInterval: Int32Array.from([0, 0, 0, 1, 1, 1]),
      households: [
        { loadKwh: series(() => 1), pvKwh: series((t) => t), importUsdPerKwh: eTouC, baselineAllowanceKwh: 3, baselineCreditUsdPerKwh: 0.0814, battery: { ...battery, storageMode: 'solar-only' } },
        { loadKwh: series(() => 0.5), pvKwh: series((t) => 2 * t), importUsdPerKwh: eTouC, baselineAllowanceKwh: 0, baselineCreditUsdPerKwh: 0.0814, battery: null },
        // its own (made-up) flat plan below the export value: binaries wherever it has PV to export
        { loadKwh: series(() => 0.5), pvKwh: series((t) => t % 2), importUsdPerKwh: series(() => 0.04), baselineAllowanceKwh: 0, baselineCreditUsdPerKwh: 0, battery: { ...battery, storageMode: 'no-export' } },
      ],
      p2p: { maxDailySellKwh: 4, transmissionLoss: 0.05 },
      terminalSocAtLeastInitial: true,
    };
    const highs = await loadHighs();
    for (const enforceNetting of [true, false]) {
      const size = measureModel(input, enforceNetting);
      const solution = highs.solve(buildLpModel(input, enforceNetting), { output_flag: false });
      expect(solution.Status).toBe('Optimal');
      expect(Object.keys(solution.Columns).length, 'variables').toBe(size.variables);
      expect(solution.Rows.length, 'constraints').toBe(size.constraints);
      expect(Object.values(solution.Columns).filter((c) => 'Type' in c && c.Type === 'Integer').length, 'binaries').toBe(size.binaryVariables);
    }
    // home 0: every interval (its import earns a credit, so sending its energy to home 1 while importing could pay);
    // home 1: interval 4 (export above import); home 2 (cheap plan): wherever it has PV to send, intervals 1, 3, 5
    expect(measureModel(input, true).binaryVariables).toBe(10);
  });
});
