export {
  type Forecaster,
  type FutureActuals,
  SeasonalNaiveForecaster,
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
