/**
 * Cost of the conformal band calibration (agents/transformer/conformal.ts) as the engine uses it:
 *   node cli/bin/run-ts.mjs bench/conformal.ts [--homes 200] [--days 8]
 * Every interval a 6-step band is calibrated and the interval's actuals observed, every midnight
 * also a 48-step band; the windows fill over the first 7 days, and the last day is timed (full
 * windows of 336 scores: the steady-state cost). Bands and actuals are seeded pseudo-random numbers.
 * Reports CPU microseconds per home and interval, and the calibrator's memory per home (its score
 * windows and daylight flags). CPU time is fine here: this is a benchmark, not simulation code.
 */
import { ConformalCalibrator, CONFORMAL_DEFAULTS, type CalibratedBand } from '../agents/transformer/index.ts';
import { createRngFactory } from '../sim/index.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const homes = arg('--homes', 200);
const days = arg('--days', 8);
const rng = createRngFactory(1)('bench/conformal');

function band(width: number): CalibratedBand {
  const f = () => new Float64Array(homes * width);
  return { loadP10: f(), loadP50: f(), loadP90: f(), pvP10: f(), pvP50: f(), pvP90: f() };
}
function fill(b: CalibratedBand, t: number): void {
  for (let i = 0; i < b.loadP50.length; i++) {
    const mid = 0.5 + rng();
    b.loadP10[i] = mid * 0.6;
    b.loadP50[i] = mid;
    b.loadP90[i] = mid * 1.5;
    const sun = t % 48 >= 14 && t % 48 < 38 ? 1 : 0;
    b.pvP10[i] = sun * 0.3;
    b.pvP50[i] = sun * 0.6;
    b.pvP90[i] = sun * 0.9;
  }
}

const cal = new ConformalCalibrator(homes);
const short = band(6);
const day = band(48);
const load = new Float64Array(homes);
const pv = new Float64Array(homes);
let cpuUs = 0;
for (let t = 0; t < days * 48; t++) {
  fill(short, t);
  if (t % 48 === 0) fill(day, t);
  for (let h = 0; h < homes; h++) {
    load[h] = 0.4 + 1.4 * rng();
    pv[h] = t % 48 >= 14 && t % 48 < 38 ? rng() : 0;
  }
  const timed = t >= (days - 1) * 48;
  const c0 = process.cpuUsage();
  if (t % 48 === 0) cal.calibrate(day, 48);
  cal.calibrate(short, 6);
  cal.observe(load, pv, 0);
  if (timed) {
    const c = process.cpuUsage(c0);
    cpuUs += c.user + c.system;
  }
}
const pools = CONFORMAL_DEFAULTS.exactSteps + 1;
// score windows (Float32) with their counters, and two days of daylight flags; the pending bands add 4 × 8 bytes per step of each open band
const bytesPerHome = 2 * pools * (CONFORMAL_DEFAULTS.windowScores * 4 + 8) + 2 * CONFORMAL_DEFAULTS.periodIntervals;
console.log(
  JSON.stringify({ homes, days, cpu_us_per_home_interval_last_day: cpuUs / (homes * 48), scores_held: cal.scoresHeld('load', 0, 0), calibrator_bytes_per_home: bytesPerHome }),
);
