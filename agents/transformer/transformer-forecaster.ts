import type { Forecaster } from '../forecaster.ts';
import type { QuantileForecast } from '../quantile-forecast.ts';
import { QUANTILES, SERIES, type PresetName, type TransformerConfig } from './config.ts';
import { FEATURE_COUNT, HouseholdSeriesStore, WEEK_INTERVALS, type ContextProvider } from './features.ts';
import { AUTO_SPLIT_ROWS, InferencePool, poolWanted } from './inference-pool.ts';
import { disposeWeights, encodeRows, headRows, pooledWidth, prepareWeights, type PreparedWeights } from './inference.ts';
import {
  createModel,
  disposeModel,
  getWeights,
  setWeights,
  targetHorizon,
  weightSizes,
  type Prediction,
  type TransformerModel,
} from './model.ts';
import type { Rng, RngFactory } from '../../common/index.ts';
import { evaluateLoss, trainLocal, type LocalUpdate, type SampleSet } from './train.ts';
import { createWeatherForecast, type ForecastWeather } from './weather-forecast.ts';

export interface TransformerForecasterOptions {
  /** the run's seeded streams: initial weights come from `agents/transformer/init` */
  rngFor: RngFactory;
  /** model size (default `small`) */
  preset?: PresetName | TransformerConfig;
  /** calendar, weather and price of observation number `step` (see `calendarContext`) */
  context: ContextProvider;
  /**
   * intervals of history kept per household (ring buffer). Default: a year and a bit when the
   * buffer fits `memoryBudgetBytes`, else as much as fits, never less than one training round needs.
   */
  capacityIntervals?: number;
  /** default 64 MB */
  memoryBudgetBytes?: number;
  /** most recent training windows per client per federated round (default 96 = 2 days) */
  localHistoryIntervals?: number;
  /** newest forecast origins held out of local training for the validation loss (default 6) */
  validationIntervals?: number;
  /** at most this many households (evenly spaced) enter the global validation loss (default 64) */
  validationHomes?: number;
  /** rows per tfjs call inside one batched inference (default 1024) */
  inferenceChunk?: number;
  /**
   * tfjs instances that share the per-interval inference: 1 = this thread only, 2 = this thread
   * and a worker thread (see `InferencePool`; the results are bit-identical either way). Default:
   * 2 on the wasm backend with at least two cores and 512 households or more (smaller batches
   * then stay on this thread), else 1.
   */
  inferenceThreads?: 1 | 2;
  name?: string;
  /**
   * The realised weather of observation number `step`, past or future (undefined fields while
   * not known), from which the honest forecast of target intervals is made (features 24–25,
   * `weather-forecast.ts`). Default: `context(step)`; pass a cheap lookup when the context does
   * calendar arithmetic.
   */
  weather?: (step: number) => ForecastWeather;
}

/** Local training of one client (a federated round or pre-training). */
export interface ClientTrainingOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** orders the batches; derive one per client and round, e.g. rngFor(`federated/r3/h7`) */
  rng: Rng;
  /** FedProx proximal weight μ (0 = plain FedAvg) */
  proximalMu?: number;
  /** local optimiser (default Adam) */
  optimizer?: 'adam' | 'sgd';
}

export interface PretrainOptions extends ClientTrainingOptions {
  /** spacing of training windows through the stored history, intervals (default 1) */
  strideIntervals?: number;
  /** newest windows only, at most this many (default all) */
  maxSamples?: number;
  /** starting weights (default the model's seeded initial weights, the same for every client) */
  from?: readonly Float32Array[];
  /** leave the newest this many observed steps out of the windows and their targets (held out for validation, see `holdoutSamples`) */
  holdoutIntervals?: number;
  /** train only on share `index` of `count` of the selected windows (a federated pre-training round's share, see `shareOf`) */
  shard?: { index: number; count: number };
}

function emptyQuantiles(n: number, horizon: number): QuantileForecast {
  const f = () => new Float64Array(n * horizon);
  return { horizon, loadP10: f(), loadP50: f(), loadP90: f(), pvP10: f(), pvP50: f(), pvP90: f() };
}

/**
 * The share of window number i (0 = newest) among `count` shares: (i + ⌊i / count⌋) mod count.
 * Each run of `count` consecutive windows is dealt one to every share, rotated by one each run,
 * so every share spans the whole history and every time of day (plain i mod count would give a
 * share one time of day whenever count is a multiple of the windows per day).
 */
