/**
 * The built-in strategies, by the name `agents.strategy` gives them. A strategy is one adapter file
 * in `strategies/` exporting its `StrategyDefinition`, plus its line here: the config's choice of
 * names, its option fields and the forecast-band decision are derived from this registry. A
 * user's own strategies join it for one run (`simulate(config, { strategies })`).
 */
import type { z } from 'zod';
import type { Strategy, StrategyContext, StrategyRegistry } from './strategy.ts';
import { COORDINATED } from './strategies/coordinated.ts';
import { RECEDING_HORIZON_CVAR } from './strategies/receding-horizon-cvar.ts';
import { RECEDING_HORIZON } from './strategies/receding-horizon.ts';
import { RULE_BASED } from './strategies/rule-based.ts';

export { CvarOptionsSchema, type CvarOptions } from './strategies/receding-horizon-cvar.ts';
export { RuleBasedOptionsSchema } from './strategies/rule-based.ts';

export const STRATEGIES = {
  'rule-based': RULE_BASED,
  'receding-horizon': RECEDING_HORIZON,
  'receding-horizon-cvar': RECEDING_HORIZON_CVAR,
  coordinated: COORDINATED,
} as const satisfies StrategyRegistry;

export type StrategyName = keyof typeof STRATEGIES;

/** The strategy a config that names none runs. */
export const DEFAULT_STRATEGY: StrategyName = 'rule-based';

/**
 * The built-in strategies with `extra` added (a user's own, for one run). A name may be given once:
 * an extra strategy under a built-in's name is an error, not a replacement.
 */
export function withStrategies(extra: StrategyRegistry = {}): StrategyRegistry {
  const clash = Object.keys(extra).filter((name) => Object.hasOwn(STRATEGIES, name));
  if (clash.length > 0) throw new Error(`strategy ${clash.map((n) => `"${n}"`).join(', ')} is built in: give your own strategy another name`);
  return { ...STRATEGIES, ...extra };
}

/**
 * Every option field the strategies read from the config's `agents` section, in registry order
 * (a field two strategies read must be the same schema in both).
 */
export function strategyOptionFields(registry: StrategyRegistry): Record<string, z.ZodType> {
  const fields: Record<string, z.ZodType> = {};
  for (const [name, definition] of Object.entries(registry)) {
    for (const [key, schema] of Object.entries(definition.optionsSchema?.shape ?? {})) {
      if (Object.hasOwn(fields, key) && fields[key] !== schema) throw new Error(`strategy "${name}" declares the option agents.${key} differently from another strategy`);
      fields[key] = schema;
    }
  }
  return fields;
}

/** A run's strategy before it exists: what it asks of the forecaster, and how to create it. */
export interface ChosenStrategy {
  readonly usesForecastBand: boolean;
  create(ctx: StrategyContext): Promise<Strategy>;
}

/** The strategy `name` in `registry`, with its options parsed from the config's `agents` section. */
export function chooseStrategy(registry: StrategyRegistry, name: string, agents: Readonly<Record<string, unknown>>): ChosenStrategy {
  if (!Object.hasOwn(registry, name)) throw new Error(`unknown strategy "${name}" (known: ${Object.keys(registry).join(', ')})`);
  const definition = registry[name];
  const options = definition.optionsSchema ? definition.optionsSchema.parse(agents) : {};
  return {
    usesForecastBand: definition.usesForecastBand ? definition.usesForecastBand(options) : false,
    create: async (ctx) => definition.create(ctx, options),
  };
}
