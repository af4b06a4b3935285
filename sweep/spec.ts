/**
 * The sweep's command-line spec as plain data: seed lists and ranges, swept config parameters (the
 * `--param` parser of ../params.ts with the sweep's rules) and the hashes that name runs and
 * sweeps. Pure; problems come back as typed values.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, parseParamsWith, parseParamWith, unknownConfigPath, type ParamRules, type ParamSpec, type Parsed, type ParsedParams } from '../sim/index.ts';
import type { SweepParams } from './contract.ts';

export { canonicalJson, overlayOf, parseValue, splitTopLevel, type ParamSpec, type Parsed } from '../sim/index.ts';

export const MAX_SEED = 4294967295;
/** guards against a typo like 1..100000000 expanding into a sweep nobody meant */
export const MAX_SEEDS = 100_000;

/**
 * Parses `1..50`, `1,2,7`, `1..3,10` into ascending, de-duplicated seeds. Ranges are inclusive.
 */
export function parseSeeds(text: string): Parsed<number[]> {
  const tokens = text.split(',').map((t) => t.trim());
  const seeds = new Set<number>();
  for (const token of tokens) {
    if (token === '') return { ok: false, reason: `--seeds "${text}": empty item (expected e.g. 1..50 or 1,2,7 or 1..3,10)` };
    const range = /^(\d+)\s*\.\.\s*(\d+)$/.exec(token);
    const single = /^\d+$/.exec(token);
    if (!range && !single) return { ok: false, reason: `--seeds "${text}": "${token}" is neither a whole number nor a range a..b` };
    const from = Number(range ? range[1] : token);
    const to = Number(range ? range[2] : token);
    if (from > MAX_SEED || to > MAX_SEED) return { ok: false, reason: `--seeds "${text}": seeds go from 0 to ${MAX_SEED}` };
    if (from > to) return { ok: false, reason: `--seeds "${text}": range ${token} runs backwards` };
    if (to - from + 1 + seeds.size > MAX_SEEDS) return { ok: false, reason: `--seeds "${text}": more than ${MAX_SEEDS} seeds` };
    for (let s = from; s <= to; s++) seeds.add(s);
  }
  return { ok: true, value: [...seeds].sort((a, b) => a - b) };
}

/** roots a parameter may not sweep: the sweep sets them itself, or they do not change a run */
export const SWEEP_PARAMS: ParamRules = {
  list: true,
  reserved: {
    seed: 'use --seeds',
    scenario: 'use --scenarios',
    outputs: 'outputs do not change a run',
    $schema: 'not a simulation setting',
  },
};

/** Parses `battery.capacityKwh=5,10,13.5` or `market.rule=instant,pay-as-bid`. */
export function parseParam(text: string): Parsed<ParamSpec> {
  return parseParamWith(text, SWEEP_PARAMS);
}

/** Parses every --param; also refuses a path given twice, one path inside another, and a path the config does not have (as `run` does). */
export function parseParams(texts: readonly string[]): ParsedParams {
  const parsed = parseParamsWith(texts, SWEEP_PARAMS);
  for (const p of parsed.params) {
    const unknown = unknownConfigPath(p.path);
    if (unknown) {
      parsed.problems.push(`--param ${p.path}: ${unknown}`);
      parsed.issues.push({ path: p.path, message: `--param ${p.path}: ${unknown}` });
    }
  }
  return parsed;
}

/** Every combination of the parameter values, the first parameter varying slowest. */
export function paramCombinations(params: readonly ParamSpec[]): SweepParams[] {
  let combos: SweepParams[] = [{}];
  for (const p of params) {
    const next: SweepParams[] = [];
    for (const c of combos) for (const v of p.values) next.push({ ...c, [p.path]: v as SweepParams[string] });
    combos = next;
  }
  return combos;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');

/**
 * File-system-safe run key: readable scenario, parameters and seed, then 10 hex digits of the
 * hash of (scenario, params, seed) so that truncated or slugged names cannot collide.
 */
export function runKeyOf(scenario: string, params: SweepParams, seed: number): string {
  const hash = sha256(canonicalJson({ scenario, params, seed })).slice(0, 10);
  const readableParams = Object.entries(params)
    .map(([path, v]) => `${path.split('.').pop()}-${slug(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('_');
  const readable = [slug(scenario), slug(readableParams)].filter((s) => s !== '').join('_').slice(0, 80);
  return `${readable}_seed${seed}_${hash}`;
}

/** `scenario:seed` of --plot-run. */
export function parsePlotRun(text: string): Parsed<{ scenario: string; seed: number }> {
  const m = /^([^:]+):(\d+)$/.exec(text.trim());
  if (!m) return { ok: false, reason: `--plot-run "${text}": expected scenario:seed, e.g. baseline-summer:1` };
  return { ok: true, value: { scenario: m[1], seed: Number(m[2]) } };
}

/** `battery.capacityKwh=5, market.rule=instant` (or `defaults`). */
export function describeParams(params: SweepParams): string {
  const parts = Object.entries(params).map(([p, v]) => `${p}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? parts.join(', ') : 'defaults';
}
