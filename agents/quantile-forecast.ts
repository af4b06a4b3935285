/**
 * A learned forecaster's uncertainty band, as strategies read it: P10/P50/P90 of every home's load
 * and PV over the forecast horizon. Plain data.
 */

/** Quantile forecasts in kWh, `[h * horizon + k]`. */
export interface QuantileForecast {
  horizon: number;
  loadP10: Float64Array;
  loadP50: Float64Array;
  loadP90: Float64Array;
  pvP10: Float64Array;
  pvP50: Float64Array;
  pvP90: Float64Array;
}
