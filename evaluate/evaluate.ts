/**
 * `evaluateForecasts`: seasonal naive, local, FedAvg-global and centralised transformers and the
 * engine's gate, scored on held-out days of the synthetic population (issue 3, "Evaluation that
 * tells the truth"). Plain data in, plain data out; training and inference go through the
 * transformer's public API. The tfjs backend must be initialised first (`initBackend()`).
 */
import { SeasonalMeanForecaster, SeasonalNaiveForecaster, type Forecaster } from '../agents/forecaster.ts';
import {
  CONFORMAL_DEFAULTS,
  ConformalCalibrator,
  LEARNED_MEMBER,
  PRESETS,
  createDeployedGate,
  type GatedForecaster,
  calendarContext,
  parameterCount,
  resolveTransformerConfig,
  TransformerForecaster,
  type LocalUpdate,
  type PresetName,
  type QuantileForecast,
  type TransformerConfig,
} from '../agents/transformer/index.ts';
import { generateDays, generatePopulation, type DayBlock, type HouseholdProfile, type PopulationConfig, type WeatherConfig } from '../data-gen/index.ts';
import { INTERVAL_MINUTES, INTERVALS_PER_DAY, TIMEZONE, type RngFactory } from '../common/index.ts';
import { pretrainFederated } from '../central/index.ts';
import { fedAvg, FederatedConfigSchema, validateUpdate, type FederatedConfig, type FederatedRoundRecord } from '../federated/index.ts';
import { addDays } from '../sim/index.ts';
import {
  EVALUATION_SCHEMA_VERSION,
  EvaluationReportSchema,
  METRIC_DEFINITIONS,
  MODEL_DESCRIPTIONS,
  type EvaluatedModel,
  type EvaluationReport,
  type GateReport,
  type GateSeriesReport,
  type MetricRow,
} from './contract.ts';
import {
  SHORT_STEPS,
  finishSums,
  horizonSums,
  maxDayLength,
  originForecast,
  pointForecast,
  scoreOrigin,
  widthAt,
  type EvaluationSeries,
  type HorizonSums,
  type OriginForecast,
} from './rolling.ts';
import { verdictsOf } from './verdicts.ts';

/** The gate's error memory half-life, intervals: one day, as in the engine. */
const GATE_HALF_LIFE_INTERVALS = INTERVALS_PER_DAY;
/** The gate's day-ahead (far-lead) error memory half-life, intervals: one week, as in the engine. */
const GATE_FAR_HALF_LIFE_INTERVALS = 7 * INTERVALS_PER_DAY;

/** Measured homes (sim/households.ts `MeasuredHomes`): evaluated exactly like generated ones. */
export interface MeasuredSource {
  households: HouseholdProfile[];
  /** day blocks from `startDate` for `days` days */
  days(startDate: string, days: number): Iterator<DayBlock>;
}

export interface EvaluateOptions {
  households: PopulationConfig;
  weather: WeatherConfig;
  /** imported meter data instead of the generator (`households` and `weather` then only label the run) */
  measured?: MeasuredSource;
  /** first test day, YYYY-MM-DD (America/Los_Angeles); the history ends the day before */
  start: string;
  /** days of history before the test days (default 365, at least 7) */
  historyDays?: number;
  /** held-out days (default 7, at least 2: the gate is chosen on the first half, checked on the second) */
  testDays?: number;
  /** days of data the cold-start homes have before the test days (default 21, at least 7) */
  coldStartDays?: number;
  /** how many of the last homes start cold (default ⌈n/5⌉, at most n − 1) */
  coldStartHomes?: number;
  /** the run's federated settings, the defaults of everything below (default: `federated`'s schema defaults) */
  federated?: FederatedConfig;
  /** default: `federated.preset` */
  preset?: PresetName | TransformerConfig;
  /** pre-training settings (default: `federated.pretrain`) */
  pretrain?: Partial<FederatedConfig['pretrain']>;
  /** FedAvg rounds over the last intervals of history after pre-training (default 0) */
  fedavgRounds?: number;
  /** band calibration of the quantile models (default: `federated.calibration`'s default) */
  calibration?: FederatedConfig['calibration'];
  /** settings of those rounds (default: `federated` defaults) */
  round?: Partial<Pick<FederatedConfig, 'roundEveryIntervals' | 'localEpochs' | 'batchSize' | 'learningRate' | 'localHistoryIntervals'>>;
  /** recorded in the report */
  seed?: number | null;
  /** recorded in the report (e.g. `initBackend()`'s detail) */
  backend?: string | null;
  /** milliseconds from any origin; when given the report carries wall-clock timings */
  clock?: () => number;
  onProgress?: (p: { phase: 'data' | 'training' | 'forecasting'; done: number; total: number }) => void;
}

/** A bad option (the CLI exits with 2). */
export class EvaluationOptionsError extends RangeError {}

interface Resolved {
  historyDays: number;
  testDays: number;
  coldStartDays: number;
  coldHomes: number;
  config: TransformerConfig;
  presetName: string;
  pretrain: FederatedConfig['pretrain'];
  /** the federated settings with `pretrain` applied */
  federated: FederatedConfig;
  rounds: number;
  round: Required<NonNullable<EvaluateOptions['round']>>;
  calibration: FederatedConfig['calibration'];
}

