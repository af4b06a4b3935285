import seedrandom from 'seedrandom';
import type { RngFactory } from '../../../common/index.ts';

/** Seeded streams for tests: same purpose, same draws. */
export function testRngFor(seed = 'test'): RngFactory {
  return (p) => seedrandom.alea(`${seed}:${p}`);
}

/** Uniform values in [lo, hi) from a seeded stream. */
export function uniformArray(length: number, rng: () => number, lo = 0, hi = 1): Float32Array {
  return Float32Array.from({ length }, () => lo + (hi - lo) * rng());
}
