/**
 * lp: the one adapter to HiGHS, the LP/MILP solver (WASM) behind the household planner (agents) and
 * the community optimum (central). Depends on nothing else of wattswap. Kept apart from `common/`
 * so that the folders needing only a constant do not load the solver's runtime glue.
 */
export {
  HIGHS_SOLVE_OPTIONS,
  formatLpNumber,
  loadHighs,
  lpTerm,
  primalValues,
  type Highs,
  type HighsSolution,
  type HighsSolveOptions,
} from './highs.ts';
