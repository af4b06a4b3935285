import { describe, expect, it } from 'vitest';
import { checkContract } from './contract-check.ts';
import { collectRun, smallConfig } from './helpers.ts';
import { FORECASTER_NAMES, FORECASTERS, isLearnedForecaster } from '../../sim/forecasting.ts';
import { SimConfigSchema } from '../../sim/index.ts';

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

describe('the forecaster registry (sim/forecasting.ts)', () => {
  it('is where the config’s choice of forecasters comes from', () => {
    const forecaster = SimConfigSchema.shape.agents.unwrap().shape.forecaster;
    expect(forecaster.unwrap().options).toEqual(Object.keys(FORECASTERS));
    expect(FORECASTER_NAMES.filter(isLearnedForecaster)).toEqual(['transformer', 'gated']);
  });
});
