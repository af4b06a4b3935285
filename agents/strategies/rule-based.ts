/**
 * The rule-based strategy: the proposal's household (`decideRuleBased`) fed with what it needs from
 * its own forecasts. `agents.reserveQuantile` p90 has it reserve stored energy for the coming
 * expensive block against the learned P90 load / P10 PV band, so it asks for the band then.
 */
import { z } from 'zod';
import { STORAGE_SOLAR_ONLY } from '../../battery/index.ts';
import { RATE_EPSILON_USD_PER_KWH } from '../../common/index.ts';
import type { HouseholdDecision } from '../decision.ts';
import { decideRuleBased, type HouseholdTickInput } from '../rule-based.ts';
import type { DayView, HomeView, PlanDay, Strategy, StrategyContext, StrategyDefinition, TickView } from '../strategy.ts';

export const RuleBasedOptionsSchema = z.object({
  reserveQuantile: z
    .enum(['p50', 'p90'])
    .default('p50')
    .describe(
      'what the rule-based battery manager keeps stored energy for the coming expensive block against: the point forecast (p50) or, with a learned forecaster, the P90 load / P10 PV band of the next 3 hours (p90)',
    ),
});

export const RULE_BASED: StrategyDefinition<z.output<typeof RuleBasedOptionsSchema>> = {
  description: 'the proposal’s rules',
  optionsSchema: RuleBasedOptionsSchema,
  usesForecastBand: (options) => options.reserveQuantile === 'p90',
  create: (ctx) => ruleBasedStrategy(ctx),
};

/**
 * Each home's day-ahead forecast deficit (`[k * n + h]`) and surplus (`[h * D + k]`) per interval,
 * and their running sums (`[k * n + h]` = Σ over intervals before k, k = 0 … D), so a sum over any
 * stretch of the day is one subtraction. What the pass over the homes reads at one k is
 * interval-major (read in order, home after home); the surplus, summed along one home's day, is
 * home-major.
 */
interface DayNet {
  deficitKwh: Float64Array;
  surplusKwh: Float64Array;
  deficitBeforeKwh: Float64Array;
  surplusBeforeKwh: Float64Array;
}

/**
 * The proposal's rule-based household (`decideRuleBased`), fed with what it needs from its own
 * forecasts: the deficit of the coming expensive block (from the rolling forecast where it reaches,
 * else the day-ahead one), the own surplus before it, and what a stored kWh costs to refill.
 */
