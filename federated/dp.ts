/**
 * Differential privacy for FedAvg rounds (DP-FedAvg, McMahan et al. 2018, "Learning
 * Differentially Private Recurrent Language Models"): each client's update Δₖ = wₖ − w_global is
 * clipped to L2 norm C, the clipped updates are averaged with equal weight over the m clients used,
 * and Gaussian noise N(0, σ²) with σ = z·C/m is added to every coordinate of the average.
 *
 * Accountant: Rényi DP of the Gaussian mechanism (Mironov 2017). Adding or removing one client
 * changes the sum of clipped updates by at most C, so one round is (α, α/(2z²))-RDP for every
 * α > 1; T rounds compose to T·α/(2z²); converting to (ε, δ)-DP with ε = RDP(α) + ln(1/δ)/(α − 1)
 * and minimising over α gives ε = T/(2z²) + √(2·T·ln(1/δ))/z.
 * Assumptions, all conservative or stated: client-level adjacency (one household's whole data);
 * the divisor m is treated as public (fixed-size participation); NO amplification by client
 * sampling is claimed, so with sampleFraction < 1 the true ε is smaller; every round counts,
 * including rounds that kept the previous weights.
 */
import { normal, type Rng } from '../common/index.ts';

export interface DpOptions {
  /** L2 bound C on each client's update (delta from the global weights) */
  clipNorm: number;
  /** z: noise standard deviation in units of C on the sum of clipped updates */
  noiseMultiplier: number;
  /** δ of the reported (ε, δ) guarantee */
  delta: number;
}

/** L2 norm over every coordinate of a weight list (float64 accumulation). */
export function l2Norm(weights: readonly Float32Array[]): number {
  let s = 0;
  for (const w of weights) for (let j = 0; j < w.length; j++) s += w[j] * w[j];
  return Math.sqrt(s);
}

/** Δ = w − reference, scaled down to L2 norm ≤ clipNorm. Returns the delta and whether it was clipped. */
export function clippedDelta(
  weights: readonly Float32Array[],
  reference: readonly Float32Array[],
  clipNorm: number,
): { delta: Float32Array[]; norm: number; clipped: boolean } {
  const delta = weights.map((w, i) => {
    const r = reference[i];
    const d = new Float32Array(w.length);
    for (let j = 0; j < w.length; j++) d[j] = w[j] - r[j];
    return d;
  });
  const norm = l2Norm(delta);
  const clipped = norm > clipNorm;
  if (clipped) {
    const f = clipNorm / norm;
    for (const d of delta) for (let j = 0; j < d.length; j++) d[j] *= f;
  }
  return { delta, norm, clipped };
}

/** Adds N(0, sigma²) to every coordinate, in place. */
export function addGaussianNoise(weights: Float32Array[], sigma: number, rng: Rng): void {
  if (sigma === 0) return;
  for (const w of weights) for (let j = 0; j < w.length; j++) w[j] += sigma * normal(rng);
}

/**
 * ε after `rounds` Gaussian-mechanism rounds with noise multiplier z, by RDP composition and the
 * standard RDP → (ε, δ) conversion, minimised over the order α in closed form (see the module
 * comment). Infinity when z = 0.
 */
export function gaussianRdpEpsilon(noiseMultiplier: number, rounds: number, delta: number): number {
  if (!(delta > 0 && delta < 1)) throw new RangeError(`δ must lie in (0, 1), got ${delta}`);
  if (rounds <= 0) return 0;
  if (!(noiseMultiplier > 0)) return Infinity;
  const z = noiseMultiplier;
  return rounds / (2 * z * z) + Math.sqrt(2 * rounds * Math.log(1 / delta)) / z;
}
