import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chooseStrategy, STRATEGIES, strategyOptionFields, withStrategies, type StrategyDefinition } from '../../agents/index.ts';
import { parseSimConfig, SimConfigSchema } from '../../sim/index.ts';

const agentsShape = SimConfigSchema.shape.agents.unwrap().shape;

describe('the strategy registry (agents/strategies.ts)', () => {
  it('is where the config’s choice of strategies comes from', () => {
    expect(agentsShape.strategy.unwrap().options).toEqual(Object.keys(STRATEGIES));
    for (const name of Object.keys(STRATEGIES)) expect(agentsShape.strategy.description, name).toContain(`${name}: ${STRATEGIES[name as keyof typeof STRATEGIES].description}`);
  });

  it('gives the config every option field a built-in strategy reads, in the order config.json has', () => {
    for (const key of Object.keys(strategyOptionFields(STRATEGIES))) expect(agentsShape, key).toHaveProperty(key);
    expect(Object.keys(agentsShape)).toEqual(['strategy', 'cvar', 'forecaster', 'horizonIntervals', 'reserveQuantile']);
  });

  it('decides from each strategy’s options whether the run needs the forecast band', () => {
    const band = (strategy: string, agents: Record<string, unknown> = {}) => {
      const config = parseSimConfig({ agents: { strategy, ...agents } });
      return chooseStrategy(STRATEGIES, strategy, config.agents).usesForecastBand;
    };
    expect(band('rule-based')).toBe(false);
    expect(band('rule-based', { reserveQuantile: 'p90' })).toBe(true);
    expect(band('receding-horizon')).toBe(false);
    expect(band('receding-horizon', { reserveQuantile: 'p90' })).toBe(false);
    expect(band('receding-horizon-cvar')).toBe(true);
    expect(band('coordinated')).toBe(false);
  });

  it('passes a strategy the options its schema reads, defaults filled', async () => {
    let seen: unknown = null;
    const own: StrategyDefinition<{ level: number }> = {
      optionsSchema: numberOption(),
      create: (_ctx, options) => {
        seen = options;
        return { prepareDay() {}, prepareTick() {}, decide() {} };
      },
    };
    const registry = withStrategies({ own });
    await chooseStrategy(registry, 'own', { strategy: 'own', unrelated: true }).create({} as never);
    expect(seen).toEqual({ level: 2 });
  });

  it('refuses an unknown name and a second strategy under a built-in’s name', () => {
    expect(() => chooseStrategy(STRATEGIES, 'nope', {})).toThrow(/unknown strategy "nope" \(known: rule-based, receding-horizon, receding-horizon-cvar, coordinated\)/);
    expect(() => withStrategies({ coordinated: { create: () => ({ prepareDay() {}, prepareTick() {}, decide() {} }) } })).toThrow(/"coordinated" is built in/);
  });

  it('refuses two strategies reading one option field with different schemas', () => {
    const own = { optionsSchema: numberOption('reserveQuantile'), create: () => ({ prepareDay() {}, prepareTick() {}, decide() {} }) };
    expect(() => strategyOptionFields(withStrategies({ own: own as StrategyDefinition }))).toThrow(/"own" declares the option agents\.reserveQuantile differently/);
  });
});

/** An options schema with one numeric field (default 2) under `key`. */
function numberOption(key = 'level') {
  return z.object({ [key]: z.number().default(2) }) as unknown as z.ZodObject<{ level: z.ZodDefault<z.ZodNumber> }>;
}