export function shareOf(i: number, count: number): number {
  return (i + Math.floor(i / count)) % count;
}

/** Training windows of some households, read from the ring buffer when a batch needs them. */
class StoreSamples implements SampleSet {
  constructor(
    private readonly store: HouseholdSeriesStore,
    private readonly window: number,
    private readonly horizon: number,
    private readonly homes: Int32Array,
    private readonly origins: Int32Array,
    private readonly limits: Int32Array,
  ) {}
  get count(): number {
    return this.origins.length;
  }
  fill(i: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number, mask: Float32Array, mOff: number): void {
    const h = this.homes[i];
    this.store.writeWindow(h, this.origins[i], this.window, x, xOff);
    this.store.writeTargets(h, this.origins[i], this.horizon, this.limits[i], y, yOff, mask, mOff);
  }
}

/**
 * Transformer forecaster for every household, batched: one tfjs model object whose weight vector
 * is swapped in and out, so a federated round can train client after client on the same model
 * while inference uses the current global weights (with each household's own normalisation and
 * own features, so one global model still gives each home its own forecast).
 *
 * Until a household has a full input window (48 intervals) it forecasts seasonal naive (same
 * interval one day earlier), or persistence before one day of data, or 0 before any data.
 * Horizons beyond the day head (48 steps) are seasonal naive.
 */
export class TransformerForecaster implements Forecaster {
  readonly name: string;
  readonly config: TransformerConfig;
  readonly model: TransformerModel;
  readonly store: HouseholdSeriesStore;
  /** the seeded starting weights (every client pre-trains from these) */
  readonly initialWeights: readonly Float32Array[];
  private global: readonly Float32Array[];
  private globalVersion = 0;
  private installed: readonly Float32Array[] | null = null;
  /** the global forecast of the latest observation; the planning head is filled when first asked for */
  private cache: { observed: number; version: number; prediction: Prediction } | null = null;
  /** input windows and outputs of the global forecast (the planning head reads its seasonal base from the windows) */
  private globalBuffers: { inputs: Float32Array; pooled: Float32Array; short: Float32Array; day: Float32Array } | null = null;
  private readonly pool: InferencePool | null;
  /** input windows of `forecastWith` calls */
  private otherInputs: Float32Array | null = null;
  /** inference tensors of the global weights and of the last other weight set */
  private preparedGlobal: { weights: readonly Float32Array[]; p: PreparedWeights } | null = null;
  private preparedOther: { weights: readonly Float32Array[]; p: PreparedWeights } | null = null;
  private readonly scratch = new Map<number, QuantileForecast>();
  private readonly context: ContextProvider;
  private readonly localHistory: number;
  private readonly validationIntervals: number;
  private readonly validationHomeList: Int32Array;
  private readonly chunk: number;

  constructor(
    readonly households: number,
    options: TransformerForecasterOptions,
  ) {
    if (!Number.isInteger(households) || households < 1) throw new RangeError('a forecaster needs at least one household');
    this.name = options.name ?? 'transformer';
    this.model = createModel(options.preset ?? 'small', options.rngFor);
    this.config = this.model.config;
    this.context = options.context;
    this.localHistory = options.localHistoryIntervals ?? 96;
    this.validationIntervals = options.validationIntervals ?? 6;
    this.chunk = options.inferenceChunk ?? 1024;
    const c = this.config;
    const needed = c.window + WEEK_INTERVALS + c.shortHorizon + this.validationIntervals + this.localHistory + targetHorizon(c) + 8;
    const budgetSlots = Math.floor((options.memoryBudgetBytes ?? 64 * 2 ** 20) / (households * 8));
    const capacity = options.capacityIntervals ?? Math.max(needed, Math.min(366 * 50, budgetSlots));
    this.store = new HouseholdSeriesStore(households, capacity);
    // known-future covariates: the weather of target intervals from an honest (seeded, lead-dependent) forecast
    const context = options.context;
    const weather = options.weather ?? ((step: number) => context(step));
    this.store.setWeatherForecast(createWeatherForecast(weather, options.rngFor(`${this.name}/weather-forecast`)));
    this.initialWeights = getWeights(this.model);
    this.global = this.initialWeights;
    this.installed = this.initialWeights;
    this.pool = poolWanted(households, options.inferenceThreads)
      ? new InferencePool(c, this.weightSizes(), households, undefined, options.inferenceThreads === 2 ? 2 : AUTO_SPLIT_ROWS)
      : null;
    const nv = Math.min(households, options.validationHomes ?? 64);
    this.validationHomeList = Int32Array.from({ length: nv }, (_, i) => Math.floor((i * households) / nv));
  }