function resolveOptions(o: EvaluateOptions): Resolved {
  const problems: string[] = [];
  const whole = (name: string, v: number, min: number, max = Infinity) => {
    if (!Number.isInteger(v) || v < min || v > max) problems.push(`${name} must be a whole number from ${min}${max < Infinity ? ` to ${max}` : ''} (got ${v})`);
  };
  const n = o.measured?.households.length ?? o.households.count;
  const historyDays = o.historyDays ?? 365;
  const testDays = o.testDays ?? 7;
  const coldStartDays = o.coldStartDays ?? 21;
  whole('history days', historyDays, 7, 3660);
  whole('test days', testDays, 2, 366);
  whole('cold-start days', coldStartDays, 7, Math.max(7, historyDays));
  const coldHomes = o.coldStartHomes ?? (n >= 2 ? Math.min(n - 1, Math.ceil(n / 5)) : 0);
  whole('cold-start homes', coldHomes, 0, Math.max(0, n - 1));
  const defaults = o.federated ?? FederatedConfigSchema.parse({});
  const pretrain = { ...defaults.pretrain, ...o.pretrain };
  whole('pre-training rounds', pretrain.rounds, 1, 1000);
  const rounds = o.fedavgRounds ?? 0;
  whole('FedAvg rounds', rounds, 0, 1000);
  const round = {
    roundEveryIntervals: o.round?.roundEveryIntervals ?? defaults.roundEveryIntervals,
    localEpochs: o.round?.localEpochs ?? defaults.localEpochs,
    batchSize: o.round?.batchSize ?? defaults.batchSize,
    learningRate: o.round?.learningRate ?? defaults.learningRate,
    localHistoryIntervals: o.round?.localHistoryIntervals ?? defaults.localHistoryIntervals,
  };
  if (rounds * round.roundEveryIntervals > INTERVALS_PER_DAY * (coldStartDays - 1)) {
    problems.push(`${rounds} FedAvg rounds of ${round.roundEveryIntervals} intervals reach back beyond the cold-start homes’ data`);
  }
  let config: TransformerConfig = PRESETS.small;
  try {
    config = resolveTransformerConfig(o.preset ?? defaults.preset);
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (problems.length) throw new EvaluationOptionsError(problems.join('; '));
  const presetName = typeof o.preset === 'object' ? 'custom' : (o.preset ?? defaults.preset);
  const calibration = o.calibration ?? defaults.calibration;
  const federated = { ...defaults, pretrain };
  return { historyDays, testDays, coldStartDays, coldHomes, config, presetName, pretrain, federated, rounds, round, calibration };
}

/** The generated data, flattened (history and test days from one generator pass). */
interface Data {
  series: EvaluationSeries;
  households: HouseholdProfile[];
  days: string[];
  dayIso: string[];
  temperatureC: Float64Array;
  cloudCover: Float64Array;
}

function generateData(o: EvaluateOptions, r: Resolved, rngFor: RngFactory, progress: (done: number) => void): Data {
  const households = o.measured?.households ?? generatePopulation(o.households, rngFor);
  const n = households.length;
  const totalDays = r.historyDays + r.testDays;
  const first = addDays(o.start, -r.historyDays);
  const blocks: { load: Float64Array; pv: Float64Array; ghi: Float64Array; temp: Float64Array; cloud: Float64Array; intervals: number }[] = [];
  const days: string[] = [];
  const dayIso: string[] = [];
  const generator: Iterable<DayBlock> = o.measured
    ? { [Symbol.iterator]: () => o.measured!.days(first, totalDays) }
    : generateDays({ households, weather: o.weather, startDate: first, days: totalDays, timezone: TIMEZONE, intervalMinutes: INTERVAL_MINUTES }, rngFor);
  for (const b of generator) {
    blocks.push({ load: b.loadKwh, pv: b.pvKwh, ghi: b.ghiWm2, temp: b.temperatureC, cloud: b.cloudCover, intervals: b.intervals });
    days.push(b.date);
    dayIso.push(b.intervalStartIso[0]);
    if (blocks.length % 30 === 0) progress(blocks.length);
  }
  const intervals = blocks.reduce((s, b) => s + b.intervals, 0);
  const series: EvaluationSeries = {
    households: n,
    intervals,
    loadKwh: new Float64Array(intervals * n),
    pvKwh: new Float64Array(intervals * n),
    daylight: new Uint8Array(intervals),
    pvHome: Uint8Array.from(households, (hh) => (hh.pvKw > 0 ? 1 : 0)),
    dayStarts: new Int32Array(blocks.length + 1),
    testStart: 0,
  };
  const temperatureC = new Float64Array(intervals);
  const cloudCover = new Float64Array(intervals);
  let at = 0;
  blocks.forEach((b, d) => {
    series.dayStarts[d] = at;
    if (d === r.historyDays) series.testStart = at;
    series.loadKwh.set(b.load, at * n);
    series.pvKwh.set(b.pv, at * n);
    for (let t = 0; t < b.intervals; t++) series.daylight[at + t] = b.ghi[t] > 0 ? 1 : 0;
    temperatureC.set(b.temp, at);
    cloudCover.set(b.cloud, at);
    at += b.intervals;
  });
  series.dayStarts[blocks.length] = intervals;
  progress(blocks.length);
  return { series, households, days, dayIso, temperatureC, cloudCover };
}

const stepsOf = (samples: number, batchSize: number, epochs: number) => Math.ceil(samples / batchSize) * epochs;
const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** Copies rows of a forecaster's output (its own home indices) into an all-homes origin forecast. */
function copyRows(from: QuantileForecast, to: OriginForecast, width: number, storeHomes: readonly number[], offset: number): void {
  for (const s of storeHomes) {
    const src = s * width;
    const dst = (s + offset) * width;
    for (let k = 0; k < width; k++) {
      to.loadP10[dst + k] = from.loadP10[src + k];
      to.loadP50[dst + k] = from.loadP50[src + k];
      to.loadP90[dst + k] = from.loadP90[src + k];
      to.pvP10[dst + k] = from.pvP10[src + k];
      to.pvP50[dst + k] = from.pvP50[src + k];
      to.pvP90[dst + k] = from.pvP90[src + k];
    }
  }
}

function quantileBuffer(households: number, width: number): QuantileForecast {
  const f = () => new Float64Array(Math.max(1, households) * width);
  return { horizon: width, loadP10: f(), loadP50: f(), loadP90: f(), pvP10: f(), pvP50: f(), pvP90: f() };
}

/**
 * A gate member that replays the P50 forecasts already made for the current origin (not
 * agents' `ReplayForecaster`, which replays a recorded run).
 */
class OriginReplayForecaster implements Forecaster {
  constructor(
    readonly name: string,
    private readonly households: number,
    private readonly source: OriginForecast,
  ) {}
  observe(): void {}
  forecast(horizon: number, outLoadKwh: Float64Array, outPvKwh: Float64Array): void {
    const w = this.source.width;
    if (horizon > w) throw new RangeError(`replay holds ${w} steps, asked ${horizon}`);
    for (let h = 0; h < this.households; h++) {
      for (let k = 0; k < horizon; k++) {
        outLoadKwh[h * horizon + k] = this.source.loadP50[h * w + k];
        outPvKwh[h * horizon + k] = this.source.pvP50[h * w + k];
      }
    }
  }
}

/** Per-home absolute-error sums of the gate comparison: [series][member][half][home]. */
const GATE_MEMBERS = ['seasonal_naive', 'fedavg_global', 'gated'] as const;

/** Which homes are established (full history) and which start cold (the last ones). */
interface Cohorts {
  n: number;
  ids: string[];
  nWarm: number;
  warmHomes: number[];
  coldHomes: number[];
  /** the cold-start homes' indices within the cold-start forecaster */
  coldIdx: number[];
  /** first step the cold-start homes have data for */
  coldFrom: number;
}

function cohortsOf(r: Resolved, data: Data): Cohorts {
  const n = data.series.households;
  const nWarm = n - r.coldHomes;
  return {
    n,
    ids: data.households.map((hh) => hh.id),
    nWarm,
    warmHomes: Array.from({ length: nWarm }, (_, h) => h),
    coldHomes: Array.from({ length: r.coldHomes }, (_, j) => nWarm + j),
    coldIdx: Array.from({ length: r.coldHomes }, (_, j) => j),
    coldFrom: data.series.dayStarts[r.historyDays - r.coldStartDays],
  };
}

/** The forecasters under test, fed the series in order: `observeUntil(end)` shows each of them every step before `end`. */
interface Forecasters {
  warm: TransformerForecaster;
  cold: TransformerForecaster | null;
  naiveDay: SeasonalNaiveForecaster;
  naiveWeek: SeasonalNaiveForecaster;
  mean7d: SeasonalMeanForecaster;
  /** steps observed so far */
  observed: number;
  observeUntil(end: number): void;
  dispose(): void;
}

function createForecasters(r: Resolved, data: Data, c: Cohorts, rngFor: RngFactory): Forecasters {
  const { series } = data;
  const { n, nWarm, coldFrom } = c;
  const contextFrom = (first: number) =>
    calendarContext({
      startIso: data.dayIso[series.dayStarts.indexOf(first)],
      intervalMinutes: INTERVAL_MINUTES,
      timezone: TIMEZONE,
      extra: (step) => ({ temperatureC: data.temperatureC[first + step], cloudCover: data.cloudCover[first + step] }),
    });
  const weatherFrom = (first: number) => (step: number) => ({ temperatureC: data.temperatureC[first + step], cloudCover: data.cloudCover[first + step] });
  const warm = new TransformerForecaster(nWarm, { rngFor, preset: r.config, context: contextFrom(0), weather: weatherFrom(0), localHistoryIntervals: r.round.localHistoryIntervals, name: 'evaluate/established' });
  const cold =
    r.coldHomes > 0
      ? new TransformerForecaster(r.coldHomes, { rngFor, preset: r.config, context: contextFrom(coldFrom), weather: weatherFrom(coldFrom), localHistoryIntervals: r.round.localHistoryIntervals, name: 'evaluate/cold-start' })
      : null;
  const f: Forecasters = {
    warm,
    cold,
    naiveDay: new SeasonalNaiveForecaster(n, INTERVALS_PER_DAY),
    naiveWeek: new SeasonalNaiveForecaster(n, 7 * INTERVALS_PER_DAY),
    mean7d: new SeasonalMeanForecaster(n, 7, INTERVALS_PER_DAY),
    observed: 0,
    observeUntil(end: number) {
      for (; f.observed < end; f.observed++) {
        const s = f.observed;
        warm.observe(series.loadKwh, series.pvKwh, s * n);
        if (cold && s >= coldFrom) cold.observe(series.loadKwh, series.pvKwh, s * n + nWarm);
        f.naiveDay.observe(series.loadKwh, series.pvKwh, s * n);
        f.naiveWeek.observe(series.loadKwh, series.pvKwh, s * n);
        f.mean7d.observe(series.loadKwh, series.pvKwh, s * n);
      }
    },
    dispose() {
      warm.dispose();
      cold?.dispose();
    },
  };
  return f;
}

/** The trained transformer weights and what their training recorded. */
interface Trained {
  /** every home's pre-trained local model (established first, then cold-start) */
  local: LocalUpdate[];
  /** the established homes' usable local updates, averaged into the first global model */
  usable: LocalUpdate[];
  /** the FedAvg global model after the rounds */
  global: readonly Float32Array[];
  central: LocalUpdate;
  /** every home's personalised model: the final global model fine-tuned on its own history */
  personal: LocalUpdate[];
  roundRecords: { round: number; clients: number; samples: number }[];
  /** the federated pre-training rounds (one: the average of the local models) */
  pretrainRounds: { round: number; clients: number; samples: number; mean_local_loss: number | null }[];
  /** held-out loss of the federated pre-training checkpoints, and the one used */
  pretrainValidation: { round: number; loss: number }[];
  selectedRound: number;
  /** rounds run with the newest days held out to choose `selectedRound` */
  selectionRounds: number;
}

type Progress = NonNullable<EvaluateOptions['onProgress']>;

/**
 * Training on the history: each home's local model is pre-trained, the established homes' local
 * models are averaged (FedAvg), a centralised model trains once on their pooled windows, then the
 * optional FedAvg rounds run over the last intervals of history.
 */
function trainModels(r: Resolved, data: Data, c: Cohorts, fc: Forecasters, rngFor: RngFactory, progress: Progress): Trained {
  const { series } = data;
  const { n, ids, nWarm, warmHomes, coldHomes } = c;
  const { warm, cold } = fc;
  const pre = r.pretrain;
  const pretrainAt = series.testStart - r.rounds * r.round.roundEveryIntervals;
  fc.observeUntil(pretrainAt);
  const trainingTotal = 2 * n + 1 + r.rounds + (r.pretrain.rounds > 1 ? 2 * r.pretrain.rounds : 0);
  let trainingDone = 0;
  const tick = () => progress({ phase: 'training', done: ++trainingDone, total: trainingTotal });
  const pretrainOptions = (h: number) => ({
    epochs: pre.epochs,
    batchSize: pre.batchSize,
    learningRate: pre.learningRate,
    rng: rngFor(`evaluate/pretrain/${ids[h]}`),
    strideIntervals: pre.strideIntervals,
    maxSamples: pre.maxSamplesPerHome,
  });
  const sizes = warm.weightSizes();
  const local: LocalUpdate[] = [];
  for (const h of warmHomes) {
    local.push(warm.pretrainClient(h, pretrainOptions(h)));
    tick();
  }
  for (const h of coldHomes) {
    local.push(cold!.pretrainClient(h - nWarm, pretrainOptions(h)));
    tick();
  }
  const usable = local.slice(0, nWarm).filter((u) => validateUpdate(u, sizes).ok);
  // the FedAvg global model: federated pre-training rounds over the established homes' windows (one round: the average of their local models)
  let global: readonly Float32Array[];
  let pretrainRecords: FederatedRoundRecord[] = [];
  let pretrainLosses: (number | null)[] = [];
  let pretrainValidation: { round: number; loss: number }[] = [];
  let selectedRound = 1;
  let selectionRounds = 0;
  if (r.federated.pretrain.rounds === 1) {
    global = usable.length > 0 ? fedAvg(usable) : warm.initialWeights;
    pretrainLosses = [usable.length > 0 ? usable.reduce((a, u) => a + u.loss, 0) / usable.length : null];
  } else {
    const fed = pretrainFederated(warm, warmHomes, r.federated, rngFor, tick);
    global = fed.globalWeights;
    pretrainRecords = fed.records;
    pretrainLosses = fed.roundLosses;
    pretrainValidation = fed.validation.filter((v) => Number.isFinite(v.loss));
    selectedRound = fed.selectedRound;
    selectionRounds = fed.selectionRounds;
  }

  // centralised: the same windows, pooled, one pass with the same batch size and epochs
  const pooled = warm.samples(warmHomes, { newestOrigin: pretrainAt - 2, limit: pretrainAt - 1, count: pre.maxSamplesPerHome, stride: pre.strideIntervals });
  const central = warm.trainOn(pooled, warm.initialWeights, { epochs: pre.epochs, batchSize: pre.batchSize, learningRate: pre.learningRate, rng: rngFor('evaluate/centralised') });
  tick();

  const roundRecords: Trained['roundRecords'] = [];
  for (let round = 1; round <= r.rounds; round++) {
    fc.observeUntil(fc.observed + r.round.roundEveryIntervals);
    const updates = warmHomes
      .map((h) =>
        warm.trainClient(h, global, {
          epochs: r.round.localEpochs,
          batchSize: r.round.batchSize,
          learningRate: r.round.learningRate,
          rng: rngFor(`evaluate/round${round}/${ids[h]}`),
        }),
      )
      .filter((u) => validateUpdate(u, sizes).ok);
    if (updates.length > 0) global = fedAvg(updates);
    roundRecords.push({ round, clients: updates.length, samples: updates.reduce((s, u) => s + u.samples, 0) });
    tick();
  }
  fc.observeUntil(series.testStart);
  // personalised: the final global model fine-tuned on each home's own windows
  const personalise = (h: number) => {
    const options = { ...pretrainOptions(h), rng: rngFor(`evaluate/personalise/${ids[h]}`), from: global };
    const u = h < nWarm ? warm.pretrainClient(h, options) : cold!.pretrainClient(h - nWarm, options);
    tick();
    return u;
  };
  const personal = [...warmHomes, ...coldHomes].map(personalise);
  const pretrainRounds = pretrainRecords.length > 0
    ? pretrainRecords.map((rec, i) => ({ round: rec.round, clients: rec.clients_used, samples: rec.samples, mean_local_loss: finite(pretrainLosses[i] ?? Number.NaN) }))
    : [{ round: 1, clients: usable.length, samples: usable.reduce((a, u) => a + u.samples, 0), mean_local_loss: finite(pretrainLosses[0] ?? Number.NaN) }];
  return { local, usable, global, central, personal, roundRecords, pretrainRounds, pretrainValidation, selectedRound, selectionRounds };
}

type ModelForecasts = Record<EvaluatedModel, OriginForecast>;

/** The models with a P10–P90 band (the transformers). */
const QUANTILE_MODELS = ['local', 'fedavg-global', 'centralised', 'personalised'] as const;

/** The gate comparison's running sums: absolute errors [series][member][half][home], counts [series][half][home]. */
interface GateTally {
  abs: Float64Array[][][];
  count: Float64Array[][];
  /** second-half origins at which the gate chose the global model, [series][home] */
  globalChoices: Float64Array[];
  secondHalfOrigins: number;
}

/** What the rolling forecasts over the test days accumulated. */
interface TestScores {
  models: EvaluatedModel[];
  sums: Record<'established' | 'cold_start', Record<EvaluatedModel, HorizonSums>>;
  gate: GateTally;
  origins: number;
}

/** Every model's forecast from one origin, written into `f` (all homes). */
function forecastOrigin(f: ModelForecasts, width: number, c: Cohorts, fc: Forecasters, t: Trained, buffers: { warmOut: QuantileForecast; coldOut: QuantileForecast }): void {
  const { warmHomes, nWarm } = c;
  const { warm, cold } = fc;
  const { warmOut, coldOut } = buffers;
  fc.naiveDay.forecast(width, f['seasonal-naive-day'].loadP50, f['seasonal-naive-day'].pvP50);
  fc.naiveWeek.forecast(width, f['seasonal-naive-week'].loadP50, f['seasonal-naive-week'].pvP50);
  fc.mean7d.forecast(width, f['seasonal-mean-7d'].loadP50, f['seasonal-mean-7d'].pvP50);
  copyRows(warm.forecastWith(t.global, width, warmOut), f['fedavg-global'], width, warmHomes, 0);
  copyRows(warm.forecastWith(t.central.weights, width, warmOut), f.centralised, width, warmHomes, 0);
  for (const h of warmHomes) copyRows(warm.forecastWith(t.local[h].weights, width, warmOut, [h]), f.local, width, [h], 0);
  for (const h of warmHomes) copyRows(warm.forecastWith(t.personal[h].weights, width, warmOut, [h]), f.personalised, width, [h], 0);
  if (cold) {
    const coldIdx = c.coldIdx;
    copyRows(cold.forecastWith(t.global, width, coldOut), f['fedavg-global'], width, coldIdx, nWarm);
    for (const j of coldIdx) copyRows(cold.forecastWith(t.local[nWarm + j].weights, width, coldOut, [j]), f.local, width, [j], nWarm);
    for (const j of coldIdx) copyRows(cold.forecastWith(t.personal[nWarm + j].weights, width, coldOut, [j]), f.personalised, width, [j], nWarm);
  }
}

/** Adds the gate's choices and the errors of its forecast and two members' (first or second half of the test days) to the tally. */
function tallyGate(g: GateTally, gate: GatedForecaster, series: EvaluationSeries, origin: number, halfStep: number, f: ModelForecasts): void {
  const n = series.households;
  const width = f.gated.width;
  if (origin >= halfStep) {
    g.secondHalfOrigins++;
    for (let h = 0; h < n; h++) {
      if (gate.choice(h, 'load') === LEARNED_MEMBER) g.globalChoices[0][h]++;
      if (gate.choice(h, 'pv') === LEARNED_MEMBER) g.globalChoices[1][h]++;
    }
  }
  const tallied = [f['seasonal-naive-day'], f['fedavg-global'], f.gated];
  const memberP50 = [tallied.map((x) => x.loadP50), tallied.map((x) => x.pvP50)];
  for (let h = 0; h < n; h++) {
    for (let k = 0; k < SHORT_STEPS && origin + k < series.intervals; k++) {
      const t = origin + k;
      const half = t >= halfStep ? 1 : 0;
      for (let s = 0; s < 2; s++) {
        if (s === 1 && (series.pvHome[h] !== 1 || series.daylight[t] !== 1)) continue;
        const actual = (s === 0 ? series.loadKwh : series.pvKwh)[t * n + h];
        g.count[s][half][h]++;
        for (let m = 0; m < GATE_MEMBERS.length; m++) g.abs[s][m][half][h] += Math.abs(memberP50[s][m][h * width + k] - actual);
      }
    }
  }
}

/**
 * Rolling forecasts over the test days: from every origin each model forecasts the rest of the
 * trading horizon (and, at local midnight, the day), and its errors are added up per horizon; the
 * engine's gate (seasonal naive, seasonal mean 7 d, FedAvg global) forecasts and is scored like a model and tallied for the gate report.
 */
function scoreTestDays(r: Resolved, data: Data, c: Cohorts, fc: Forecasters, t: Trained, progress: Progress): TestScores {
  const { series } = data;
  const { n, nWarm, warmHomes, coldHomes } = c;
  const maxWidth = maxDayLength(series);
  const f = {
    'seasonal-naive-day': pointForecast(n, maxWidth),
    'seasonal-naive-week': pointForecast(n, maxWidth),
    local: originForecast(n, maxWidth),
    'fedavg-global': originForecast(n, maxWidth),
    centralised: originForecast(n, maxWidth),
    'seasonal-mean-7d': pointForecast(n, maxWidth),
    gated: pointForecast(n, maxWidth),
    personalised: originForecast(n, maxWidth),
  } satisfies ModelForecasts;
  const models = Object.keys(f) as EvaluatedModel[];
  const sums = {
    established: Object.fromEntries(models.map((m) => [m, horizonSums()])) as Record<EvaluatedModel, HorizonSums>,
    cold_start: Object.fromEntries(models.map((m) => [m, horizonSums()])) as Record<EvaluatedModel, HorizonSums>,
  };
  const buffers = { warmOut: quantileBuffer(nWarm, maxWidth), coldOut: quantileBuffer(r.coldHomes, maxWidth) };

  // the engine's gate as deployed; its members replay this origin's seasonal-naive, seasonal-mean and FedAvg-global forecasts
  const replay = (name: string, m: EvaluatedModel) => new OriginReplayForecaster(name, n, f[m]);
  const gate = createDeployedGate(n, replay('fedavg-global', 'fedavg-global'), {
    baselines: [replay('seasonal-naive', 'seasonal-naive-day'), replay('seasonal-mean-7d', 'seasonal-mean-7d')],
    scoredHorizon: SHORT_STEPS,
    halfLifeIntervals: GATE_HALF_LIFE_INTERVALS,
    farHalfLifeIntervals: GATE_FAR_HALF_LIFE_INTERVALS,
    preferred: 0,
  });
  // each quantile model's band, conformally calibrated on its own past scores (causal: fed the actuals after each origin)
  const calibrators = r.calibration === 'conformal' ? QUANTILE_MODELS.map((m) => ({ m, cal: new ConformalCalibrator(n) })) : [];
  const halfStep = series.dayStarts[r.historyDays + Math.floor(r.testDays / 2)];
  const tally: GateTally = {
    abs: (['load', 'pv'] as const).map(() => GATE_MEMBERS.map(() => [new Float64Array(n), new Float64Array(n)])),
    count: (['load', 'pv'] as const).map(() => [new Float64Array(n), new Float64Array(n)]),
    globalChoices: [new Float64Array(n), new Float64Array(n)],
    secondHalfOrigins: 0,
  };

  const origins = series.intervals - series.testStart;
  for (let origin = series.testStart; origin < series.intervals; origin++) {
    const { width, dayLength } = widthAt(series, origin);
    for (const m of models) f[m].width = width;
    forecastOrigin(f, width, c, fc, t, buffers);
    for (const { m, cal } of calibrators) cal.calibrate(f[m], width);
    gate.forecast(width, f.gated.loadP50, f.gated.pvP50);
    for (const m of models) {
      scoreOrigin(sums.established[m], series, f[m], origin, warmHomes, dayLength);
      if (m !== 'centralised' && coldHomes.length > 0) scoreOrigin(sums.cold_start[m], series, f[m], origin, coldHomes, dayLength);
    }
    tallyGate(tally, gate, series, origin, halfStep, f);

    fc.observeUntil(origin + 1);
    gate.observe(series.loadKwh, series.pvKwh, origin * n);
    for (const { cal } of calibrators) cal.observe(series.loadKwh, series.pvKwh, origin * n);
    const done = origin - series.testStart + 1;
    if (done % INTERVALS_PER_DAY === 0 || done === origins) progress({ phase: 'forecasting', done, total: origins });
  }
  return { models, sums, gate: tally, origins };
}

/** One metric row per cohort, model, series and horizon (the centralised model has no cold-start homes). */
function metricRows(scores: TestScores, c: Cohorts): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const cohort of ['established', 'cold_start'] as const) {
    if (cohort === 'cold_start' && c.coldHomes.length === 0) continue;
    for (const model of scores.models) {
      if (cohort === 'cold_start' && model === 'centralised') continue;
      const quantiles = (QUANTILE_MODELS as readonly EvaluatedModel[]).includes(model);
      for (const row of finishSums(scores.sums[cohort][model], quantiles)) {
        rows.push({ model, cohort, series: row.series, horizon: row.horizon, lead_minutes: row.lead_minutes, quantiles, ...row.metrics });
      }
    }
  }
  return rows;
}

