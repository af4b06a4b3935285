/**
 * `wattswap/contract`: the zod schemas and TypeScript types of the config and of every output file
 * (summary.json, timeline.json, trades.json, federated.json, sweep.json, city.json, the evaluation
 * report, the meter-import reports). Each type is inferred from its schema, so parsing a file with the schema
 * yields the type: `SummarySchema.parse(JSON.parse(text)): Summary`.
 */
import type { z } from 'zod';
import type { FederatedFileSchema, TimelineHouseholdSchema, TimelineSchema, TradesSchema } from './sim/index.ts';

export {
  SCHEMA_VERSION,
  SimConfigSchema,
  SummarySchema,
  RunInfoSchema,
  OutageSummarySchema,
  ActionSchema,
  TimelineHouseholdSchema,
  TimelineIntervalSchema,
  TimelineSchema,
  TradeSchema,
  TradesSchema,
  FederatedFileSchema,
  type SimConfig,
  type SimConfigInput,
  type Summary,
  type OutageSummary,
  type OutageRun,
  type TimelineInterval,
  type Trade,
} from './sim/index.ts';
export { FederatedRoundRecordSchema, type FederatedRoundRecord } from './federated/index.ts';
export {
  SWEEP_SCHEMA_VERSION,
  SweepDocumentSchema,
  SweepRowSchema,
  SweepAggregateSchema,
  RunFileSchema as SweepRunFileSchema,
  type SweepDocument,
  type SweepRow,
  type SweepAggregate,
  type RunFile as SweepRunFile,
} from './sweep/index.ts';
export {
  CITY_SCHEMA_VERSION,
  CityDocumentSchema,
  CityRowSchema,
  CommunityFlowSchema,
  type CityDocument,
  type CityRow,
  type CommunityFlow,
} from './city/index.ts';
export { EVALUATION_SCHEMA_VERSION, EvaluationReportSchema, type EvaluationReport } from './evaluate/index.ts';
export { HomeMetadataSchema, InputsReportSchema, InspectReportSchema, type HomeMetadata, type InputsReport, type InspectReport } from './data-gen/index.ts';

/** timeline.json: every interval of the run. */
export type Timeline = z.infer<typeof TimelineSchema>;
/** One home in one timeline interval. */
export type TimelineHousehold = z.infer<typeof TimelineHouseholdSchema>;
/** trades.json: every executed trade. */
export type Trades = z.infer<typeof TradesSchema>;
/** federated.json: one record per FedAvg round. */
export type FederatedFile = z.infer<typeof FederatedFileSchema>;
