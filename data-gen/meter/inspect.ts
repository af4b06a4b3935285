import { resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from './errors.ts';
import { fileHead, fileLabel } from './files.ts';
import { isGreenButtonPath, readGreenButton } from './green-button.ts';
import { readMeterCsv, type RawHome } from './meter-csv.ts';
import { findGaps, MAX_FILLED_GAP_MIN } from './series.ts';
import { isoInZone } from './timestamps.ts';
import { DEFAULT_TIMEZONE } from './import.ts';

/** What a data scientist checks first in meter files (`wattswap inspect`). */
export const InspectHomeSchema = z.strictObject({
  id: z.string(),
  file: z.string(),
  intervalMinutes: z.number().int().nullable().describe('detected interval length (null: a single reading)'),
  intervalOk: z.boolean().describe('15, 30 or 60 minutes, aligned to the half hour'),
  first: z.string(),
  end: z.string().describe('end (exclusive) of the last reading'),
  readings: z.number().int(),
  gaps: z.number().int(),
  missingIntervals: z.number().int(),
  longestGapMinutes: z.number().int(),
  longGaps: z.number().int().describe('gaps over 2 h: an import error unless such homes are dropped'),
  meanDailyLoadKwh: z.number().describe('for Green Button: grid import'),
  meanDailyPvKwh: z.number().nullable().describe('for Green Button: grid export; null when the file has no PV column'),
  maxIntervalLoadKwh: z.number(),
  zeroLoadReadings: z.number().int(),
});
export const InspectReportSchema = z.strictObject({
  files: z.array(z.strictObject({ path: z.string(), format: z.enum(['csv', 'green-button-xml']), rows: z.number().int(), extraColumns: z.array(z.string()) })),
  timezone: z.string(),
  homes: z.array(InspectHomeSchema),
  range: z.strictObject({ first: z.string(), end: z.string() }).nullable(),
  badRows: z.array(z.strictObject({ file: z.string(), line: z.number().int().nullable(), column: z.number().int().nullable(), reason: z.string() })),
  badRowsNotShown: z.number().int(),
  notes: z.array(z.string()),
});
export type InspectReport = z.infer<typeof InspectReportSchema>;
export type InspectHome = z.infer<typeof InspectHomeSchema>;

export interface InspectOptions {
  timezone?: string;
  cwd?: string;
  /** bad rows listed (the rest are counted) */
  maxBadRows?: number;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Reads meter files tolerantly: a bad row is listed (file, line, column, reason) and skipped instead
 * of stopping, and every home is summarised as the importer would see it.
 */
export async function inspectMeterFiles(paths: readonly string[], opts: InspectOptions = {}): Promise<InspectReport> {
  const zone = opts.timezone ?? DEFAULT_TIMEZONE;
  const cwd = opts.cwd ?? process.cwd();
  const maxBad = opts.maxBadRows ?? 20;
  const report: InspectReport = { files: [], timezone: zone, homes: [], range: null, badRows: [], badRowsNotShown: 0, notes: [] };
  const onBad = (e: InputError) => {
    if (report.badRows.length < maxBad) report.badRows.push({ file: e.file, line: e.line ?? null, column: e.column ?? null, reason: e.reason });
    else report.badRowsNotShown++;
  };
  let first = Infinity;
  let end = -Infinity;
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const label = fileLabel(p, cwd);
    const xml = isGreenButtonPath(p, fileHead(abs, label));
    let raws: RawHome[];
    let hasPv = true;
    if (xml) {
      raws = [readGreenButton(abs, label, zone)];
      report.files.push({ path: label, format: 'green-button-xml', rows: raws[0].series.rows, extraColumns: [] });
      report.notes.push(`${label}: Green Button net flows: "load" is grid import and "PV" grid export; the import reconstructs gross load and PV from pv_kw and the weather`);
    } else {
      const f = await readMeterCsv(abs, label, zone, onBad);
      raws = [...f.homes.values()];
      hasPv = f.hasPvColumn;
      report.files.push({ path: label, format: 'csv', rows: f.rows, extraColumns: f.extraColumns });
    }
    for (const raw of raws) {
      const h = inspectHome(raw, label, zone, hasPv);
      report.homes.push(h.summary);
      first = Math.min(first, h.firstMin);
      end = Math.max(end, h.endMin);
    }
  }
  if (report.homes.length > 0) report.range = { first: isoInZone(first, zone), end: isoInZone(end, zone) };
  if (report.homes.some((h) => h.gaps > h.longGaps)) report.notes.push('gaps up to 2 h are filled by linear interpolation on import (and counted)');
  if (report.homes.some((h) => h.longGaps > 0)) report.notes.push('homes with gaps over 2 h fail the import unless dropped (dropHomesWithLongGaps)');
  if (report.homes.some((h) => h.intervalMinutes !== null && h.intervalMinutes !== 30)) report.notes.push('readings are resampled to 30 minutes on import (60 → two equal halves, 15 → pairs summed)');
  return report;
}

function inspectHome(raw: RawHome, file: string, zone: string, hasPv: boolean): { summary: InspectHome; firstMin: number; endMin: number } {
  const s = raw.series;
  const step = s.step;
  const [load, pv] = s.values();
  let gaps = 0;
  let missing = 0;
  let longest = 0;
  let long = 0;
  if (step > 0) {
    for (const g of findGaps(load)) {
      const minutes = (g.to - g.from) * step;
      gaps++;
      missing += g.to - g.from;
      longest = Math.max(longest, minutes);
      if (minutes > MAX_FILLED_GAP_MIN) long++;
    }
  }
  let loadSum = 0;
  let pvSum = 0;
  let maxLoad = 0;
  let zeros = 0;
  for (let i = 0; i < load.length; i++) {
    const v = load[i];
    if (Number.isNaN(v)) continue;
    loadSum += v;
    pvSum += pv[i];
    if (v > maxLoad) maxLoad = v;
    if (v === 0) zeros++;
  }
  const days = (s.rows * (step || 60)) / 1440;
  const endMin = s.base + s.length * (step || 60);
  return {
    firstMin: s.base,
    endMin,
    summary: {
      id: raw.id,
      file,
      intervalMinutes: step === 0 ? null : step,
      intervalOk: [15, 30, 60].includes(step) && (step === 15 || ((s.base % 30) + 30) % 30 === 0),
      first: isoInZone(s.base, zone),
      end: isoInZone(endMin, zone),
      readings: s.rows,
      gaps,
      missingIntervals: missing,
      longestGapMinutes: longest,
      longGaps: long,
      meanDailyLoadKwh: r3(loadSum / days),
      meanDailyPvKwh: hasPv ? r3(pvSum / days) : null,
      maxIntervalLoadKwh: r3(maxLoad),
      zeroLoadReadings: zeros,
    },
  };
}

/** The inspect report as text tables. */
export function formatInspectReport(r: InspectReport): string {
  const out: string[] = [];
  for (const f of r.files) {
    out.push(`${f.path}: ${f.format}, ${f.rows} rows`);
    if (f.extraColumns.length) out.push(`  warning: ignored extra columns ${f.extraColumns.join(', ')}`);
  }
  out.push(r.range ? `range: ${r.range.first} to ${r.range.end} (${r.timezone})` : 'range: no readings');
  out.push(`homes: ${r.homes.length}`, '');
  const head = ['home', 'interval', 'first', 'end', 'readings', 'gaps', 'missing', 'longest gap', 'load kWh/d', 'PV kWh/d', 'max kWh', 'zero load'];
  const rows = r.homes.map((h) => [
    h.id,
    h.intervalMinutes === null ? '?' : `${h.intervalMinutes} min${h.intervalOk ? '' : ' ✖'}`,
    h.first,
    h.end,
    String(h.readings),
    String(h.gaps),
    String(h.missingIntervals),
    h.longestGapMinutes === 0 ? '-' : `${h.longestGapMinutes} min${h.longGaps ? ' ✖' : ''}`,
    h.meanDailyLoadKwh.toFixed(2),
    h.meanDailyPvKwh === null ? '-' : h.meanDailyPvKwh.toFixed(2),
    h.maxIntervalLoadKwh.toFixed(3),
    String(h.zeroLoadReadings),
  ]);
  const widths = head.map((x, c) => Math.max(x.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  ');
  out.push(line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
  if (r.badRows.length) {
    out.push('', `bad rows (${r.badRows.length + r.badRowsNotShown}):`);
    for (const b of r.badRows) out.push(`  ${[b.file, b.line, b.line !== null ? b.column : null].filter((x) => x !== null).join(':')}: ${b.reason}`);
    if (r.badRowsNotShown) out.push(`  … and ${r.badRowsNotShown} more`);
  }
  if (r.notes.length) out.push('', ...r.notes.map((n) => `note: ${n}`));
  return out.join('\n');
}
