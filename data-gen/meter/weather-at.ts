import { PV_CELL_RISE_C_PER_W_M2, PV_PERFORMANCE_RATIO, PV_TEMP_COEFF_PER_C } from '../days.ts';
import { cloudTransmission, createSolarSamples, fillSolarSample, GROUND_ALBEDO } from '../solar.ts';
import { normalHighLowC, seasonalCloud } from '../weather.ts';
import type { WeatherSeries30 } from './weather-file.ts';

/**
 * The weather of one 30-minute interval for the day blocks and the PV estimate, from a weather file
 * when there is one. Documented fallbacks for what the file does not give:
 * - GHI: the file's `ghi_w_m2`; else direct (taken as direct normal) × cos zenith + diffuse; else the
 *   project's clear-sky model (data-gen/solar.ts, Meinel) × the Kasten–Czeplak cloud transmission of
 *   the cloud cover.
 * - cloud cover: the file's `cloud_cover`; else inverted from GHI / clear-sky GHI by Kasten–Czeplak in
 *   daylight (held through the night); else the synthetic climate's seasonal mean (data-gen/weather.ts).
 * - temperature (no weather file at all): the synthetic climate's normal high and low for the day of
 *   the year, cosine-shaped with the low at 03:00 and the high at 15:00 local solar time.
 * PV per kW DC uses the day generator's model (data-gen/days.ts: performance ratio, cell temperature,
 * isotropic-sky plane of array) for a reference roof facing south at 20° tilt (no roof data in meter files).
 */
export const REFERENCE_PV_AZIMUTH_DEG = 180;
export const REFERENCE_PV_TILT_DEG = 20;
const SAMPLES = 3;
const STEP_MIN = 30;
const DEG = Math.PI / 180;

export interface IntervalWeather {
  temperatureC: number;
  cloudCover: number;
  ghiWm2: number;
  /** the clear-sky model's GHI for the interval (for plausibility checks), W/m² */
  ghiClearWm2: number;
  /** AC energy of 1 kW DC of reference PV in the interval, kWh */
  pvKwhPerKw: number;
}

export interface WeatherAt {
  /** the interval starting at `minute` (epoch minutes); `null` when the weather file does not cover it */
  (minute: number): IntervalWeather | null;
}