/** The report's `settings`: what was trained how, in words and numbers. */
function settingsOf(r: Resolved, backend: string | null, localSteps: number, centralSteps: number): EvaluationReport['settings'] {
  const pre = r.pretrain;
  return {
    preset: r.presetName,
    parameters: parameterCount(r.config),
    backend,
    pretrain: {
      rounds: pre.rounds,
      epochs: pre.epochs,
      batch_size: pre.batchSize,
      learning_rate: pre.learningRate,
      stride_intervals: pre.strideIntervals,
      max_samples_per_home: pre.maxSamplesPerHome,
      note: `training windows: one every ${pre.strideIntervals} intervals of a home's history, newest ${pre.maxSamplesPerHome} at most. Each home's local model starts from the shared seeded initial weights and trains (Adam) on all its windows for ${pre.epochs} epoch(s). The FedAvg global model: ${pre.rounds === 1 ? 'the sample-weighted average of the established homes’ local models (one round)' : `${pre.rounds} FedAvg rounds from the same initial weights; in round r every established home trains the global model by SGD for ${pre.epochs} epoch(s) on the r-th of ${pre.rounds} interleaved shares of its windows, the updates are averaged by samples and the central agent takes an Adam step on the average (FedAdam; every window used ${pre.epochs} time(s), as in the local models); early stopping: the rounds first run with the newest ${pre.holdoutDays} day(s) of history held out, checkpoints every 8 rounds are scored on them, and the rounds up to the best are run again on all the history`} — the engine's pre-training (federated.pretrain)`,
    },
    fedavg_rounds: r.rounds,
    round: {
      every_intervals: r.round.roundEveryIntervals,
      local_epochs: r.round.localEpochs,
      batch_size: r.round.batchSize,
      learning_rate: r.round.learningRate,
      local_history_intervals: r.round.localHistoryIntervals,
      note:
        r.rounds === 0
          ? 'no FedAvg rounds: the global model is the sample-weighted FedAvg of the pre-trained local models, the model the engine starts its trading window with'
          : `pre-training stops ${r.rounds * r.round.roundEveryIntervals} intervals before the test days; then ${r.rounds} FedAvg round(s), each after observing ${r.round.roundEveryIntervals} more intervals: every established home trains the global model on its newest ${r.round.localHistoryIntervals} windows and the updates are averaged by samples. Local and centralised models are not updated by the rounds`,
    },
    centralised_budget: `one pass (${pre.epochs} epoch(s)) over the pooled windows of the established homes (the same windows their local models used) with the same batch size ${pre.batchSize} and learning rate: ⌈Σn_h / B⌉ × epochs = ${centralSteps} Adam steps, against Σ⌈n_h / B⌉ × epochs = ${localSteps} steps of the local models together (equal up to rounding)`,
    cold_start_days: r.coldStartDays,
    calibration:
      r.calibration === 'conformal'
        ? `conformal (online CQR): each transformer's P10–P90 widened by the ⌈(1 − α)(m + 1)⌉/m quantile of its last m ≤ ${CONFORMAL_DEFAULTS.windowScores} scores max(P10 − y, y − P90) per home, series and step (steps from ${CONFORMAL_DEFAULTS.exactSteps + 1} on share one), α = ${CONFORMAL_DEFAULTS.alpha}, from ${CONFORMAL_DEFAULTS.minScores} scores on; scores only from the test days`
        : 'none: the transformers’ raw P10–P90',
    context:
      'model inputs: each home’s own load and PV, calendar (time of day, weekday, month; America/Los_Angeles, DST-aware) and the observed outdoor temperature and cloud cover of past intervals; no prices, no battery state',
    models: { ...MODEL_DESCRIPTIONS },
    definitions: { ...METRIC_DEFINITIONS },
  };
}

