/**
 * The shape of one day's import tariff, computed once per day for the whole community: where the
 * expensive blocks are (any interval priced above the day's cheapest rate) and how many cheap
 * intervals remain before the next block. Pure function over plain arrays.
 */
import { RATE_EPSILON_USD_PER_KWH } from '../common/index.ts';
import type { DayRateStructure } from './strategy.ts';

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
    const expensive = importUsdPerKwh[t] > dayMin + RATE_EPSILON_USD_PER_KWH;
    if (expensive) {
      if (t + 1 >= intervals || !(importUsdPerKwh[t + 1] > dayMin + RATE_EPSILON_USD_PER_KWH)) {
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
