export { createOptimumSolver, DEFAULT_MAX_VARIABLES } from './solver.ts';
export {
  findInputProblem,
  findNettingViolation,
  findScheduleViolation,
  type InputProblem,
  type ScheduleCheckOptions,
  type ScheduleRule,
  type ScheduleViolation,
} from './validate.ts';
export type {
  OptimumBattery,
  OptimumHousehold,
  OptimumHouseholdResult,
  OptimumInput,
  OptimumOutage,
  OptimumP2p,
  OptimumResult,
  OptimumSchedule,
  OptimumSolveOptions,
  OptimumSolver,
  OptimumStatus,
} from './types.ts';
