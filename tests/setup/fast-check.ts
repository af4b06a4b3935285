/**
 * Property tests run from one fixed seed so CI is reproducible; `FC_SEED=<n>` replays another seed
 * and `FC_SEED=random` explores fresh ones (fast-check prints the seed and path of any failure).
 */
import fc from 'fast-check';

const requested = process.env.FC_SEED;
if (requested !== 'random') {
  const seed = requested === undefined || requested === '' ? 20_261_201 : Number(requested);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got "${requested}"`);
  fc.configureGlobal({ seed });
}