  // ---------- Forecaster ----------

  observe(loadKwh: Float64Array, pvKwh: Float64Array, offset: number): void {
    this.store.push(loadKwh, pvKwh, offset, this.context(this.store.observed));
  }

  /** The public context (weather) of more steps became known: the next-day weather features are recomputed. */
  contextPublished(): void {
    this.store.weatherPublished();
  }

  /** Battery state of charge (0…1) of every household for the interval just observed (feature 20). */
  observeSoc(socFraction: ArrayLike<number>): void {
    this.store.setSoc(socFraction);
    this.cache = null;
  }

  /** True once the model has a full input window (before that `forecast` falls back, see the class comment). */
  get ready(): boolean {
    return this.store.observed >= this.config.window;
  }

  forecast(horizon: number, outLoadKwh: Float64Array, outPvKwh: Float64Array): void {
    let q = this.scratch.get(horizon);
    if (!q) {
      q = emptyQuantiles(this.households, horizon);
      this.scratch.set(horizon, q);
    }
    this.forecastQuantiles(horizon, q);
    for (let i = 0; i < this.households * horizon; i++) {
      outLoadKwh[i] = q.loadP50[i];
      outPvKwh[i] = q.pvP50[i];
    }
  }

  /** P10/P50/P90 of load and PV (kWh, ≥ 0) for the `horizon` intervals after the last observed one. */
  forecastQuantiles(horizon: number, out?: QuantileForecast): QuantileForecast {
    const q = out ?? emptyQuantiles(this.households, horizon);
    if (!this.ready) {
      this.fallback(horizon, q, null);
      return q;
    }
    const key = { observed: this.store.observed, version: this.globalVersion };
    if (!this.cache || this.cache.observed !== key.observed || this.cache.version !== key.version) this.cache = { ...key, prediction: this.predictGlobal() };
    if (this.needsDay(horizon) && !this.cache.prediction.day) this.cache.prediction.day = this.predictGlobalDay();
    this.write(this.cache.prediction, null, horizon, q);
    return q;
  }

  /**
   * Forecasts with other weights (a household's local model, a centralised model) without touching
   * the global weights. With `homes`, only those rows of the outputs are written.
   */
  forecastWith(weights: readonly Float32Array[], horizon: number, out?: QuantileForecast, homes?: readonly number[]): QuantileForecast {
    const q = out ?? emptyQuantiles(this.households, horizon);
    const list = homes ? Int32Array.from(homes) : null;
    if (!this.ready) {
      this.fallback(horizon, q, list);
      return q;
    }
    const count = list ? list.length : this.households;
    this.otherInputs = this.windows(list, this.otherInputs);
    const pooled = this.encodeHomes(weights, this.otherInputs, count);
    const prediction: Prediction = {
      short: this.head(weights, 'short', pooled, this.otherInputs, count),
      day: this.needsDay(horizon) ? this.head(weights, 'day', pooled, this.otherInputs, count) : null,
    };
    this.write(prediction, list, horizon, q);
    return q;
  }

  // ---------- weights ----------

  get globalWeights(): readonly Float32Array[] {
    return this.global;
  }

  /**
   * Installs new global weights (after FedAvg); used by every later forecast. Weight arrays are
   * treated as immutable once handed over: replace them, never edit them in place.
   */
  setGlobalWeights(weights: readonly Float32Array[]): void {
    const sizes = weightSizes(this.model);
    if (weights.length !== sizes.length || weights.some((w, i) => w.length !== sizes[i])) {
      throw new RangeError('global weights do not match the model');
    }
    this.global = weights;
    this.globalVersion++;
    this.cache = null;
  }

  /** Element count of each weight tensor (reference shapes for validating client updates). */
  weightSizes(): number[] {
    return weightSizes(this.model);
  }

  // ---------- training ----------

