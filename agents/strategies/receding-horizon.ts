/**
 * The receding-horizon strategy: every interval each home re-plans its battery over the rest of the
 * day (actuals now, rolling forecast, then day-ahead) with HiGHS, acting on the first step. Given
 * `futures`, it weighs several futures of the home by a mean–CVaR objective (receding-horizon-cvar.ts).
 */
import { createHorizonInput, fillHorizonInput } from '../horizon-input.ts';
import type { HouseholdDecision } from '../decision.ts';
import { createHorizonPlanner, type HorizonPlanInput, type HorizonPlanner, type HorizonRisk } from '../receding-horizon.ts';
import type { DayView, HomeView, Strategy, StrategyContext, StrategyDefinition, TickView } from '../strategy.ts';

export const RECEDING_HORIZON: StrategyDefinition = {
  description: 'a battery re-planned every interval over the rest of the day with HiGHS',
  create: async (ctx) => recedingHorizonStrategy(ctx, await createHorizonPlanner(), null),
};

/** The futures a risk-aware plan weighs, and how home h's are drawn around its plan input each interval. */
export interface PlanFutures {
  risk: HorizonRisk;
  fill(plan: HorizonPlanInput, tick: TickView, h: number): void;
}

export function recedingHorizonStrategy(ctx: StrategyContext, planner: HorizonPlanner, futures: PlanFutures | null): Strategy {
  const plan: HorizonPlanInput = createHorizonInput(ctx);
  let day: DayView | null = null;
  let tick: TickView | null = null;

  return {
    prepareDay(d: DayView) {
      day = d;
    },
    prepareTick(t: TickView) {
      tick = t;
    },
    decide(h: number, home: HomeView, out: HouseholdDecision) {
      const tk = tick!;
      // re-plan the battery over the rest of the day: actuals now, rolling forecast, then day-ahead
      fillHorizonInput(plan, ctx, day!, tk, h, home);
      if (futures) futures.fill(plan, tk, h);
      planner.plan(plan, out, futures ? futures.risk : null);
    },
  };
}
