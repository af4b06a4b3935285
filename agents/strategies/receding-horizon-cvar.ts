/**
 * The receding-horizon-cvar strategy: the receding-horizon planner minimising a mix of expected cost
 * and CVaR over three futures of the home — its forecast, a high- and a low-net-load one, as wide as
 * the learned P10–P90 band where it reaches (so it asks for the band) and ± a share of the forecast
 * beyond.
 */
import { z } from 'zod';
import { MAX_PLAN_STEPS } from '../horizon-input.ts';
import { createHorizonPlanner, type HorizonPlanInput, type HorizonRisk, type HorizonScenario } from '../receding-horizon.ts';
import type { StrategyDefinition, TickView } from '../strategy.ts';
import { recedingHorizonStrategy, type PlanFutures } from './receding-horizon.ts';

export const CvarOptionsSchema = z.object({
  cvar: z
    .strictObject({
      weight: z.number().min(0).max(1).default(0.5).describe('0 = expected cost only, 1 = CVaR only'),
      alpha: z.number().min(0.5).lt(1).default(0.8).describe('CVaR level: the mean cost of the worst (1 − alpha) share of futures'),
      tailProbability: z.number().gt(0).max(0.45).default(0.2).describe('probability of the high- and of the low-net-load future each'),
      bandShare: z
        .number()
        .min(0)
        .max(2)
        .default(0.25)
        .describe('width of the high/low futures as a share of the forecast where no learned P10–P90 band is available'),
    })
    .prefault({})
    .describe('receding-horizon-cvar only'),
});

export type CvarOptions = z.output<typeof CvarOptionsSchema>['cvar'];

export const RECEDING_HORIZON_CVAR: StrategyDefinition<z.output<typeof CvarOptionsSchema>> = {
  description: 'the same planner minimising a mix of expected cost and CVaR over three futures of the home (see cvar)',
  optionsSchema: CvarOptionsSchema,
  usesForecastBand: () => true,
  create: async (ctx, options) => recedingHorizonStrategy(ctx, await createHorizonPlanner(), cvarFutures(ctx.horizon, options.cvar)),
};

/** The three futures, drawn afresh for each home and interval. */
function cvarFutures(H: number, cvar: CvarOptions): PlanFutures {
  const future = (probability: number): HorizonScenario => ({ loadKwh: new Float64Array(MAX_PLAN_STEPS), pvKwh: new Float64Array(MAX_PLAN_STEPS), probability });
  const risk: HorizonRisk = { scenarios: [future(1 - 2 * cvar.tailProbability), future(cvar.tailProbability), future(cvar.tailProbability)], alpha: cvar.alpha, weight: cvar.weight };
  return { risk, fill: (plan, tick, h) => fillFutures(risk, plan, tick, h, H, cvar.bandShare) };
}

/**
 * The CVaR planner's three futures of home h: its forecast, a high-net-load one (more load, less PV)
 * and a low one. Now is known; later the band widens: the learned P10–P90 where it reaches, else
 * ± bandShare of the forecast.
 */
function fillFutures(risk: HorizonRisk, plan: HorizonPlanInput, tick: TickView, h: number, H: number, bandShare: number): void {
  const [expected, high, low] = risk.scenarios;
  const q = tick.band;
  for (let k = 0; k < plan.steps; k++) {
    const l = plan.loadKwh[k];
    const v = plan.pvKwh[k];
    expected.loadKwh[k] = l;
    expected.pvKwh[k] = v;
    const j = k - 1;
    const b = k > 0 && j < H ? q : null;
    const upL = k === 0 ? 0 : b ? Math.max(0, b.loadP90[h * H + j] - b.loadP50[h * H + j]) : bandShare * l;
    const dnL = k === 0 ? 0 : b ? Math.max(0, b.loadP50[h * H + j] - b.loadP10[h * H + j]) : bandShare * l;
    const upV = k === 0 ? 0 : b ? Math.max(0, b.pvP90[h * H + j] - b.pvP50[h * H + j]) : bandShare * v;
    const dnV = k === 0 ? 0 : b ? Math.max(0, b.pvP50[h * H + j] - b.pvP10[h * H + j]) : bandShare * v;
    high.loadKwh[k] = l + upL;
    high.pvKwh[k] = Math.max(0, v - dnV);
    low.loadKwh[k] = Math.max(0, l - dnL);
    low.pvKwh[k] = v + upV;
  }
}
