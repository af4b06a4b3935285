/**
 * The speed-of-light yardstick for the engine, copied from the project's shared
 * reference material (`shared/bench/sol_kernel.mjs`, "a hand-written typed-array kernel doing the
 * same per-tick arithmetic") so that `bench/sol.ts` can run it beside the engine in one process.
 * Per household per tick: net demand from precomputed load/PV, a threshold battery rule, an order,
 * a price-sorted greedy match with 5 % loss and grid settlement. Kept as it was written; only
 * wrapped in a function.
 */
export function solKernel(N: number, T: number): { householdTicksPerSecond: number; seconds: number; trades: number } {
  const load = new Float64Array(N * 48), pv = new Float64Array(N * 48);
  let s = 12345;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
  for (let h = 0; h < N; h++) for (let k = 0; k < 48; k++) {
    load[h * 48 + k] = 0.2 + 0.3 * rnd() + (k >= 34 && k < 42 ? 0.6 : 0);
    pv[h * 48 + k] = h % 3 === 0 && k >= 14 && k < 36 ? 1.4 * Math.sin(((k - 14) / 22) * Math.PI) : 0;
  }
  const soc = new Float64Array(N).fill(6), cost = new Float64Array(N);
  const qty = new Float64Array(N), price = new Float64Array(N), order = new Uint32Array(N);
  const sellIdx = new Uint32Array(N), buyIdx = new Uint32Array(N);
  const ce = Math.sqrt(0.9), de = Math.sqrt(0.9), step = 2.5, lo = 1.35, hi = 10.8;
  let trades = 0;
  const t0 = process.hrtime.bigint();
  for (let t = 0; t < T; t++) {
    const k = t % 48, peak = k >= 32 && k < 42, rate = peak ? 0.5224 : 0.3994, exportRate = 0.06;
    let ns = 0, nb = 0;
    for (let h = 0; h < N; h++) {
      let net = load[h * 48 + k] - pv[h * 48 + k];
      let b = soc[h];
      if (peak && net > 0) { const d = Math.min(net, step, (b - lo) * de); b -= d / de; net -= d; }
      else if (!peak && net < 0) { const c = Math.min(-net, step, (hi - b) / ce); b += c * ce; net += c; }
      else if (!peak && k < 12) { const c = Math.min(step, (hi - b) / ce); b += c * ce; net += c; }
      soc[h] = b; qty[h] = Math.abs(net);
      if (net < -1e-9) { price[h] = 0.1 + 0.3 * (h % 7) / 7; sellIdx[ns++] = h; }
      else if (net > 1e-9) { price[h] = rate - 0.02 * (h % 5); buyIdx[nb++] = h; }
    }
    const sells = sellIdx.subarray(0, ns).sort((a, b) => price[a] - price[b] || a - b);
    const buys = buyIdx.subarray(0, nb).sort((a, b) => price[b] - price[a] || a - b);
    let i = 0, j = 0;
    while (i < ns && j < nb) {
      const sh = sells[i], bh = buys[j];
      if (price[sh] > price[bh]) break;
      const sent = Math.min(qty[sh], qty[bh] / 0.95, 2);
      const p = 0.5 * (price[sh] + price[bh]);
      cost[sh] -= sent * p; cost[bh] += sent * p;
      qty[sh] -= sent; qty[bh] -= sent * 0.95; trades++;
      if (qty[sh] < 1e-9) i++;
      if (qty[bh] < 1e-9) j++;
    }
    for (let a = 0; a < ns; a++) cost[sells[a]] -= qty[sells[a]] * exportRate;
    for (let a = 0; a < nb; a++) cost[buys[a]] += qty[buys[a]] * rate;
    order[0] = t;
  }

  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { householdTicksPerSecond: (N * T) / seconds, seconds, trades };
}
