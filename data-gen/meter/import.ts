import { resolve } from 'node:path';
import { DateTime } from 'luxon';
import { dayLayout, parseLocalDate } from '../calendar.ts';
import type { DayBlock } from '../days.ts';
import type { HouseholdProfile } from '../population.ts';
import { DAVIS, TERRITORIES } from '../config.ts';
import { InputError } from './errors.ts';
import { fileDigest, fileHead, fileLabel } from './files.ts';
import { finishHome, type DroppedHome, type HomeSeries30 } from './finish.ts';
import { isGreenButtonPath, readGreenButton } from './green-button.ts';
import { readMeterCsv, type RawHome } from './meter-csv.ts';
import { readHomesFile, type HomeMetadata } from './metadata.ts';
import { GREEN_BUTTON_NOTE, type InputsReport } from './report.ts';
import { reconstructFromNet } from './reconstruct.ts';
import { summariseImport } from './summarise.ts';
import { isoInZone } from './timestamps.ts';
import { createWeatherAt, implausibleIrradiance, type WeatherAt } from './weather-at.ts';
import { readWeatherCsv, type WeatherSeries30 } from './weather-file.ts';

export const DEFAULT_TIMEZONE = 'America/Los_Angeles';

export interface ImportOptions {
  /** meter files: long CSV and/or Green Button XML (one home per XML file) */
  meter: string | readonly string[];
  weather?: string;
  homes?: string;
  /** IANA zone of naive timestamps and of the day blocks (default America/Los_Angeles) */
  timezone?: string;
  /** site for the sun (config weather.latitudeDeg/longitudeDeg; default Davis) */
  latitudeDeg?: number;
  longitudeDeg?: number;
  /** PG&E baseline territory of the imported homes (config households.territory; default X) */
  territory?: (typeof TERRITORIES)[number];
  /** drop homes with a gap over 2 h instead of failing */
  dropHomesWithLongGaps?: boolean;
  /**
   * the simulated window (local dates in `timezone`): a gap over 2 h inside it is an error (or drops
   * the home); outside it (history) it is filled linearly, counted and warned about. Without a
   * window every gap over 2 h counts as inside.
   */
  window?: { start: string; days: number };
  /** relative paths are resolved, and named in messages and the report, relative to this (default process.cwd()); absolute ones stay absolute */
  cwd?: string;
}

/** Per-home settings from the metadata file that HouseholdProfile does not carry (absent → config). */
export interface HomeOverrides {
  batteryKwh?: number;
  tariff?: string;
  storageMode?: string;
}

export interface ImportedHouseholds {
  households: HouseholdProfile[];
  /** by household id; only the fields the metadata file gave */
  overrides: Record<string, HomeOverrides>;
  /** local days `startDate` … `startDate + days − 1` in the data's zone, as the generator yields them */
  blocks(startDate: string, days: number): Iterator<DayBlock> & Iterable<DayBlock>;
  range: InputsReport['range'];
  report: InputsReport;
}

/**
 * Neutral values for the fields of HouseholdProfile that only the synthetic generator uses (the
 * measured load already contains whatever the home has): average occupants, no EV/AC/electric
 * water heating flags, reference roof. The engine takes load and PV from the blocks, not from these.
 */
export const IMPORTED_PROFILE_DEFAULTS = {
  occupants: 3,
  occupancy: 'work-away',
  pvOrientation: 180,
  pvTiltDeg: 20,
  hasEv: false,
  evChargerKw: 0,
  evKwhPerDay: 0,
  evCharging: 'on-arrival',
  hasAc: false,
  acKw: 0,
  acSetpointC: 25,
  electricWaterHeater: false,
  electricDryer: false,
  refrigeratorKwhPerDay: 1.45,
  loadScale: 1,
  scheduleShiftH: 0,
} as const;
/** pv_kw from data when the metadata does not give it: peak half-hour PV power / this AC-to-DC ratio. */
export const PEAK_AC_PER_KW_DC = 0.85;

