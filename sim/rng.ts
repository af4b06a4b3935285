import seedrandom from 'seedrandom';
import type { RngFactory } from '../common/index.ts';

/**
 * The run's one seeded generator, as a factory of derived streams (one per purpose). Uses
 * seedrandom's Alea (fast, good statistical quality, state is plain data).
 */
export function createRngFactory(seed: number): RngFactory {
  return (purpose: string) => seedrandom.alea(`wattswap:${seed}:${purpose}`);
}
