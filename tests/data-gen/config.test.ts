import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PopulationConfigSchema, WeatherConfigSchema } from '../../data-gen/index.ts';

describe('PopulationConfigSchema', () => {
  it('fills every default from the reference figures', () => {
    expect(PopulationConfigSchema.parse({})).toEqual({
      source: { kind: 'synthetic' },
      count: 10,
      pvShare: 0.6,
      evShare: 0.3,
      acShare: 0.75,
      electricWaterHeaterShare: 0.3,
      medianPvKw: 7.1,
      exportMix: { nem2: 0.8, nbt23: 0.04, nbt24: 0.06, nbt25: 0.06, nbt26: 0.04 },
      careShare: 0.25,
      feraShare: 0.01,
      territory: 'S',
    });
  });

  it('rejects unknown keys and out-of-range values, naming the field', () => {
    const unknown = PopulationConfigSchema.safeParse({ count: 5, batteries: 3 });
    expect(unknown.success).toBe(false);
    expect(z.prettifyError(unknown.error!)).toContain('batteries');
    const bad = PopulationConfigSchema.safeParse({ count: 0, pvShare: 1.2, territory: 'Q' });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['count', 'pvShare', 'territory']));
    expect(PopulationConfigSchema.safeParse({ count: 2.5 }).success).toBe(false);
    expect(PopulationConfigSchema.safeParse({ count: 100_001 }).success).toBe(false);
    const low = PopulationConfigSchema.safeParse({ careShare: 0.8, feraShare: 0.3 });
    expect(low.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['feraShare', 'careShare + feraShare must not exceed 1 (a home is on CARE, FERA or neither)']]);
  });

  it('describes every field (the JSON Schema for users is generated from it)', () => {
    const json = z.toJSONSchema(PopulationConfigSchema, { io: 'input' }) as { properties: Record<string, { description?: string }> };
    for (const [name, prop] of Object.entries(json.properties)) expect(prop.description, name).toBeTruthy();
  });
});

describe('WeatherConfigSchema', () => {
  it('defaults to Davis (PG&E-served, territory S; downtown Sacramento is SMUD) with no scenario adjustment', () => {
    expect(WeatherConfigSchema.parse({})).toEqual({
      latitudeDeg: 38.545,
      longitudeDeg: -121.74,
      temperatureOffsetC: 0,
      cloudinessScale: 1,
      heatWave: null,
      flexAlert: null,
    });
  });

  it('accepts the keys of sim.config.json and a heat wave with defaults', () => {
    const w = WeatherConfigSchema.parse({ latitudeDeg: 38.58, longitudeDeg: -121.49, temperatureOffsetC: 2, cloudinessScale: 0.5, heatWave: { start: '2022-08-31' } });
    expect(w.heatWave).toEqual({ start: '2022-08-31', days: 10, peakAnomalyC: 10 });
  });

  it('rejects unknown keys, including inside the heat wave, and impossible dates', () => {
    expect(WeatherConfigSchema.safeParse({ humidity: 0.3 }).success).toBe(false);
    expect(WeatherConfigSchema.safeParse({ heatWave: { start: '2022-08-31', peak: 3 } }).success).toBe(false);
    const r = WeatherConfigSchema.safeParse({ heatWave: { start: '2022-02-30' } });
    expect(r.success).toBe(false);
    expect(z.prettifyError(r.error!)).toContain('not a real calendar date');
    expect(WeatherConfigSchema.safeParse({ cloudinessScale: -1 }).success).toBe(false);
  });
});