/** Wall-clock marks (ms) of the phases, when the caller passed a clock. */
interface Timing {
  start: number;
  data: number;
  training: number;
  forecasting: number;
}

function buildReport(options: EvaluateOptions, r: Resolved, data: Data, c: Cohorts, t: Trained, scores: TestScores, timing: Timing | null): EvaluationReport {
  const { series } = data;
  const { n, ids, nWarm, warmHomes, coldHomes } = c;
  const pre = r.pretrain;
  const gateReport = gateReportOf({
    n,
    ids,
    nWarm,
    series,
    gateAbs: scores.gate.abs,
    gateCount: scores.gate.count,
    gateGlobalChoices: scores.gate.globalChoices,
    gateSecondHalfOrigins: scores.gate.secondHalfOrigins,
    r,
  });
  const localSteps = t.local.slice(0, nWarm).reduce((s, u) => s + stepsOf(u.samples, pre.batchSize, pre.epochs), 0);
  const centralSteps = stepsOf(t.central.samples, pre.batchSize, pre.epochs);
  const report: EvaluationReport = {
    schema_version: EVALUATION_SCHEMA_VERSION,
    generated_by: 'wattswap evaluate-forecasts',
    data: {
      seed: options.seed ?? null,
      households: n,
      established_homes: warmHomes.map((h) => ids[h]),
      cold_start_homes: coldHomes.map((h) => ids[h]),
      pv_homes: ids.filter((_, h) => series.pvHome[h] === 1),
      interval_minutes: INTERVAL_MINUTES,
      history: { first_day: data.days[0], last_day: data.days[r.historyDays - 1], days: r.historyDays },
      test: { first_day: data.days[r.historyDays], last_day: data.days[data.days.length - 1], days: r.testDays, intervals: scores.origins },
    },
    settings: settingsOf(r, options.backend ?? null, localSteps, centralSteps),
    rows: metricRows(scores, c),
    gate: gateReport,
    training: {
      local: t.local.map((u, i) => ({
        home: ids[i],
        cohort: i < nWarm ? ('established' as const) : ('cold_start' as const),
        samples: u.samples,
        steps: stepsOf(u.samples, pre.batchSize, pre.epochs),
        loss: finite(u.loss),
      })),
      local_steps_established: localSteps,
      fedavg: { clients: t.usable.length, samples: t.usable.reduce((s, u) => s + u.samples, 0), pretrain_rounds: t.pretrainRounds, pretrain_validation: t.pretrainValidation, pretrain_selected_round: t.selectedRound, pretrain_selection_rounds: t.selectionRounds, rounds: t.roundRecords },
      centralised: { samples: t.central.samples, steps: centralSteps, loss: finite(t.central.loss) },
    },
    verdicts: [],
    timing: timing
      ? {
          total_s: (timing.forecasting - timing.start) / 1000,
          data_s: (timing.data - timing.start) / 1000,
          training_s: (timing.training - timing.data) / 1000,
          forecasting_s: (timing.forecasting - timing.training) / 1000,
        }
      : null,
  };
  report.verdicts = verdictsOf(report);
  return EvaluationReportSchema.parse(report);
}