export function createWeatherAt(ws: WeatherSeries30 | null, latitudeDeg: number, longitudeDeg: number): WeatherAt {
  const sun = createSolarSamples(SAMPLES);
  const tilt = REFERENCE_PV_TILT_DEG * DEG;
  const az = REFERENCE_PV_AZIMUTH_DEG * DEG;
  const a0 = Math.cos(tilt);
  const a1 = Math.sin(tilt) * Math.cos(az);
  const a2 = Math.sin(tilt) * Math.sin(az);
  const skyView = (1 + Math.cos(tilt)) / 2;
  const groundView = (GROUND_ALBEDO * (1 - Math.cos(tilt))) / 2;
  const f = ws?.features ?? {};
  let heldCloud = Number.NaN;
  const dni = new Float64Array(SAMPLES);
  const dhi = new Float64Array(SAMPLES);
  const ghi = new Float64Array(SAMPLES);
  return (minute) => {
    let i = -1;
    if (ws) {
      i = (minute - ws.baseMin) / STEP_MIN;
      if (!Number.isInteger(i) || i < 0 || i >= ws.length) return null;
    }
    const ms0 = minute * 60_000;
    let clearSum = 0;
    for (let s = 0; s < SAMPLES; s++) {
      fillSolarSample(sun, s, ms0 + ((s + 0.5) / SAMPLES) * STEP_MIN * 60_000, latitudeDeg, longitudeDeg);
      const cz = sun.cosZenith[s];
      clearSum += cz > 0 ? sun.dniClear[s] * cz + sun.dhiClear[s] : 0;
    }
    const clearMean = clearSum / SAMPLES;
    const doy = dayOfYear(minute);
    const temperatureC = f.temperature_c ? f.temperature_c[i] : fallbackTemperature(minute, doy, longitudeDeg);
    // irradiance per sample
    let cloud = f.cloud_cover ? f.cloud_cover[i] : Number.NaN;
    if (f.direct_irradiance_w_m2 && f.diffuse_irradiance_w_m2) {
      for (let s = 0; s < SAMPLES; s++) {
        const cz = sun.cosZenith[s];
        dni[s] = cz > 0 ? f.direct_irradiance_w_m2[i] : 0;
        dhi[s] = cz > 0 ? f.diffuse_irradiance_w_m2[i] : 0;
        ghi[s] = dni[s] * Math.max(0, cz) + dhi[s];
      }
    } else {
      const c = Number.isNaN(cloud) ? seasonalCloud(doy).mean : cloud;
      const ghiMean = f.ghi_w_m2 ? f.ghi_w_m2[i] : clearMean * cloudTransmission(c);
      const scale = clearMean > 0 ? ghiMean / clearMean : 0;
      for (let s = 0; s < SAMPLES; s++) {
        const cz = sun.cosZenith[s];
        if (cz <= 0) {
          dni[s] = dhi[s] = ghi[s] = 0;
          continue;
        }
        const ghiClear = sun.dniClear[s] * cz + sun.dhiClear[s];
        const g = ghiClear * scale;
        // diffuse fraction as the day generator splits it (clear-sky share at c = 0, all diffuse when overcast)
        const kdClear = sun.dhiClear[s] / ghiClear;
        const kd = kdClear + (1 - kdClear) * c * c;
        ghi[s] = g;
        dhi[s] = kd * g;
        dni[s] = ((1 - kd) * g) / cz;
      }
    }
    let ghiSum = 0;
    let poa = 0;
    for (let s = 0; s < SAMPLES; s++) {
      ghiSum += ghi[s];
      const cosInc = a0 * sun.cosZenith[s] + a1 * sun.sunNorth[s] + a2 * sun.sunEast[s];
      if (cosInc > 0 && sun.cosZenith[s] > 0) poa += dni[s] * cosInc;
      poa += dhi[s] * skyView + ghi[s] * groundView;
    }
    const ghiWm2 = ghiSum / SAMPLES;
    if (Number.isNaN(cloud)) {
      if (clearMean > 50 && (f.ghi_w_m2 || f.direct_irradiance_w_m2)) {
        const loss = Math.min(1, Math.max(0, 1 - ghiWm2 / clearMean));
        heldCloud = Math.min(1, Math.pow(loss / 0.75, 1 / 3.4));
      }
      cloud = Number.isNaN(heldCloud) ? seasonalCloud(doy).mean : heldCloud;
    }
    const cellC = temperatureC + PV_CELL_RISE_C_PER_W_M2 * ghiWm2;
    const k = (PV_PERFORMANCE_RATIO * (1 + PV_TEMP_COEFF_PER_C * (cellC - 25)) * (STEP_MIN / 60)) / SAMPLES / 1000;
    return { temperatureC, cloudCover: cloud, ghiWm2, ghiClearWm2: clearMean, pvKwhPerKw: Math.max(0, poa * k) };
  };
}

function dayOfYear(minute: number): number {
  const d = new Date(minute * 60_000);
  return Math.floor((minute * 60_000 - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

function fallbackTemperature(minute: number, doy: number, longitudeDeg: number): number {
  const { highC, lowC } = normalHighLowC(doy);
  const solarHour = (((minute / 60 + longitudeDeg / 15) % 24) + 24) % 24 + 0.25;
  return (highC + lowC) / 2 + ((highC - lowC) / 2) * Math.cos((2 * Math.PI * (solarHour - 15)) / 24);
}

/**
 * Daylight intervals where the file's irradiance is well above what the clear sky allows (GHI over
 * 1.3 × clear-sky + 50 W/m²): a sign of swapped or mislabelled columns (e.g. global given as diffuse).
 */
export function implausibleIrradiance(ws: WeatherSeries30, weatherAt: WeatherAt): number {
  if (!ws.features.ghi_w_m2 && !(ws.features.direct_irradiance_w_m2 && ws.features.diffuse_irradiance_w_m2)) return 0;
  let bad = 0;
  for (let i = 0; i < ws.length; i++) {
    const w = weatherAt(ws.baseMin + STEP_MIN * i);
    if (w && w.ghiClearWm2 > 0 && w.ghiWm2 > 1.3 * w.ghiClearWm2 + 50) bad++;
  }
  return bad;
}