/** Reads, checks and repairs meter data (and weather and metadata) into the engine's day blocks. */
export async function importHouseholds(opts: ImportOptions): Promise<ImportedHouseholds> {
  const zone = opts.timezone ?? DEFAULT_TIMEZONE;
  const cwd = opts.cwd ?? process.cwd();
  const label = (p: string) => fileLabel(p, cwd);
  const meterPaths = typeof opts.meter === 'string' ? [opts.meter] : [...opts.meter];
  if (meterPaths.length === 0) throw new InputError({ file: '(none)' }, 'no meter file given');
  const files: InputsReport['files'] = [];
  const warnings: string[] = [];
  const lat = opts.latitudeDeg ?? DAVIS.latitudeDeg;
  const lon = opts.longitudeDeg ?? DAVIS.longitudeDeg;

  const meta = opts.homes ? await readHomesFile(resolve(cwd, opts.homes), label(opts.homes)) : null;
  if (meta && meta.extraColumns.length) warnings.push(`${label(opts.homes!)}: ignored extra columns ${meta.extraColumns.join(', ')}`);
  const weather = opts.weather ? await readWeatherCsv(resolve(cwd, opts.weather), label(opts.weather), zone) : null;
  if (weather && weather.extraColumns.length) warnings.push(`${weather.file}: ignored extra columns ${weather.extraColumns.join(', ')}`);
  const weatherAt = createWeatherAt(weather, lat, lon);
  const implausible = weather ? implausibleIrradiance(weather, weatherAt) : 0;
  if (implausible > 0) {
    warnings.push(
      `${weather!.file}: in ${implausible} daylight half hours the irradiance (direct normal × cos zenith + diffuse, or ghi) exceeds 1.3 × the clear-sky GHI + 50 W/m²: check the columns (direct_irradiance_w_m2 is taken as direct normal, diffuse_irradiance_w_m2 as diffuse horizontal) and the site (latitudeDeg/longitudeDeg)`,
    );
  }

  const homes: HomeSeries30[] = [];
  const dropped: DroppedHome[] = [];
  const seenIn = new Map<string, string>();
  const gbHomes: string[] = [];
  const gb = { clampedIntervals: 0, clampedKwh: 0, estimatedPvKwh: 0 };
  const drop = opts.dropHomesWithLongGaps === true;
  const window = opts.window ? windowMinutes(opts.window, zone) : null;
  const metaById = new Map((meta?.homes ?? []).map((h) => [h.household_id, h]));
  for (const p of meterPaths) {
    const abs = resolve(cwd, p);
    const l = label(p);
    const xml = isGreenButtonPath(p, fileHead(abs, l));
    let raws: RawHome[];
    if (xml) raws = [readGreenButton(abs, l, zone)];
    else {
      const f = await readMeterCsv(abs, l, zone);
      if (f.extraColumns.length) warnings.push(`${l}: ignored extra columns ${f.extraColumns.join(', ')}`);
      raws = [...f.homes.values()];
      if (!f.hasPvColumn) warnings.push(`${l}: no pv_kwh column: these homes have no PV`);
      raws.forEach((r) => ((r as RawHome & { noPv?: boolean }).noPv = !f.hasPvColumn));
    }
    files.push({ path: l, role: 'meter', format: xml ? 'green-button-xml' : 'csv', ...(await fileDigest(abs, l)) });
    for (const raw of raws) {
      if (seenIn.has(raw.id)) throw new InputError({ file: l }, `home ${raw.id} is also in ${seenIn.get(raw.id)}`);
      seenIn.set(raw.id, l);
      const done = finishHome(raw, l, zone, drop, window);
      if (!('loadKwh' in done)) {
        dropped.push(done);
        continue;
      }
      if (xml) {
        gbHomes.push(done.id);
        const pvKw = metaById.get(done.id)?.pv_kw ?? 0;
        if (pvKw === 0) warnings.push(`${l}: home ${done.id} has no pv_kw in the household metadata: load = import − export, no PV estimated`);
        const r = reconstructFromNet(done, pvKw, weatherAt, weather?.file ?? null, zone);
        gb.clampedIntervals += r.clampedIntervals;
        gb.clampedKwh += r.clampedKwh;
        gb.estimatedPvKwh += r.estimatedPvKwh;
      } else if ((raw as RawHome & { noPv?: boolean }).noPv) done.pvMeasured = false;
      homes.push(done);
    }
  }
  const longOutside = homes.filter((h) => h.filled.longOutsideWindow > 0);
  if (longOutside.length) {
    warnings.push(
      `gaps over 2 h outside the simulated window were filled linearly (history only): ${longOutside.map((h) => `${h.id} (${h.filled.longOutsideWindow})`).join(', ')}`,
    );
  }
  if (homes.length === 0) throw new InputError({ file: files[0]?.path ?? '(none)' }, `no homes left to import (${dropped.length} dropped for long gaps)`);
  for (const m of meta?.homes ?? []) {
    if (!seenIn.has(m.household_id)) {
      throw new InputError({ file: label(opts.homes!), line: m.line, column: m.line ? 1 : undefined }, `household_id "${m.household_id}" is not in the meter data`);
    }
  }
  if (opts.homes) files.push({ path: label(opts.homes), role: 'homes', format: opts.homes.toLowerCase().endsWith('.json') ? 'json' : 'csv', ...(await fileDigest(resolve(cwd, opts.homes), label(opts.homes))) });
  if (opts.weather) files.push({ path: label(opts.weather), role: 'weather', format: 'csv', ...(await fileDigest(resolve(cwd, opts.weather), label(opts.weather))) });
  if (!weather) warnings.push('no weather file: temperature, cloud cover and irradiance come from the synthetic climate (see data-gen/meter/weather-at.ts)');
  else if (weather.missing.length) warnings.push(`${weather.file}: no ${weather.missing.join(', ')} (fallbacks in data-gen/meter/weather-at.ts)`);

  const households = homes.map((h, i) => profileOf(h, i, metaById.get(h.id), opts.territory ?? 'X'));
  const overrides = Object.fromEntries(
    homes.flatMap((h) => {
      const m = metaById.get(h.id);
      if (!m) return [];
      const o: HomeOverrides = {};
      if (m.battery_kwh !== undefined) o.batteryKwh = m.battery_kwh;
      if (m.tariff !== undefined) o.tariff = m.tariff;
      if (m.storage_mode !== undefined) o.storageMode = m.storage_mode;
      return Object.keys(o).length ? [[h.id, o]] : [];
    }),
  );
  const report = summariseImport({ zone, files, homes, dropped, weather, warnings, gbHomes, gb, note: GREEN_BUTTON_NOTE });
  const meterLabel = files[0].path;
  return {
    households,
    overrides,
    range: report.range,
    report,
    blocks: (startDate, days) => dayBlocks(homes, weatherAt, weather, zone, startDate, days, report.range, meterLabel),
  };
}

