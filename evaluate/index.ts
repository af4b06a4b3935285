/**
 * Forecast evaluation: seasonal naive, local,
 * FedAvg-global and centralised transformers, cold-start homes and the gate, scored on held-out
 * days; `wattswap evaluate-forecasts` (cli/commands/evaluate.ts) prints the tables and writes the JSON report.
 */
import { z } from 'zod';
import { EvaluationReportSchema } from './contract.ts';

export * from './contract.ts';
export { evaluateForecasts, EvaluationOptionsError, type EvaluateOptions } from './evaluate.ts';
export { MetricSums, QUANTILE_LEVELS, crpsFromQuantiles, insideP10P90, meanPinball, metricsOf, pinball } from './metrics.ts';
export {
  SHORT_STEPS,
  dayLengthAt,
  finishSums,
  horizonSums,
  originForecast,
  pointForecast,
  scoreOrigin,
  seasonalNaiveMetrics,
  seasonalMeanMetrics,
  type EvaluationSeries,
  type HorizonMetrics,
  type HorizonSums,
  type OriginForecast,
} from './rolling.ts';
export { formatEvaluation } from './format.ts';
export { findRow, verdictsOf } from './verdicts.ts';

/** JSON Schema of the report, generated from the zod schema (for `wattswap schema`). */
export function evaluationJsonSchemas(): Record<string, unknown> {
  return { 'evaluation.schema.json': z.toJSONSchema(EvaluationReportSchema) };
}
