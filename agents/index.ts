export {
  type Forecaster,
  type FutureActuals,
  SeasonalNaiveForecaster,
  SeasonalMeanForecaster,
  PerfectForecaster,
  RecordingForecaster,
  ReplayForecaster,
} from './forecaster.ts';
export { dayRateStructure, type DayRateStructure } from './day-plan.ts';
export {
  decideRuleBased,
  createDecision,
  resetDecision,
  type Action,
  type HouseholdDecision,
  type HouseholdTickInput,
} from './rule-based.ts';
export { createHorizonPlanner, horizonLp, type HorizonPlanInput, type HorizonPlanner, type HorizonRisk, type HorizonScenario } from './receding-horizon.ts';
export type { Strategy, StrategyContext, DayView, PlanDay, TickView, HomeView, PriceResponsivePlanner } from './strategy.ts';
export { decisionOfPlan, planWithoutBattery } from './coordinated.ts';
export { createCoordinatedPlan, createPlanWorkspace, solveStoragePlan, type CoordinatedPlan, type CoordinatedPlanInput, type PlanWorkspace } from './coordinated-plan.ts';
export { coordinatedLp, solveCoordinatedPlan } from './coordinated-lp.ts';
export { createStrategy, STRATEGY_NAMES, type StrategyName, type StrategyOptions, type CvarOptions } from './strategies.ts';
export type { QuantileForecast } from './transformer/index.ts';
export { ConformalCalibrator, CONFORMAL_DEFAULTS } from './transformer/index.ts';