function windowMinutes(w: { start: string; days: number }, zone: string): { fromMin: number; toMin: number } {
  const first = parseLocalDate(w.start, zone);
  return { fromMin: first.toMillis() / 60_000, toMin: first.plus({ days: w.days }).toMillis() / 60_000 };
}

function profileOf(h: HomeSeries30, index: number, m: HomeMetadata | undefined, territory: (typeof TERRITORIES)[number]): HouseholdProfile {
  let peak = 0;
  for (let i = 0; i < h.pvKwh.length; i++) if (h.pvKwh[i] > peak) peak = h.pvKwh[i];
  const fromData = Math.round(((peak * 2) / PEAK_AC_PER_KW_DC) * 10) / 10;
  const pvKw = m?.pv_kw ?? (h.pvMeasured ? fromData : 0);
  return { id: h.id, index, ...IMPORTED_PROFILE_DEFAULTS, hasPv: pvKw > 0, pvKw, territory };
}

function* dayBlocks(
  homes: readonly HomeSeries30[],
  weatherAt: WeatherAt,
  weather: WeatherSeries30 | null,
  zone: string,
  startDate: string,
  days: number,
  range: InputsReport['range'],
  meterLabel: string,
): Generator<DayBlock> {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number ≥ 0, got ${days}`);
  const first = parseLocalDate(startDate, zone);
  const lastDate = first.plus({ days: days - 1 }).toISODate()!;
  if (days > 0 && (range.firstDate === null || startDate < range.firstDate || lastDate > range.lastDate!)) {
    const covered = range.firstDate === null ? 'no whole local day' : `${range.firstDate} … ${range.lastDate}`;
    throw new InputError(
      { file: meterLabel },
      `the window ${startDate} … ${lastDate} (${days} days) is not covered by the meter data: every home has data for ${covered} (${range.start} to ${range.end})`,
    );
  }
  const n = homes.length;
  let day: DateTime = first;
  for (let d = 0; d < days; d++) {
    const L = dayLayout(day, 30);
    day = L.next;
    const D = L.intervals;
    const temperatureC = new Float64Array(D);
    const cloudCover = new Float64Array(D);
    const ghiWm2 = new Float64Array(D);
    const loadKwh = new Float64Array(D * n);
    const pvKwh = new Float64Array(D * n);
    for (let t = 0; t < D; t++) {
      const minute = L.startMs[t] / 60_000;
      const w = weatherAt(minute);
      if (w === null) {
        throw new InputError(
          { file: weather!.file },
          `the weather file does not cover ${isoInZone(minute, zone)} (it covers ${isoInZone(weather!.baseMin, zone)} to ${isoInZone(weather!.baseMin + 30 * weather!.length, zone)})`,
        );
      }
      temperatureC[t] = w.temperatureC;
      cloudCover[t] = w.cloudCover;
      ghiWm2[t] = w.ghiWm2;
      const row = t * n;
      for (let h = 0; h < n; h++) {
        const i = (minute - homes[h].baseMin) / 30;
        loadKwh[row + h] = homes[h].loadKwh[i];
        pvKwh[row + h] = homes[h].pvKwh[i];
      }
    }
    yield {
      date: L.date,
      dayIndex: d,
      intervals: D,
      intervalStartIso: L.startIso,
      localHour: L.localHour,
      month: L.month,
      weekday: L.weekday,
      temperatureC,
      cloudCover,
      ghiWm2,
      households: n,
      loadKwh,
      pvKwh,
    };
  }
}
