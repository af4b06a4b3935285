/**
 * The city outputs' contract as zod schemas: `city.json` (the city's totals and one row per
 * community) and each community's `flow.json`. snake_case keys; money in USD, power in kW (average
 * over an interval), percentages 0–100.
 */
import { z } from 'zod';

export const CITY_SCHEMA_VERSION = 1;

const usd = z.number().describe('USD');
const kw = z.number().describe('kW');
const pct = z.number().describe('percent');

export const CitySpecSchema = z.object({
  scenario: z.string(),
  seed: z.number().int().describe('the city’s seed; community i runs with seed_of_community(seed, i)'),
  communities: z.number().int(),
  households_per_community: z.number().int(),
  days: z.number().int(),
  params: z.array(z.string()).describe('the --param values, as given'),
  config_file: z.string().nullable(),
  hash: z.string().describe('hash of every community’s key and resolved config'),
});
export type CitySpec = z.infer<typeof CitySpecSchema>;

export const CityRowSchema = z.object({
  community: z.string().describe('c001, c002, …: its folder under communities/'),
  key: z.string().describe('its run key (runs/<key>.json, the queue’s job id)'),
  seed: z.number().int(),
  households: z.number().int(),
  baseline_cost_usd: usd,
  optimized_cost_usd: usd,
  savings_usd: usd.describe('the summary’s savings (stored-energy and wear adjusted)'),
  savings_percent: pct.nullable(),
  trades: z.number().int(),
  p2p_delivered_kwh: z.number(),
  peak_net_import_kw: kw.describe('largest community net import in one interval'),
  baseline_peak_net_import_kw: kw,
  feeder_limit_kw: kw.nullable(),
  feeder_overload_intervals: z.number().int(),
  baseline_feeder_overload_intervals: z.number().int(),
  feeder_peak_loading_percent: pct.nullable(),
});
export type CityRow = z.infer<typeof CityRowSchema>;

export const CityDocumentSchema = z.object({
  schema_version: z.literal(CITY_SCHEMA_VERSION),
  spec: CitySpecSchema,
  communities: z.number().int(),
  households: z.number().int(),
  intervals: z.number().int(),
  baseline_cost_usd: usd.describe('Σ over communities: the homes without battery and P2P'),
  optimized_cost_usd: usd,
  savings_usd: usd.describe('Σ of the communities’ savings'),
  savings_percent: pct.nullable().describe('100 × savings_usd / baseline_cost_usd; null when that is not positive'),
  peak_net_import_kw: kw.describe('largest city net import in one interval, from the summed per-interval series of the communities (not Σ of their peaks)'),
  baseline_peak_net_import_kw: kw.describe('the same for the homes without batteries and P2P'),
  peak_reduction_percent: pct.nullable(),
  peak_reverse_flow_kw: kw.describe('largest city net export in one interval (0 when the city never exported)'),
  baseline_peak_reverse_flow_kw: kw,
  feeder_overload_intervals: z.number().int().describe('Σ over communities of intervals their feeder was overloaded'),
  baseline_feeder_overload_intervals: z.number().int(),
  communities_overloaded: z.number().int().describe('communities with at least one overloaded interval'),
  baseline_communities_overloaded: z.number().int(),
  rows: z.array(CityRowSchema).describe('one per community, in order'),
});
export type CityDocument = z.infer<typeof CityDocumentSchema>;

export const CommunityFlowSchema = z.object({
  schema_version: z.literal(CITY_SCHEMA_VERSION),
  start: z.string().describe('start of the first trading interval'),
  interval_minutes: z.number().int(),
  community_net_import_kw: z.array(z.number()).describe('per interval: (Σ grid import − Σ grid export) / interval hours; negative = reverse flow'),
  baseline_community_net_import_kw: z.array(z.number()).describe('the same for the homes without batteries and P2P'),
});
export type CommunityFlow = z.infer<typeof CommunityFlowSchema>;
