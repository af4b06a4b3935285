/**
 * The coordinated strategy (transactive energy, dual decomposition): every interval the central
 * agent proposes a P2P price per interval for the rest of the day, each home plans its battery and
 * trades against it with HiGHS's LP solved exactly by the single-store solver (coordinated-plan.ts)
 * and reports its planned net position, and the centre moves the prices toward balance before the
 * market clears (central.coordination). The home-level plan and its decision: agents/coordinated.ts.
 */
import { decisionOfPlan, planWithoutBattery } from '../coordinated.ts';
import { createCoordinatedPlan, createPlanWorkspace, solveStoragePlan, type CoordinatedPlan, type CoordinatedPlanInput } from '../coordinated-plan.ts';
import type { HouseholdDecision } from '../decision.ts';
import { createHorizonInput, fillHorizonInput, MAX_PLAN_STEPS } from '../horizon-input.ts';
import type { DayView, HomeView, Strategy, StrategyContext, StrategyDefinition, TickView } from '../strategy.ts';

export const COORDINATED: StrategyDefinition = {
  description:
    'every interval the central agent proposes a P2P price per interval for the rest of the day, each home plans its battery and trades against it with HiGHS and reports its planned net position, and the centre moves the prices toward balance before the market clears (see central.coordination)',
  create: (ctx) => coordinatedStrategy(ctx),
};

/**
 * The coordinated strategy. `priceResponse.respond` plans every home against the centre's proposal;
 * `decide` acts on the mean of home h's answers in this interval (primal averaging: each LP answer
 * sits on a vertex and may jump across the balance from one proposal to the next — identical
 * homes all at once — while their mean approaches the community's balanced plan); when trading is
 * off and the centre proposes nothing, each home plans against the engine's signal itself.
 */
function coordinatedStrategy(ctx: StrategyContext): Strategy {
  const n = ctx.households;
  const keep = 1 - ctx.transmissionLoss;
  const input: CoordinatedPlanInput = { ...createHorizonInput(ctx), p2pUsdPerKwh: new Float64Array(MAX_PLAN_STEPS) };
  const scratch = createCoordinatedPlan();
  const workspace = createPlanWorkspace(MAX_PLAN_STEPS);
  // Σ over this interval's answers of each home's first step (primal averaging: the mean of the
  // answers balances where single LP answers jump across the balance), how many, and the final proposal
  const first = { sold: new Float64Array(n), bought: new Float64Array(n), charge: new Float64Array(n), discharge: new Float64Array(n) };
  let answers = 0;
  // respond runs before the interval's prepareTick: answers given then are this interval's
  let answered = false;
  let fresh = false;
  let answeredPrice = 0;
  const flatPrices = new Float64Array(MAX_PLAN_STEPS);
  let day: DayView | null = null;
  let tick: TickView | null = null;

  const planHome = (h: number, home: HomeView, prices: ArrayLike<number>): CoordinatedPlan => {
    fillHorizonInput(input, ctx, day!, tick!, h, home);
    for (let k = 0; k < input.steps; k++) input.p2pUsdPerKwh[k] = prices[k];
    if (home.hasBattery) solveStoragePlan(input, workspace, scratch);
    else planWithoutBattery(input, scratch);
    return scratch;
  };

  return {
    prepareDay(d: DayView) {
      day = d;
    },
    prepareTick(t: TickView) {
      tick = t;
      fresh = answered;
      answered = false;
      if (!fresh) flatPrices.fill(t.priceSignalUsdPerKwh);
    },
    priceResponse: {
      respond(t: TickView, homeAt: (h: number) => HomeView, prices: Float64Array, excessKwh: Float64Array, plannedNetKwh: Float64Array) {
        tick = t;
        if (!answered) {
          answers = 0;
          first.sold.fill(0);
          first.bought.fill(0);
          first.charge.fill(0);
          first.discharge.fill(0);
        }
        answers++;
        excessKwh.fill(0);
        for (let h = 0; h < n; h++) {
          const plan = planHome(h, homeAt(h), prices);
          for (let k = 0; k < prices.length; k++) excessKwh[k] += plan.boughtKwh[k] - plan.soldKwh[k];
          first.sold[h] += plan.soldKwh[0];
          first.bought[h] += plan.boughtKwh[0];
          first.charge[h] += plan.chargeKwh[0];
          first.discharge[h] += plan.dischargeKwh[0];
          // what the home will act on: the mean of its answers so far
          plannedNetKwh[h] = (first.sold[h] - keep * first.bought[h]) / answers;
        }
        answered = true;
        answeredPrice = prices[0];
      },
    },
    decide(h: number, home: HomeView, out: HouseholdDecision) {
      const tk = tick!;
      if (fresh) {
        scratch.soldKwh[0] = first.sold[h] / answers;
        scratch.boughtKwh[0] = first.bought[h] / answers;
        scratch.chargeKwh[0] = first.charge[h] / answers;
        scratch.dischargeKwh[0] = first.discharge[h] / answers;
        decisionOfPlan(scratch, home, answeredPrice, keep, out);
        return;
      }
      decisionOfPlan(planHome(h, home, flatPrices), home, tk.priceSignalUsdPerKwh, keep, out);
    },
  };
}
