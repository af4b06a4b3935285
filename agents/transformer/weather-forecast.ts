import { INTERVAL_MINUTES } from '../../common/index.ts';
import type { Rng } from '../../common/index.ts';

/**
 * An honest weather forecast for the known-future covariates of the learned forecaster: the
 * observed weather of the target interval plus a seeded error that grows with lead time, so the
 * model never uses the future as if it were known.
 *
 * Error model (an assumption, stated): Gaussian, unbiased, with standard deviation growing
 * linearly with lead time ℓ (hours):
 *   temperature σ_T(ℓ) = 0.5 °C + 1.5 °C · ℓ / 24 h (≈ 2 °C a day ahead, ≈ 3.5 °C two days ahead)
 *   cloud cover σ_c(ℓ) = 0.10 + 0.20 · ℓ / 24 h, the result clamped to 0 … 1
 * The day-ahead figures are of the order of published verification of operational numerical
 * weather prediction for 2 m temperature (day-1 RMSE about 1.5–2.5 K, e.g. ECMWF's and NOAA's
 * routine verification scores) and deliberately coarse for cloud cover, which NWP forecasts
 * poorly. One standard-normal draw per target interval and variable (stream order = interval
 * order, from the caller's named seeded stream) is scaled by σ(ℓ): forecasts of the same interval
 * issued later are closer to the truth, as real forecast updates are. Lead ≤ 0 (the past) returns
 * the observation.
 */
export const WEATHER_FORECAST_ERROR = Object.freeze({
  temperatureSdC: (leadHours: number) => 0.5 + (1.5 * leadHours) / 24,
  cloudCoverSd: (leadHours: number) => 0.1 + (0.2 * leadHours) / 24,
});

export interface ForecastWeather {
  temperatureC?: number;
  cloudCover?: number;
}

/** The forecast of target step `target` issued `leadIntervals` intervals before it. */
export type WeatherForecast = (target: number, leadIntervals: number) => ForecastWeather;

/** `observed(step)`: the realised weather of a step (undefined fields = not known: no forecast either). */
export function createWeatherForecast(observed: (step: number) => ForecastWeather, rng: Rng, intervalMinutes = INTERVAL_MINUTES): WeatherForecast {
  const zT: number[] = [];
  const zC: number[] = [];
  // realised weather per step, once known (the caller's lookup may be slow: calendar arithmetic)
  const truthT: number[] = [];
  const truthC: number[] = [];
  const truth = (step: number): ForecastWeather => {
    if (truthT[step] !== undefined) return { temperatureC: truthT[step], cloudCover: truthC[step] };
    const w = observed(step);
    if (w.temperatureC !== undefined && w.cloudCover !== undefined) {
      truthT[step] = w.temperatureC;
      truthC[step] = w.cloudCover;
    }
    return w;
  };
  const normal = () => {
    // Box–Muller on (0, 1]
    const u = 1 - rng();
    const v = rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const draw = (target: number) => {
    while (zT.length <= target) {
      zT.push(normal());
      zC.push(normal());
    }
  };
  return (target, leadIntervals) => {
    if (target < 0) return {};
    const w = truth(target);
    if (leadIntervals <= 0) return w;
    draw(target);
    const leadHours = (leadIntervals * intervalMinutes) / 60;
    return {
      temperatureC: w.temperatureC === undefined ? undefined : w.temperatureC + WEATHER_FORECAST_ERROR.temperatureSdC(leadHours) * zT[target],
      cloudCover: w.cloudCover === undefined ? undefined : Math.min(1, Math.max(0, w.cloudCover + WEATHER_FORECAST_ERROR.cloudCoverSd(leadHours) * zC[target])),
    };
  };
}
