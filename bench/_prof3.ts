import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { initBackend, createModel, getWeights } from '../agents/transformer/index.ts';
import { prepareWeights, encode } from '../agents/transformer/inference.ts';
await initBackend();
const rngFor = (p: string) => seedrandom.alea(`cmp:${p}`);
const model = createModel('small', rngFor);
const c = model.config;
const B = 1024;
const r = rngFor('x');
const inputs = Float32Array.from({ length: B * c.window * c.features }, () => r());
const prep = prepareWeights(c, getWeights(model));
const f = () => tf.tidy(() => { const x = tf.tensor3d(inputs, [B, c.window, c.features]); encode(prep, x).dataSync(); });
for (let i = 0; i < 3; i++) f();
// per kernel instance: min over runs
let mins: number[] | null = null; let names: string[] = [];
for (let rep = 0; rep < 15; rep++) {
  const p = await tf.profile(f);
  const t = p.kernels.map((k) => Number(k.kernelTimeMs));
  names = p.kernels.map((k) => `${k.name} ${JSON.stringify(k.outputShapes?.[0] ?? '')}`);
  mins = mins ? mins.map((m, i) => Math.min(m, t[i])) : t;
}
const agg = new Map<string, [number, number]>();
names.forEach((n, i) => { const k = n.split(' ')[0]; const e = agg.get(k) ?? [0, 0]; e[0] += mins![i]; e[1]++; agg.set(k, e); });
const total = mins!.reduce((a, b) => a + b, 0);
console.log('sum of per-kernel minima (ms per 1024 rows):', total.toFixed(1));
for (const [k, [t, n]] of [...agg].sort((a, b) => b[1][0] - a[1][0])) if (t > 0.05) console.log(' ', k.padEnd(22), String(n).padStart(3), t.toFixed(2));
