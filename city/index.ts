/**
 * Cities: N communities, each its own market, feeder and seed stream, run as sweep runs (locally in
 * worker threads or on BullMQ workers) and aggregated into city.json with per-community folders.
 * `wattswap city` (cli/commands/city.ts) drives it from the command line.
 */
import { z } from 'zod';
import { CityDocumentSchema, CommunityFlowSchema } from './contract.ts';

export * from './contract.ts';
export { planCity, seedOfCommunity, communityName, MAX_COMMUNITIES, type CityInput, type CityPlan, type CityTask } from './plan.ts';
export { cityDocument, cityRowOf, sumSeries } from './aggregate.ts';
export { runCity, pendingCommunities, type CityOutcome, type CityRunOptions } from './run.ts';
export { writeCommunityFolder, writeCityJson, communityDir, flowOf } from './store.ts';

/** JSON Schemas of city.json and a community's flow.json, generated from the zod schemas (for `wattswap schema`). */
export function cityJsonSchemas(): Record<string, unknown> {
  return {
    'city.schema.json': z.toJSONSchema(CityDocumentSchema),
    'city-flow.schema.json': z.toJSONSchema(CommunityFlowSchema),
  };
}
