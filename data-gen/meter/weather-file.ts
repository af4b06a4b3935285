import { checkFieldCount, headerColumns, parseFinite, readCsvRows, type HeaderColumns } from './csv-lines.ts';
import { InputError } from './errors.ts';
import { checkStep, describeGap } from './finish.ts';
import { findGaps, fillGapLinear, GridSeries, MAX_FILLED_GAP_MIN, resampleMeanTo30 } from './series.ts';
import { createTimestampParser, isoInZone } from './timestamps.ts';

/** The optional weather features a file may give (besides the required temperature). */
export const WEATHER_FEATURES = [
  'relative_humidity_pct',
  'cloud_cover',
  'ghi_w_m2',
  'diffuse_irradiance_w_m2',
  'direct_irradiance_w_m2',
] as const;
export type WeatherFeature = 'temperature_c' | (typeof WEATHER_FEATURES)[number];

/** Measured weather on the run's 30-minute grid (each value the interval's mean). */
export interface WeatherSeries30 {
  file: string;
  baseMin: number;
  length: number;
  intervalMinutes: number;
  features: Partial<Record<WeatherFeature, Float32Array>>;
  missing: WeatherFeature[];
  extraColumns: string[];
  filled: { gaps: number; intervals: number };
}

const LIMITS: Partial<Record<WeatherFeature, [number, number]>> = {
  relative_humidity_pct: [0, 100],
  cloud_cover: [0, 1],
  ghi_w_m2: [0, 2000],
  diffuse_irradiance_w_m2: [0, 2000],
  direct_irradiance_w_m2: [0, 2000],
  temperature_c: [-90, 70],
};

/**
 * Reads a weather CSV (`timestamp,temperature_c` plus any of the optional features; same timestamp
 * rules as the meter file). Short gaps are filled linearly; a gap over 2 h is an error.
 */
export async function readWeatherCsv(path: string, label: string, zone: string): Promise<WeatherSeries30> {
  const parseTs = createTimestampParser(zone);
  let cols: HeaderColumns | null = null;
  let names: WeatherFeature[] = [];
  let series: GridSeries | null = null;
  let firstLine = 0;
  let iTs = 0;
  const values: number[] = [];
  for await (const { line, fields } of readCsvRows(path, label)) {
    if (cols === null) {
      cols = headerColumns(fields, ['timestamp', 'temperature_c'], WEATHER_FEATURES, label, line);
      names = (['temperature_c', ...WEATHER_FEATURES] as WeatherFeature[]).filter((f) => f in cols!.index);
      series = new GridSeries(names.length);
      iTs = cols.index.timestamp;
      continue;
    }
    checkFieldCount(fields, cols, label, line);
    if (firstLine === 0) firstLine = line;
    const ts = parseTs(fields[iTs] ?? '');
    if (ts.kind === 'error') throw new InputError({ file: label, line, column: iTs + 1 }, ts.reason);
    names.forEach((name, c) => {
      const col = cols!.index[name];
      const x = parseFinite(fields[col] ?? '', name, label, line, col + 1);
      if (x === null) throw new InputError({ file: label, line, column: col + 1 }, `${name} is empty`);
      const [lo, hi] = LIMITS[name]!;
      if (x < lo || x > hi) throw new InputError({ file: label, line, column: col + 1 }, `${name} ${x} is outside ${lo}…${hi}`);
      values[c] = x;
    });
    const minute = ts.kind === 'exact' ? ts.minute : ts.minutes.length > 1 && series!.has(ts.minutes[0]) ? ts.minutes[1] : ts.minutes[0];
    const r = series!.add(minute, values);
    if (r === 'duplicate') throw new InputError({ file: label, line, column: iTs + 1 }, `duplicate row: already a reading at ${isoInZone(minute, zone)}`);
    if (r !== 'ok') {
      throw new InputError({ file: label, line, column: iTs + 1 }, `readings ${r.badStepMin} minutes apart; the interval length must be 15, 30 or 60 minutes`);
    }
  }
  if (cols === null || series === null) throw new InputError({ file: label, line: 1 }, 'the file is empty (a header row is required)');
  if (series.rows === 0) throw new InputError({ file: label, line: 2 }, 'no data rows after the header');
  const step = checkStep(series, 'the weather', label, firstLine);
  const arrays = series.values();
  const filled = { gaps: 0, intervals: 0 };
  for (const gap of findGaps(arrays[0])) {
    if ((gap.to - gap.from) * step > MAX_FILLED_GAP_MIN) {
      throw new InputError({ file: label }, `the weather has a gap of ${describeGap(series, gap.from, gap.to, zone)}; gaps up to 2 h are filled`);
    }
    filled.gaps++;
    filled.intervals += gap.to - gap.from;
    for (const a of arrays) fillGapLinear(a, gap);
  }
  const features: Partial<Record<WeatherFeature, Float32Array>> = {};
  let baseMin = series.base;
  let length = 0;
  names.forEach((name, c) => {
    const r = resampleMeanTo30(arrays[c], step, series!.base);
    features[name] = Float32Array.from(r.values);
    baseMin = r.baseMin;
    length = r.values.length;
  });
  const missing = WEATHER_FEATURES.filter((f) => !names.includes(f));
  return { file: label, baseMin, length, intervalMinutes: step, features, missing, extraColumns: cols.extra, filled };
}
