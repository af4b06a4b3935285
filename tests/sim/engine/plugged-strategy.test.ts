import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, mergeConfig, parseSimConfig, simulate, type StrategyDefinition, type StrategyRegistry } from '../../../sim/index.ts';
import { checkContract } from '../contract-check.ts';
import { collectRun } from '../helpers.ts';

const BID_KWH = 0.2;
const BID_LIMIT_USD_PER_KWH = 0.5;

/** What the steady strategy asked for, interval by interval (`[interval][home]`). */
interface Asked {
  chargeKwh: number[][];
  bidKwh: number[][];
  days: number;
}

/**
 * A strategy of the test's own: every interval each home with a battery asks to charge
 * `agents.steadyChargeKwh` from the grid (as much as its battery takes) and every home bids
 * BID_KWH of its deficit at BID_LIMIT_USD_PER_KWH; it records what it asked.
 */
function steadyStrategy(asked: Asked): StrategyDefinition<{ steadyChargeKwh: number }> {
  return {
    description: 'charges a fixed amount and bids a fixed amount every interval',
    optionsSchema: z.object({ steadyChargeKwh: z.number().min(0).default(0.3).describe('kWh asked for every interval') }),
    create: (ctx, options) => ({
      prepareDay: () => void asked.days++,
      prepareTick: () => {
        asked.chargeKwh.push(new Array<number>(ctx.households).fill(0));
        asked.bidKwh.push(new Array<number>(ctx.households).fill(0));
      },
      decide: (h, home, out) => {
        const charge = home.hasBattery ? Math.min(options.steadyChargeKwh, home.maxChargeKwh) : 0;
        const bid = Math.min(BID_KWH, Math.max(0, home.loadKwh - home.pvKwh));
        out.chargeKwh = charge;
        out.bidDeficitKwh = bid;
        out.bidLimitUsdPerKwh = BID_LIMIT_USD_PER_KWH;
        out.action = bid > 0 ? 'buy' : 'hold';
        asked.chargeKwh[asked.chargeKwh.length - 1][h] = charge;
        asked.bidKwh[asked.bidKwh.length - 1][h] = bid;
      },
    }),
  };
}

/** Four homes, all with a battery and none with PV (no sellers: every bid stays in the book), two days. */
const BASE = {
  seed: 9,
  households: { count: 4, pvShare: 0 },
  battery: { share: 1 },
  time: { historyDays: 7, days: 2 },
  agents: { strategy: 'steady', forecaster: 'seasonal-naive' },
  baselines: { batteryOnly: false, perfectForesight: false, perfectForecast: false },
  outputs: { dir: 'unused' },
};
const RAW = mergeConfig(BASE, { agents: { steadyChargeKwh: 0.4 } });

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('a strategy of your own, plugged into simulate', () => {
  it('has its decisions settled as asked: the battery charges what it asked, the book holds its bids, energy balances', async () => {
    const asked: Asked = { chargeKwh: [], bidKwh: [], days: 0 };
    const strategies: StrategyRegistry = { steady: steadyStrategy(asked) };
    const run = await collectRun(parseSimConfig(RAW, { strategies }), { strategies });
    checkContract(run);
    expect(run.summary.run.strategy).toBe('steady');
    expect(asked.days).toBe(2);
    expect(asked.chargeKwh.length).toBe(run.intervals.length);
    run.intervals.forEach((iv, i) => {
      iv.households.forEach((home, h) => expect(home.battery_charge_kwh, `home ${home.id}, interval ${iv.index}: charge`).toBeCloseTo(asked.chargeKwh[i][h], 9));
      const bids = asked.bidKwh[i].reduce((a, b) => a + b, 0);
      expect(iv.market.bids_kwh, `interval ${iv.index}: bids in the book`).toBeCloseTo(bids, 9);
      expect(iv.market.trades, `interval ${iv.index}: no sellers, no trades`).toBe(0);
    });
    // the option reached the strategy: a battery with room took 0.4 kWh, and some filled up
    const charges = asked.chargeKwh.flat();
    expect(Math.max(...charges)).toBeCloseTo(0.4, 12);
    expect(charges.some((c) => c > 0 && c < 0.4)).toBe(true);
    expect(asked.bidKwh.flat().some((b) => b > 0)).toBe(true);
  });

  it('is a config error naming agents.strategy when the config names a strategy nobody gave', () => {
    const unknown = configError(() => parseSimConfig(BASE));
    expect(unknown.issues.map((i) => i.path)).toContain('agents.strategy');
    expect(unknown.message).toMatch(/agents\.strategy/);
    expect(unknown.message).toMatch(/rule-based/);
    // parsed against the strategy, simulated without it
    const strategies = { steady: steadyStrategy({ chargeKwh: [], bidKwh: [], days: 0 }) };
    const config = parseSimConfig(RAW, { strategies });
    const missing = configError(() => simulate(config));
    expect(missing.issues).toEqual([expect.objectContaining({ path: 'agents.strategy' })]);
    expect(missing.message).toMatch(/rule-based/);
  });

  it('may not take a built-in strategy’s name', () => {
    const strategies = { 'rule-based': steadyStrategy({ chargeKwh: [], bidKwh: [], days: 0 }) };
    expect(() => parseSimConfig({}, { strategies })).toThrow(/"rule-based" is built in/);
    expect(() => simulate(parseSimConfig({}), { strategies })).toThrow(/"rule-based" is built in/);
  });

  it('has its option fields checked with the config', () => {
    const strategies = { steady: steadyStrategy({ chargeKwh: [], bidKwh: [], days: 0 }) };
    const bad = configError(() => parseSimConfig(mergeConfig(RAW, { agents: { steadyChargeKwh: -1 } }), { strategies }));
    expect(bad.issues.map((i) => i.path)).toEqual(['agents.steadyChargeKwh']);
    expect(parseSimConfig(BASE, { strategies }).agents).toMatchObject({ steadyChargeKwh: 0.3 });
  });
});
