export { parseSimConfig, mergeConfig, outputDirOf, ConfigError, SimConfigSchema, type SimConfig, type SimConfigInput } from './config.ts';
export { resolveConfig, sourced, Sourced, unknownConfigPath, type ConfigOverlay, type ResolveOptions } from './resolve-config.ts';
export { simulate, type SimEvent, type TickFrame, type RunMeta, type RunTotals } from './engine/index.ts';
export { runWithComparisons, type RunEvent } from './run.ts';
export { buildSummary } from './summary.ts';
export * from './contract.ts';
export { createRngFactory } from './rng.ts';
export { SCENARIOS, findScenario, type Scenario } from './scenarios.ts';
export { loadMeasuredHomes, MIN_HISTORY_DAYS, type MeasuredHomes } from './households.ts';
