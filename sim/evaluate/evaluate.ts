/**
 * `evaluateForecasts`: seasonal naive, local, FedAvg-global and centralised transformers and the
 * engine's gate, scored on held-out days of the synthetic population (issue 3, "Evaluation that
 * tells the truth"). Plain data in, plain data out; training and inference go through the
 * transformer's public API. The tfjs backend must be initialised first (`initBackend()`).
 */
import { SeasonalNaiveForecaster, type Forecaster } from '../../agents/forecaster.ts';
import {
  GatedForecaster,
  PRESETS,
  calendarContext,
  parameterCount,
  resolveConfig,
  TransformerForecaster,
  type LocalUpdate,
  type PresetName,
  type QuantileForecast,
  type TransformerConfig,
} from '../../agents/transformer/index.ts';
import { generateDays, generatePopulation, type HouseholdProfile, type PopulationConfig, type WeatherConfig } from '../../data-gen/index.ts';
import type { RngFactory } from '../../common/index.ts';
import { fedAvg, FederatedConfigSchema, validateUpdate, type FederatedConfig } from '../../federated/index.ts';
import { addDays } from '../calendar.ts';
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

const TIMEZONE = 'America/Los_Angeles';
const INTERVAL_MINUTES = 30;

export interface EvaluateOptions {
  households: PopulationConfig;
  weather: WeatherConfig;
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
  preset?: PresetName | TransformerConfig;
  /** pre-training settings (default: `federated.pretrain` defaults) */
  pretrain?: Partial<FederatedConfig['pretrain']>;
  /** FedAvg rounds over the last intervals of history after pre-training (default 0) */
  fedavgRounds?: number;
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
  rounds: number;
  round: Required<NonNullable<EvaluateOptions['round']>>;
}

