import { InputError } from './errors.ts';
import type { RawHome } from './meter-csv.ts';
import { findGaps, fillGapLinear, MAX_FILLED_GAP_MIN, resampleEnergyTo30, type GridSeries } from './series.ts';
import { isoInZone } from './timestamps.ts';

/** A home's energy on the run's 30-minute grid. */
export interface HomeSeries30 {
  id: string;
  /** file label the home came from */
  file: string;
  /** minute (since the epoch) of the first half hour */
  baseMin: number;
  loadKwh: Float32Array;
  pvKwh: Float32Array;
  /** the file's interval length for this home, minutes */
  intervalMinutes: number;
  /** whether the file gives this home's PV */
  pvMeasured: boolean;
  filled: FilledGaps;
  /** leading/trailing quarter hours that do not make up a whole half hour (15-minute data only) */
  trimmedIntervals: number;
}

export interface FilledGaps {
  gaps: number;
  /** of which longer than 2 h, outside the simulated window (filled linearly, for history only) */
  longOutsideWindow: number;
  /** missing native intervals filled */
  intervals: number;
  loadKwh: number;
  pvKwh: number;
}

export interface DroppedHome {
  id: string;
  reason: string;
}

const hm = (min: number) => (min < 60 ? `${min} min` : min % 60 === 0 ? `${min / 60} h` : `${Math.floor(min / 60)} h ${min % 60} min`);

/** Checks a series' interval length; returns it or throws naming the home. */
export function checkStep(series: GridSeries, what: string, label: string, firstLine: number): number {
  const step = series.step;
  if (step === 0) throw new InputError({ file: label, line: firstLine }, `${what} has a single reading; its interval length cannot be detected`);
  if (step !== 15 && step !== 30 && step !== 60) {
    throw new InputError({ file: label }, `${what}: readings ${step} minutes apart; the interval length must be 15, 30 or 60 minutes`);
  }
  if (step >= 30 && ((series.base % 30) + 30) % 30 !== 0) {
    throw new InputError({ file: label }, `${what}: ${step}-minute readings must start on the hour or half hour`);
  }
  return step;
}

/** A gap of a series, as text for messages. */
export function describeGap(series: GridSeries, from: number, to: number, zone: string): string {
  const a = series.base + from * series.step;
  const b = series.base + to * series.step;
  return `${hm(b - a)} without readings from ${isoInZone(a, zone)} to ${isoInZone(b, zone)}`;
}

/**
 * Fills a home's short gaps (≤ 2 h, linear, counted), rejects or drops it for a longer one, and
 * resamples it to 30 minutes.
 */
export function finishHome(
  raw: RawHome,
  label: string,
  zone: string,
  dropHomesWithLongGaps: boolean,
  window: { fromMin: number; toMin: number } | null = null,
): HomeSeries30 | DroppedHome {
  const s = raw.series;
  const step = checkStep(s, `home ${raw.id}`, label, raw.firstLine);
  const [load, pv] = s.values();
  const filled: FilledGaps = { gaps: 0, longOutsideWindow: 0, intervals: 0, loadKwh: 0, pvKwh: 0 };
  for (const gap of findGaps(load)) {
    const minutes = (gap.to - gap.from) * step;
    const gapFrom = s.base + gap.from * step;
    const gapTo = s.base + gap.to * step;
    const inWindow = window === null || (gapFrom < window.toMin && gapTo > window.fromMin);
    if (minutes > MAX_FILLED_GAP_MIN && !inWindow) filled.longOutsideWindow++;
    else if (minutes > MAX_FILLED_GAP_MIN) {
      const reason = `home ${raw.id} has a gap of ${describeGap(s, gap.from, gap.to, zone)}; gaps up to 2 h are filled`;
      if (dropHomesWithLongGaps) return { id: raw.id, reason };
      throw new InputError({ file: label }, `${reason} (or drop such homes: dropHomesWithLongGaps)`);
    }
    filled.gaps++;
    filled.intervals += gap.to - gap.from;
    filled.loadKwh += fillGapLinear(load, gap);
    filled.pvKwh += fillGapLinear(pv, gap);
  }
  const l = resampleEnergyTo30(load, step, s.base);
  const p = resampleEnergyTo30(pv, step, s.base);
  s.channels = []; // the native grid is no longer needed: free it before the next home
  return {
    id: raw.id,
    file: label,
    baseMin: l.baseMin,
    loadKwh: Float32Array.from(l.values),
    pvKwh: Float32Array.from(p.values),
    intervalMinutes: step,
    pvMeasured: true,
    filled,
    trimmedIntervals: l.trimmedSlots,
  };
}
