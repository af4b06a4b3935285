/**
 * The shape of one day's import tariff, computed once per day for the whole community: where the
 * expensive blocks are (any interval priced above the day's cheapest rate) and how many cheap
 * intervals remain before the next block. Pure function over plain arrays.
 */
export interface DayRateStructure {
  intervals: number;
  dayMinUsdPerKwh: number;
  dayMaxUsdPerKwh: number;
  /** first interval of the expensive block at or after t (`intervals` when none is left) */
  blockStart: Int32Array;
  /** one past the last interval of that block */
  blockEnd: Int32Array;
  /** highest import rate within that block */
  blockMaxUsdPerKwh: Float64Array;
  /** cheap intervals in [t, blockStart) */
  cheapLeft: Int32Array;
}

const RATE_EPSILON = 1e-9;

export function dayRateStructure(importUsdPerKwh: Float64Array, intervals: number): DayRateStructure {
  let dayMin = Infinity;
  let dayMax = -Infinity;
  for (let t = 0; t < intervals; t++) {
    dayMin = Math.min(dayMin, importUsdPerKwh[t]);
    dayMax = Math.max(dayMax, importUsdPerKwh[t]);
  }
  const blockStart = new Int32Array(intervals);
  const blockEnd = new Int32Array(intervals);
  const blockMax = new Float64Array(intervals);
  const cheapLeft = new Int32Array(intervals);
  let nextStart = intervals;
  let nextEnd = intervals;
  let nextMax = dayMin;
  let cheap = 0;
  for (let t = intervals - 1; t >= 0; t--) {
    const expensive = importUsdPerKwh[t] > dayMin + RATE_EPSILON;
    if (expensive) {
      if (t + 1 >= intervals || !(importUsdPerKwh[t + 1] > dayMin + RATE_EPSILON)) {
        // t is the last interval of a block
        nextEnd = t + 1;
        nextMax = importUsdPerKwh[t];
      }
      nextStart = t;
      nextMax = Math.max(nextMax, importUsdPerKwh[t]);
      cheap = 0;
    } else {
      cheap++;
    }
    blockStart[t] = nextStart;
    blockEnd[t] = nextEnd;
    blockMax[t] = nextStart < intervals ? nextMax : dayMin;
    cheapLeft[t] = cheap;
  }
  return {
    intervals,
    dayMinUsdPerKwh: dayMin,
    dayMaxUsdPerKwh: dayMax,
    blockStart,
    blockEnd,
    blockMaxUsdPerKwh: blockMax,
    cheapLeft,
  };
}
