/**
 * Forecaster plugins: the registry the engine creates a run's forecaster from, by name. Each entry
 * wraps one `Forecaster` with the hooks the engine calls around it (learned models pre-train on the
 * history and run FedAvg rounds; simple ones ignore the hooks). The engine never names a concrete
 * forecaster.
 */
import {
  ConformalCalibrator,
  PerfectForecaster,
  RecordingForecaster,
  SeasonalNaiveForecaster,
  ReplayForecaster,
  type Forecaster,
  type FutureActuals,
  type QuantileForecast,
} from '../agents/index.ts';
import { createFederatedSession, type FederatedSession, type FederatedSummary } from '../central/index.ts';
import type { DayBlock } from '../data-gen/index.ts';
import { INTERVALS_PER_DAY, type RngFactory } from '../common/index.ts';
import type { FederatedRoundRecord } from '../federated/index.ts';
import { localTimeOf } from './calendar.ts';
import type { SimConfig } from './config.ts';
import type { TariffPlan } from '../market/index.ts';

export const FORECASTER_NAMES = ['seasonal-naive', 'perfect', 'transformer', 'gated'] as const;
export type ForecasterName = (typeof FORECASTER_NAMES)[number];

/** Forecasters that learn (pre-train on the history, FedAvg rounds, a warm-up day for the gate). */
export function isLearnedForecaster(name: string): boolean {
  return name === 'transformer' || name === 'gated';
}

/** A run's forecaster with the engine's hooks around it. */
export interface ForecastSource {
  /** what the agents call every interval */
  readonly forecaster: Forecaster;
  /** forecasts the last history day too (learned models warm up the gate with them) */
  readonly warmsUpOnLastHistoryDay: boolean;
  /** the forecaster's tape when asked to record (the battery-only rerun replays it) */
  readonly tape: Float64Array[] | null;
  /** public context of a day about to be observed (weather, tariff) */
  beginDay(block: DayBlock): void;
  /** before the last history day: learned models pre-train on all history before it */
  beforeLastHistoryDay(): void;
  /** each home's state of charge as a fraction of capacity, after the interval's observation */
  observeSoc(socFraction: Float64Array): void;
  /** whether observeSoc does anything (the engine skips computing the fractions otherwise) */
  readonly wantsSoc: boolean;
  /** the P10/P50/P90 band of the last forecast horizon, or null for forecasters without one */
  band(horizon: number): QuantileForecast | null;
  /** after trading interval `tick`: a FedAvg round when one is due */
  afterInterval(tick: number): FederatedRoundRecord | null;
  summary(): FederatedSummary | null;
  dispose(): void;
}

export interface ForecastSourceOptions {
  config: SimConfig;
  households: number;
  horizon: number;
  tariff: TariffPlan;
  rngFor: RngFactory;
  /** the realised future (for the perfect forecaster) */
  future: FutureActuals;
  /** ISO start of the first observed (history) interval */
  startIso: string;
  /** replay a recorded run's forecasts instead of forecasting */
  replay?: readonly Float64Array[];
  /** record every forecast */
  record?: boolean;
  /** whether a band will be asked for (allocates the band's buffers once) */
  wantsBand: boolean;
}

/** Creates the configured forecaster for a run. */
export async function createForecastSource(o: ForecastSourceOptions): Promise<ForecastSource> {
  const name = o.config.agents.forecaster;
  const learned = isLearnedForecaster(name);
  const n = o.households;
  // public context per observed step (weather, tariff) for the learned models
  const ctxTemperature: number[] = [];
  const ctxCloud: number[] = [];
  const ctxPrice: number[] = [];
  let session: FederatedSession | null = null;
  let base: Forecaster;
  if (o.replay) base = new ReplayForecaster(name, o.replay);
  else if (name === 'perfect') base = new PerfectForecaster(n, o.future);
  else if (learned) {
    session = await createFederatedSession({
      households: n,
      config: o.config.federated,
      gated: name === 'gated',
      rngFor: o.rngFor,
      startIso: o.startIso,
      intervalMinutes: o.config.time.intervalMinutes,
      extra: (step) => ({ temperatureC: ctxTemperature[step], cloudCover: ctxCloud[step], importPriceUsdPerKwh: ctxPrice[step] }),
    });
    base = session.forecaster;
  } else base = new SeasonalNaiveForecaster(n, INTERVALS_PER_DAY);
  // the band is calibrated online on the actuals the forecaster observes (conformalized quantile regression)
  const calibrator = session && o.wantsBand && o.config.federated.calibration === 'conformal' ? new ConformalCalibrator(n) : null;
  if (calibrator) base = observedBy(base, calibrator);
  const recorder = o.record && !o.replay ? new RecordingForecaster(base) : null;
  let bandBuffer: QuantileForecast | null = null;

  return {
    forecaster: recorder ?? base,
    warmsUpOnLastHistoryDay: learned,
    tape: recorder ? recorder.tape : null,
    wantsSoc: session !== null,
    beginDay(block: DayBlock) {
      if (!learned) return;
      for (let t = 0; t < block.intervals; t++) {
        ctxTemperature.push(block.temperatureC[t]);
        ctxCloud.push(block.cloudCover[t]);
        ctxPrice.push(o.tariff.rateAt(localTimeOf(block.date, block.localHour[t], block.weekday)).importUsdPerKwh);
      }
      session?.transformer.contextPublished();
    },
    beforeLastHistoryDay() {
      session?.pretrain();
    },
    observeSoc(socFraction: Float64Array) {
      session?.transformer.observeSoc(socFraction);
    },
    band(horizon: number) {
      if (!session || !o.wantsBand) return null;
      bandBuffer = session.transformer.forecastQuantiles(horizon, bandBuffer ?? undefined);
      calibrator?.calibrate(bandBuffer, horizon);
      return bandBuffer;
    },
    afterInterval(tick: number) {
      return session ? session.afterInterval(tick) : null;
    },
    summary() {
      return session ? session.summary() : null;
    },
    dispose() {
      session?.dispose();
    },
  };
}

/** `inner` with every observation also shown to the band's calibrator. */
function observedBy(inner: Forecaster, calibrator: ConformalCalibrator): Forecaster {
  return {
    name: inner.name,
    observe(loadKwh: Float64Array, pvKwh: Float64Array, offset: number) {
      inner.observe(loadKwh, pvKwh, offset);
      calibrator.observe(loadKwh, pvKwh, offset);
    },
    forecast(horizon: number, outLoadKwh: Float64Array, outPvKwh: Float64Array) {
      inner.forecast(horizon, outLoadKwh, outPvKwh);
    },
  };
}
