/**
 * Forecaster plugins: the registry the engine creates a run's forecaster from, by the name
 * `agents.forecaster` gives it (the config's choice of names is derived from it). Each entry makes
 * one `Forecaster`; `createForecastSource` wraps it with the hooks the engine calls around it
 * (learned models pre-train on the history and run FedAvg rounds; simple ones ignore the hooks).
 * The engine never names a concrete forecaster.
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
import type { FederatedConfig, FederatedRoundRecord } from '../federated/index.ts';
import { localTimeOf } from './calendar.ts';
import type { TariffPlan } from '../market/index.ts';

/** What a forecaster is made from: the run's homes, their realised future, the FedAvg settings and the public context per observed step. */
export interface ForecasterInput {
  households: number;
  future: FutureActuals;
  federated: FederatedConfig;
  rngFor: RngFactory;
  startIso: string;
  intervalMinutes: number;
  context: (step: number) => { temperatureC: number; cloudCover: number; importUsdPerKwh: number };
}

/** A forecaster as data: what it is, whether it learns, and how one is made. */
export interface ForecasterDefinition {
  readonly description: string;
  /** learns from the history: pre-trains before the last history day, warms the gate up on it, runs FedAvg rounds */
  readonly learned: boolean;
  /** the forecaster, and the FedAvg session behind it when it learns */
  create(input: ForecasterInput): Promise<{ forecaster: Forecaster; session: FederatedSession | null }>;
}

export const FORECASTERS = {
  'seasonal-naive': {
    description: 'same time yesterday',
    learned: false,
    create: async (i) => ({ forecaster: new SeasonalNaiveForecaster(i.households, INTERVALS_PER_DAY), session: null }),
  },
  perfect: {
    description: 'the realised future (an upper bound for forecast quality)',
    learned: false,
    create: async (i) => ({ forecaster: new PerfectForecaster(i.households, i.future), session: null }),
  },
  transformer: {
    description: 'each home’s transformer, trained on its own data and averaged by FedAvg',
    learned: true,
    create: (i) => federatedForecaster(i, false),
  },
  gated: {
    description: 'per home, whichever of seasonal-naive and the transformer has been more accurate recently',
    learned: true,
    create: (i) => federatedForecaster(i, true),
  },
} as const satisfies Record<string, ForecasterDefinition>;

export type ForecasterName = keyof typeof FORECASTERS;

/** The forecaster a config that names none runs. */
export const DEFAULT_FORECASTER: ForecasterName = 'seasonal-naive';
export const FORECASTER_NAMES = Object.keys(FORECASTERS) as [ForecasterName, ...ForecasterName[]];

/** Forecasters that learn (pre-train on the history, FedAvg rounds, a warm-up day for the gate). */
export function isLearnedForecaster(name: ForecasterName): boolean {
  return FORECASTERS[name].learned;
}

async function federatedForecaster(i: ForecasterInput, gated: boolean): Promise<{ forecaster: Forecaster; session: FederatedSession }> {
  const session = await createFederatedSession({
    households: i.households,
    config: i.federated,
    gated,
    rngFor: i.rngFor,
    startIso: i.startIso,
    intervalMinutes: i.intervalMinutes,
    extra: (step) => {
      const c = i.context(step);
      return { temperatureC: c.temperatureC, cloudCover: c.cloudCover, importPriceUsdPerKwh: c.importUsdPerKwh };
    },
  });
  return { forecaster: session.forecaster, session };
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
  /** the P10/P50/P90 band of the last forecast horizon; null for forecasters without one, or when no band was asked for (`wantsBand`) */
  band(horizon: number): QuantileForecast | null;
  /** after trading interval `tick`: a FedAvg round when one is due */
  afterInterval(tick: number): FederatedRoundRecord | null;
  summary(): FederatedSummary | null;
  dispose(): void;
}

export interface ForecastSourceOptions {
  name: ForecasterName;
  federated: FederatedConfig;
  intervalMinutes: number;
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
  const definition = FORECASTERS[o.name];
  const learned = definition.learned;
  // public context per observed step (weather, tariff) for the learned models
  const ctxTemperature: number[] = [];
  const ctxCloud: number[] = [];
  const ctxPrice: number[] = [];
  let session: FederatedSession | null = null;
  let base: Forecaster;
  if (o.replay) base = new ReplayForecaster(o.name, o.replay);
  else {
    const made = await definition.create({
      households: o.households,
      future: o.future,
      federated: o.federated,
      rngFor: o.rngFor,
      startIso: o.startIso,
      intervalMinutes: o.intervalMinutes,
      context: (step) => ({ temperatureC: ctxTemperature[step], cloudCover: ctxCloud[step], importUsdPerKwh: ctxPrice[step] }),
    });
    base = made.forecaster;
    session = made.session;
  }
  // the band is calibrated online on the actuals the forecaster observes (conformalized quantile regression)
  const calibrator = session && o.wantsBand && o.federated.calibration === 'conformal' ? new ConformalCalibrator(o.households) : null;
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
