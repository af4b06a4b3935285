/**
 * `--param path=value` config parameters as plain data: the one parser behind `wattswap sweep
 * --param` (a list of values per path) and `wattswap run|validate --param` (one value per path),
 * the nested overlay a parameter set stands for, and canonical JSON. Pure; problems come back as
 * typed values.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface ParamSpec {
  path: string;
  values: unknown[];
}

/** What a command lets `--param` set. */
export interface ParamRules {
  /** whether a path takes a comma-separated list of values (a sweep) or exactly one (a run) */
  list: boolean;
  /** top-level config fields a parameter may not set, with the reason shown */
  reserved: Readonly<Record<string, string>>;
}

/** `wattswap run` and `validate`: one value per path; every config field but `$schema`. */
export const SINGLE_VALUE_PARAMS: ParamRules = {
  list: false,
  reserved: { $schema: 'not a simulation setting' },
};

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

const PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/** Parses `battery.capacityKwh=5,10,13.5` (a list, when the rules allow one) or `market.rule=pay-as-bid`. */
export function parseParamWith(text: string, rules: ParamRules): Parsed<ParamSpec> {
  const eq = text.indexOf('=');
  if (eq < 0) return { ok: false, reason: `--param "${text}": expected ${rules.list ? 'path=value1,value2,…' : 'path=value'}` };
  const path = text.slice(0, eq).trim();
  if (!PATH.test(path)) return { ok: false, reason: `--param "${text}": "${path}" is not a dotted config path like battery.capacityKwh` };
  const root = path.split('.')[0];
  if (root in rules.reserved) {
    return { ok: false, reason: `--param "${text}": ${root} cannot be ${rules.list ? 'swept' : 'set'} as a parameter (${rules.reserved[root]})` };
  }
  const raw = splitTopLevel(text.slice(eq + 1));
  if (raw.some((v) => v.trim() === '')) return { ok: false, reason: `--param "${text}": empty value${rules.list ? ' in the list' : ''}` };
  if (!rules.list && raw.length > 1) {
    return { ok: false, reason: `--param "${text}": one value per path (several values make a sweep: wattswap sweep --param)` };
  }
  const values = raw.map(parseValue);
  const seen = new Set<string>();
  for (const v of values) {
    const c = canonicalJson(v);
    if (seen.has(c)) return { ok: false, reason: `--param "${text}": value ${c} is listed twice` };
    seen.add(c);
  }
  return { ok: true, value: { path, values } };
}

export interface ParsedParams {
  params: ParamSpec[];
  problems: string[];
  /** the problems again, each with the config path it is about (as typed, when it did not parse) */
  issues: { path: string; message: string }[];
}

/** Parses every --param; also refuses a path given twice or one path inside another. */
export function parseParamsWith(texts: readonly string[], rules: ParamRules): ParsedParams {
  const params: ParamSpec[] = [];
  const issues: { path: string; message: string }[] = [];
  for (const t of texts) {
    const p = parseParamWith(t, rules);
    if (!p.ok) {
      issues.push({ path: (t.includes('=') ? t.slice(0, t.indexOf('=')) : t).trim(), message: p.reason });
      continue;
    }
    const clash = params.find((q) => q.path === p.value.path || q.path.startsWith(`${p.value.path}.`) || p.value.path.startsWith(`${q.path}.`));
    if (clash) issues.push({ path: p.value.path, message: `--param ${p.value.path}: overlaps --param ${clash.path}; give each config path once` });
    else params.push(p.value);
  }
  return { params, problems: issues.map((i) => i.message), issues };
}

/** `{ "battery.capacityKwh": 5 }` → `{ battery: { capacityKwh: 5 } }`, to merge onto a config. */
export function overlayOf(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
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
