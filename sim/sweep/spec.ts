/**
 * The sweep's command-line spec as plain data: seed lists and ranges, swept config parameters,
 * canonical JSON and the hashes that name runs and sweeps. Pure; problems come back as typed values.
 */
import { createHash } from 'node:crypto';
import type { SweepParams } from './contract.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

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

/** Splits a comma-separated list at the commas outside brackets, braces and double quotes. */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** A value as JSON when it parses (5, 13.5, true, null, "x", [1,2]), else the trimmed string. */
export function parseValue(text: string): unknown {
  const t = text.trim();
  try {
    return JSON.parse(t);
  } catch {
    return t;
  }
}

export interface ParamSpec {
  path: string;
  values: unknown[];
}

const PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
/** roots a parameter may not sweep: the sweep sets them itself, or they do not change a run */
const RESERVED: Record<string, string> = {
  seed: 'use --seeds',
  scenario: 'use --scenarios',
  outputs: 'outputs do not change a run',
  $schema: 'not a simulation setting',
};

/** Parses `battery.capacityKwh=5,10,13.5` or `market.rule=instant,pay-as-bid`. */
export function parseParam(text: string): Parsed<ParamSpec> {
  const eq = text.indexOf('=');
  if (eq < 0) return { ok: false, reason: `--param "${text}": expected path=value1,value2,…` };
  const path = text.slice(0, eq).trim();
  if (!PATH.test(path)) return { ok: false, reason: `--param "${text}": "${path}" is not a dotted config path like battery.capacityKwh` };
  const root = path.split('.')[0];
  if (root in RESERVED) return { ok: false, reason: `--param "${text}": ${root} cannot be swept as a parameter (${RESERVED[root]})` };
  const raw = splitTopLevel(text.slice(eq + 1));
  if (raw.some((v) => v.trim() === '')) return { ok: false, reason: `--param "${text}": empty value in the list` };
  const values = raw.map(parseValue);
  const seen = new Set<string>();
  for (const v of values) {
    const c = canonicalJson(v);
    if (seen.has(c)) return { ok: false, reason: `--param "${text}": value ${c} is listed twice` };
    seen.add(c);
  }
  return { ok: true, value: { path, values } };
}

/** Parses every --param; also refuses a path given twice or one path inside another. */
export function parseParams(texts: readonly string[]): { params: ParamSpec[]; problems: string[] } {
  const params: ParamSpec[] = [];
  const problems: string[] = [];
  for (const t of texts) {
    const p = parseParam(t);
    if (!p.ok) {
      problems.push(p.reason);
      continue;
    }
    const clash = params.find((q) => q.path === p.value.path || q.path.startsWith(`${p.value.path}.`) || p.value.path.startsWith(`${q.path}.`));
    if (clash) problems.push(`--param ${p.value.path}: overlaps --param ${clash.path}; give each config path once`);
    else params.push(p.value);
  }
  return { params, problems };
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

/** `{ "battery.capacityKwh": 5 }` → `{ battery: { capacityKwh: 5 } }`, to merge onto a config. */
export function overlayOf(params: SweepParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(params)) {
    const parts = path.split('.');
    let node = out;
    for (const k of parts.slice(0, -1)) {
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

/** JSON with object keys sorted at every level: equal data, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .filter((k) => o[k] !== undefined)
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v;
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
