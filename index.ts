/**
 * `wattswap`: the simulator as a library. `resolveConfig` turns a raw config (a sim.config.json, a
 * scenario name, overlays) into a validated, frozen `SimConfig`; `simulate` streams one run's ticks;
 * `runWithComparisons` adds the comparison runs and the summary; `writeRunOutputs` writes the run
 * folder the CLI writes. The schemas and types of every file are also in `wattswap/contract`.
 */
export {
  simulate,
  runWithComparisons,
  resolveConfig,
  parseSimConfig,
  sourced,
  outputDirOf,
  SCENARIOS,
  findScenario,
  ConfigError,
  type RunEvent,
  type SimEvent,
  type TickFrame,
  type RunMeta,
  type ConfigOverlay,
  type ResolveOptions,
  type Scenario,
} from './sim/index.ts';
export { writeRunOutputs, type WrittenRun } from './outputs/index.ts';
export { InputError } from './data-gen/index.ts';
export * from './contract.ts';
