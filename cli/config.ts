/**
 * The CLI's side of configuration: read the config file (default ./sim.config.json when present)
 * and turn the command-line flags into overlays for sim's `resolveConfig`, each flag named beside
 * the field it set when that field is invalid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ConfigError, resolveConfig, sourced, type ConfigOverlay, type SimConfig } from '../sim/index.ts';

export interface ConfigFlags {
  config?: string;
  scenario?: string;
  households?: string;
  days?: string;
  start?: string;
  seed?: string;
  out?: string;
  /** `path=value` overlays (repeatable `--param`) */
  param?: string[];
  /** measured homes instead of synthetic ones (INPUTS.md): meter file(s), weather file, household metadata */
  meter?: string[];
  weather?: string;
  homes?: string;
  /** json | parquet (outputs.format) */
  format?: string;
}

/** The raw content of a config file: `file` (relative to cwd), else ./sim.config.json when it exists, else {}. */
export function readConfigFile(file: string | undefined, cwd: string): unknown {
  const path = file ? resolve(cwd, file) : resolve(cwd, 'sim.config.json');
  if (!file && !existsSync(path)) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`✖ cannot read config file ${path}`, [{ path: '', message: 'cannot read file' }]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`✖ ${path} is not valid JSON: ${(e as Error).message}`, [{ path: '', message: 'invalid JSON' }]);
  }
}

/**
 * Reads the config file, applies the scenario, the --param values and the flags (in that order),
 * validates. A run on measured homes without --out is written to runs/meter-<first file's stem>-…,
 * not to the scenario's folder.
 */
export function loadConfig(flags: ConfigFlags, cwd = process.cwd()): SimConfig {
  const raw = readConfigFile(flags.config, cwd);
  const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
  const overlays: ConfigOverlay[] = [...(flags.param ?? [])];
  if (flags.seed !== undefined) overlays.push(sourced('--seed', { seed: num(flags.seed) }));
  if (flags.households !== undefined) overlays.push(sourced('--households', { households: { count: num(flags.households) } }));
  if (flags.days !== undefined) overlays.push(sourced('--days', { time: { days: num(flags.days) } }));
  if (flags.start !== undefined) overlays.push(sourced('--start', { time: { start: flags.start } }));
  if (flags.out !== undefined) overlays.push(sourced('--out', { outputs: { dir: flags.out } }));
  if (flags.format !== undefined) overlays.push(sourced('--format', { outputs: { format: flags.format } }));
  if (flags.meter !== undefined && flags.meter.length > 0) {
    const source = { kind: 'meter', meter: flags.meter.length === 1 ? flags.meter[0] : flags.meter, weather: flags.weather, homes: flags.homes };
    overlays.push(sourced('--meter', { households: { source } }));
  } else if (flags.weather !== undefined || flags.homes !== undefined) {
    throw new ConfigError('✖ --weather and --homes describe measured homes: give the meter data with --meter FILE', [{ path: 'households.source', message: 'no --meter' }]);
  }
  const scenario = flags.scenario === undefined ? undefined : sourced('--scenario', flags.scenario);
  const config = resolveConfig(raw, { scenario, overlays });
  const dirGiven = flags.out !== undefined || (flags.param ?? []).some((p) => /^\s*outputs(\.dir)?\s*=/.test(p));
  const source = config.households.source;
  if (source.kind !== 'meter' || dirGiven || !config.outputs.dir.includes('{scenario}')) return config;
  // measured homes are not the scenario's synthetic ones: their folder is named after the data
  const files = typeof source.meter === 'string' ? [source.meter] : source.meter;
  const stem = basename(files[0]).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  const name = `meter-${stem}${files.length > 1 ? `+${files.length - 1}` : ''}${flags.scenario === undefined ? '' : '-{scenario}'}`;
  return resolveConfig(raw, { scenario, overlays: [...overlays, sourced('--meter', { outputs: { dir: config.outputs.dir.replaceAll('{scenario}', name) } })] });
}
