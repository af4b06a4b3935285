import { z } from 'zod';

/** summary.json `inputs` block: what came in and every repair made to it. */
export const InputFileSchema = z.strictObject({
  path: z.string().describe('as given (relative to the working directory when it was relative)'),
  role: z.enum(['meter', 'weather', 'homes']),
  format: z.enum(['csv', 'green-button-xml', 'json']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0),
});

export const FilledGapsSchema = z.strictObject({
  gaps: z.number().int().min(0),
  longOutsideWindow: z.number().int().min(0).describe('of which over 2 h, outside the simulated window (history): filled linearly all the same'),
  intervals: z.number().int().min(0).describe('missing intervals (at the file’s interval length) filled by linear interpolation'),
  loadKwh: z.number().min(0).describe('energy filled in (for Green Button: grid import)'),
  pvKwh: z.number().min(0).describe('energy filled in (for Green Button: grid export)'),
});

export const InputsReportSchema = z.strictObject({
  source: z.literal('meter'),
  timezone: z.string(),
  files: z.array(InputFileSchema),
  homes: z.number().int().min(0).describe('homes imported (after any dropped)'),
  range: z.strictObject({
    start: z.string().describe('first half hour every home has, ISO 8601 with the local offset'),
    end: z.string().describe('end (exclusive) of the last half hour every home has'),
    firstDate: z.string().nullable().describe('first local date with every half hour of every home (null if none)'),
    lastDate: z.string().nullable(),
  }),
  intervalMinutes: z
    .array(z.strictObject({ minutes: z.number().int(), homes: z.array(z.string()) }))
    .describe('the detected interval length and the homes that have it'),
  resampling: z.array(z.string()).describe('what was done to reach 30-minute ticks, one line per interval length'),
  trimmedIntervals: z.number().int().min(0).describe('15-minute readings left out because they did not make up a whole half hour at the start or end'),
  filledGaps: z.strictObject({
    total: FilledGapsSchema,
    perHome: z.record(z.string(), FilledGapsSchema).describe('homes with at least one filled gap'),
  }),
  droppedHomes: z.array(z.strictObject({ id: z.string(), reason: z.string() })),
  weather: z.strictObject({
    file: z.string().nullable(),
    intervalMinutes: z.number().int().nullable(),
    filledIntervals: z.number().int().min(0),
    missingFeatures: z.array(z.string()).describe('features the run could not take from a file (fallbacks in data-gen/meter/weather-at.ts)'),
  }),
  greenButton: z
    .strictObject({
      homes: z.array(z.string()),
      note: z.string(),
      clampedIntervals: z.number().int().min(0).describe('half hours where import − export + estimated PV was negative and load was set to 0'),
      clampedKwh: z.number().min(0),
      estimatedPvKwh: z.number().min(0),
    })
    .nullable(),
  warnings: z.array(z.string()),
});
export type InputsReport = z.infer<typeof InputsReportSchema>;
export type FilledGapsReport = z.infer<typeof FilledGapsSchema>;

/** The reconstruction note of a Green Button import (the report and the console say it). */
export const GREEN_BUTTON_NOTE =
  'Green Button gives net grid flows: PV was estimated from pv_kw and the weather with the project’s solar model (reference roof facing south at 20°), and load reconstructed as import − export + estimated PV (negative values set to 0 and counted).';

/** The inputs report as console lines: what came in and every repair. */
export function formatInputsReport(r: InputsReport): string {
  const out: string[] = [];
  const days = r.range.firstDate ? `${r.range.firstDate} … ${r.range.lastDate}` : `no whole local day common to every home`;
  out.push(`inputs: ${plural(r.homes, 'home')} from ${r.files.filter((f) => f.role === 'meter').map((f) => f.path).join(', ')} (${days}, ${r.timezone})`);
  for (const g of r.intervalMinutes) out.push(`  ${g.minutes}-minute data: ${plural(g.homes.length, 'home')}`);
  for (const line of r.resampling) out.push(`  resampled: ${line}`);
  if (r.trimmedIntervals) out.push(`  left out: ${r.trimmedIntervals} quarter hours that did not make a whole half hour`);
  const t = r.filledGaps.total;
  if (t.gaps) out.push(`  filled: ${t.gaps} gaps (${t.intervals} intervals, ${t.loadKwh} kWh load, ${t.pvKwh} kWh PV) in ${plural(Object.keys(r.filledGaps.perHome).length, 'home')}, linearly`);
  for (const d of r.droppedHomes) out.push(`  dropped: ${d.reason}`);
  if (r.weather.filledIntervals) out.push(`  weather: filled ${r.weather.filledIntervals} intervals linearly`);
  if (r.greenButton) {
    out.push(`  Green Button (${r.greenButton.homes.join(', ')}): ${r.greenButton.note}`);
    out.push(`  estimated PV ${r.greenButton.estimatedPvKwh} kWh; load clamped to 0 in ${r.greenButton.clampedIntervals} half hours (${r.greenButton.clampedKwh} kWh)`);
  }
  for (const w of r.warnings) out.push(`  warning: ${w}`);
  return out.join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
