import { describe, expect, it } from 'vitest';
import { parseParamsWith, parseParamWith, SINGLE_VALUE_PARAMS } from '../../sim/params.ts';
import { SWEEP_PARAMS } from '../../sweep/index.ts';

const reasonOf = (r: { ok: true } | { ok: false; reason: string }) => (r.ok ? 'accepted' : r.reason);

describe('--param with one value per path (run, validate)', () => {
  it('reads one value, JSON when it parses, else the string; a JSON list is one value', () => {
    expect(parseParamWith('agents.forecaster=gated', SINGLE_VALUE_PARAMS)).toEqual({ ok: true, value: { path: 'agents.forecaster', values: ['gated'] } });
    expect(parseParamWith('battery.capacityKwh=13.5', SINGLE_VALUE_PARAMS)).toEqual({ ok: true, value: { path: 'battery.capacityKwh', values: [13.5] } });
    expect(parseParamWith('x.list=[1,2]', SINGLE_VALUE_PARAMS)).toEqual({ ok: true, value: { path: 'x.list', values: [[1, 2]] } });
    expect(parseParamWith('seed=3', SINGLE_VALUE_PARAMS).ok).toBe(true);
  });

  it('refuses a list, a missing value and $schema, in the words of the sweep parser', () => {
    expect(reasonOf(parseParamWith('battery.capacityKwh=5,10', SINGLE_VALUE_PARAMS))).toBe(
      '--param "battery.capacityKwh=5,10": one value per path (several values make a sweep: wattswap sweep --param)',
    );
    expect(reasonOf(parseParamWith('battery.capacityKwh', SINGLE_VALUE_PARAMS))).toBe('--param "battery.capacityKwh": expected path=value');
    expect(reasonOf(parseParamWith('battery.capacityKwh=', SINGLE_VALUE_PARAMS))).toBe('--param "battery.capacityKwh=": empty value');
    expect(reasonOf(parseParamWith('$schema=x', SINGLE_VALUE_PARAMS))).toBe('--param "$schema=x": $schema cannot be set as a parameter (not a simulation setting)');
    expect(reasonOf(parseParamWith('battery..x=1', SINGLE_VALUE_PARAMS))).toBe(reasonOf(parseParamWith('battery..x=1', SWEEP_PARAMS)));
  });

  it('reports each problem with the config path it is about', () => {
    expect(parseParamsWith(['a.b=1', 'a=2', 'c'], SINGLE_VALUE_PARAMS).issues).toEqual([
      { path: 'a', message: '--param a: overlaps --param a.b; give each config path once' },
      { path: 'c', message: '--param "c": expected path=value' },
    ]);
  });
});
