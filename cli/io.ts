/** What every command writes to, and the exit codes of the `wattswap` CLI. */
import { normalize } from 'node:path';
import { InvalidArgumentError } from 'commander';

export const EXIT_OK = 0;
/** a run (or one run of a sweep) failed */
export const EXIT_FAILURE = 1;
/** bad configuration or usage; nothing was written */
export const EXIT_USAGE = 2;

export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** progress on stderr: true, a bar (an interactive terminal); 'lines', a line now and then (a log or a pipe); false, none */
  progress: boolean | 'lines';
}

/** Sets the process exit code a command ends with. */
export type SetExit = (code: number) => void;

/** A repeatable option's values in the order given. */
export const collect = (v: string, prev: string[]): string[] => [...prev, v];

export const positiveInt = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError(`${name} must be a whole number`);
  return v;
};

export const nonNegativeNumber = (name: string) => (v: string) => {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0`);
  return x;
};

export const PARAM_HELP = 'a config value, e.g. agents.forecaster=gated (repeatable; the value parsed as JSON, else a string)';

/** A path as the user gave it: absolute stays absolute, relative stays relative; no trailing slash. */
export function shownPath(given: string): string {
  const p = normalize(given).replace(/(.)\/+$/, '$1');
  return p === '' ? '.' : p;
}
