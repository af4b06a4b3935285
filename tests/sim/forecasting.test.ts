import { describe, expect, it } from 'vitest';
import { checkContract } from './contract-check.ts';
import { collectRun, smallConfig } from './helpers.ts';

describe('the forecast source (sim/forecasting.ts)', () => {
  it('hands the strategies a conformally calibrated band unless federated.calibration is none', async () => {
    const config = (calibration: 'conformal' | 'none') =>
      smallConfig({
        seed: 12,
        households: { count: 3, pvShare: 1 },
        time: { days: 2 },
        agents: { strategy: 'receding-horizon-cvar', forecaster: 'gated', cvar: { weight: 1 } },
        federated: { calibration },
        baselines: { perfectForecast: false },
      });
    const calibrated = await collectRun(config('conformal'));
    const raw = await collectRun(config('none'));
    checkContract(calibrated);
    // the first day's band is raw in both runs (fewer than a day of scores); the second day's differs
    const rows = (r: typeof raw) => r.intervals.map((i) => JSON.stringify(i));
    expect(rows(calibrated).slice(0, 40)).toEqual(rows(raw).slice(0, 40));
    expect(rows(calibrated)).not.toEqual(rows(raw));
  });
});
