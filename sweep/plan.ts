/**
 * Expands a sweep spec into its runs (scenario × parameter set × seed), each with a validated,
 * frozen config, before anything runs. Every invalid combination is reported with its field paths.
 */
import { didYouMean } from '../common/index.ts';
import { ConfigError, findScenario, resolveConfig, SCENARIOS, sourced, type ConfigOverlay, type SimConfig } from '../sim/index.ts';
import type { SweepParams, SweepSpecOut } from './contract.ts';
import { canonicalJson, describeParams, overlayOf, paramCombinations, runKeyOf, sha256, type ParamSpec } from './spec.ts';

export interface SweepInput {
  scenarios: string[];
  seeds: number[];
  params: ParamSpec[];
  households?: number;
  days?: number;
  /** the base config file as given (recorded in the spec); its parsed content is `baseConfig` */
  configFile?: string;
  /** the raw base config every run starts from (default {}: the schema's defaults) */
  baseConfig?: unknown;
}

export interface SweepTask {
  key: string;
  scenario: string;
  seed: number;
  params: SweepParams;
  config: SimConfig;
  /** the config without outputs (which do not change a run), as the run file stores it */
  runConfig: Record<string, unknown>;
  configHash: string;
  /** the worker returns the run's summary and net flow series too (row.detail): the communities of a city */
  detail?: boolean;
}

export interface SweepPlan {
  tasks: SweepTask[];
  spec: SweepSpecOut;
}

export type Planned = { ok: true; plan: SweepPlan } | { ok: false; problems: string[] };

/** Empty, repeated or unknown scenario names. */
export function scenarioProblems(scenarios: readonly string[]): string[] {
  const problems: string[] = [];
  if (scenarios.length === 0) problems.push('--scenarios: give at least one scenario');
  const dup = scenarios.find((s, i) => scenarios.indexOf(s) !== i);
  if (dup) problems.push(`--scenarios: "${dup}" is listed twice`);
  const unknown = scenarios.filter((s) => !findScenario(s));
  const names = SCENARIOS.map((s) => s.name);
  if (unknown.length) problems.push(`--scenarios: unknown scenario ${unknown.map((s) => `"${s}"${didYouMean(s, names)}`).join(', ')}; known: ${names.join(', ')}`);
  return problems;
}

/** The parts of a config that decide a run's result. */
export function runConfigOf(config: SimConfig): Record<string, unknown> {
  const { outputs: _outputs, $schema: _schema, ...rest } = config;
  return rest;
}

/**
 * Validates every (scenario, parameter set) with the config schema and builds the runs in
 * canonical order: scenarios as listed, parameter sets as listed (first parameter slowest), seeds
 * ascending.
 */
export function planSweep(input: SweepInput): Planned {
  const problems = scenarioProblems(input.scenarios);
  if (input.seeds.length === 0) problems.push('--seeds: give at least one seed');
  if (problems.length) return { ok: false, problems };

  const combos = paramCombinations(input.params);
  const flags: ConfigOverlay[] = [];
  if (input.households !== undefined) flags.push(sourced('--households', { households: { count: input.households } }));
  if (input.days !== undefined) flags.push(sourced('--days', { time: { days: input.days } }));
  const tasks: SweepTask[] = [];
  for (const scenario of input.scenarios) {
    let base: SimConfig;
    try {
      base = resolveConfig(input.baseConfig ?? {}, { scenario, overlays: flags });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(`scenario ${scenario} (before any --param):\n${indent(e.message)}`);
      continue;
    }
    for (const params of combos) {
      let config: SimConfig;
      try {
        config = resolveConfig(base, { overlays: [overlayOf(params)] });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        problems.push(`scenario ${scenario}, ${describeParams(params)}:\n${e.issues.map((i) => `    ✖ ${i.path === '' ? '(config)' : i.path}: ${i.message}`).join('\n')}`);
        continue;
      }
      for (const seed of input.seeds) {
        const seeded = resolveConfig(config, { overlays: [{ seed }] });
        const runConfig = runConfigOf(seeded);
        tasks.push({
          key: runKeyOf(scenario, params, seed),
          scenario,
          seed,
          params,
          config: seeded,
          runConfig,
          configHash: sha256(canonicalJson(runConfig)),
        });
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  const hash = sha256(canonicalJson(tasks.map((t) => [t.key, t.configHash]))).slice(0, 12);
  return {
    ok: true,
    plan: {
      tasks,
      spec: {
        scenarios: [...input.scenarios],
        seeds: [...input.seeds],
        params: input.params.map((p) => ({ path: p.path, values: p.values as SweepParams[string][] })),
        households: input.households ?? null,
        days: input.days ?? null,
        config_file: input.configFile ?? null,
        hash,
      },
    },
  };
}

const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
