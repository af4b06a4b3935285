import { INTERVAL_MINUTES, INTERVALS_PER_DAY, normal, type RngFactory } from '../../common/index.ts';

/** Synthetic household series for benchmarks and tests (not the project's data generator). */
export interface SyntheticSeries {
  households: number;
  intervals: number;
  /** interval-major, `[t * households + h]`, kWh per 30 min */
  loadKwh: Float64Array;
  pvKwh: Float64Array;
}

/**
 * Sinusoid-plus-noise load and PV, 48 intervals a day from a Monday midnight in January (matches
 * `syntheticContext`): load = base · (1 + morning and evening bumps + weekend lift + seasonal
 * swing) + noise; PV = capacity · a half-sine daylight curve · seasonal yield · the day's cloud
 * factor + noise. Each household has its own base, capacity (a quarter have no PV) and noise
 * stream `rngFor('synthetic/h<index>')`.
 */
export function syntheticSeries(households: number, days: number, rngFor: RngFactory): SyntheticSeries {
  const intervals = days * INTERVALS_PER_DAY;
  const loadKwh = new Float64Array(intervals * households);
  const pvKwh = new Float64Array(intervals * households);
  const weather = rngFor('synthetic/weather');
  const cloud = Float64Array.from({ length: days }, () => 0.35 + 0.65 * weather());
  for (let h = 0; h < households; h++) {
    const rng = rngFor(`synthetic/h${h}`);
    const base = 0.25 + 0.35 * rng();
    const pvPeak = rng() < 0.25 ? 0 : 1.5 + 2.5 * rng();
    const eveningShift = rng() * 2;
    for (let t = 0; t < intervals; t++) {
      const day = Math.floor(t / INTERVALS_PER_DAY);
      const hour = ((t % INTERVALS_PER_DAY) * INTERVAL_MINUTES) / 60;
      const weekend = day % 7 >= 5;
      const season = Math.cos((2 * Math.PI * (day - 200)) / 365);
      const morning = Math.exp(-((hour - 7.5) ** 2) / 2);
      const evening = Math.exp(-((hour - 19 - eveningShift) ** 2) / 4);
      const load = base * (0.8 + 0.6 * morning + 1.4 * evening + (weekend ? 0.25 : 0) + 0.3 * season) + 0.05 * normal(rng);
      const daylight = Math.max(0, Math.sin((Math.PI * (hour - 6)) / 13));
      const pv = pvPeak * 0.5 * daylight * (0.75 + 0.25 * season) * cloud[day] + (daylight > 0 ? 0.03 * normal(rng) : 0);
      loadKwh[t * households + h] = Math.max(0.02, load);
      pvKwh[t * households + h] = Math.max(0, pv);
    }
  }
  return { households, intervals, loadKwh, pvKwh };
}