/**
 * Generates the population and history + test days, trains the local, FedAvg-global and
 * centralised transformers on the history, and scores every model on the test days (see
 * METRIC_DEFINITIONS). Deterministic given `rngFor` and the options (wall-clock timings only when
 * `clock` is given).
 */
export function evaluateForecasts(options: EvaluateOptions, rngFor: RngFactory): EvaluationReport {
  const r = resolveOptions(options);
  const clock = options.clock;
  const start = clock?.() ?? 0;
  const progress: Progress = options.onProgress ?? (() => {});
  const totalDays = r.historyDays + r.testDays;

  const data = generateData(options, r, rngFor, (done) => progress({ phase: 'data', done, total: totalDays }));
  const dataDone = clock?.() ?? 0;
  const cohorts = cohortsOf(r, data);
  const forecasters = createForecasters(r, data, cohorts, rngFor);
  try {
    const trained = trainModels(r, data, cohorts, forecasters, rngFor, progress);
    const trainingDone = clock?.() ?? 0;
    const scores = scoreTestDays(r, data, cohorts, forecasters, trained, progress);
    const forecastingDone = clock?.() ?? 0;
    const timing = clock ? { start, data: dataDone, training: trainingDone, forecasting: forecastingDone } : null;
    return buildReport(options, r, data, cohorts, trained, scores, timing);
  } finally {
    forecasters.dispose();
  }
}

