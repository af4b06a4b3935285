export {
  type Forecaster,
  type FutureActuals,
  SeasonalNaiveForecaster,
  SeasonalMeanForecaster,
  PerfectForecaster,
  RecordingForecaster,
  ReplayForecaster,
} from './forecaster.ts';
export { dayRateStructure } from './day-plan.ts';
export { createDecision, resetDecision, type Action, type HouseholdDecision } from './decision.ts';
export type { QuantileForecast } from './quantile-forecast.ts';
export { decideRuleBased, type HouseholdTickInput } from './rule-based.ts';
export { createHorizonPlanner, horizonLp, type HorizonPlanInput, type HorizonPlanner, type HorizonRisk, type HorizonScenario } from './receding-horizon.ts';
export type {
  Strategy,
  StrategyContext,
  StrategyDefinition,
  StrategyRegistry,
  DayRateStructure,
  DayView,
  PlanDay,
  TickView,
  HomeView,
  PriceResponsivePlanner,
} from './strategy.ts';
export { decisionOfPlan, planWithoutBattery } from './coordinated.ts';
export { createCoordinatedPlan, createPlanWorkspace, solveStoragePlan, type CoordinatedPlan, type CoordinatedPlanInput, type PlanWorkspace } from './coordinated-plan.ts';
export { coordinatedLp, solveCoordinatedPlan } from './coordinated-lp.ts';
export {
  STRATEGIES,
  DEFAULT_STRATEGY,
  chooseStrategy,
  strategyOptionFields,
  withStrategies,
  CvarOptionsSchema,
  RuleBasedOptionsSchema,
  type ChosenStrategy,
  type CvarOptions,
  type StrategyName,
} from './strategies.ts';
export { ConformalCalibrator, CONFORMAL_DEFAULTS } from './transformer/index.ts';
