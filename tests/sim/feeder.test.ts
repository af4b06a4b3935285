import { describe, expect, it } from 'vitest';
import { ConfigError, countFeederOverloads, DEFAULT_FEEDER_LIMIT_KW, feederLoadingPercent, isFeederOverload, parseSimConfig } from '../../sim/index.ts';
import { collectRun, smallConfig } from './helpers.ts';

describe('feeder overloads on a net-flow series', () => {
  const series = [10, -60, 71.25, 71.26, -72, 0, -71.25];
  it('counts the intervals whose import or reverse flow exceeds the limit, not those at it', () => {
    expect(countFeederOverloads(series, 71.25)).toBe(2);
    expect(series.map((kw) => isFeederOverload(kw, 71.25))).toEqual([false, false, false, true, true, false, false]);
    expect(countFeederOverloads(series, 50)).toBe(5);
  });
  it('counts nothing without a limit', () => {
    expect(countFeederOverloads(series, null)).toBe(0);
    expect(feederLoadingPercent(72, null)).toBeNull();
  });
  it('reports the largest flow as a share of the limit', () => {
    expect(feederLoadingPercent(72, 48)).toBeCloseTo(150, 12);
  });
  it('defaults to a 75 kVA transformer at power factor 0.95', () => {
    expect(DEFAULT_FEEDER_LIMIT_KW).toBeCloseTo(71.25, 12);
    expect(smallConfig().grid.feederLimitKw).toBeCloseTo(71.25, 12);
  });
});

describe('grid.feederLimitKw', () => {
  it.each([0, -5])('refuses %s kW, naming the field', (kw) => {
    let error: unknown;
    try {
      parseSimConfig({ grid: { feederLimitKw: kw } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['grid.feederLimitKw']);
  });
  it('accepts null: unlimited', () => {
    expect(parseSimConfig({ grid: { feederLimitKw: null } }).grid.feederLimitKw).toBeNull();
  });
});

describe('a run on a feeder set low', () => {
  it('reports overloads, with totals that agree with the timeline’s net flow', async () => {
    const limitKw = 3;
    const run = await collectRun(smallConfig({ grid: { feederLimitKw: limitKw } }));
    const c = run.summary.community;
    const flows = run.intervals.map((iv) => iv.community_net_import_kw);
    for (const iv of run.intervals) {
      const net = iv.households.reduce((s, h) => s + h.grid_import_kwh - h.grid_export_kwh, 0) / 0.5;
      expect(iv.community_net_import_kw, `interval ${iv.index}: net flow ≠ Σ import − Σ export`).toBeCloseTo(net, 9);
    }
    expect(c.feeder_limit_kw).toBe(limitKw);
    expect(c.feeder_overload_intervals).toBeGreaterThan(0);
    expect(c.baseline_feeder_overload_intervals).toBeGreaterThan(0);
    expect(c.feeder_overload_intervals).toBe(countFeederOverloads(flows, limitKw));
    expect(c.feeder_peak_loading_percent).toBeCloseTo((100 * Math.max(...flows.map(Math.abs))) / limitKw, 9);
  });

  it('counts the same overloads as its baseline when the homes have no battery and no market', async () => {
    const run = await collectRun(smallConfig({ grid: { feederLimitKw: 3 }, battery: { share: 0 }, market: { enabled: false } }));
    expect(run.summary.community.feeder_overload_intervals).toBe(run.summary.community.baseline_feeder_overload_intervals);
    expect(run.summary.community.feeder_overload_intervals).toBeGreaterThan(0);
  });

  it('reports no overloads and no loading with no limit', async () => {
    const run = await collectRun(smallConfig({ grid: { feederLimitKw: null } }));
    expect(run.summary.community.feeder_limit_kw).toBeNull();
    expect(run.summary.community.feeder_overload_intervals).toBe(0);
    expect(run.summary.community.baseline_feeder_overload_intervals).toBe(0);
    expect(run.summary.community.feeder_peak_loading_percent).toBeNull();
  });
});
