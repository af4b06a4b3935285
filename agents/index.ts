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
export { coordinatedLp, decisionOfPlan, planWithoutBattery, solveCoordinatedPlan, createCoordinatedPlan, type CoordinatedPlan, type CoordinatedPlanInput } from './coordinated.ts';
export { createStrategy, STRATEGY_NAMES, type StrategyName, type StrategyOptions, type CvarOptions } from './strategies.ts';
export type { QuantileForecast } from './transformer/index.ts';
