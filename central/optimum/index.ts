export { createOptimumSolver, findNettingViolation, DEFAULT_MAX_VARIABLES } from './solver.ts';
export { findInputProblem, type InputProblem } from './validate.ts';
export type {
  OptimumBattery,
  OptimumHousehold,
  OptimumHouseholdResult,
  OptimumInput,
  OptimumP2p,
  OptimumResult,
  OptimumSchedule,
  OptimumSolveOptions,
  OptimumSolver,
  OptimumStatus,
} from './types.ts';