function resolveOptions(o: EvaluateOptions): Resolved {
  const problems: string[] = [];
  const whole = (name: string, v: number, min: number, max = Infinity) => {
    if (!Number.isInteger(v) || v < min || v > max) problems.push(`${name} must be a whole number from ${min}${max < Infinity ? ` to ${max}` : ''} (got ${v})`);
  };
  const n = o.households.count;
  const historyDays = o.historyDays ?? 365;
  const testDays = o.testDays ?? 7;
  const coldStartDays = o.coldStartDays ?? 21;
  whole('history days', historyDays, 7, 3660);
  whole('test days', testDays, 2, 366);
  whole('cold-start days', coldStartDays, 7, Math.max(7, historyDays));
  const coldHomes = o.coldStartHomes ?? (n >= 2 ? Math.min(n - 1, Math.ceil(n / 5)) : 0);
  whole('cold-start homes', coldHomes, 0, Math.max(0, n - 1));
  const defaults = FederatedConfigSchema.parse({});
  const pretrain = { ...defaults.pretrain, ...o.pretrain };
  const rounds = o.fedavgRounds ?? 0;
  whole('FedAvg rounds', rounds, 0, 1000);
  const round = {
    roundEveryIntervals: o.round?.roundEveryIntervals ?? defaults.roundEveryIntervals,
    localEpochs: o.round?.localEpochs ?? defaults.localEpochs,
    batchSize: o.round?.batchSize ?? defaults.batchSize,
    learningRate: o.round?.learningRate ?? defaults.learningRate,
    localHistoryIntervals: o.round?.localHistoryIntervals ?? defaults.localHistoryIntervals,
  };
  if (rounds * round.roundEveryIntervals > 48 * (coldStartDays - 1)) {
    problems.push(`${rounds} FedAvg rounds of ${round.roundEveryIntervals} intervals reach back beyond the cold-start homes’ data`);
  }
  let config: TransformerConfig = PRESETS.small;
  try {
    config = resolveConfig(o.preset ?? 'small');
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (problems.length) throw new EvaluationOptionsError(problems.join('; '));
  const presetName = typeof o.preset === 'object' ? 'custom' : (o.preset ?? 'small');
  return { historyDays, testDays, coldStartDays, coldHomes, config, presetName, pretrain, rounds, round };
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
  const households = generatePopulation(o.households, rngFor);
  const n = households.length;
  const totalDays = r.historyDays + r.testDays;
  const blocks: { load: Float64Array; pv: Float64Array; ghi: Float64Array; temp: Float64Array; cloud: Float64Array; intervals: number }[] = [];
  const days: string[] = [];
  const dayIso: string[] = [];
  const generator = generateDays(
    { households, weather: o.weather, startDate: addDays(o.start, -r.historyDays), days: totalDays, timezone: TIMEZONE, intervalMinutes: INTERVAL_MINUTES },
    rngFor,
  );
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

/** A gate member that replays the forecasts already made for the current origin. */
class ReplayForecaster implements Forecaster {
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

/**
 * Generates the population and history + test days, trains the local, FedAvg-global and
 * centralised transformers on the history, and scores every model on the test days (see
 * METRIC_DEFINITIONS). Deterministic given `rngFor` and the options (wall-clock timings only when
 * `clock` is given).
 */
export function evaluateForecasts(options: EvaluateOptions, rngFor: RngFactory): EvaluationReport {
  const r = resolveOptions(options);
  const clock = options.clock;
  const t0 = clock?.() ?? 0;
  const progress = options.onProgress ?? (() => {});
  const totalDays = r.historyDays + r.testDays;

  const data = generateData(options, r, rngFor, (done) => progress({ phase: 'data', done, total: totalDays }));
  const { series, households } = data;
  const n = series.households;
  const ids = households.map((hh) => hh.id);
  const tData = clock?.() ?? 0;

  const nWarm = n - r.coldHomes;
  const warmHomes = Array.from({ length: nWarm }, (_, h) => h);
  const coldHomes = Array.from({ length: r.coldHomes }, (_, j) => nWarm + j);
  const coldFrom = series.dayStarts[r.historyDays - r.coldStartDays];
  const contextFrom = (first: number) =>
    calendarContext({
      startIso: data.dayIso[series.dayStarts.indexOf(first)],
      intervalMinutes: INTERVAL_MINUTES,
      timezone: TIMEZONE,
      extra: (step) => ({ temperatureC: data.temperatureC[first + step], cloudCover: data.cloudCover[first + step] }),
    });
  const warm = new TransformerForecaster(nWarm, { rngFor, preset: r.config, context: contextFrom(0), localHistoryIntervals: r.round.localHistoryIntervals, name: 'evaluate/established' });
  const cold =
    r.coldHomes > 0
      ? new TransformerForecaster(r.coldHomes, { rngFor, preset: r.config, context: contextFrom(coldFrom), localHistoryIntervals: r.round.localHistoryIntervals, name: 'evaluate/cold-start' })
      : null;
  try {
    const naiveDay = new SeasonalNaiveForecaster(n, 48);
    const naiveWeek = new SeasonalNaiveForecaster(n, 336);
    let observed = 0;
    const observeUntil = (end: number) => {
      for (; observed < end; observed++) {
        const s = observed;
        warm.observe(series.loadKwh, series.pvKwh, s * n);
        if (cold && s >= coldFrom) cold.observe(series.loadKwh, series.pvKwh, s * n + nWarm);
        naiveDay.observe(series.loadKwh, series.pvKwh, s * n);
        naiveWeek.observe(series.loadKwh, series.pvKwh, s * n);
      }
    };

    // ---------- training on the history ----------
    const pre = r.pretrain;
    const pretrainAt = series.testStart - r.rounds * r.round.roundEveryIntervals;
    observeUntil(pretrainAt);
    const trainingTotal = n + 1 + r.rounds;
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
    let global: readonly Float32Array[] = usable.length > 0 ? fedAvg(usable) : warm.initialWeights;
    const fedavgSamples = usable.reduce((s, u) => s + u.samples, 0);

    // centralised: the same windows, pooled, one pass with the same batch size and epochs
    const pooled = warm.samples(warmHomes, { newestOrigin: pretrainAt - 2, limit: pretrainAt - 1, count: pre.maxSamplesPerHome, stride: pre.strideIntervals });
    const central = warm.trainOn(pooled, warm.initialWeights, { epochs: pre.epochs, batchSize: pre.batchSize, learningRate: pre.learningRate, rng: rngFor('evaluate/centralised') });
    tick();

    const roundRecords: { round: number; clients: number; samples: number }[] = [];
    for (let round = 1; round <= r.rounds; round++) {
      observeUntil(observed + r.round.roundEveryIntervals);
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
    observeUntil(series.testStart);
    const tTrain = clock?.() ?? 0;

    // ---------- rolling forecasts over the test days ----------
    const maxWidth = maxDayLength(series);
    const f = {
      'seasonal-naive-day': pointForecast(n, maxWidth),
      'seasonal-naive-week': pointForecast(n, maxWidth),
      local: originForecast(n, maxWidth),
      'fedavg-global': originForecast(n, maxWidth),
      centralised: originForecast(n, maxWidth),
    } satisfies Record<EvaluatedModel, OriginForecast>;
    const models = Object.keys(f) as EvaluatedModel[];
    const sums = {
      established: Object.fromEntries(models.map((m) => [m, horizonSums()])) as Record<EvaluatedModel, HorizonSums>,
      cold_start: Object.fromEntries(models.map((m) => [m, horizonSums()])) as Record<EvaluatedModel, HorizonSums>,
    };
    const warmOut = quantileBuffer(nWarm, maxWidth);
    const coldOut = quantileBuffer(r.coldHomes, maxWidth);
    const coldIdx = coldHomes.map((h) => h - nWarm);

    const gate = new GatedForecaster(
      n,
      [new ReplayForecaster('seasonal-naive', n, f['seasonal-naive-day']), new ReplayForecaster('fedavg-global', n, f['fedavg-global'])],
      { scoredHorizon: SHORT_STEPS, halfLifeIntervals: 48, preferred: 0 },
    );
    const gateLoad = new Float64Array(n * SHORT_STEPS);
    const gatePv = new Float64Array(n * SHORT_STEPS);
    const halfStep = series.dayStarts[r.historyDays + Math.floor(r.testDays / 2)];
    const gateAbs = (['load', 'pv'] as const).map(() => GATE_MEMBERS.map(() => [new Float64Array(n), new Float64Array(n)]));
    const gateCount = (['load', 'pv'] as const).map(() => [new Float64Array(n), new Float64Array(n)]);
    const gateGlobalChoices = [new Float64Array(n), new Float64Array(n)];
    let gateSecondHalfOrigins = 0;

    const origins = series.intervals - series.testStart;
    for (let origin = series.testStart; origin < series.intervals; origin++) {
      const { width, dayLength } = widthAt(series, origin);
      for (const m of models) f[m].width = width;
      naiveDay.forecast(width, f['seasonal-naive-day'].loadP50, f['seasonal-naive-day'].pvP50);
      naiveWeek.forecast(width, f['seasonal-naive-week'].loadP50, f['seasonal-naive-week'].pvP50);
      copyRows(warm.forecastWith(global, width, warmOut), f['fedavg-global'], width, warmHomes, 0);
      copyRows(warm.forecastWith(central.weights, width, warmOut), f.centralised, width, warmHomes, 0);
      for (const h of warmHomes) copyRows(warm.forecastWith(local[h].weights, width, warmOut, [h]), f.local, width, [h], 0);
      if (cold) {
        copyRows(cold.forecastWith(global, width, coldOut), f['fedavg-global'], width, coldIdx, nWarm);
        for (const j of coldIdx) copyRows(cold.forecastWith(local[nWarm + j].weights, width, coldOut, [j]), f.local, width, [j], nWarm);
      }
      for (const m of models) {
        scoreOrigin(sums.established[m], series, f[m], origin, warmHomes, dayLength);
        if (m !== 'centralised' && coldHomes.length > 0) scoreOrigin(sums.cold_start[m], series, f[m], origin, coldHomes, dayLength);
      }

      // the gate: members are seasonal naive (same time yesterday) and the FedAvg global model
      gate.forecast(SHORT_STEPS, gateLoad, gatePv);
      const second = origin >= halfStep;
      if (second) {
        gateSecondHalfOrigins++;
        for (let h = 0; h < n; h++) {
          if (gate.choice(h, 'load') === 1) gateGlobalChoices[0][h]++;
          if (gate.choice(h, 'pv') === 1) gateGlobalChoices[1][h]++;
        }
      }
      const memberP50 = [
        [f['seasonal-naive-day'].loadP50, f['fedavg-global'].loadP50, gateLoad],
        [f['seasonal-naive-day'].pvP50, f['fedavg-global'].pvP50, gatePv],
      ];
      for (let h = 0; h < n; h++) {
        for (let k = 0; k < SHORT_STEPS && origin + k < series.intervals; k++) {
          const t = origin + k;
          const half = t >= halfStep ? 1 : 0;
          for (let s = 0; s < 2; s++) {
            if (s === 1 && (series.pvHome[h] !== 1 || series.daylight[t] !== 1)) continue;
            const actual = (s === 0 ? series.loadKwh : series.pvKwh)[t * n + h];
            gateCount[s][half][h]++;
            for (let m = 0; m < GATE_MEMBERS.length; m++) {
              const stride = m === 2 ? SHORT_STEPS : width;
              gateAbs[s][m][half][h] += Math.abs(memberP50[s][m][h * stride + k] - actual);
            }
          }
        }
      }

      observeUntil(origin + 1);
      gate.observe(series.loadKwh, series.pvKwh, origin * n);
      const done = origin - series.testStart + 1;
      if (done % 48 === 0 || done === origins) progress({ phase: 'forecasting', done, total: origins });
    }
    const tForecast = clock?.() ?? 0;

    // ---------- the report ----------
    const rows: MetricRow[] = [];
    for (const cohort of ['established', 'cold_start'] as const) {
      if (cohort === 'cold_start' && coldHomes.length === 0) continue;
      for (const model of models) {
        if (cohort === 'cold_start' && model === 'centralised') continue;
        const quantiles = model !== 'seasonal-naive-day' && model !== 'seasonal-naive-week';
        for (const row of finishSums(sums[cohort][model], quantiles)) {
          rows.push({ model, cohort, series: row.series, horizon: row.horizon, lead_minutes: row.lead_minutes, quantiles, ...row.metrics });
        }
      }
    }

    const gateReport = gateReportOf({ n, ids, nWarm, series, gateAbs, gateCount, gateGlobalChoices, gateSecondHalfOrigins, r });
    const localSteps = local.slice(0, nWarm).reduce((s, u) => s + stepsOf(u.samples, pre.batchSize, pre.epochs), 0);
    const centralSteps = stepsOf(central.samples, pre.batchSize, pre.epochs);
    const lastHistoryDay = data.days[r.historyDays - 1];
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
        history: { first_day: data.days[0], last_day: lastHistoryDay, days: r.historyDays },
        test: { first_day: data.days[r.historyDays], last_day: data.days[data.days.length - 1], days: r.testDays, intervals: origins },
      },
      settings: {
        preset: r.presetName,
        parameters: parameterCount(r.config),
        backend: options.backend ?? null,
        pretrain: {
          epochs: pre.epochs,
          batch_size: pre.batchSize,
          learning_rate: pre.learningRate,
          stride_intervals: pre.strideIntervals,
          max_samples_per_home: pre.maxSamplesPerHome,
          note: `each home's local model starts from the shared seeded initial weights and trains (Adam) on one window every ${pre.strideIntervals} intervals of its own history, newest ${pre.maxSamplesPerHome} at most — the engine's pre-training defaults (federated.pretrain)`,
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
        context:
          'model inputs: each home’s own load and PV, calendar (time of day, weekday, month; America/Los_Angeles, DST-aware) and the observed outdoor temperature and cloud cover of past intervals; no prices, no battery state',
        models: { ...MODEL_DESCRIPTIONS },
        definitions: { ...METRIC_DEFINITIONS },
      },
      rows,
      gate: gateReport,
      training: {
        local: local.map((u, i) => ({
          home: ids[i],
          cohort: i < nWarm ? ('established' as const) : ('cold_start' as const),
          samples: u.samples,
          steps: stepsOf(u.samples, pre.batchSize, pre.epochs),
          loss: finite(u.loss),
        })),
        local_steps_established: localSteps,
        fedavg: { clients: usable.length, samples: fedavgSamples, rounds: roundRecords },
        centralised: { samples: central.samples, steps: centralSteps, loss: finite(central.loss) },
      },
      verdicts: [],
      timing: clock
        ? {
            total_s: (tForecast - t0) / 1000,
            data_s: (tData - t0) / 1000,
            training_s: (tTrain - tData) / 1000,
            forecasting_s: (tForecast - tTrain) / 1000,
          }
        : null,
    };
    report.verdicts = verdictsOf(report);
    return EvaluationReportSchema.parse(report);
  } finally {
    warm.dispose();
    cold?.dispose();
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
    members: ['seasonal-naive (same time yesterday)', 'fedavg-global'],
    options: { scored_horizon: SHORT_STEPS, half_life_intervals: 48, preferred: 'seasonal-naive' },
    first_half_days: first,
    second_half_days: a.r.testDays - first,
    homes,
    summary: { load: summary[0], pv: summary[1] },
  };
}