function ruleBasedStrategy(ctx: StrategyContext): Strategy {
  const n = ctx.households;
  const H = ctx.horizon;
  const input: HouseholdTickInput = {
    loadKwh: 0, pvKwh: 0, hasBattery: false, socKwh: 0, minSocKwh: 0, maxSocKwh: 0,
    chargeEfficiency: ctx.chargeEfficiency, dischargeEfficiency: ctx.dischargeEfficiency,
    maxChargeKwh: 0, maxDischargeKwh: 0, importUsdPerKwh: 0, exportUsdPerKwh: 0, priceSignalUsdPerKwh: 0,
    marketEnabled: ctx.marketEnabled, transmissionLoss: ctx.transmissionLoss, p2pDeliveryUsdPerKwh: 0,
    sellAllowanceKwh: 0, dayMinUsdPerKwh: 0, inExpensiveBlock: false, blockMaxUsdPerKwh: 0, blockNeedKwh: 0,
    higherRateNeedKwh: 0, surplusBeforeBlockKwh: 0, cheapLeft: 0, refillUsdPerKwh: 0,
    storedMayLeave: true, mayChargeFromImports: true, wearUsdPerKwh: ctx.wearUsdPerKwh, floorSocKwh: 0, terminalNeedStoredKwh: 0, terminalExcessStoredKwh: 0,
  };
  const refill = new Float64Array(n);
  // one past the last expensive interval of each plan's day (0 when the day has none)
  let lastBlockEnd = new Int32Array(0);
  const reserveLoad = new Float64Array(n * H);
  const reservePv = new Float64Array(n * H);
  let day: DayView | null = null;
  let net: DayNet = { deficitKwh: new Float64Array(0), surplusKwh: new Float64Array(0), deficitBeforeKwh: new Float64Array(0), surplusBeforeKwh: new Float64Array(0) };
  let tick: TickView | null = null;
  // the tick's rolling forecasts and signal, read once per interval (not once per home)
  let tickLoadKwh: Float64Array = reserveLoad;
  let tickPvKwh: Float64Array = reservePv;
  let tickSignalUsdPerKwh = 0;
  let planTick: PlanTick = createPlanTick(0, 0);
  // what the battery reserves for the expensive block against: the point forecast, or its P90/P10 band
  let reserveLoadOf: Float64Array = reserveLoad;
  let reservePvOf: Float64Array = reservePv;

  /**
   * The run's last day: the home keeps what it could not refill before the end (own PV surplus
   * still to come, and — where it may charge from imports — the cheap intervals after the last
   * expensive block), and after that block refills just in time to finish with what it started.
   */
  const terminalPlan = (h: number, home: HomeView, t: number, blockEnd: number): void => {
    const d = day!;
    const D = d.intervals;
    const { surplusKwh, deficitKwh } = restOfDayKwh(net, tickLoadKwh, tickPvKwh, home, h, t, D, n, H);
    const pvRefillStored = surplusKwh * ctx.chargeEfficiency;
    const cheapAfter = home.mayChargeFromImports ? Math.max(0, D - Math.max(t + 1, blockEnd)) : 0;
    const gridRefillStored = cheapAfter * ctx.maxPowerKw * ctx.intervalHours * ctx.chargeEfficiency;
    const target = ctx.initialSocKwh[h];
    input.floorSocKwh = Math.min(target, Math.max(home.minSocKwh, target - pvRefillStored - gridRefillStored));
    if (t >= blockEnd) {
      input.terminalNeedStoredKwh = Math.max(0, target - home.socKwh - pvRefillStored);
      input.terminalExcessStoredKwh = Math.max(0, home.socKwh + pvRefillStored - target - deficitKwh / ctx.dischargeEfficiency);
    }
  };

  return {
    prepareDay(d: DayView) {
      day = d;
      net = dayNetOf(d, n, net);
      refillPrices(d, ctx, net, refill);
      lastBlockEnd = Int32Array.from(d.plans, (p) => lastExpensiveEnd(p, d.intervals));
    },
    prepareTick(t: TickView) {
      tick = t;
      tickLoadKwh = t.loadKwh;
      tickPvKwh = t.pvKwh;
      tickSignalUsdPerKwh = t.priceSignalUsdPerKwh;
      planTick = planTickOf(day!, t.t, planTick);
      if (t.band) {
        // act on uncertainty: reserve for the expensive block against the transformer's P90 load
        // and P10 PV, as a spread around whichever point forecast the agent uses
        const q = t.band;
        for (let i = 0; i < n * H; i++) {
          reserveLoad[i] = t.loadKwh[i] + Math.max(0, q.loadP90[i] - q.loadP50[i]);
          reservePv[i] = Math.max(0, t.pvKwh[i] - Math.max(0, q.pvP50[i] - q.pvP10[i]));
        }
        reserveLoadOf = reserveLoad;
        reservePvOf = reservePv;
      } else {
        reserveLoadOf = t.loadKwh;
        reservePvOf = t.pvKwh;
      }
    },
    decide(h: number, home: HomeView, out: HouseholdDecision) {
      const d = day!;
      const tk = tick!;
      const t = tk.t;
      const D = d.intervals;
      const pt = planTick;
      const p = d.planOfHome[h];
      const inBlock = pt.inBlock[p] === 1;
      const bStart = pt.blockStart[p];
      const bEnd = pt.blockEnd[p];
      const higher = pt.higher;
      const higherRow = p * D;
      // forecast deficit/surplus of interval k (> t): the rolling forecast where it reaches, else day-ahead
      let blockNeed = 0;
      let higherNeed = 0;
      let surplusBefore = 0;
      // the rolling forecast reaches intervals t+1 … t+H; the day-ahead forecast covers the rest
      const rollEnd = t + 1 + H;
      const from = inBlock ? t + 1 : Math.max(bStart, t + 1);
      for (let k = from; k < bEnd && k < rollEnd; k++) {
        const j = k - t - 1;
        const x = Math.max(0, reserveLoadOf[h * H + j] - reservePvOf[h * H + j]);
        blockNeed += x;
        if (inBlock && higher[higherRow + k] === 1) higherNeed += x;
      }
      const dayFrom = Math.max(from, rollEnd);
      if (dayFrom < bEnd) {
        blockNeed += net.deficitBeforeKwh[bEnd * n + h] - net.deficitBeforeKwh[dayFrom * n + h];
        if (inBlock) for (let k = dayFrom; k < bEnd; k++) if (higher[higherRow + k] === 1) higherNeed += net.deficitKwh[k * n + h];
      }
      if (!inBlock) {
        for (let k = t + 1; k < bStart && k < rollEnd; k++) {
          const j = k - t - 1;
          surplusBefore += Math.max(0, tickPvKwh[h * H + j] - tickLoadKwh[h * H + j]);
        }
        if (rollEnd < bStart) surplusBefore += net.surplusBeforeKwh[bStart * n + h] - net.surplusBeforeKwh[rollEnd * n + h];
      }
      input.loadKwh = home.loadKwh;
      input.pvKwh = home.pvKwh;
      input.hasBattery = home.hasBattery;
      input.socKwh = home.socKwh;
      input.minSocKwh = home.minSocKwh;
      input.maxSocKwh = home.maxSocKwh;
      input.maxChargeKwh = home.maxChargeKwh;
      input.maxDischargeKwh = home.maxDischargeKwh;
      input.importUsdPerKwh = pt.importUsdPerKwh[p];
      input.p2pDeliveryUsdPerKwh = d.plans[p].p2pDeliveryUsdPerKwh[t];
      input.exportUsdPerKwh = d.plans[d.planOfHome[h]].exportUsdPerKwh[t];
      input.priceSignalUsdPerKwh = tickSignalUsdPerKwh;
      input.sellAllowanceKwh = home.sellAllowanceKwh;
      input.dayMinUsdPerKwh = pt.dayMinUsdPerKwh[p];
      input.inExpensiveBlock = inBlock;
      input.blockMaxUsdPerKwh = pt.blockMaxUsdPerKwh[p];
      input.blockNeedKwh = blockNeed;
      input.higherRateNeedKwh = higherNeed;
      input.surplusBeforeBlockKwh = surplusBefore;
      input.cheapLeft = pt.cheapLeft[p];
      input.refillUsdPerKwh = refill[h];
      input.storedMayLeave = home.storedMayLeave;
      input.mayChargeFromImports = home.mayChargeFromImports;
      input.floorSocKwh = 0;
      input.terminalNeedStoredKwh = 0;
      input.terminalExcessStoredKwh = 0;
      if (d.lastDay && home.hasBattery) terminalPlan(h, home, t, lastBlockEnd[d.planOfHome[h]]);
      decideRuleBased(input, out);
    },
  };
}

