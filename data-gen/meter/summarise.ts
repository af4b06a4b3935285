import { DateTime } from 'luxon';
import type { DroppedHome, FilledGaps, HomeSeries30 } from './finish.ts';
import type { InputsReport } from './report.ts';
import { isoInZone } from './timestamps.ts';
import type { WeatherSeries30 } from './weather-file.ts';

export interface SummariseInput {
  zone: string;
  files: InputsReport['files'];
  homes: readonly HomeSeries30[];
  dropped: readonly DroppedHome[];
  weather: WeatherSeries30 | null;
  warnings: string[];
  gbHomes: string[];
  gb: { clampedIntervals: number; clampedKwh: number; estimatedPvKwh: number };
  note: string;
}

const RESAMPLING: Record<number, string> = {
  15: '15-minute readings: each half hour is the sum of its two quarter hours',
  30: '30-minute readings: used as they are',
  60: '60-minute readings: each hour split into two equal half hours (weather: both halves take the hour’s value)',
};

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** The common coverage of the homes (and the weather): instants and whole local days. */
export function commonRange(homes: readonly HomeSeries30[], weather: WeatherSeries30 | null, zone: string): InputsReport['range'] {
  let start = -Infinity;
  let end = Infinity;
  for (const h of homes) {
    start = Math.max(start, h.baseMin);
    end = Math.min(end, h.baseMin + 30 * h.loadKwh.length);
  }
  if (weather) {
    start = Math.max(start, weather.baseMin);
    end = Math.min(end, weather.baseMin + 30 * weather.length);
  }
  if (!(end > start)) return { start: isoInZone(start, zone), end: isoInZone(start, zone), firstDate: null, lastDate: null };
  const s = DateTime.fromMillis(start * 60_000, { zone });
  const firstDay = s.equals(s.startOf('day')) ? s : s.startOf('day').plus({ days: 1 });
  const lastDay = DateTime.fromMillis(end * 60_000, { zone }).startOf('day').minus({ days: 1 });
  const ok = lastDay >= firstDay;
  return {
    start: isoInZone(start, zone),
    end: isoInZone(end, zone),
    firstDate: ok ? firstDay.toISODate() : null,
    lastDate: ok ? lastDay.toISODate() : null,
  };
}

export function summariseImport(x: SummariseInput): InputsReport {
  const byStep = new Map<number, string[]>();
  for (const h of x.homes) byStep.set(h.intervalMinutes, [...(byStep.get(h.intervalMinutes) ?? []), h.id]);
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  if (x.weather && !steps.includes(x.weather.intervalMinutes)) steps.push(x.weather.intervalMinutes);
  const total: FilledGaps = { gaps: 0, longOutsideWindow: 0, intervals: 0, loadKwh: 0, pvKwh: 0 };
  const perHome: Record<string, FilledGaps> = {};
  let trimmed = 0;
  for (const h of x.homes) {
    trimmed += h.trimmedIntervals;
    if (h.filled.gaps === 0) continue;
    perHome[h.id] = { ...h.filled, loadKwh: round(h.filled.loadKwh), pvKwh: round(h.filled.pvKwh) };
    total.gaps += h.filled.gaps;
    total.longOutsideWindow += h.filled.longOutsideWindow;
    total.intervals += h.filled.intervals;
    total.loadKwh += h.filled.loadKwh;
    total.pvKwh += h.filled.pvKwh;
  }
  total.loadKwh = round(total.loadKwh);
  total.pvKwh = round(total.pvKwh);
  return {
    source: 'meter',
    timezone: x.zone,
    files: x.files,
    homes: x.homes.length,
    range: commonRange(x.homes, x.weather, x.zone),
    intervalMinutes: [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([minutes, homes]) => ({ minutes, homes })),
    resampling: [...new Set(steps)].sort((a, b) => a - b).map((m) => RESAMPLING[m]),
    trimmedIntervals: trimmed,
    filledGaps: { total, perHome },
    droppedHomes: [...x.dropped],
    weather: {
      file: x.weather?.file ?? null,
      intervalMinutes: x.weather?.intervalMinutes ?? null,
      filledIntervals: x.weather?.filled.intervals ?? 0,
      missingFeatures: x.weather ? [...x.weather.missing] : ['temperature_c', 'relative_humidity_pct', 'cloud_cover', 'ghi_w_m2', 'diffuse_irradiance_w_m2', 'direct_irradiance_w_m2'],
    },
    greenButton:
      x.gbHomes.length === 0
        ? null
        : {
            homes: x.gbHomes,
            note: x.note,
            clampedIntervals: x.gb.clampedIntervals,
            clampedKwh: round(x.gb.clampedKwh),
            estimatedPvKwh: round(x.gb.estimatedPvKwh),
          },
    warnings: x.warnings,
  };
}
