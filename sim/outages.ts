/**
 * Grid outages (Public Safety Power Shutoffs): the config schema and the per-interval masks the
 * engine reads. PG&E de-energises distribution lines in fire weather and announces it 24–48 h
 * ahead (October 2019: about 2 million people, for up to several days).
 *
 * An outage `{ start, hours, noticeHours }` takes the grid down for every interval whose start lies
 * in [start, start + hours); its notice window is [start − noticeHours, start). Times are local
 * (America/Los_Angeles) ISO date-times.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { TIMEZONE } from '../common/index.ts';
import { DEFAULT_FEEDER_LIMIT_KW } from './feeder.ts';

const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'expected a local date-time as YYYY-MM-DDTHH:mm (America/Los_Angeles)')
  .refine((s) => DateTime.fromISO(s, { zone: TIMEZONE }).isValid, 'not a real local date-time');

export const OutageSchema = z.strictObject({
  start: LocalDateTime.describe('when the grid goes down (local date-time, America/Los_Angeles, YYYY-MM-DDTHH:mm)'),
  hours: z.number().gt(0, 'an outage lasts more than 0 hours').max(24 * 366).describe('how long the grid stays down, hours (> 0)'),
  noticeHours: z
    .number()
    .min(0, 'notice cannot be negative')
    .max(24 * 14)
    .default(48)
    .describe('how long before the start the outage is announced, hours (≥ 0; PG&E aims for 48 h, at least 24 h)'),
});
export type Outage = z.infer<typeof OutageSchema>;

/**
 * Value of lost load. Residential customers value an unserved kWh at a few dollars in multi-hour
 * outages (LBNL Interruption Cost Estimate (ICE) Calculator; Sullivan, Schellenberg & Blundell,
 * "Updated Value of Service Reliability Estimates for Electric Utility Customers in the United
 * States", LBNL-6941E, 2015: residential cost per unserved kWh falls with duration, to the low
 * single dollars for 8–16 h). The default $2/kWh is of that order for deferrable load. Critical load
 * (refrigerator, lighting, medical devices) is valued ten times higher: a stated modelling choice
 * (no survey separates it), so that every allocation — the agents' and the optimum's — serves it first.
 */
export const DEFAULT_VOLL_USD_PER_KWH = 2;
export const DEFAULT_CRITICAL_VOLL_USD_PER_KWH = 20;

export const GridConfigSchema = z.strictObject({
  feederLimitKw: z
    .number()
    .positive()
    .max(1_000_000)
    .nullable()
    .default(DEFAULT_FEEDER_LIMIT_KW)
    .describe(
      'the community’s service transformer, kW, on net import and on reverse flow alike (null = unlimited); reported in summary.json’s community.feeder_* fields. Default 71.25 kW: a 75 kVA pad-mount unit for the default 10 homes at an assumed power factor of 0.95 (sources in sim/feeder.ts)',
    ),
  vollUsdPerKwh: z
    .number()
    .min(0)
    .max(1000)
    .default(DEFAULT_VOLL_USD_PER_KWH)
    .describe('value of lost load for deferrable load, USD per unserved kWh (LBNL ICE residential figures are a few $/kWh for multi-hour outages)'),
  criticalVollUsdPerKwh: z
    .number()
    .min(0)
    .max(10000)
    .default(DEFAULT_CRITICAL_VOLL_USD_PER_KWH)
    .describe('value of lost load for critical load (refrigerator, lighting, plug/medical baseline), USD per unserved kWh (a modelling choice: 10× the deferrable value)'),
  outages: z
    .array(OutageSchema)
    .max(100)
    .default([])
    .describe(
      'grid outages (Public Safety Power Shutoffs): while the grid is down the community runs as an islanded microgrid (no grid import or export; homes trade only with each other; this assumes a utility-sanctioned community microgrid behind one isolation point and a backup gateway per home — Rule 21 anti-islanding, CPUC Microgrid Incentive Program D.23-04-034); from the notice on, every battery charges toward 100 % (Storm Watch), and while down it may use its backup reserve',
    ),
});
export type GridConfig = z.infer<typeof GridConfigSchema>;

const MS_PER_HOUR = 3_600_000;

/** An outage as epoch milliseconds: notice from, down from, up again at. */
export interface OutageWindow {
  noticeMs: number;
  startMs: number;
  endMs: number;
}

export function outageWindows(outages: readonly Outage[]): OutageWindow[] {
  return outages.map((o) => {
    const startMs = DateTime.fromISO(o.start, { zone: TIMEZONE }).toMillis();
    return { noticeMs: startMs - o.noticeHours * MS_PER_HOUR, startMs, endMs: startMs + o.hours * MS_PER_HOUR };
  });
}

/** Interval states: the grid is up, up with an outage announced, or down. */
export const GRID_UP = 0;
export const GRID_NOTICE = 1;
export const GRID_DOWN = 2;

/** The grid's state in the interval starting at `startMs`: down beats notice (overlapping outages). */
export function gridStateAt(windows: readonly OutageWindow[], startMs: number): number {
  let state = GRID_UP;
  for (const w of windows) {
    if (startMs >= w.startMs && startMs < w.endMs) return GRID_DOWN;
    if (startMs >= w.noticeMs && startMs < w.startMs) state = GRID_NOTICE;
  }
  return state;
}

/** Hours from `startMs` until the grid is back (0 when it is up). */
export function hoursUntilRestored(windows: readonly OutageWindow[], startMs: number): number {
  let end = startMs;
  for (const w of windows) if (startMs >= w.startMs && startMs < w.endMs) end = Math.max(end, w.endMs);
  return (end - startMs) / MS_PER_HOUR;
}

/**
 * Indices of outages that miss the trading window [firstDay 00:00, firstDay + days) entirely
 * (a config error: an outage must lie inside or overlap the run).
 */
export function outagesOutsideWindow(outages: readonly Outage[], firstDay: string, days: number): number[] {
  const from = DateTime.fromISO(firstDay, { zone: TIMEZONE }).startOf('day');
  const toMs = from.plus({ days }).toMillis();
  const out: number[] = [];
  outageWindows(outages).forEach((w, i) => {
    if (!(w.endMs > from.toMillis() && w.startMs < toMs)) out.push(i);
  });
  return out;
}
