/**
 * The central agent's adaptive step for FedAvg rounds (FedAdam, Reddi et al. 2021, "Adaptive
 * Federated Optimization"): the averaged client update Δ = mean(wₖ) − w is treated as a
 * pseudo-gradient and the global weights move by Adam on it, w ← w + η · m̂ / (√v̂ + ε), with
 * m, v the exponential moments of Δ and Δ² and the usual bias correction. Clients train with
 * plain SGD; the server's moments carry from round to round, so a client that takes one step a
 * round still gets an adaptive, momentum-smoothed optimiser (client-side Adam restarted every
 * round would take sign-like first steps whose noise the average does not cancel). Typed arrays,
 * float64 moments; the state is the server's own and is updated in place.
 */

export interface ServerAdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface ServerAdamState {
  readonly m: Float64Array[];
  readonly v: Float64Array[];
  steps: number;
}

export function createServerAdam(sizes: readonly number[]): ServerAdamState {
  return { m: sizes.map((n) => new Float64Array(n)), v: sizes.map((n) => new Float64Array(n)), steps: 0 };
}

/** One server step from `global` towards the clients' `averaged` weights; returns the new global weights. */
export function serverAdamStep(state: ServerAdamState, global: readonly Float32Array[], averaged: readonly Float32Array[], o: ServerAdamOptions): Float32Array[] {
  const b1 = o.beta1 ?? 0.9;
  const b2 = o.beta2 ?? 0.999;
  const eps = o.epsilon ?? 1e-8;
  if (!(o.learningRate > 0)) throw new RangeError(`server learning rate must be > 0, got ${o.learningRate}`);
  if (global.length !== state.m.length || averaged.length !== state.m.length) throw new RangeError('weights do not match the server state');
  state.steps++;
  const c1 = 1 - Math.pow(b1, state.steps);
  const c2 = 1 - Math.pow(b2, state.steps);
  return global.map((g, i) => {
    const a = averaged[i];
    const m = state.m[i];
    const v = state.v[i];
    if (g.length !== m.length || a.length !== m.length) throw new RangeError(`tensor ${i}: expected ${m.length} values`);
    const out = new Float32Array(g.length);
    for (let j = 0; j < g.length; j++) {
      const d = a[j] - g[j];
      m[j] = b1 * m[j] + (1 - b1) * d;
      v[j] = b2 * v[j] + (1 - b2) * d * d;
      out[j] = g[j] + (o.learningRate * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + eps);
    }
    return out;
  });
}