function gateReportOf(a: {
  n: number;
  ids: string[];
  nWarm: number;
  series: EvaluationSeries;
  gateAbs: Float64Array[][][];
  gateCount: Float64Array[][];
  gateGlobalChoices: Float64Array[];
  gateSecondHalfOrigins: number;
  r: Resolved;
}): GateReport {
  const { n, ids, series, gateAbs, gateCount } = a;
  const mae = (s: number, m: number, half: number, h: number) => (gateCount[s][half][h] > 0 ? gateAbs[s][m][half][h] / gateCount[s][half][h] : null);
  const homeSeries = (s: number, h: number): { report: GateSeriesReport; recommended: number | null } => {
    const naive1 = mae(s, 0, 0, h);
    const global1 = mae(s, 1, 0, h);
    const recommended = naive1 === null || global1 === null ? null : global1 < naive1 ? 1 : 0;
    return {
      recommended,
      report: {
        first_half_mae_kwh: { seasonal_naive: naive1, fedavg_global: global1 },
        recommended: recommended === null ? null : recommended === 1 ? 'fedavg-global' : 'seasonal-naive',
        second_half_mae_kwh: {
          seasonal_naive: mae(s, 0, 1, h),
          fedavg_global: mae(s, 1, 1, h),
          gated: mae(s, 2, 1, h),
          recommended: recommended === null ? null : mae(s, recommended, 1, h),
        },
        gate_share_global: a.gateSecondHalfOrigins > 0 ? a.gateGlobalChoices[s][h] / a.gateSecondHalfOrigins : null,
      },
    };
  };
  const homes: GateReport['homes'] = [];
  const summary = [0, 1].map((s) => {
    let global = 0;
    let naive = 0;
    const abs = [0, 0, 0, 0];
    let count = 0;
    for (let h = 0; h < n; h++) {
      if (s === 1 && series.pvHome[h] !== 1) continue;
      const { recommended } = homeSeries(s, h);
      if (recommended === 1) global++;
      else if (recommended === 0) naive++;
      const c = gateCount[s][1][h];
      count += c;
      for (let m = 0; m < 3; m++) abs[m] += gateAbs[s][m][1][h];
      abs[3] += gateAbs[s][recommended ?? 0][1][h];
    }
    const pooled = (x: number) => (count > 0 ? x / count : null);
    return {
      homes_recommending_global: global,
      homes_recommending_naive: naive,
      second_half_mae_kwh: { seasonal_naive: pooled(abs[0]), fedavg_global: pooled(abs[1]), gated: pooled(abs[2]), recommended: pooled(abs[3]) },
    };
  });
  for (let h = 0; h < n; h++) {
    homes.push({
      home: ids[h],
      cohort: h < a.nWarm ? 'established' : 'cold_start',
      load: homeSeries(0, h).report,
      pv: series.pvHome[h] === 1 ? homeSeries(1, h).report : null,
    });
  }
  const first = Math.floor(a.r.testDays / 2);
  return {
    members: ['seasonal-naive (same time yesterday)', 'seasonal-mean-7d', 'fedavg-global'],
    options: { scored_horizon: SHORT_STEPS, half_life_intervals: GATE_HALF_LIFE_INTERVALS, far_half_life_intervals: GATE_FAR_HALF_LIFE_INTERVALS, preferred: 'seasonal-naive' },
    first_half_days: first,
    second_half_days: a.r.testDays - first,
    homes,
    summary: { load: summary[0], pv: summary[1] },
  };
}
