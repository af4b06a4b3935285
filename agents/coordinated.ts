/**
 * The coordinated household (transactive energy, dual decomposition): every interval the central
 * agent proposes a P2P price per interval for the rest of the day; each home plans its own battery,
 * grid and P2P trades against those prices on its own forecasts (an LP solved with HiGHS, like the
 * receding-horizon planner's, with P2P purchases and sales added), and reports only its planned net
 * P2P position per interval. Its load, PV and battery never leave it. After the centre's last
 * proposal the home acts on the first step of its plan: a battery plan, and at most one order —
 * a bid for what it plans to buy or an ask for what it plans to sell — at the proposed price.
 *
 * Homes without a battery have no reason to plan ahead: each interval they buy their deficit where
 * a neighbour's kWh costs less than the grid's and sell their surplus where the price beats the
 * export value (the daily sell cap taken in time order), in closed form.
 */
import { dischargeCapKwh, chargeCapKwh, mayChargeFromImports, p2pSaleCapKwh, storedEnergyMayLeave } from '../battery/index.ts';
import { formatLpNumber as num, HIGHS_SOLVE_OPTIONS, loadHighs, type Highs } from '../lp/index.ts';
import { createHorizonInput, fillHorizonInput, MAX_PLAN_STEPS } from './horizon-input.ts';
import type { HorizonPlanInput } from './receding-horizon.ts';
import { resetDecision, type HouseholdDecision } from './rule-based.ts';
import type { DayView, HomeView, Strategy, StrategyContext, TickView } from './strategy.ts';

/** A home's plan against the centre's prices: the receding-horizon input plus the P2P price per step. */
export interface CoordinatedPlanInput extends HorizonPlanInput {
  /** the proposed P2P price per step (USD per kWh sent; buyers pay it plus the fee, sellers receive it) */
  p2pUsdPerKwh: Float64Array;
}

/** The plan's P2P position and battery per step (kWh; sold and bought are kWh sent). */
export interface CoordinatedPlan {
  soldKwh: Float64Array;
  boughtKwh: Float64Array;
  chargeKwh: Float64Array;
  dischargeKwh: Float64Array;
}

export function createCoordinatedPlan(steps = MAX_PLAN_STEPS): CoordinatedPlan {
  return { soldKwh: new Float64Array(steps), boughtKwh: new Float64Array(steps), chargeKwh: new Float64Array(steps), dischargeKwh: new Float64Array(steps) };
}

/**
 * The home's plan as CPLEX LP text (pure; exported for tests). Per step k: G grid import, X grid
 * export, C charge, D discharge, S stored energy, Q P2P sold and B P2P bought (both kWh sent; B
 * delivers (1 − loss)·B). Minimises the grid bill, the P2P payments (B at price + fee, Q at price),
 * wear, less the value of what is stored at the end (and, on the run's last day, a penalty below
 * the starting energy). The storage mode's rules (battery/storage-mode.ts) bound C, D, X and Q;
 * imports serve only the home (and, where the mode allows, its battery); Σ Q ≤ the day's sell
 * allowance. Steps without trading have no Q or B.
 */