/**
 * Each plan's facts for one interval, the same for every home on it (`[plan]`): is it inside an
 * expensive block, where the current or next block starts and ends, its rates; `higher[plan * D + k]`
 * = 1 where interval k's rate is above this interval's.
 */
interface PlanTick {
  inBlock: Uint8Array;
  blockStart: Int32Array;
  blockEnd: Int32Array;
  importUsdPerKwh: Float64Array;
  dayMinUsdPerKwh: Float64Array;
  blockMaxUsdPerKwh: Float64Array;
  cheapLeft: Int32Array;
  higher: Uint8Array;
}

function createPlanTick(plans: number, D: number): PlanTick {
  return {
    inBlock: new Uint8Array(plans),
    blockStart: new Int32Array(plans),
    blockEnd: new Int32Array(plans),
    importUsdPerKwh: new Float64Array(plans),
    dayMinUsdPerKwh: new Float64Array(plans),
    blockMaxUsdPerKwh: new Float64Array(plans),
    cheapLeft: new Int32Array(plans),
    higher: new Uint8Array(plans * D),
  };
}

/** The plans' facts for interval t of day d (in `previous`'s arrays when they fit). */
function planTickOf(d: DayView, t: number, previous: PlanTick): PlanTick {
  const D = d.intervals;
  const P = d.plans.length;
  const pt = previous.inBlock.length === P && previous.higher.length === P * D ? previous : createPlanTick(P, D);
  for (let p = 0; p < P; p++) {
    const plan = d.plans[p];
    const s = plan.structure;
    const rate = plan.importUsdPerKwh;
    pt.inBlock[p] = rate[t] > s.dayMinUsdPerKwh + RATE_EPSILON_USD_PER_KWH ? 1 : 0;
    pt.blockStart[p] = s.blockStart[t];
    pt.blockEnd[p] = s.blockEnd[t];
    pt.importUsdPerKwh[p] = rate[t];
    pt.dayMinUsdPerKwh[p] = s.dayMinUsdPerKwh;
    pt.blockMaxUsdPerKwh[p] = s.blockMaxUsdPerKwh[t];
    pt.cheapLeft[p] = s.cheapLeft[t];
    for (let k = 0; k < D; k++) pt.higher[p * D + k] = rate[k] > rate[t] + RATE_EPSILON_USD_PER_KWH ? 1 : 0;
  }
  return pt;
}

