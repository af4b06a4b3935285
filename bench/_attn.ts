import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { initBackend, multiHeadSelfAttention } from '../agents/transformer/index.ts';
await initBackend();
const B = Number(process.argv[2] ?? 1024), T = 12, D = 32, H = 4, dk = 8;
const x = tf.randomNormal([B, T, D]) as tf.Tensor3D;
const p: any = {};
for (const k of ['wq', 'wk', 'wv', 'wo']) p[k] = tf.randomNormal([D, D]).mul(0.2);
for (const k of ['bq', 'bk', 'bv', 'bo']) p[k] = tf.randomNormal([D]).mul(0.1);
const wqkv = tf.concat([p.wq, p.wk, p.wv], 1) as tf.Tensor2D;
const bqkv = tf.concat([p.bq, p.bk, p.bv]) as tf.Tensor1D;
// group-sum matrix [D, H]: G[h*dk+d, h] = 1, and its transpose
const g = new Float32Array(D * H); for (let i = 0; i < D; i++) g[i * H + Math.floor(i / dk)] = 1;
const G = tf.tensor2d(g, [D, H]); const GT = G.transpose() as tf.Tensor2D;
const scale = 1 / Math.sqrt(dk);
function v1(x: tf.Tensor3D): tf.Tensor {
  const qkv = tf.fused.matMul({ a: x.reshape([B * T, D]), b: wqkv, bias: bqkv }); // [B*T, 3D]
  const [q, k, v] = tf.split(qkv, 3, 1);
  const prod = q.reshape([B, T, 1, D]).mul(k.reshape([B, 1, T, D])); // [B, i, j, D]
  const s = tf.matMul(prod.reshape([B * T * T, D]), G).mul(scale); // [B*i*j, H]
  const w = tf.softmax(s.reshape([B, T, T, H]).transpose([0, 1, 3, 2]), -1); // [B, i, H, j]
  const wExp = w.reshape([B, T, H, 1, T]).mul(tf.ones([1, 1, 1, dk, 1])); // [B,i,H,dk,j]
  const vt = v.reshape([B, 1, T, D]).transpose([0, 1, 3, 2]).reshape([B, 1, H, dk, T]); // [B,1,H,dk,j]
  const ctx = wExp.mul(vt).sum(-1).reshape([B * T, D]);
  return tf.fused.matMul({ a: ctx, b: p.wo, bias: p.bo }).reshape([B, T, D]);
}
function v2(x: tf.Tensor3D): tf.Tensor {
  // per-head batched matmul but with fused qkv and built-in transpose flags
  const qkv = tf.fused.matMul({ a: x.reshape([B * T, D]), b: wqkv, bias: bqkv }).reshape([B, T, 3, H, dk]).transpose([2, 0, 3, 1, 4]); // [3,B,H,T,dk]
  const [q, k, v] = tf.unstack(qkv) as tf.Tensor4D[];
  const s = tf.matMul(q, k, false, true).mul(scale);
  const w = tf.softmax(s, -1);
  const ctx = tf.matMul(w, v).transpose([0, 2, 1, 3]).reshape([B * T, D]);
  return tf.fused.matMul({ a: ctx, b: p.wo, bias: p.bo }).reshape([B, T, D]);
}
function v3(x: tf.Tensor3D): tf.Tensor {
  // scores via broadcast-multiply + group-sum matmul; context via per-j accumulation
  const qkv = tf.fused.matMul({ a: x.reshape([B * T, D]), b: wqkv, bias: bqkv });
  const [q, k, v] = tf.split(qkv, 3, 1);
  const prod = q.reshape([B, T, 1, D]).mul(k.reshape([B, 1, T, D]));
  const s = tf.matMul(prod.reshape([B * T * T, D]), G).mul(scale).reshape([B, T, T, H]);
  const w = tf.softmax(s.transpose([0, 1, 3, 2]), -1).transpose([0, 1, 3, 2]); // [B,i,j,H]
  const wExp = tf.matMul(w.reshape([B * T * T, H]), GT).reshape([B, T, T, D]); // [B,i,j,D]
  const ctx = wExp.mul(v.reshape([B, 1, T, D])).transpose([0, 1, 3, 2]).sum(-1).reshape([B * T, D]);
  return tf.fused.matMul({ a: ctx, b: p.wo, bias: p.bo }).reshape([B, T, D]);
}
// block masks: scores [B,T,32]x[B,32,H*T], context [B,T,H*T]x[B,H*T,32]
const km = new Float32Array(D * H * T); for (let r = 0; r < D; r++) for (let c = 0; c < H * T; c++) km[r * H * T + c] = Math.floor(r / dk) === Math.floor(c / T) ? 1 : 0;
const KM = tf.tensor2d(km, [D, H * T]);
const vm = new Float32Array(H * T * D); for (let r = 0; r < H * T; r++) for (let c = 0; c < D; c++) vm[r * D + c] = Math.floor(r / T) === Math.floor(c / dk) ? 1 : 0;
const VM = tf.tensor2d(vm, [H * T, D]);
function v4(x: tf.Tensor3D): tf.Tensor {
  const qkv = tf.fused.matMul({ a: x.reshape([B * T, D]), b: wqkv, bias: bqkv });
  const [q, k, v] = tf.split(qkv, 3, 1);
  const kbd = k.reshape([B, T, D]).transpose([0, 2, 1]).tile([1, 1, H]).mul(KM); // [B, D, H*T]
  const s = tf.matMul(q.reshape([B, T, D]), kbd).mul(scale); // [B, T, H*T]
  const w = tf.softmax(s.reshape([B, T, H, T]), -1).reshape([B, T, H * T]);
  const vbd = v.reshape([B, T, D]).tile([1, H, 1]).mul(VM); // [B, H*T, D]
  const ctx = tf.matMul(w, vbd).reshape([B * T, D]);
  return tf.fused.matMul({ a: ctx, b: p.wo, bias: p.bo }).reshape([B, T, D]);
}
// depthwise 1×1 conv with channel multiplier as a per-channel outer product, then XNNPACK sums
const sd = new Float32Array(dk * T * T); for (let d = 0; d < dk; d++) for (let j = 0; j < T; j++) sd[(d * T + j) * T + j] = 1; // [(d,j), j]
const SD = tf.tensor2d(sd, [dk * T, T]);
const sj = new Float32Array(T * dk * dk); for (let j = 0; j < T; j++) for (let d = 0; d < dk; d++) sj[(j * dk + d) * dk + d] = 1; // [(j,d), d]
const SJ = tf.tensor2d(sj, [T * dk, dk]);
function v5(x: tf.Tensor3D): tf.Tensor {
  const qkv = tf.fused.matMul({ a: x.reshape([B * T, D]), b: wqkv, bias: bqkv });
  const [q, k, v] = tf.split(qkv, 3, 1);
  const qIn = q.reshape([B, T, D]).transpose([1, 0, 2]).reshape([1, T, 1, B * D]); // [i, (b,h,d)]
  const kF = k.reshape([B, T, H, dk]).transpose([0, 2, 3, 1]).reshape([1, 1, B * D, T]); // [(b,h,d), j]
  const prod = tf.depthwiseConv2d(qIn as tf.Tensor4D, kF as tf.Tensor4D, 1, 'valid'); // [1, i, 1, (b,h,d,j)]
  const s = tf.matMul(prod.reshape([T * B * H, dk * T]), SD).mul(scale); // [(i,b,h), j]
  const w = tf.softmax(s, -1); // [(i,b,h), j]
  const vF = v.reshape([B, T, H, dk]).transpose([0, 2, 1, 3]).reshape([1, 1, B * H * T, dk]); // [(b,h,j), d]
  const prod2 = tf.depthwiseConv2d(w.reshape([1, T, 1, B * H * T]) as tf.Tensor4D, vF as tf.Tensor4D, 1, 'valid'); // [1, i, 1, (b,h,j,d)]
  const ctx = tf.matMul(prod2.reshape([T * B * H, T * dk]), SJ).reshape([T, B, D]).transpose([1, 0, 2]).reshape([B * T, D]);
  return tf.fused.matMul({ a: ctx, b: p.wo, bias: p.bo }).reshape([B, T, D]);
}
const ref = tf.tidy(() => multiHeadSelfAttention(x, p, H));
for (const [name, f] of [['v0 current', (x: tf.Tensor3D) => multiHeadSelfAttention(x, p, H)], ['v1 bcast', v1], ['v2 bmm flags', v2], ['v5 dwconv', v5]] as const) {
  const out = tf.tidy(() => f(x));
  const diff = tf.tidy(() => out.sub(ref).abs().max().dataSync()[0]);
  out.dispose();
  for (let i = 0; i < 2; i++) tf.tidy(() => { f(x).dataSync(); });
  let best = Infinity;
  for (let i = 0; i < 9; i++) { const t = process.cpuUsage().user; tf.tidy(() => { f(x).dataSync(); }); best = Math.min(best, (process.cpuUsage().user - t) / 1000); }
  console.log(name.padEnd(14), best.toFixed(2), 'ms min user cpu  maxdiff', diff);
}
console.log(tf.getBackend());
for (const [name, f] of [['v0', (x: tf.Tensor3D) => multiHeadSelfAttention(x, p, H)], ['v5', v5]] as const) {
  const prof = await tf.profile(() => tf.tidy(() => { f(x).dataSync(); }));
  const m = new Map<string, number>();
  for (const k of prof.kernels) m.set(k.name, (m.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  console.log(name, [...m].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k}:${v.toFixed(1)}`).join(' '));
}
