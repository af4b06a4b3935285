import { INTERVALS_PER_DAY } from '../../common/index.ts';
import { FEATURE_COUNT } from './features.ts';

/** Shape of the transformer encoder. Every preset forecasts load and PV quantiles. */
export interface TransformerConfig {
  /** past intervals the encoder reads (≥ seasonIntervals, so yesterday's values of every target are in view) */
  readonly window: number;
  /**
   * intervals per token: the encoder attends over window / patch tokens, each the linear projection
   * of `patch` consecutive feature rows (PatchTST-style patching, Nie et al. 2023). Attention cost
   * falls with the square of the token count, and the wasm backend runs batched attention
   * products on a slow path, so this is the main speed lever.
   */
  readonly patch: number;
  /** input features per interval (see FEATURE_NAMES) */
  readonly features: number;
  readonly dModel: number;
  readonly heads: number;
  readonly layers: number;
  /** hidden width of each feed-forward block */
  readonly ffDim: number;
  /** trading head: intervals ahead (6 = 3 h at 30 min) */
  readonly shortHorizon: number;
  /** planning head: intervals ahead (48 = one day); 0 switches the head off */
  readonly dayHorizon: number;
  /** one seasonal period in intervals (48 = one day) */
  readonly seasonIntervals: number;
  /**
   * When true the heads' P50 is a learned correction to a seasonal base: a learned blend (one
   * weight per member, series and head) of the target interval's yesterday, 7-day mean and last
   * week, read from the input window (features 0, 26, 28 for load; 1, 27, 29 for PV). The blend
   * starts at the 7-day mean and the heads' kernels at zero, so an untrained model forecasts the
   * 7-day mean — the simple forecast that is hardest to beat on household load — and training
   * only has to learn what the base misses.
   */
  readonly seasonalResidual: boolean;
}

export type PresetName = 'small' | 'fast' | 'paper';

/** Quantile levels of every output (P10, P50, P90). */
export const QUANTILES = [0.1, 0.5, 0.9] as const;
/** Output series: 0 = load, 1 = PV. */
export const SERIES = 2;
/** Members of the seasonal base: yesterday, 7-day mean, last week (see `SEASONAL_BASE_FEATURES`). */
export const BASE_MEMBERS = 3;
/** The blend an untrained model starts from: the 7-day mean alone. */
export const INITIAL_BLEND: readonly number[] = Object.freeze([0, 1, 0]);

export const PRESETS: Readonly<Record<PresetName, TransformerConfig>> = Object.freeze({
  /** the default: pre-trains 10 homes on a year of history in seconds on 2 cores (wasm) */
  small: Object.freeze({
    window: INTERVALS_PER_DAY,
    patch: 4,
    features: FEATURE_COUNT,
    dModel: 32,
    heads: 4,
    layers: 2,
    ffDim: 64,
    shortHorizon: 6,
    dayHorizon: INTERVALS_PER_DAY,
    seasonIntervals: INTERVALS_PER_DAY,
    seasonalResidual: true,
  }),
  /**
   * `small` with 8-interval patches: 6 tokens instead of 12, so attention costs a quarter and the
   * encoder's products half (per-interval inference about 2.5 × cheaper, see bench/forecast.ts).
   */
  fast: Object.freeze({
    window: 48,
    patch: 8,
    features: FEATURE_COUNT,
    dModel: 32,
    heads: 4,
    layers: 2,
    ffDim: 64,
    shortHorizon: 6,
    dayHorizon: 48,
    seasonIntervals: 48,
    seasonalResidual: true,
  }),
  /**
   * The proposal's size: 6 layers, 8 heads, d_model 512. The feed-forward width 1,024 (2 × d_model)
   * lands the encoder at the proposal's "about 12M parameters" (4 × d_model would give 19M).
   */
  paper: Object.freeze({
    window: INTERVALS_PER_DAY,
    patch: 1,
    features: FEATURE_COUNT,
    dModel: 512,
    heads: 8,
    layers: 6,
    ffDim: 1024,
    shortHorizon: 6,
    dayHorizon: INTERVALS_PER_DAY,
    seasonIntervals: INTERVALS_PER_DAY,
    seasonalResidual: true,
  }),
});

