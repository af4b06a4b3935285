import { z } from 'zod';

/**
 * Proposed `households.source` of sim.config.json: synthetic homes from data-gen (the default), or
 * measured homes imported from meter files. Paths are relative to the working directory.
 */
export const MeterSourceSchema = z.strictObject({
  kind: z.literal('meter'),
  meter: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .describe('meter file(s): long CSV (timestamp,household_id,load_kwh[,pv_kwh]) and/or Green Button XML, one home per XML file'),
  weather: z.string().min(1).optional().describe('weather CSV (timestamp,temperature_c[,…]); without it the synthetic climate is used and the run says so'),
  homes: z.string().min(1).optional().describe('household metadata, CSV or JSON: household_id, pv_kw, battery_kwh, tariff, storage_mode'),
  dropHomesWithLongGaps: z.boolean().default(false).describe('drop homes with a gap over 2 h in the simulated window instead of failing (such gaps in the history before time.start are filled and reported)'),
});
export const SyntheticSourceSchema = z.strictObject({ kind: z.literal('synthetic') });
export const HouseholdsSourceSchema = z
  .discriminatedUnion('kind', [SyntheticSourceSchema, MeterSourceSchema])
  .default({ kind: 'synthetic' })
  .describe('where the homes come from: data-gen (synthetic) or measured meter data (INPUTS.md)');
export type HouseholdsSource = z.infer<typeof HouseholdsSourceSchema>;
export type MeterSource = z.infer<typeof MeterSourceSchema>;
