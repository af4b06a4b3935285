/**
 * One home's (or the weather's) readings on a regular grid, built while streaming: the grid step is
 * the greatest common divisor of the distances between readings (15, 30 or 60 minutes once the file
 * is read), a missing reading is NaN, and values sit in typed arrays (Float32: 7 significant digits,
 * far finer than any meter's resolution, so a 10,000-home year of 30-minute data fits in memory).
 */
export const RUN_STEP_MIN = 30;
export const ALLOWED_STEPS_MIN = [15, 30, 60] as const;
/** Gaps up to this long are filled by linear interpolation (INPUTS.md). */
export const MAX_FILLED_GAP_MIN = 120;

const gcd = (a: number, b: number): number => {
  while (b) [a, b] = [b, a % b];
  return a;
};

export type AddResult = 'ok' | 'duplicate' | { badStepMin: number };

export class GridSeries {
  /** minute (since the epoch) of slot 0 */
  base = Number.NaN;
  /** grid step, minutes (0 until two readings are in) */
  step = 0;
  /** slots in use */
  length = 0;
  /** one array per channel */
  channels: Float32Array[];
  rows = 0;

  constructor(channelCount: number, capacity = 64) {
    this.channels = Array.from({ length: channelCount }, () => new Float32Array(capacity).fill(Number.NaN));
  }

  /** Whether slot of `minute` holds a reading (channel 0). */
  has(minute: number): boolean {
    if (Number.isNaN(this.base) || this.step === 0) return minute === this.base && this.rows > 0;
    const d = minute - this.base;
    if (d < 0 || d % this.step !== 0) return false;
    const i = d / this.step;
    return i < this.length && !Number.isNaN(this.channels[0][i]);
  }

  /** Adds a reading; `values[c]` may be NaN for a missing channel value only when c > 0. */
  add(minute: number, values: readonly number[]): AddResult {
    if (this.rows === 0) {
      this.base = minute;
      this.write(0, values);
      this.length = 1;
      this.rows = 1;
      return 'ok';
    }
    const d = minute - this.base;
    if (d === 0) return 'duplicate';
    const g = gcd(this.step, Math.abs(d));
    if (g % 15 !== 0) return { badStepMin: g };
    if (g !== this.step) this.regrid(g);
    if (d < 0) this.prepend(-d / this.step);
    const i = (minute - this.base) / this.step;
    this.ensure(i + 1);
    if (!Number.isNaN(this.channels[0][i])) return 'duplicate';
    this.write(i, values);
    if (i + 1 > this.length) this.length = i + 1;
    this.rows++;
    return 'ok';
  }

  private write(i: number, values: readonly number[]): void {
    for (let c = 0; c < this.channels.length; c++) this.channels[c][i] = values[c];
  }

  private ensure(size: number): void {
    const cap = this.channels[0].length;
    if (size <= cap) return;
    const next = Math.max(size, Math.ceil(cap * 1.5)); // 1.5×: a year of half hours (17,520) ends in 18,685 slots, not 32,768
    this.channels = this.channels.map((a) => {
      const b = new Float32Array(next).fill(Number.NaN);
      b.set(a.subarray(0, this.length));
      return b;
    });
  }

  private regrid(step: number): void {
    if (this.step === 0) {
      this.step = step;
      return;
    }
    const k = this.step / step;
    const length = (this.length - 1) * k + 1;
    this.channels = this.channels.map((a) => {
      const b = new Float32Array(Math.max(length, 64)).fill(Number.NaN);
      for (let i = 0; i < this.length; i++) b[i * k] = a[i];
      return b;
    });
    this.length = length;
    this.step = step;
  }

  private prepend(slots: number): void {
    const length = this.length + slots;
    this.channels = this.channels.map((a) => {
      const b = new Float32Array(Math.max(length, a.length)).fill(Number.NaN);
      b.set(a.subarray(0, this.length), slots);
      return b;
    });
    this.length = length;
    this.base -= slots * this.step;
  }

