/**
 * `resolveConfig(raw, { scenario, overlays })`: the one way a run's config is put together, for
 * the CLI, the sweep planner and the live server. The raw config (a parsed file, the server's base
 * config), then a named scenario's overlay and its name, then the overlays in order (partial
 * configs, and `path=value` parameters read by the same parser as `wattswap sweep --param`), merged
 * and validated once into a frozen SimConfig, or a ConfigError naming every bad field. Reading a
 * file is the caller's business.
 */
import { didYouMean } from '../common/index.ts';
import { ConfigError, mergeConfig, parseSimConfig, SimConfigSchema, type SimConfig } from './config.ts';
import { overlayOf, parseParamsWith, SINGLE_VALUE_PARAMS } from './params.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';

/** A value and where it came from (a command-line flag such as `--households`); errors name the source beside the fields it set. */
export class Sourced<T> {
  constructor(
    readonly source: string,
    readonly value: T,
  ) {}
}

export const sourced = <T>(source: string, value: T): Sourced<T> => new Sourced(source, value);

/** A partial config, the same with its source, or a `path=value` parameter (one value; errors name `--param`). */
export type ConfigOverlay = string | Readonly<Record<string, unknown>> | Sourced<Readonly<Record<string, unknown>>>;

export interface ResolveOptions {
  /** a named scenario: its overlay goes onto the raw config first, its name into `scenario` */
  scenario?: string | Sourced<string>;
  /** applied in order after the scenario */
  overlays?: readonly ConfigOverlay[];
  /** where the scenario name is looked up (default: SCENARIOS) */
  scenarios?: readonly Scenario[];
}

/** The fields an overlay sets, each with the source named in errors about it (or beneath it). */
interface Provenance {
  source: string;
  paths: string[];
}

export function resolveConfig(raw: unknown, options: ResolveOptions = {}): SimConfig {
  const layers: unknown[] = [raw];
  const provenance: Provenance[] = [];
  if (options.scenario !== undefined) {
    const { name, source } = options.scenario instanceof Sourced ? { name: options.scenario.value, source: options.scenario.source } : { name: options.scenario, source: null };
    const known = options.scenarios ?? SCENARIOS;
    const scenario = known.find((s) => s.name === name);
    if (!scenario) {
      const names = known.map((s) => s.name);
      throw new ConfigError(`✖ unknown scenario "${name}"${didYouMean(name, names)}\n  → at scenario${source ? ` (${source})` : ''}; known: ${names.join(', ')}`, [
        { path: 'scenario', message: 'unknown scenario' },
      ]);
    }
    layers.push(scenario.overlay, { scenario: scenario.name });
    if (source) provenance.push({ source, paths: ['scenario'] });
  }
  const overlays = options.overlays ?? [];
  const paramValues = parseParameterOverlays(overlays.filter((o): o is string => typeof o === 'string'));
  for (const overlay of overlays) {
    if (typeof overlay === 'string') {
      const { path, value } = paramValues.get(overlay) as { path: string; value: unknown };
      layers.push(overlayOf({ [path]: value }));
      provenance.push({ source: '--param', paths: [path] });
    } else if (overlay instanceof Sourced) {
      layers.push(overlay.value);
      provenance.push({ source: overlay.source, paths: leafPaths(overlay.value, '') });
    } else layers.push(overlay);
  }
  try {
    return parseSimConfig(mergeConfig(raw, ...layers.slice(1)));
  } catch (e) {
    if (!(e instanceof ConfigError) || provenance.length === 0) throw e;
    // name the source beside the field it set: the last overlay to set it is the one that counts
    const message = e.message.replace(/→ at ([\w.]+)/g, (m, path: string) => {
      const from = [...provenance].reverse().find((p) => p.paths.some((q) => path === q || path.startsWith(`${q}.`)));
      return from ? `${m} (${from.source})` : m;
    });
    throw new ConfigError(message, e.issues);
  }
}

/** Parses the `path=value` overlays (refusing unknown config paths); their values by the text given. */
function parseParameterOverlays(texts: readonly string[]): Map<string, { path: string; value: unknown }> {
  const { params, issues } = parseParamsWith(texts, SINGLE_VALUE_PARAMS);
  for (const p of params) {
    const unknown = unknownConfigPath(p.path);
    if (unknown) issues.push({ path: p.path, message: `--param ${p.path}: ${unknown}` });
  }
  if (issues.length) throw new ConfigError(issues.map((i) => `✖ ${i.message}`).join('\n'), issues);
  const byText = new Map<string, { path: string; value: unknown }>();
  texts.forEach((t, i) => byText.set(t, { path: params[i].path, value: params[i].values[0] }));
  return byText;
}

interface SchemaNode {
  _zod: { def: { type: string; innerType?: SchemaNode; in?: SchemaNode; shape?: Record<string, SchemaNode>; catchall?: SchemaNode; options?: SchemaNode[] } };
}

/** Why a dotted path names no field of the config schema, or null when it does. */
export function unknownConfigPath(path: string): string | null {
  let node = SimConfigSchema as unknown as SchemaNode;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    let def = node._zod.def;
    for (let inner = def.innerType ?? def.in; inner; inner = def.innerType ?? def.in) def = inner._zod.def;
    const at = parts.slice(0, i).join('.');
    // a union of objects (households.source: synthetic | meter) has the fields of any of its options
    const shapes = def.type === 'union' && def.options ? def.options.map((o) => o._zod.def.shape).filter((x): x is Record<string, SchemaNode> => !!x) : null;
    if (shapes && shapes.length) {
      const owner = shapes.find((shape) => shape[parts[i]]);
      const fields = [...new Set(shapes.flatMap((x) => Object.keys(x)))];
      if (!owner) return `${at} has no field "${parts[i]}"${didYouMean(parts[i], fields)}; its fields: ${fields.join(', ')}`;
      node = owner[parts[i]];
      continue;
    }
    if (def.type !== 'object' || !def.shape) return `${at} is a single value, not a group of fields`;
    if (def.catchall && def.catchall._zod.def.type !== 'never') return null;
    const child = def.shape[parts[i]];
    if (!child) return `${at === '' ? 'the config' : at} has no field "${parts[i]}"${didYouMean(parts[i], Object.keys(def.shape))}; its fields: ${Object.keys(def.shape).join(', ')}`;
    node = child;
  }
  return null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The dotted paths of an overlay's values (undefined values set nothing). */
function leafPaths(value: unknown, prefix: string): string[] {
  if (!isPlainObject(value) || (prefix !== '' && Object.keys(value).length === 0)) return value === undefined ? [] : [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix === '' ? k : `${prefix}.${k}`));
}