/** The day's DayNet, in `previous`'s arrays when the day has as many intervals (every entry but the zero row k = 0 is rewritten). */
function dayNetOf(d: DayView, n: number, previous: DayNet): DayNet {
  const D = d.intervals;
  const reuse = previous.deficitKwh.length === n * D;
  const deficitKwh = reuse ? previous.deficitKwh : new Float64Array(n * D);
  const surplusKwh = reuse ? previous.surplusKwh : new Float64Array(n * D);
  const deficitBeforeKwh = reuse ? previous.deficitBeforeKwh : new Float64Array(n * (D + 1));
  const surplusBeforeKwh = reuse ? previous.surplusBeforeKwh : new Float64Array(n * (D + 1));
  // home by home (the forecasts are home-major); the running sums start from the zero row k = 0
  for (let h = 0; h < n; h++) {
    let deficitBefore = 0;
    let surplusBefore = 0;
    for (let k = 0; k < D; k++) {
      const x = d.loadKwh[h * D + k] - d.pvKwh[h * D + k];
      const i = k * n + h;
      const deficit = Math.max(0, x);
      const surplus = Math.max(0, -x);
      deficitKwh[i] = deficit;
      surplusKwh[h * D + k] = surplus;
      deficitBefore += deficit;
      surplusBefore += surplus;
      deficitBeforeKwh[i + n] = deficitBefore;
      surplusBeforeKwh[i + n] = surplusBefore;
    }
  }
  return { deficitKwh, surplusKwh, deficitBeforeKwh, surplusBeforeKwh };
}

/**
 * What a stored kWh costs each home to replace today (USD per bus kWh): the cheapest of the day's
 * lowest import rate, neighbours' energy at yesterday's lowest signal (grossed up for loss, plus the
 * plan's lowest delivery charge of the day)
 * and — for a home expecting its own surplus — the value that surplus would otherwise fetch.
 */
function refillPrices(d: DayView, ctx: StrategyContext, net: DayNet, out: Float64Array): void {
  const D = d.intervals;
  const roundTrip = ctx.chargeEfficiency * ctx.dischargeEfficiency;
  const yesterday = d.yesterdayMinSignalUsdPerKwh;
  const marketRefill = ctx.marketEnabled && Number.isFinite(yesterday) ? yesterday / (1 - ctx.transmissionLoss) : Infinity;
  for (let h = 0; h < out.length; h++) {
    let surplusSum = 0;
    let exportWeighted = 0;
    const credit = d.plans[d.planOfHome[h]].exportUsdPerKwh;
    for (let k = 0; k < D; k++) {
      const s = net.surplusKwh[h * D + k];
      surplusSum += s;
      exportWeighted += s * credit[k];
    }
    const dayMin = d.plans[d.planOfHome[h]].structure.dayMinUsdPerKwh;
    let refillPrice: number;
    if (ctx.storageMode[h] === STORAGE_SOLAR_ONLY) {
      // refills only from its own PV: the export (or sale) that PV would otherwise earn, else the import it displaces
      refillPrice = surplusSum >= 1 ? exportWeighted / surplusSum : dayMin;
    } else {
      refillPrice = Math.min(dayMin, marketRefill + minOf(d.plans[d.planOfHome[h]].p2pDeliveryUsdPerKwh, D));
      if (surplusSum >= 1) {
        // a home with its own expected surplus refills from energy it could otherwise sell or export
        const saleValue = ctx.marketEnabled && Number.isFinite(yesterday) ? Math.max(yesterday, exportWeighted / surplusSum) : exportWeighted / surplusSum;
        refillPrice = Math.min(refillPrice, saleValue);
      }
    }
    out[h] = refillPrice / roundTrip;
  }
}

/** One past the last interval of the day priced above the day's cheapest rate (0 when none is). */
function lastExpensiveEnd(plan: PlanDay, D: number): number {
  for (let k = D - 1; k >= 0; k--) if (plan.importUsdPerKwh[k] > plan.structure.dayMinUsdPerKwh + RATE_EPSILON_USD_PER_KWH) return k + 1;
  return 0;
}

function minOf(values: Float64Array, count: number): number {
  let m = Infinity;
  for (let k = 0; k < count; k++) m = Math.min(m, values[k]);
  return m;
}

/**
 * Home h's own PV surplus and own deficit (bus kWh) from interval t to the day's end: this
 * interval's actual deficit, the rolling forecast's intervals t+1 … t+H, then the day-ahead
 * forecast's (summed in interval order).
 */
function restOfDayKwh(net: DayNet, tickLoadKwh: Float64Array, tickPvKwh: Float64Array, home: HomeView, h: number, t: number, D: number, n: number, H: number): { surplusKwh: number; deficitKwh: number } {
  let surplusKwh = 0;
  let deficitKwh = Math.max(0, home.loadKwh - home.pvKwh);
  const rollEnd = Math.min(D, t + 1 + H);
  for (let k = t + 1, j = 0; k < rollEnd; k++, j++) {
    surplusKwh += Math.max(0, tickPvKwh[h * H + j] - tickLoadKwh[h * H + j]);
    deficitKwh += Math.max(0, tickLoadKwh[h * H + j] - tickPvKwh[h * H + j]);
  }
  for (let k = rollEnd; k < D; k++) {
    surplusKwh += net.surplusKwh[h * D + k];
    deficitKwh += net.deficitKwh[k * n + h];
  }
  return { surplusKwh, deficitKwh };
}
