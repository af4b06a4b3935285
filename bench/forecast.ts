/**
 * Forecaster and federated-learning costs on this machine:
 *   node cli/bin/run-ts.mjs bench/forecast.ts                 # everything (about 2–3 minutes on 2 cores)
 *   node cli/bin/run-ts.mjs bench/forecast.ts --quick         # skips the paper preset's training step
 *   node cli/bin/run-ts.mjs bench/forecast.ts --json FILE     # also writes the figures as JSON
 * Reports: parameter count and ms per training step (batch 32) of the `small` and `paper`
 * presets; pre-training 10 homes on 365 days of synthetic sinusoid-plus-noise history (the
 * project's data generator is not used, so this runs on its own); time per FedAvg round for 10,
 * 1,000 and 10,000 clients (aggregation only, and with real local training for 10); batched
 * inference per interval for 10, 1,000 and 10,000 homes. Wall-clock timing is fine here: this is a
 * benchmark, not simulation code.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { SeasonalNaiveForecaster } from '../agents/forecaster.ts';
import {
  arraySamples,
  createModel,
  disposeModel,
  initBackend,
  parameterCount,
  syntheticContext,
  syntheticSeries,
  targetHorizon,
  trainLocal,
  TransformerForecaster,
  type PresetName,
} from '../agents/transformer/index.ts';
import { INTERVALS_PER_DAY, type RngFactory } from '../common/index.ts';
import { FederatedConfigSchema, fedAvg, runRound, type ClientUpdate } from '../federated/index.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : null;
const rngFor: RngFactory = (p) => seedrandom.alea(`bench:${p}`);
const config = FederatedConfigSchema.parse({});

const backend = await initBackend();
const rows: { what: string; value: string }[] = [];
const report: Record<string, unknown> = {
  backend,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
};
const log = (what: string, value: string) => {
  rows.push({ what, value });
  process.stdout.write(`${what.padEnd(62)} ${value}\n`);
};
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0)} ms`;

process.stdout.write(`backend: ${backend.name} — ${backend.detail}; ${cpus().length} CPUs; Node ${process.version}\n\n`);

// ---------- 1. parameters and ms per training step ----------
const presets: Record<string, unknown> = {};
for (const preset of ['small', 'paper'] as PresetName[]) {
  const params = parameterCount(preset);
  log(`${preset}: parameters`, params.toLocaleString('en-US'));
  if (preset === 'paper' && quick) {
    presets[preset] = { parameters: params, ms_per_step_batch32: null };
    continue;
  }
  const model = createModel(preset, rngFor);
  const c = model.config;
  const H = targetHorizon(c);
  const steps = preset === 'small' ? 30 : 2;
  const warm = preset === 'small' ? 5 : 1;
  const r = rngFor(`step/${preset}`);
  const set = (count: number) =>
    arraySamples({
      count,
      window: c.window,
      features: c.features,
      horizon: H,
      inputs: Float32Array.from({ length: count * c.window * c.features }, () => r()),
      targets: Float32Array.from({ length: count * H * 2 }, () => r()),
    });
  trainLocal(model, set(32 * warm), { epochs: 1, batchSize: 32, learningRate: 1e-3, rng: rngFor('order') });
  const timed = set(32 * steps);
  const t0 = performance.now();
  trainLocal(model, timed, { epochs: 1, batchSize: 32, learningRate: 1e-3, rng: rngFor('order') });
  const perStep = (performance.now() - t0) / steps;
  disposeModel(model);
  log(`${preset}: ms per training step (batch 32, Adam, ${steps} steps)`, ms(perStep));
  presets[preset] = { parameters: params, ms_per_step_batch32: perStep };
}
report.presets = presets;

// ---------- 2. pre-training 10 homes on a year ----------
const homes = 10;
const historyDays = 365;
const data = syntheticSeries(homes, historyDays + 2, rngFor);
const forecaster = new TransformerForecaster(homes, { rngFor, context: syntheticContext, localHistoryIntervals: config.localHistoryIntervals });
let t0 = performance.now();
for (let t = 0; t < historyDays * INTERVALS_PER_DAY; t++) forecaster.observe(data.loadKwh, data.pvKwh, t * homes);
const observeMs = performance.now() - t0;
const initialLoss = forecaster.validationLoss(forecaster.initialWeights);
t0 = performance.now();
const pre = config.pretrain;
const updates = Array.from({ length: homes }, (_, h) =>
  forecaster.pretrainClient(h, {
    epochs: pre.epochs,
    batchSize: pre.batchSize,
    learningRate: pre.learningRate,
    rng: rngFor(`pretrain/h${h}`),
    strideIntervals: pre.strideIntervals,
    maxSamples: pre.maxSamplesPerHome,
  }),
);
const global0 = fedAvg(updates);
const pretrainMs = performance.now() - t0;
forecaster.setGlobalWeights(global0);
const pretrainedLoss = forecaster.validationLoss(global0);
const samplesPerHome = updates[0].samples;
log(`pre-training: observe 10 homes × 365 days`, ms(observeMs));
log(
  `pre-training: 10 local models (${samplesPerHome} windows each, batch ${pre.batchSize}) + FedAvg`,
  ms(pretrainMs),
);
log('pre-training: validation pinball loss, initial → averaged', `${initialLoss.toFixed(4)} → ${pretrainedLoss.toFixed(4)}`);

// one day of trading-like use: MAE of the 3 h forecasts vs seasonal naive
const naive = new SeasonalNaiveForecaster(homes, INTERVALS_PER_DAY);
for (let t = historyDays * INTERVALS_PER_DAY - INTERVALS_PER_DAY; t < historyDays * INTERVALS_PER_DAY; t++) naive.observe(data.loadKwh, data.pvKwh, t * homes);
const H = 6;
const out = { tl: new Float64Array(homes * H), tp: new Float64Array(homes * H), nl: new Float64Array(homes * H), np: new Float64Array(homes * H) };
const mae = { transformerLoad: 0, transformerPv: 0, naiveLoad: 0, naivePv: 0 };
let scored = 0;
for (let t = historyDays * INTERVALS_PER_DAY; t < (historyDays + 1) * INTERVALS_PER_DAY; t++) {
  forecaster.forecast(H, out.tl, out.tp);
  naive.forecast(H, out.nl, out.np);
  for (let h = 0; h < homes; h++) {
    for (let k = 0; k < H; k++) {
      const load = data.loadKwh[(t + k) * homes + h];
      const pv = data.pvKwh[(t + k) * homes + h];
      mae.transformerLoad += Math.abs(out.tl[h * H + k] - load);
      mae.transformerPv += Math.abs(out.tp[h * H + k] - pv);
      mae.naiveLoad += Math.abs(out.nl[h * H + k] - load);
      mae.naivePv += Math.abs(out.np[h * H + k] - pv);
      scored++;
    }
  }
  forecaster.observe(data.loadKwh, data.pvKwh, t * homes);
  naive.observe(data.loadKwh, data.pvKwh, t * homes);
}
for (const k of Object.keys(mae) as (keyof typeof mae)[]) mae[k] /= scored;
log('next day, 3 h MAE kWh: transformer load / PV', `${mae.transformerLoad.toFixed(4)} / ${mae.transformerPv.toFixed(4)}`);
log('next day, 3 h MAE kWh: seasonal naive load / PV', `${mae.naiveLoad.toFixed(4)} / ${mae.naivePv.toFixed(4)}`);
report.pretrain = {
  homes,
  history_days: historyDays,
  windows_per_home: samplesPerHome,
  settings: pre,
  observe_ms: observeMs,
  pretrain_ms: pretrainMs,
  validation_loss_initial: initialLoss,
  validation_loss_pretrained: pretrainedLoss,
  next_day_mae_kwh: mae,
};

// ---------- 3. FedAvg rounds ----------
const rounds: Record<string, unknown> = {};
const pool: ClientUpdate[] = Array.from({ length: 8 }, (_, i) => ({
  weights: global0.map((w) => Float32Array.from(w, (v, j) => v + 1e-3 * Math.sin(i + j))),
  samples: 50 + i,
  loss: 0.1,
}));
for (const clients of [10, 1000, 10000]) {
  const ids = Array.from({ length: clients }, (_, i) => i);
  const t = performance.now();
  const result = runRound({
    round: 1,
    tick: 0,
    clients: ids,
    globalWeights: global0,
    sampleFraction: 1,
    minClients: 2,
    rng: rngFor('agg'),
    train: (c) => pool[c % pool.length],
  });
  const elapsed = performance.now() - t;
  if (result.record.clients_used !== clients) throw new Error('benchmark round lost clients');
  log(`FedAvg round, aggregation only: ${clients.toLocaleString('en-US')} clients`, ms(elapsed));
  rounds[`aggregate_${clients}`] = elapsed;
}
// with real local training on each home's last 2 days
for (let t = (historyDays + 1) * INTERVALS_PER_DAY; t < (historyDays + 1) * INTERVALS_PER_DAY + 6; t++) forecaster.observe(data.loadKwh, data.pvKwh, t * homes);
t0 = performance.now();
const trained = runRound({
  round: 1,
  tick: 6,
  clients: Array.from({ length: homes }, (_, i) => i),
  globalWeights: global0,
  sampleFraction: config.sampleFraction,
  minClients: config.minClients,
  rng: rngFor('round'),
  train: (c, g) =>
    forecaster.trainClient(c, g, {
      epochs: config.localEpochs,
      batchSize: config.batchSize,
      learningRate: config.learningRate,
      rng: rngFor(`round1/h${c}`),
    }),
  validate: (w) => forecaster.validationLoss(w),
});
const trainedMs = performance.now() - t0;
log(
  `FedAvg round with local training: 10 clients × ${config.localHistoryIntervals} windows, incl. validation`,
  ms(trainedMs),
);
rounds.with_training_10 = { ms: trainedMs, record: trained.record };
report.fedavg_rounds = rounds;
forecaster.dispose();

// ---------- 4. batched inference ----------
const inference: Record<string, number> = {};
for (const n of [10, 1000, 10000]) {
  const days = 3;
  const series = syntheticSeries(n, days, rngFor);
  const f = new TransformerForecaster(n, { rngFor, context: syntheticContext });
  const load = new Float64Array(n * 6);
  const pv = new Float64Array(n * 6);
  for (let t = 0; t < 2 * INTERVALS_PER_DAY; t++) f.observe(series.loadKwh, series.pvKwh, t * n);
  f.forecast(6, load, pv); // warm-up
  const reps = n >= 10000 ? 3 : 10;
  let spent = 0;
  for (let r = 0; r < reps; r++) {
    f.observe(series.loadKwh, series.pvKwh, (2 * INTERVALS_PER_DAY + r) * n);
    const t = performance.now();
    f.forecast(6, load, pv);
    spent += performance.now() - t;
  }
  f.dispose();
  inference[`homes_${n}`] = spent / reps;
  log(`inference per interval (one batched call): ${n.toLocaleString('en-US')} homes`, ms(spent / reps));
}
report.inference_ms_per_interval = inference;
report.tensors_left = tf.memory().numTensors;

process.stdout.write('\n');
if (jsonFile) {
  writeFileSync(jsonFile, `${JSON.stringify({ ...report, table: rows }, null, 2)}\n`);
  process.stdout.write(`wrote ${jsonFile}\n`);
}