  /**
   * Training windows of the given households: up to `count` forecast origins going back from
   * `newestOrigin` every `stride` intervals, each with a full input window in the buffer, an origin
   * before `limit` and its targets cut at step `limit` (later steps are masked out). With `shard`,
   * only the household's windows in share `shard.index` of `shard.count` (see `shareOf`).
   */
  samples(homes: readonly number[], o: { newestOrigin: number; limit: number; count?: number; stride?: number; shard?: { index: number; count: number } }): SampleSet {
    const stride = o.stride ?? 1;
    const oldest = this.store.first + this.config.window - 1;
    const shard = o.shard ?? { index: 0, count: 1 };
    if (!(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
      throw new RangeError(`no share ${shard.index} of ${shard.count}`);
    }
    const hs: number[] = [];
    const os: number[] = [];
    for (const h of homes) {
      let taken = 0;
      for (let origin = o.newestOrigin; origin >= oldest && taken < (o.count ?? Infinity); origin -= stride) {
        if (origin >= o.limit) continue;
        if (shareOf(taken, shard.count) === shard.index) {
          hs.push(h);
          os.push(origin);
        }
        taken++;
      }
    }
    return new StoreSamples(
      this.store,
      this.config.window,
      targetHorizon(this.config),
      Int32Array.from(hs),
      Int32Array.from(os),
      new Int32Array(os.length).fill(o.limit),
    );
  }

  /** Steps where the held-out validation targets begin and training targets must end. */
  private split(): { last: number; trainLimit: number; firstValidationOrigin: number } {
    const last = this.store.observed - 1;
    const s = this.config.shortHorizon;
    const firstValidationOrigin = last - s - this.validationIntervals + 1;
    return { last, trainLimit: firstValidationOrigin, firstValidationOrigin };
  }

  /** The recent windows household h trains on in a federated round (validation windows excluded). */
  clientSamples(h: number): SampleSet {
    const { trainLimit } = this.split();
    return this.samples([h], { newestOrigin: trainLimit - 1, limit: trainLimit, count: this.localHistory });
  }

  /** The held-out windows: the newest origins whose trading-horizon targets are all observed. */
  validationSamples(homes: readonly number[] = Array.from(this.validationHomeList)): SampleSet {
    const { last } = this.split();
    return this.samples(homes, { newestOrigin: last - this.config.shortHorizon, limit: last, count: this.validationIntervals });
  }

  /**
   * One federated client: starts from `globalWeights`, trains on household h's own recent windows
   * (FedProx when `proximalMu` > 0) and returns its weights and sample count. Data never leaves:
   * only weights are returned.
   */
  trainClient(h: number, globalWeights: readonly Float32Array[], options: ClientTrainingOptions): LocalUpdate {
    this.checkHome(h);
    const samples = this.clientSamples(h);
    return this.trainOn(samples, globalWeights, options);
  }

  /**
   * Pre-trains household h's local model on its own stored history (every `strideIntervals`-th
   * window, newest first), from the shared seeded initial weights unless `from` is given.
   */
  pretrainClient(h: number, options: PretrainOptions): LocalUpdate {
    this.checkHome(h);
    const last = this.store.observed - 1 - (options.holdoutIntervals ?? 0);
    const samples = this.samples([h], {
      newestOrigin: last - 1,
      limit: last,
      count: options.maxSamples,
      stride: options.strideIntervals,
      shard: options.shard,
    });
    return this.trainOn(samples, options.from ?? this.initialWeights, options);
  }

  /**
   * The windows pre-training with `holdoutIntervals` leaves out: origins in the newest
   * `holdoutIntervals` observed steps, one every `strideIntervals`, targets up to the last step.
   */
  holdoutSamples(homes: readonly number[], holdoutIntervals: number, strideIntervals: number): SampleSet {
    const last = this.store.observed - 1;
    return this.samples(homes, { newestOrigin: last - 1, limit: last, count: Math.floor(holdoutIntervals / strideIntervals), stride: strideIntervals });
  }

  /** Trains from `start` on any sample set (e.g. pooled windows for the centralised reference). */
  trainOn(samples: SampleSet, start: readonly Float32Array[], options: ClientTrainingOptions): LocalUpdate {
    if (samples.count === 0) return { weights: start.map((w) => w.slice()), samples: 0, loss: Number.NaN };
    this.install(start);
    this.installed = null; // training changes the model's weights
    const loss = trainLocal(this.model, samples, {
      epochs: options.epochs,
      batchSize: options.batchSize,
      learningRate: options.learningRate,
      rng: options.rng,
      proximalMu: options.proximalMu,
      globalWeights: (options.proximalMu ?? 0) > 0 ? start : undefined,
      optimizer: options.optimizer,
    });
    return { weights: getWeights(this.model), samples: samples.count, loss };
  }

  /** Mean pinball loss of `weights` on the held-out newest windows (normalised units). */
  validationLoss(weights: readonly Float32Array[]): number {
    const samples = this.validationSamples();
    if (samples.count === 0) return Number.NaN;
    this.install(weights);
    return evaluateLoss(this.model, samples);
  }

  /** Mean pinball loss of `weights` on any sample set. */
  lossOn(weights: readonly Float32Array[], samples: SampleSet): number {
    this.install(weights);
    return evaluateLoss(this.model, samples);
  }

  /** Batched inferences whose rows were split with the worker thread so far. */
  get inferenceSplits(): number {
    return this.pool ? this.pool.splitRuns : 0;
  }

  /** Resolves when the inference worker (if any) has loaded: true when inference is split over it. */
  inferenceReady(): Promise<boolean> {
    return this.pool ? this.pool.ready : Promise.resolve(false);
  }

  dispose(): void {
    this.pool?.dispose();
    disposeModel(this.model);
    if (this.preparedGlobal) disposeWeights(this.preparedGlobal.p);
    if (this.preparedOther) disposeWeights(this.preparedOther.p);
    this.preparedGlobal = null;
    this.preparedOther = null;
  }

  // ---------- internals ----------

  private checkHome(h: number): void {
    if (!Number.isInteger(h) || h < 0 || h >= this.households) throw new RangeError(`no household ${h} (have ${this.households})`);
  }

  private install(weights: readonly Float32Array[]): void {
    if (this.installed === weights) return;
    setWeights(this.model, weights);
    this.installed = weights;
  }

  /** True when `horizon` reaches past the trading head into the planning head. */
  private needsDay(horizon: number): boolean {
    return horizon > this.config.shortHorizon && this.config.dayHorizon > 0;
  }

  /** Input windows ending at the latest observation of every household (or the listed ones). */
  private windows(homes: Int32Array | null, buffer: Float32Array | null): Float32Array {
    const c = this.config;
    const count = homes ? homes.length : this.households;
    const per = c.window * FEATURE_COUNT;
    const inputs = buffer && buffer.length >= count * per ? buffer : new Float32Array(count * per);
    const end = this.store.observed - 1;
    for (let i = 0; i < count; i++) this.store.writeWindow(homes ? homes[i] : i, end, c.window, inputs, i * per);
    return inputs;
  }

  /** Inference tensors of a weight set, cut once per weight set (one slot for the global weights, one for others). */
  private prepared(weights: readonly Float32Array[]): PreparedWeights {
    const slot = weights === this.global ? 'preparedGlobal' : 'preparedOther';
    const held = this[slot];
    if (held && held.weights === weights) return held.p;
    if (held) disposeWeights(held.p);
    const p = prepareWeights(this.config, weights);
    this[slot] = { weights, p };
    return p;
  }

  /** Buffers of the global forecast: the pool's shared arrays when inference is split over a worker. */
  private buffers(): { inputs: Float32Array; pooled: Float32Array; short: Float32Array; day: Float32Array } {
    if (this.globalBuffers) return this.globalBuffers;
    const c = this.config;
    const n = this.households;
    const cells = SERIES * QUANTILES.length;
    const p = this.pool;
    this.globalBuffers = {
      inputs: p ? p.inputs : new Float32Array(n * c.window * FEATURE_COUNT),
      pooled: p ? p.pooled : new Float32Array(n * pooledWidth(c)),
      short: p ? p.short : new Float32Array(n * c.shortHorizon * cells),
      day: p ? p.day : new Float32Array(n * c.dayHorizon * cells),
    };
    return this.globalBuffers;
  }

  /** Encoder and trading head of the global model for every household (the planning head waits). */
  private predictGlobal(): Prediction {
    const b = this.buffers();
    const c = this.config;
    const per = c.window * FEATURE_COUNT;
    const end = this.store.observed - 1;
    const fill = (start: number, rows: number) => {
      for (let h = start; h < start + rows; h++) this.store.writeWindow(h, end, c.window, b.inputs, h * per);
    };
    const p = this.prepared(this.global);
    const local = (start: number, rows: number) => {
      encodeRows(p, b.inputs, start, rows, this.chunk, b.pooled);
      headRows(p, 'short', b.pooled, b.inputs, start, rows, this.chunk, b.short);
    };
    if (this.pool) this.pool.run('encode-short', this.global, this.households, this.chunk, local, fill);
    else {
      fill(0, this.households);
      local(0, this.households);
    }
    return { short: b.short, day: null };
  }

  /** The planning head of the cached global forecast. */
  private predictGlobalDay(): Float32Array {
    const b = this.buffers();
    const p = this.prepared(this.global);
    const local = (start: number, rows: number) => headRows(p, 'day', b.pooled, b.inputs, start, rows, this.chunk, b.day);
    if (this.pool) this.pool.run('day', this.global, this.households, this.chunk, local);
    else local(0, this.households);
    return b.day;
  }

  /** Pooled encoder outputs of the first `count` windows of `inputs`. */
  private encodeHomes(weights: readonly Float32Array[], inputs: Float32Array, count: number): Float32Array {
    const pooled = new Float32Array(count * pooledWidth(this.config));
    encodeRows(this.prepared(weights), inputs, 0, count, this.chunk, pooled);
    return pooled;
  }

  /** One head's quantiles (normalised) for the first `count` rows. */
  private head(weights: readonly Float32Array[], head: 'short' | 'day', pooled: Float32Array, inputs: Float32Array, count: number): Float32Array {
    const c = this.config;
    const horizon = head === 'short' ? c.shortHorizon : c.dayHorizon;
    const out = new Float32Array(count * horizon * SERIES * QUANTILES.length);
    headRows(this.prepared(weights), head, pooled, inputs, 0, count, this.chunk, out);
    return out;
  }

  /** Denormalises a prediction into kWh quantiles; steps beyond the heads are seasonal naive. */
  private write(p: Prediction, homes: Int32Array | null, horizon: number, q: QuantileForecast): void {
    const c = this.config;
    const cells = SERIES * QUANTILES.length;
    const count = homes ? homes.length : this.households;
    for (let i = 0; i < count; i++) {
      const h = homes ? homes[i] : i;
      const sl = this.store.loadScale(h);
      const sp = this.store.pvScale(h);
      for (let k = 0; k < horizon; k++) {
        const o = h * horizon + k;
        let src: Float32Array | null = null;
        let at = 0;
        if (k < c.shortHorizon) {
          src = p.short;
          at = (i * c.shortHorizon + k) * cells;
        } else if (p.day && k < c.dayHorizon) {
          src = p.day;
          at = (i * c.dayHorizon + k) * cells;
        }
        if (!src) {
          this.naiveAt(h, k, o, q);
          continue;
        }
        q.loadP10[o] = Math.max(0, src[at] * sl);
        q.loadP50[o] = Math.max(0, src[at + 1] * sl);
        q.loadP90[o] = Math.max(0, src[at + 2] * sl);
        q.pvP10[o] = Math.max(0, src[at + 3] * sp);
        q.pvP50[o] = Math.max(0, src[at + 4] * sp);
        q.pvP90[o] = Math.max(0, src[at + 5] * sp);
      }
    }
  }

  private fallback(horizon: number, q: QuantileForecast, homes: Int32Array | null): void {
    const count = homes ? homes.length : this.households;
    for (let i = 0; i < count; i++) {
      const h = homes ? homes[i] : i;
      for (let k = 0; k < horizon; k++) this.naiveAt(h, k, h * horizon + k, q);
    }
  }

  /** Seasonal naive (one day back, as many days as the step needs), persistence, or 0. */
  private naiveAt(h: number, k: number, o: number, q: QuantileForecast): void {
    const season = this.config.seasonIntervals;
    const next = this.store.observed;
    let t: number;
    if (next >= season) t = next + k - season * Math.ceil((k + 1) / season);
    else t = next - 1;
    const load = this.store.loadAt(h, t);
    const pv = this.store.pvAt(h, t);
    q.loadP10[o] = q.loadP50[o] = q.loadP90[o] = load;
    q.pvP10[o] = q.pvP50[o] = q.pvP90[o] = pv;
  }
}