export function coordinatedLp(i: CoordinatedPlanInput): string {
  const K = i.steps;
  const keep = 1 - i.transmissionLoss;
  const obj: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const sold: string[] = [];
  const lo = Math.min(i.minSocKwh, i.socKwh);
  const hi = Math.max(i.maxSocKwh, i.socKwh);
  const battery = i.hasBattery;
  const fromImports = battery && mayChargeFromImports(i.storageMode);
  const mayLeave = battery && storedEnergyMayLeave(i.storageMode);
  for (let k = 0; k < K; k++) {
    const load = i.loadKwh[k];
    const pv = i.pvKwh[k];
    const chargeMax = battery ? (k === 0 ? i.maxChargeKwh : chargeCapKwh(i.storageMode, pv, i.stepKwh)) : 0;
    const dischargeMax = battery ? (k === 0 ? i.maxDischargeKwh : dischargeCapKwh(i.storageMode, load, pv, i.stepKwh)) : 0;
    const surplus = Math.max(0, pv - load);
    const ownUseMax = Math.max(0, load) + (fromImports ? chargeMax : 0);
    const balance = [`+ G${k}`, `- X${k}`];
    const ownUse = [`+ G${k}`];
    obj.push(`+ ${num(i.importUsdPerKwh[k])} G${k}`, `- ${num(i.exportUsdPerKwh[k])} X${k}`);
    bounds.push(` G${k} <= ${num(ownUseMax)}`, ` X${k} <= ${num(Math.max(0, pv) + (mayLeave ? dischargeMax : 0))}`);
    if (battery) {
      balance.push(`- C${k}`, `+ D${k}`);
      if (fromImports) ownUse.push(`- C${k}`);
      rows.push(` s${k}: + S${k}${k > 0 ? ` - S${k - 1}` : ''} - ${num(i.chargeEfficiency)} C${k} + ${num(1 / i.dischargeEfficiency)} D${k} = ${num(k === 0 ? i.socKwh : 0)}`);
      bounds.push(` C${k} <= ${num(chargeMax)}`, ` D${k} <= ${num(dischargeMax)}`, ` ${num(lo)} <= S${k} <= ${num(hi)}`);
      if (i.wearUsdPerKwh > 0) obj.push(`+ ${num(i.wearUsdPerKwh)} D${k}`);
    }
    if (i.marketEnabled) {
      const price = i.p2pUsdPerKwh[k];
      balance.push(`- Q${k}`, `+ ${num(keep)} B${k}`);
      ownUse.push(`+ ${num(keep)} B${k}`);
      obj.push(`+ ${num(price + i.feeUsdPerKwh)} B${k}`, `- ${num(price)} Q${k}`);
      bounds.push(` B${k} <= ${num(ownUseMax / keep)}`);
      // a sale is PV surplus plus, where stored energy may leave, what the battery delivers
      if (mayLeave) {
        rows.push(` q${k}: + Q${k} - D${k} <= ${num(surplus)}`);
        bounds.push(` Q${k} <= ${num(surplus + dischargeMax)}`);
      } else bounds.push(` Q${k} <= ${num(surplus)}`);
      sold.push(`+ Q${k}`);
    }
    rows.push(` b${k}: ${balance.join(' ')} = ${num(load - pv)}`);
    if (battery || i.marketEnabled) rows.push(` u${k}: ${ownUse.join(' ')} <= ${num(Math.max(0, load))}`);
  }
  if (sold.length > 0) rows.push(` cap: ${sold.join(' ')} <= ${num(Math.max(0, i.sellAllowanceKwh))}`);
  if (battery && i.terminalUsdPerStoredKwh > 0) obj.push(`- ${num(i.terminalUsdPerStoredKwh)} S${K - 1}`);
  if (battery && i.terminalTargetKwh > 0) {
    rows.push(` ts: + S${K - 1} + TS >= ${num(i.terminalTargetKwh)}`);
    obj.push(`+ ${num(i.terminalShortfallUsdPerKwh)} TS`);
  }
  return ['Minimize', ` obj: ${obj.join(' ')}`, 'Subject To', ...rows, 'Bounds', ...bounds, 'End', ''].join('\n');
}

const EPS = 1e-9;

/** Solves home i's LP into `out` (a failed solve plans nothing: no trades, no battery). Returns the status. */
export function solveCoordinatedPlan(highs: Highs, i: CoordinatedPlanInput, out: CoordinatedPlan): string {
  out.soldKwh.fill(0);
  out.boughtKwh.fill(0);
  out.chargeKwh.fill(0);
  out.dischargeKwh.fill(0);
  const solution = highs.solve(coordinatedLp(i), HIGHS_SOLVE_OPTIONS);
  if (solution.Status !== 'Optimal') return solution.Status;
  const cols = solution.Columns as Record<string, { Primal?: number }>;
  const value = (name: string) => Math.max(0, cols[name]?.Primal ?? 0);
  for (let k = 0; k < i.steps; k++) {
    out.soldKwh[k] = value(`Q${k}`);
    out.boughtKwh[k] = value(`B${k}`);
    out.chargeKwh[k] = value(`C${k}`);
    out.dischargeKwh[k] = value(`D${k}`);
  }
  return solution.Status;
}

/**
 * A home without a battery, in closed form: each step it buys its deficit from neighbours where
 * (price + fee) / (1 − loss) is below its import rate, and sells its surplus where the price beats
 * the export value, until the day's sell allowance is used (in time order).
 */
