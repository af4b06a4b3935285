import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, findScenario, mergeConfig, parseSimConfig, resolveConfig, sourced, unknownConfigPath } from '../../sim/index.ts';
import { overlayOf } from '../../sim/params.ts';

const errorOf = (f: () => unknown): ConfigError => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('resolveConfig', () => {
  it('is the raw config, then the scenario, then the overlays in order, validated and frozen', () => {
    const raw = { seed: 3, households: { count: 4 } };
    const config = resolveConfig(raw, { scenario: 'winter', overlays: [{ market: { rule: 'pay-as-bid' } }, 'battery.capacityKwh=10', { seed: 9 }] });
    const winter = findScenario('winter')!;
    expect(config).toEqual(parseSimConfig(mergeConfig(raw, winter.overlay, { scenario: 'winter' }, { market: { rule: 'pay-as-bid' } }, { battery: { capacityKwh: 10 } }, { seed: 9 })));
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.battery)).toBe(true);
    expect(resolveConfig({})).toEqual(parseSimConfig({}));
  });

  it('a path=value parameter is the same overlay as the partial config it names (property)', () => {
    const param = fc.oneof(
      fc.constantFrom('seasonal-naive', 'perfect', 'gated').map((v) => ['agents.forecaster', v] as const),
      fc.integer({ min: 1, max: 50 }).map((v) => ['households.count', v] as const),
      fc.double({ min: 0.5, max: 40, noNaN: true }).map((v) => ['battery.capacityKwh', v] as const),
      fc.boolean().map((v) => ['market.enabled', v] as const),
    );
    fc.assert(
      fc.property(fc.uniqueArray(param, { selector: ([path]) => path, maxLength: 4 }), (params) => {
        const texts = params.map(([path, v]) => `${path}=${JSON.stringify(v)}`);
        const objects = params.map(([path, v]) => overlayOf({ [path]: v }));
        expect(resolveConfig({}, { overlays: texts })).toEqual(resolveConfig({}, { overlays: objects }));
      }),
    );
  });

  it('looks the scenario up in the list given, and refuses an unknown one naming the known ones', () => {
    const custom = [{ name: 'tiny', description: '', sources: [], overlay: { households: { count: 1 } } }];
    expect(resolveConfig({}, { scenario: 'tiny', scenarios: custom }).households.count).toBe(1);
    const e = errorOf(() => resolveConfig({}, { scenario: sourced('--scenario', 'mars'), scenarios: custom }));
    expect(e.message).toBe('✖ unknown scenario "mars"\n  → at scenario (--scenario); known: tiny');
    expect(e.issues).toEqual([{ path: 'scenario', message: 'unknown scenario' }]);
    expect(errorOf(() => resolveConfig({}, { scenario: 'mars' })).message).toMatch(/^✖ unknown scenario "mars"\n {2}→ at scenario; known: baseline-summer, /);
  });

  it('names the source of an invalid field beside it; unsourced overlays add nothing', () => {
    const e = errorOf(() => resolveConfig({}, { overlays: [sourced('--households', { households: { count: 0 } }), 'battery.capacityKwh=-1', { market: { rule: 'auction' } }] }));
    expect(e.message).toContain('→ at households.count (--households)');
    expect(e.message).toContain('→ at battery.capacityKwh (--param)');
    expect(e.message).toMatch(/→ at market.rule$/m);
    expect(e.issues.map((i) => i.path).sort()).toEqual(['battery.capacityKwh', 'households.count', 'market.rule']);
    // the last overlay to set a field is the one named
    const later = errorOf(() => resolveConfig({}, { overlays: ['households.count=3', sourced('--households', { households: { count: 0 } })] }));
    expect(later.message).toContain('→ at households.count (--households)');
  });

  it('refuses unknown parameter paths and malformed parameters with the path, before merging anything', () => {
    const e = errorOf(() => resolveConfig({}, { overlays: ['agents.forcaster=gated', 'market.rule=instant,uniform-price', 'households.count.x=1'] }));
    expect(e.issues).toEqual([
      { path: 'market.rule', message: expect.stringMatching(/one value per path/) },
      { path: 'agents.forcaster', message: expect.stringMatching(/agents has no field "forcaster"/) },
      { path: 'households.count.x', message: expect.stringMatching(/households.count is a single value/) },
    ]);
    expect(e.message.split('\n').every((l) => l.startsWith('✖ --param '))).toBe(true);
  });
});

describe('unknownConfigPath', () => {
  it('accepts every field of the resolved default config, and refuses what is not there', () => {
    const leaves = (v: unknown, prefix: string): string[] =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).flatMap(([k, x]) => [`${prefix}${k}`, ...leaves(x, `${prefix}${k}.`)]) : [];
    const paths = leaves(parseSimConfig({}), '');
    expect(paths.length).toBeGreaterThan(50);
    for (const p of paths) expect(unknownConfigPath(p), p).toBeNull();
    expect(unknownConfigPath('weather.heatWave.peakAnomalyC')).toBeNull();
    expect(unknownConfigPath('colour')).toMatch(/^the config has no field "colour"; its fields: \$schema, seed, scenario, time/);
    expect(unknownConfigPath('agents.forcaster')).toBe('agents has no field "forcaster" (did you mean "forecaster"?); its fields: strategy, cvar, forecaster, horizonIntervals, reserveQuantile');
    expect(unknownConfigPath('battery.degradation.ageYear')).toMatch(/^battery.degradation has no field "ageYear"/);
  });
});
