/**
 * The one adapter to HiGHS (the LP/MILP solver, WASM): a loader that loads the runtime once per
 * thread, the solve options every caller uses, and the CPLEX-LP text helpers the models are
 * written with. The household planner (agents) and the community optimum (central) both use it.
 */
import highsModule from 'highs';
import type { Highs, InitOptions, LegacyHighsOptions, LegacyHighsSolution } from 'highs';

export type { Highs, LegacyHighsOptions as HighsSolveOptions, LegacyHighsSolution as HighsSolution };

/**
 * `highs` ships one CommonJS-flavoured .d.ts for both builds, so under NodeNext TypeScript types the
 * default import as the CJS module object, while Node loads the ESM build whose default export is
 * the loader itself. Accept either shape.
 */
const highsLoader = ((highsModule as unknown as { default?: unknown }).default ?? highsModule) as (options?: InitOptions) => Promise<Highs>;

let loaded: Promise<Highs> | null = null;

/**
 * The HiGHS runtime, loaded on first use and shared afterwards (loading the WASM is the slow part).
 * Sharing is safe: every `solve()` builds a fresh native solver, so solves never share a model,
 * options or a basis. A failed load is forgotten, so the next call tries again.
 */
export function loadHighs(): Promise<Highs> {
  if (!loaded) {
    loaded = highsLoader();
    loaded.catch(() => {
      loaded = null;
    });
  }
  return loaded;
}

/**
 * Options of every wattswap solve: quiet, deterministic, and the MIP gap closed to a millionth of
 * the objective (HiGHS default 1e-4); measured on a 10-home week, the tighter gap costs no
 * noticeable time.
 */
export const HIGHS_SOLVE_OPTIONS: LegacyHighsOptions = Object.freeze({
  output_flag: false,
  log_to_console: false,
  mip_rel_gap: 1e-6,
  random_seed: 0,
});

/** Magnitudes below this are written as 0 (float dust such as a 2e-16 kWh PV reading upsets HiGHS's scaling). */
const LP_ZERO = 1e-12;

/** Number text HiGHS's LP reader accepts: 12 significant digits, no exponent, no '-0'. */
export function formatLpNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} into an LP model`);
  const rounded = Number(value.toPrecision(12));
  if (Math.abs(rounded) < LP_ZERO) return '0';
  const text = String(rounded);
  if (!text.includes('e')) return text;
  return rounded.toFixed(20).replace(/\.?0+$/, '');
}

/** "+ 2.5 G0_3" style term (a coefficient of ±1 is written as the sign alone); the caller skips zero coefficients. */
export function lpTerm(coefficient: number, name: string): string {
  const magnitude = Math.abs(coefficient);
  const sign = coefficient < 0 ? '-' : '+';
  return magnitude === 1 ? `${sign} ${name}` : `${sign} ${formatLpNumber(magnitude)} ${name}`;
}

/** The primal value of every column of a solution, by column name. */
export function primalValues(solution: LegacyHighsSolution): Record<string, { Primal?: number }> {
  return solution.Columns as Record<string, { Primal?: number }>;
}