export function planWithoutBattery(i: CoordinatedPlanInput, out: CoordinatedPlan): void {
  const keep = 1 - i.transmissionLoss;
  let allowance = Math.max(0, i.sellAllowanceKwh);
  for (let k = 0; k < i.steps; k++) {
    out.chargeKwh[k] = 0;
    out.dischargeKwh[k] = 0;
    out.soldKwh[k] = 0;
    out.boughtKwh[k] = 0;
    if (!i.marketEnabled) continue;
    const net = i.loadKwh[k] - i.pvKwh[k];
    const price = i.p2pUsdPerKwh[k];
    if (net > 0 && (price + i.feeUsdPerKwh) / keep < i.importUsdPerKwh[k]) out.boughtKwh[k] = net / keep;
    else if (net < 0 && price > i.exportUsdPerKwh[k]) {
      out.soldKwh[k] = Math.min(-net, allowance);
      allowance -= out.soldKwh[k];
    }
  }
}

/**
 * Turns the first step of a plan into the interval's decision: the battery's own-account charge and
 * discharge, and one order at the proposed price — a bid for the planned purchase (the part beyond
 * the home's remaining deficit charges the battery, and only if bought) or an ask for the planned
 * sale (PV surplus first; the rest is discharged only if sold).
 */
export function decisionOfPlan(plan: CoordinatedPlan, home: HomeView, priceUsdPerKwh: number, keep: number, out: HouseholdDecision): HouseholdDecision {
  resetDecision(out);
  // a plan (or a mean of plans) that both charges and discharges, or buys and sells, acts on the net
  const netCharge = plan.chargeKwh[0] - plan.dischargeKwh[0];
  let charge = Math.min(home.maxChargeKwh, Math.max(0, netCharge));
  let discharge = Math.min(home.maxDischargeKwh, Math.max(0, -netCharge));
  if (charge <= EPS) charge = 0;
  if (discharge <= EPS) discharge = 0;
  const netSold = plan.soldKwh[0] - plan.boughtKwh[0];
  let sold = Math.max(0, netSold);
  const bought = Math.max(0, -netSold);
  const load = home.loadKwh;
  const pv = home.pvKwh;
  if (bought > EPS) {
    const deficitLeft = Math.max(0, load - pv - discharge);
    const delivered = bought * keep;
    const toBattery = Math.min(charge, Math.max(0, delivered - deficitLeft));
    out.chargeKwh = charge - toBattery;
    out.dischargeKwh = discharge;
    out.bidDeficitKwh = Math.min(delivered, deficitLeft) / keep;
    out.bidChargeKwh = toBattery / keep;
    out.bidLimitUsdPerKwh = priceUsdPerKwh;
    out.action = out.bidDeficitKwh + out.bidChargeKwh > EPS ? 'buy' : 'hold';
    return out;
  }
  out.chargeKwh = charge;
  if (sold > EPS) {
    const cap = p2pSaleCapKwh(home.storageMode, load, pv, home.hasBattery ? discharge : 0);
    sold = Math.min(sold, cap, Math.max(0, home.sellAllowanceKwh));
    // the battery serves the home's own deficit first: a seller never imports (a mean of plans may
    // pair a sale with a grid import that no single plan would)
    const ownDischarge = Math.min(discharge, Math.max(0, load - pv));
    const busSurplus = Math.max(0, pv + ownDischarge - load - charge);
    out.askSurplusKwh = Math.min(sold, busSurplus);
    out.askBatteryKwh = home.storedMayLeave ? Math.max(0, Math.min(discharge - ownDischarge, sold - out.askSurplusKwh)) : 0;
    out.dischargeKwh = Math.max(0, discharge - out.askBatteryKwh);
    out.askLimitUsdPerKwh = priceUsdPerKwh;
    if (out.askSurplusKwh + out.askBatteryKwh > EPS) out.action = 'sell';
    return out;
  }
  out.dischargeKwh = discharge;
  return out;
}

/**
 * The coordinated strategy. `priceResponse.respond` plans every home against the centre's proposal;
 * `decide` acts on the mean of home h's answers in this interval (primal averaging: each LP answer
 * sits on a vertex and may jump across the balance from one proposal to the next — identical
 * homes all at once — while their mean approaches the community's balanced plan); when trading is
 * off and the centre proposes nothing, each home plans against the engine's signal itself.
 */
export async function createCoordinatedStrategy(ctx: StrategyContext): Promise<Strategy> {
  const highs = await loadHighs();
  const n = ctx.households;
  const keep = 1 - ctx.transmissionLoss;
  const input: CoordinatedPlanInput = { ...createHorizonInput(ctx), p2pUsdPerKwh: new Float64Array(MAX_PLAN_STEPS) };
  const scratch = createCoordinatedPlan();
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
    if (home.hasBattery) solveCoordinatedPlan(highs, input, scratch);
    else planWithoutBattery(input, scratch);
    return scratch;
  };

  return {
    name: 'coordinated',
    usesForecastBand: false,
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