export function resolveTransformerConfig(preset: PresetName | TransformerConfig): TransformerConfig {
  const c = typeof preset === 'string' ? PRESETS[preset] : preset;
  if (!c) throw new RangeError(`unknown transformer preset ${String(preset)}`);
  if (c.dModel % c.heads !== 0) throw new RangeError(`d_model ${c.dModel} is not divisible by ${c.heads} heads`);
  if (c.features !== FEATURE_COUNT) throw new RangeError(`the feature builder makes ${FEATURE_COUNT} features, config says ${c.features}`);
  if (c.seasonalResidual && c.window < c.seasonIntervals) {
    throw new RangeError(`a seasonal residual needs window ≥ ${c.seasonIntervals} intervals (got ${c.window})`);
  }
  const longest = Math.max(c.shortHorizon, c.dayHorizon);
  if (c.seasonalResidual && longest > c.seasonIntervals) {
    throw new RangeError(`a seasonal residual covers at most ${c.seasonIntervals} steps ahead (asked ${longest})`);
  }
  if (!(c.patch >= 1) || c.window % c.patch !== 0) throw new RangeError(`window ${c.window} is not a whole number of ${c.patch}-interval patches`);
  if (c.shortHorizon < 1) throw new RangeError('the trading head needs at least one step');
  return c;
}

/** One named parameter tensor of the model, in the fixed order of getWeights/setWeights. */
export interface ParameterSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** how it is initialised */
  readonly init: 'glorot' | 'zeros' | 'ones' | 'seasonal-mean';
}

/** Every parameter tensor, in order. The single source of truth for creation and counting. */
export function parameterSpecs(preset: PresetName | TransformerConfig): ParameterSpec[] {
  const c = resolveTransformerConfig(preset);
  const D = c.dModel;
  const out = SERIES * QUANTILES.length;
  const specs: ParameterSpec[] = [
    { name: 'input/kernel', shape: [c.patch * c.features, D], init: 'glorot' },
    { name: 'input/bias', shape: [D], init: 'zeros' },
  ];
  for (let l = 0; l < c.layers; l++) {
    const p = `layer${l}`;
    specs.push(
      { name: `${p}/ln1/gamma`, shape: [D], init: 'ones' },
      { name: `${p}/ln1/beta`, shape: [D], init: 'zeros' },
      { name: `${p}/attn/wq`, shape: [D, D], init: 'glorot' },
      { name: `${p}/attn/bq`, shape: [D], init: 'zeros' },
      { name: `${p}/attn/wk`, shape: [D, D], init: 'glorot' },
      { name: `${p}/attn/bk`, shape: [D], init: 'zeros' },
      { name: `${p}/attn/wv`, shape: [D, D], init: 'glorot' },
      { name: `${p}/attn/bv`, shape: [D], init: 'zeros' },
      { name: `${p}/attn/wo`, shape: [D, D], init: 'glorot' },
      { name: `${p}/attn/bo`, shape: [D], init: 'zeros' },
      { name: `${p}/ln2/gamma`, shape: [D], init: 'ones' },
      { name: `${p}/ln2/beta`, shape: [D], init: 'zeros' },
      { name: `${p}/ff/w1`, shape: [D, c.ffDim], init: 'glorot' },
      { name: `${p}/ff/b1`, shape: [c.ffDim], init: 'zeros' },
      { name: `${p}/ff/w2`, shape: [c.ffDim, D], init: 'glorot' },
      { name: `${p}/ff/b2`, shape: [D], init: 'zeros' },
    );
  }
  specs.push(
    { name: 'final_ln/gamma', shape: [D], init: 'ones' },
    { name: 'final_ln/beta', shape: [D], init: 'zeros' },
    { name: 'short_head/kernel', shape: [2 * D, c.shortHorizon * out], init: 'zeros' },
    { name: 'short_head/bias', shape: [c.shortHorizon * out], init: 'zeros' },
  );
  if (c.seasonalResidual) specs.push({ name: 'short_head/blend', shape: [SERIES, BASE_MEMBERS], init: 'seasonal-mean' });
  if (c.dayHorizon > 0) {
    specs.push(
      { name: 'day_head/kernel', shape: [2 * D, c.dayHorizon * out], init: 'zeros' },
      { name: 'day_head/bias', shape: [c.dayHorizon * out], init: 'zeros' },
    );
    if (c.seasonalResidual) specs.push({ name: 'day_head/blend', shape: [SERIES, BASE_MEMBERS], init: 'seasonal-mean' });
  }
  return specs;
}

/** Trainable parameters of a preset (small ≈ 39 thousand, paper ≈ 13.0 million). */
export function parameterCount(preset: PresetName | TransformerConfig): number {
  let total = 0;
  for (const s of parameterSpecs(preset)) total += s.shape.reduce((a, b) => a * b, 1);
  return total;
}
