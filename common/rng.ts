/** A uniform [0, 1) generator. Every random draw in wattswap comes from one of these. */
export type Rng = () => number;

/**
 * Derives an independent stream per purpose from the run's single seed, e.g.
 * `rngFor('data-gen/weather')`, `rngFor('data-gen/h0007/load')`. Adding a household never shifts
 * another household's draws because each stream is keyed by its purpose, not by draw order.
 */
export type RngFactory = (purpose: string) => Rng;

/** The first uniform of a Box–Muller pair is raised to this, so a draw of exactly 0 stays finite. */
const MIN_UNIFORM = 1e-12;

/** Standard normal draw (Box–Muller, two uniforms per call; deterministic given the stream). */
export function normal(rng: Rng): number {
  let u = rng();
  if (u < MIN_UNIFORM) u = MIN_UNIFORM;
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