  /** The channels trimmed to their length (views). */
  values(): Float32Array[] {
    return this.channels.map((a) => a.subarray(0, this.length));
  }
}

/** A run of missing slots between two readings: slot indices [from, to). */
export interface Gap {
  from: number;
  to: number;
}

/** The gaps (NaN runs with readings on both sides) of a series. */
export function findGaps(values: ArrayLike<number>): Gap[] {
  const gaps: Gap[] = [];
  let i = 0;
  const n = values.length;
  while (i < n && Number.isNaN(values[i])) i++;
  while (i < n) {
    if (!Number.isNaN(values[i])) {
      i++;
      continue;
    }
    const from = i;
    while (i < n && Number.isNaN(values[i])) i++;
    if (i < n) gaps.push({ from, to: i });
  }
  return gaps;
}

/**
 * Fills a gap linearly between the readings on either side (in place): slot k of a g-slot gap gets
 * a + (b − a)·(k + 1)/(g + 1). Returns the energy filled in.
 */
export function fillGapLinear(values: Float32Array | Float64Array, gap: Gap): number {
  const a = values[gap.from - 1];
  const b = values[gap.to];
  const g = gap.to - gap.from;
  let sum = 0;
  for (let k = 0; k < g; k++) {
    const v = a + ((b - a) * (k + 1)) / (g + 1);
    values[gap.from + k] = v;
    sum += values[gap.from + k];
  }
  return sum;
}

/**
 * Resamples energies per interval (kWh) from a `stepMin` grid starting at `baseMin` to the run's
 * 30-minute grid: 30 → as is; 60 → each hour split into two equal halves; 15 → pairs of quarters
 * summed. A leading or trailing quarter that does not fill a half hour is left out (`trimmed`).
 * Energy is conserved: Σ out = Σ in − Σ trimmed.
 */
export function resampleEnergyTo30(
  values: ArrayLike<number>,
  stepMin: number,
  baseMin: number,
): { baseMin: number; values: Float64Array; trimmedSlots: number; trimmedSum: number } {
  const n = values.length;
  if (stepMin === 30) return { baseMin, values: Float64Array.from(values), trimmedSlots: 0, trimmedSum: 0 };
  if (stepMin === 60) {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) out[2 * i] = out[2 * i + 1] = values[i] / 2;
    return { baseMin, values: out, trimmedSlots: 0, trimmedSum: 0 };
  }
  if (stepMin !== 15) throw new RangeError(`cannot resample ${stepMin}-minute data to 30 minutes`);
  const skip = n > 0 && ((baseMin % 30) + 30) % 30 === 15 ? 1 : 0;
  const pairs = Math.max(0, Math.floor((n - skip) / 2));
  const out = new Float64Array(pairs);
  for (let j = 0; j < pairs; j++) out[j] = values[skip + 2 * j] + values[skip + 2 * j + 1];
  let trimmedSum = 0;
  if (skip) trimmedSum += values[0];
  const last = skip + 2 * pairs;
  for (let i = last; i < n; i++) trimmedSum += values[i];
  return { baseMin: baseMin + (((baseMin % 30) + 30) % 30 === 15 ? 15 : 0), values: out, trimmedSlots: n - 2 * pairs, trimmedSum };
}

/**
 * Resamples a mean-valued quantity (temperature, irradiance W/m², cloud cover) to 30 minutes:
 * 60 → both halves take the hour's value, 15 → the mean of the two quarters, 30 → as is.
 */
export function resampleMeanTo30(values: ArrayLike<number>, stepMin: number, baseMin: number): { baseMin: number; values: Float64Array } {
  const r = resampleEnergyTo30(values, stepMin, baseMin);
  if (stepMin === 60) for (let i = 0; i < r.values.length; i++) r.values[i] *= 2;
  if (stepMin === 15) for (let i = 0; i < r.values.length; i++) r.values[i] /= 2;
  return { baseMin: r.baseMin, values: r.values };
}
