export { initBackend, type BackendInfo } from './backend.ts';
export {
  PRESETS,
  QUANTILES,
  parameterCount,
  parameterSpecs,
  resolveTransformerConfig,
  type PresetName,
  type TransformerConfig,
  type ParameterSpec,
} from './config.ts';
export {
  FEATURE_COUNT,
  FEATURE_NAMES,
  HouseholdSeriesStore,
  SCALE_FLOOR_KWH,
  WEEK_INTERVALS,
  calendarContext,
  syntheticContext,
  type IntervalContext,
  type ContextProvider,
} from './features.ts';
export {
  createModel,
  disposeModel,
  getWeights,
  setWeights,
  weightSizes,
  applyModel,
  predict,
  pinball,
  pinballLoss,
  multiHeadSelfAttention,
  targetHorizon,
  type TransformerModel,
  type Prediction,
  type AttentionParams,
} from './model.ts';
export {
  prepareWeights,
  disposeWeights,
  encode,
  encodeRows,
  headRows,
  pooledWidth,
  type PreparedWeights,
  type HeadName,
} from './inference.ts';
export { trainLocal, evaluateLoss, arraySamples, concatSamples, type SampleSet, type TrainOptions, type LocalUpdate } from './train.ts';
export {
  TransformerForecaster,
  type TransformerForecasterOptions,
  type ClientTrainingOptions,
  type PretrainOptions,
} from './transformer-forecaster.ts';
export type { QuantileForecast } from '../quantile-forecast.ts';
export { CONFORMAL_DEFAULTS, ConformalCalibrator, type CalibratedBand, type ConformalOptions } from './conformal.ts';
export { GatedForecaster, LEARNED_MEMBER, createDeployedGate, type GateOptions, type GateSeries } from './gate.ts';
export { syntheticSeries, type SyntheticSeries } from './synthetic.ts';
export { createWeatherForecast, WEATHER_FORECAST_ERROR, type ForecastWeather, type WeatherForecast } from './weather-forecast.ts';
