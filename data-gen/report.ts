import { z } from 'zod';
import type { WeatherConfig } from './config.ts';
import { generateDays } from './days.ts';
import { OCCUPANCY_TYPES, type HouseholdProfile } from './population.ts';
import {
  BASELINE_KWH_PER_DAY,
  BASELINE_TERRITORIES,
  INTERVAL_MINUTES,
  TIMEZONE,
  impliedAverageUseKwhPerDay,
  type BaselineTerritoryCode,
  type RngFactory,
} from '../common/index.ts';

/** One generated statistic next to the published figure it should match. */
export const ReportCheckSchema = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.string(),
  measured: z.number().nullable().describe('null when no home has the feature'),
  reference: z.number().nullable().describe('the published figure (null when there is none)'),
  referenceLow: z.number().nullable(),
  referenceHigh: z.number().nullable(),
  source: z.string(),
  basis: z.string().describe('which homes and which part of the year the figure is measured over'),
});
export type ReportCheck = z.infer<typeof ReportCheckSchema>;

export const PopulationReportSchema = z.object({
  year: z.number().int(),
  days: z.number().int(),
  intervalMinutes: z.number().int(),
  households: z.number().int(),
  composition: z.object({
    withPv: z.number().int(),
    withEv: z.number().int(),
    withAc: z.number().int(),
    withElectricWaterHeater: z.number().int(),
    meanOccupants: z.number(),
    meanPvKw: z.number().nullable().describe('over PV homes'),
    occupancy: z.record(z.string(), z.number().int()),
  }),
  checks: z.array(ReportCheckSchema),
  territory: z.enum(BASELINE_TERRITORIES).nullable().describe('PG&E baseline territory of the homes (null without homes)'),
  baselineImplied: z
    .array(
      z.object({
        territory: z.enum(BASELINE_TERRITORIES),
        summerAllowanceKwhPerDay: z.number(),
        winterAllowanceKwhPerDay: z.number(),
        summerLowKwhPerDay: z.number(),
        summerHighKwhPerDay: z.number(),
        winterLowKwhPerDay: z.number(),
        winterHighKwhPerDay: z.number(),
      }),
    )
    .describe('average use each territory’s baseline allowance implies (allowance ÷ 0.6 … ÷ 0.5, PU Code §739), per season'),
  seasons: z
    .object({
      summerKwhPerDay: z.number().nullable().describe('mean over homes and June–September days, EV included'),
      winterKwhPerDay: z.number().nullable().describe('mean over homes and October–May days, EV included'),
    })
    .describe('the generated figures to set beside the implied ranges'),
  coincidentPeak: z.object({
    kw: z.number().describe('highest community demand in one interval, kW'),
    kwPerHome: z.number(),
    at: z.string().describe('start of that interval, ISO 8601'),
  }),
  monthly: z.array(
    z.object({
      month: z.number().int(),
      meanTemperatureC: z.number(),
      meanCloudCover: z.number(),
      meanKwhExclEv: z.number().describe('mean over homes'),
      meanKwhInclEv: z.number(),
      pvKwhPerKw: z.number().nullable(),
      acSharePercent: z.number().nullable().describe('A/C share of A/C homes’ consumption excluding EV'),
      acKwhPerAcHome: z.number().nullable().describe('A/C energy per A/C home over the month'),
      furnaceFanKwh: z.number().describe('furnace blower energy over the month, mean over homes'),
    }),
  ),
  homes: z.array(
    z.object({
      id: z.string(),
      occupancy: z.string(),
      occupants: z.number().int(),
      pvKw: z.number(),
      hasEv: z.boolean(),
      hasAc: z.boolean(),
      electricWaterHeater: z.boolean(),
      monthlyKwhExclEv: z.array(z.number()),
      monthlyKwhInclEv: z.array(z.number()),
      meanMonthlyKwhExclEv: z.number(),
      meanMonthlyKwhInclEv: z.number(),
      pvKwh: z.number(),
      pvKwhPerKw: z.number().nullable(),
      evKwhPerDay: z.number().nullable(),
      peakKw: z.number(),
    }),
  ),
});
export type PopulationReport = z.infer<typeof PopulationReportSchema>;

const SUMMER_MONTHS = new Set([6, 7, 8, 9]); // PG&E summer season, June–September

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** What one pass over the generated year keeps: per home and month, per home, per month, and the community peak. */
interface YearTotals {
  /** homes */
  n: number;
  days: number;
  /** `[month * n + home]`, kWh over the month */
  monthlyLoad: Float64Array;
  monthlyEv: Float64Array;
  monthlyAc: Float64Array;
  monthlyFan: Float64Array;
  monthlyPv: Float64Array;
  /** per home, kWh over the year */
  fridge: Float64Array;
  water: Float64Array;
  /** per home, highest kWh in one interval */
  peak: Float64Array;
  /** per month: sums of the interval temperatures and cloud covers, and the interval count */
  monthTemp: Float64Array;
  monthCloud: Float64Array;
  monthIntervals: Float64Array;
  /** days of each month in the year */
  monthDays: Float64Array;
  /** highest community kWh in one interval, and the start of that interval */
  communityPeak: number;
  communityPeakAt: string;
}

/** Streams the year through the generator once and keeps the totals the report needs (memory per home, not per interval). */
function accumulateYear(households: readonly HouseholdProfile[], weather: WeatherConfig, year: number, days: number, rngFor: RngFactory): YearTotals {
  const n = households.length;
  const y: YearTotals = {
    n,
    days,
    monthlyLoad: new Float64Array(12 * n),
    monthlyEv: new Float64Array(12 * n),
    monthlyAc: new Float64Array(12 * n),
    monthlyFan: new Float64Array(12 * n),
    monthlyPv: new Float64Array(12 * n),
    fridge: new Float64Array(n),
    water: new Float64Array(n),
    peak: new Float64Array(n),
    monthTemp: new Float64Array(12),
    monthCloud: new Float64Array(12),
    monthIntervals: new Float64Array(12),
    monthDays: new Float64Array(12),
    communityPeak: 0,
    communityPeakAt: '',
  };
  for (const b of generateDays(
    { households, weather, startDate: `${year}-01-01`, days, timezone: TIMEZONE, intervalMinutes: INTERVAL_MINUTES, withAppliances: true },
    rngFor,
  )) {
    const m = b.month - 1;
    const A = b.applianceKwh!;
    y.monthDays[m]++;
    for (let t = 0; t < b.intervals; t++) {
      y.monthTemp[m] += b.temperatureC[t];
      y.monthCloud[m] += b.cloudCover[t];
      y.monthIntervals[m]++;
      let total = 0;
      for (let h = 0; h < n; h++) {
        const i = t * n + h;
        const load = b.loadKwh[i];
        total += load;
        y.monthlyLoad[m * n + h] += load;
        y.monthlyEv[m * n + h] += A.ev[i];
        y.monthlyAc[m * n + h] += A.ac[i];
        y.monthlyFan[m * n + h] += A['furnace-fan'][i];
        y.monthlyPv[m * n + h] += b.pvKwh[i];
        y.fridge[h] += A.refrigerator[i];
        y.water[h] += A['water-heater'][i];
        if (load > y.peak[h]) y.peak[h] = load;
      }
      if (total > y.communityPeak) {
        y.communityPeak = total;
        y.communityPeakAt = b.intervalStartIso[t];
      }
    }
  }
  return y;
}

/** Sum of home h's monthly values over the months (1–12) `pred` accepts. */
function sumMonths(y: YearTotals, arr: Float64Array, h: number, pred: (m: number) => boolean = () => true): number {
  let s = 0;
  for (let m = 0; m < 12; m++) if (pred(m + 1)) s += arr[m * y.n + h];
  return s;
}

type HomeRow = PopulationReport['homes'][number];

function homeRows(households: readonly HouseholdProfile[], y: YearTotals): HomeRow[] {
  const { n, days } = y;
  const dtH = INTERVAL_MINUTES / 60;
  return households.map((hh, h) => {
    const incl = Array.from({ length: 12 }, (_, m) => y.monthlyLoad[m * n + h]);
    const excl = incl.map((v, m) => v - y.monthlyEv[m * n + h]);
    const pvKwh = sumMonths(y, y.monthlyPv, h);
    const evKwh = sumMonths(y, y.monthlyEv, h);
    return {
      id: hh.id,
      occupancy: hh.occupancy,
      occupants: hh.occupants,
      pvKw: hh.hasPv ? hh.pvKw : 0,
      hasEv: hh.hasEv,
      hasAc: hh.hasAc,
      electricWaterHeater: hh.electricWaterHeater,
      monthlyKwhExclEv: excl,
      monthlyKwhInclEv: incl,
      meanMonthlyKwhExclEv: excl.reduce((a, b) => a + b, 0) / 12,
      meanMonthlyKwhInclEv: incl.reduce((a, b) => a + b, 0) / 12,
      pvKwh,
      pvKwhPerKw: hh.hasPv && hh.pvKw > 0 ? pvKwh / hh.pvKw : null,
      evKwhPerDay: hh.hasEv ? evKwh / days : null,
      peakKw: y.peak[h] / dtH,
    };
  });
}

/** The homes with each feature and the community-level ratios the checks and the monthly table share. */
interface FeatureStats {
  pvHomes: HouseholdProfile[];
  totalPvKw: number;
  /** PV kWh per installed kW in month m (1–12), over all PV homes; null without PV */
  pvMonthPerKw: (m: number) => number | null;
  acHomes: { hh: HouseholdProfile; h: number }[];
  /** A/C share (%) of A/C homes' consumption excluding EV over the months `pred` accepts; null without A/C homes */
  acShareOver: (pred: (m: number) => boolean) => number | null;
  whHomes: { hh: HouseholdProfile; h: number }[];
}

function featureStats(households: readonly HouseholdProfile[], y: YearTotals): FeatureStats {
  const n = y.n;
  const pvHomes = households.filter((hh) => hh.hasPv && hh.pvKw > 0);
  const totalPvKw = pvHomes.reduce((s, hh) => s + hh.pvKw, 0);
  const pvMonthPerKw = (m: number) => {
    let s = 0;
    for (const hh of pvHomes) s += y.monthlyPv[(m - 1) * n + hh.index];
    return totalPvKw > 0 ? s / totalPvKw : null;
  };
  const acHomes = households.map((hh, h) => ({ hh, h })).filter(({ hh }) => hh.hasAc);
  const acShareOver = (pred: (m: number) => boolean) => {
    let ac = 0;
    let tot = 0;
    for (const { h } of acHomes) {
      ac += sumMonths(y, y.monthlyAc, h, pred);
      tot += sumMonths(y, y.monthlyLoad, h, pred) - sumMonths(y, y.monthlyEv, h, pred);
    }
    return acHomes.length ? ratio(100 * ac, tot) : null;
  };
  const whHomes = households.map((hh, h) => ({ hh, h })).filter(({ hh }) => hh.electricWaterHeater);
  return { pvHomes, totalPvKw, pvMonthPerKw, acHomes, acShareOver, whHomes };
}

const check = (c: Omit<ReportCheck, 'referenceLow' | 'referenceHigh'> & Partial<Pick<ReportCheck, 'referenceLow' | 'referenceHigh'>>): ReportCheck => ({
  key: c.key,
  label: c.label,
  unit: c.unit,
  measured: c.measured,
  reference: c.reference,
  referenceLow: c.referenceLow ?? null,
  referenceHigh: c.referenceHigh ?? null,
  source: c.source,
  basis: c.basis,
});

const isSummer = (m: number) => SUMMER_MONTHS.has(m);
const isWinter = (m: number) => !SUMMER_MONTHS.has(m);

/** Mean kWh per home and day (EV included) over the months `pred` accepts; null without homes or days. */
function seasonKwhPerDay(y: YearTotals, pred: (m: number) => boolean): number | null {
  let kwh = 0;
  let days = 0;
  for (let m = 0; m < 12; m++) {
    if (!pred(m + 1)) continue;
    days += y.monthDays[m];
    for (let h = 0; h < y.n; h++) kwh += y.monthlyLoad[m * y.n + h];
  }
  return y.n > 0 && days > 0 ? kwh / y.n / days : null;
}

/** The year's consumption beside the statewide typical household and the territory's baseline-implied averages. */
function consumptionChecks(y: YearTotals, homes: HomeRow[], f: FeatureStats, territory: BaselineTerritoryCode | null): ReportCheck[] {
  const allowance = territory ? BASELINE_KWH_PER_DAY[territory] : null;
  const summer = territory ? impliedAverageUseKwhPerDay(territory, 'summer') : null;
  const winter = territory ? impliedAverageUseKwhPerDay(territory, 'winter') : null;
  // the year's implied monthly use: each month's days at its season's implied daily use, ÷ 12
  const yearImplied = (k: 'low' | 'high') =>
    summer && winter ? y.monthDays.reduce((s, d, m) => s + d * (isSummer(m + 1) ? summer[k] : winter[k]), 0) / 12 : null;
  const baselineSource = (season: 'summer' | 'winter') =>
    allowance
      ? `territory ${territory} ${season} baseline ${allowance[season].toFixed(1)} kWh/day ÷ 0.6…0.5 (CPUC: baseline = 50–60 % of average use, PU Code §739)`
      : '—';
  const acPerHomeYr = f.acHomes.length
    ? (f.acHomes.reduce((s, { h }) => s + sumMonths(y, y.monthlyAc, h), 0) / f.acHomes.length) * (365 / y.days)
    : null;
  return [
    check({
      key: 'summer-kwh-per-day',
      label: 'Summer use (Jun–Sep), EV incl.',
      unit: 'kWh/day',
      measured: seasonKwhPerDay(y, isSummer),
      reference: summer ? (summer.low + summer.high) / 2 : null,
      referenceLow: summer?.low ?? null,
      referenceHigh: summer?.high ?? null,
      source: baselineSource('summer'),
      basis: 'mean over homes and June–September days, EV charging included',
    }),
    check({
      key: 'winter-kwh-per-day',
      label: 'Winter use (Oct–May), EV incl.',
      unit: 'kWh/day',
      measured: seasonKwhPerDay(y, isWinter),
      reference: winter ? (winter.low + winter.high) / 2 : null,
      referenceLow: winter?.low ?? null,
      referenceHigh: winter?.high ?? null,
      source: baselineSource('winter'),
      basis: 'mean over homes and October–May days, EV charging included',
    }),
    check({
      key: 'monthly-kwh-incl-ev',
      label: 'Consumption including EV',
      unit: 'kWh/month',
      measured: mean(homes.map((x) => x.meanMonthlyKwhInclEv)),
      reference: yearImplied('low') !== null ? (yearImplied('low')! + yearImplied('high')!) / 2 : null,
      referenceLow: yearImplied('low'),
      referenceHigh: yearImplied('high'),
      source: territory ? `the two seasonal ranges of territory ${territory} over the year’s days, ÷ 12` : '—',
      basis: 'mean over all homes, ÷ 12',
    }),
    check({
      key: 'monthly-kwh-excl-ev',
      label: 'Consumption excluding EV',
      unit: 'kWh/month',
      measured: mean(homes.map((x) => x.meanMonthlyKwhExclEv)),
      reference: 500,
      source:
        'PG&E (2024): typical household 500 kWh/month — a statewide mean over all climates and all housing (apartments included); a hot-valley house uses more',
      basis: 'mean over all homes of the year’s consumption less EV charging, ÷ 12',
    }),
    check({
      key: 'ac-kwh-per-ac-home-yr',
      label: 'A/C energy of an A/C home',
      unit: 'kWh/yr',
      measured: acPerHomeYr,
      reference: 1490,
      source: 'simulated cooling of an energy-efficient Sacramento (CZ12) home: 1,490 kWh/yr (ISA Arboriculture & Urban Forestry tree-shade study, Table 1); older homes use more',
      basis: 'homes with A/C, per 365 days',
    }),
  ];
}

/** Each calibrated statistic next to the published figure it should match. */
function calibrationChecks(y: YearTotals, homes: HomeRow[], f: FeatureStats, territory: BaselineTerritoryCode | null): ReportCheck[] {
  const { n, days } = y;
  const pvYield = ratio(homes.reduce((s, x) => s + x.pvKwh, 0), f.totalPvKw);
  const summerPv = mean([6, 7, 8, 9].map((m) => f.pvMonthPerKw(m) ?? 0));
  const winterPv = mean([10, 11, 12, 1, 2, 3, 4, 5].map((m) => f.pvMonthPerKw(m) ?? 0));
  const evDaily = homes.filter((x) => x.evKwhPerDay !== null).map((x) => x.evKwhPerDay!);
  return [
    ...consumptionChecks(y, homes, f, territory),
    check({
      key: 'pv-specific-yield',
      label: 'PV specific yield',
      unit: 'kWh/kW-yr',
      measured: pvYield === null ? null : (pvYield * 365) / days,
      reference: 1580,
      source: 'PVWatts-based estimate, Southern California: about 1,580 kWh/kW-yr (capacity factor about 18%)',
      basis: 'all PV homes, capacity-weighted, per 365 days',
    }),
    check({
      key: 'pv-winter-summer-ratio',
      label: 'PV winter month ÷ summer month',
      unit: '%',
      measured: summerPv && winterPv !== null && f.pvHomes.length ? (100 * winterPv) / summerPv : null,
      reference: 60,
      source: 'PVWatts-based estimate: winter months about 60% of summer',
      basis: 'mean monthly yield October–May over June–September',
    }),
    check({
      key: 'ev-kwh-per-day',
      label: 'EV home charging',
      unit: 'kWh/day',
      measured: mean(evDaily),
      reference: 2.9,
      source: 'Burlig et al., UC Berkeley ITS (2024): +2.9 kWh/day per EV in California, metered',
      basis: 'EV homes, averaged over every day of the year',
    }),
    check({
      key: 'ac-share-summer',
      label: 'A/C share of summer consumption',
      unit: '%',
      measured: f.acShareOver(isSummer),
      reference: 40,
      source: 'PG&E Currents (2023): A/C is about 40% of a summer bill (statewide, coastal homes included; higher inland)',
      basis: 'A/C homes, June–September, consumption excluding EV',
    }),
    check({
      key: 'refrigerator-kwh-month',
      label: 'Refrigerator',
      unit: 'kWh/month',
      measured: n ? Array.from(y.fridge).reduce((a, b) => a + b, 0) / n / 12 : null,
      reference: 44,
      referenceLow: 37,
      referenceHigh: 51,
      source: 'ENERGY STAR-era refrigerators: 37–51 kWh/month',
      basis: 'mean over all homes',
    }),
    check({
      key: 'water-heater-kwh-yr',
      label: 'Electric water heating',
      unit: 'kWh/yr',
      measured: f.whHomes.length ? (f.whHomes.reduce((s, { h }) => s + y.water[h], 0) / f.whHomes.length) * (365 / days) : null,
      reference: 2706,
      source: 'RECS 2020 via DOE: 2,706 kWh/yr',
      basis: 'homes with an electric water heater, per 365 days',
    }),
    check({
      key: 'peak-kw-per-home',
      label: 'Peak demand of a home',
      unit: 'kW',
      measured: mean(homes.map((x) => x.peakKw)),
      reference: null,
      source: '—',
      basis: 'mean over homes of each home’s highest 30-minute demand in the year',
    }),
  ];
}

function monthlyRows(y: YearTotals, f: FeatureStats): PopulationReport['monthly'] {
  const n = y.n;
  return Array.from({ length: 12 }, (_, m) => {
    let incl = 0;
    let ev = 0;
    for (let h = 0; h < n; h++) {
      incl += y.monthlyLoad[m * n + h];
      ev += y.monthlyEv[m * n + h];
    }
    return {
      month: m + 1,
      meanTemperatureC: y.monthIntervals[m] ? y.monthTemp[m] / y.monthIntervals[m] : 0,
      meanCloudCover: y.monthIntervals[m] ? y.monthCloud[m] / y.monthIntervals[m] : 0,
      meanKwhExclEv: n ? (incl - ev) / n : 0,
      meanKwhInclEv: n ? incl / n : 0,
      pvKwhPerKw: f.pvMonthPerKw(m + 1),
      acSharePercent: f.acShareOver((mm) => mm === m + 1),
      acKwhPerAcHome: f.acHomes.length ? f.acHomes.reduce((s, { h }) => s + y.monthlyAc[m * n + h], 0) / f.acHomes.length : null,
      furnaceFanKwh: n ? Array.from({ length: n }, (_, h) => y.monthlyFan[m * n + h]).reduce((a, b) => a + b, 0) / n : 0,
    };
  });
}

function composition(households: readonly HouseholdProfile[], f: FeatureStats): PopulationReport['composition'] {
  const occupancy: Record<string, number> = {};
  for (const o of OCCUPANCY_TYPES) occupancy[o] = households.filter((hh) => hh.occupancy === o).length;
  return {
    withPv: f.pvHomes.length,
    withEv: households.filter((hh) => hh.hasEv).length,
    withAc: f.acHomes.length,
    withElectricWaterHeater: f.whHomes.length,
    meanOccupants: mean(households.map((hh) => hh.occupants)) ?? 0,
    meanPvKw: f.pvHomes.length ? f.totalPvKw / f.pvHomes.length : null,
    occupancy,
  };
}

/**
 * Generates the whole calendar `year` for the population (Pacific time, 30-minute intervals, with the
 * appliance breakdown) and sets its statistics next to the reference figures they are calibrated to.
 * Streams the year; memory is per home, not per interval.
 */
export function populationReport(
  households: readonly HouseholdProfile[],
  weather: WeatherConfig,
  year: number,
  rngFor: RngFactory,
): PopulationReport {
  if (!Number.isInteger(year)) throw new RangeError(`year must be a whole number, got ${year}`);
  const n = households.length;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = leap ? 366 : 365;
  const dtH = INTERVAL_MINUTES / 60;
  const y = accumulateYear(households, weather, year, days, rngFor);
  const homes = homeRows(households, y);
  const features = featureStats(households, y);
  const territory = households.length ? households[0].territory : null;
  return {
    year,
    days,
    intervalMinutes: INTERVAL_MINUTES,
    households: n,
    composition: composition(households, features),
    checks: calibrationChecks(y, homes, features, territory),
    territory,
    baselineImplied: BASELINE_TERRITORIES.map((t) => {
      const summer = impliedAverageUseKwhPerDay(t, 'summer');
      const winter = impliedAverageUseKwhPerDay(t, 'winter');
      return {
        territory: t,
        summerAllowanceKwhPerDay: BASELINE_KWH_PER_DAY[t].summer,
        winterAllowanceKwhPerDay: BASELINE_KWH_PER_DAY[t].winter,
        summerLowKwhPerDay: summer.low,
        summerHighKwhPerDay: summer.high,
        winterLowKwhPerDay: winter.low,
        winterHighKwhPerDay: winter.high,
      };
    }),
    seasons: { summerKwhPerDay: seasonKwhPerDay(y, isSummer), winterKwhPerDay: seasonKwhPerDay(y, isWinter) },
    coincidentPeak: { kw: y.communityPeak / dtH, kwPerHome: n ? y.communityPeak / dtH / n : 0, at: y.communityPeakAt },
    monthly: monthlyRows(y, features),
    homes,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MAX_HOMES_LISTED = 20;

function fmt(x: number | null, digits = 0): string {
  if (x === null || !Number.isFinite(x)) return '—';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function digitsFor(unit: string): number {
  return unit === 'kWh/day' || unit === 'kW' ? 2 : 0;
}

function table(head: string[], rows: string[][], alignLeft: number[] = [0]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (alignLeft.includes(c) ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Every territory's baseline-implied average use per season, with the generated figures on the community's territory. */
function formatBaselineImplied(report: PopulationReport): string {
  const range = (lo: number, hi: number) => `${fmt(lo, 1)}–${fmt(hi, 1)}`;
  const rows = report.baselineImplied.map((b) => {
    const own = b.territory === report.territory;
    return [
      own ? `${b.territory} (these homes)` : b.territory,
      fmt(b.summerAllowanceKwhPerDay, 1),
      range(b.summerLowKwhPerDay, b.summerHighKwhPerDay),
      own ? fmt(report.seasons.summerKwhPerDay, 1) : '',
      fmt(b.winterAllowanceKwhPerDay, 1),
      range(b.winterLowKwhPerDay, b.winterHighKwhPerDay),
      own ? fmt(report.seasons.winterKwhPerDay, 1) : '',
    ];
  });
  return [
    'Average use implied by PG&E baseline allowances (allowance ÷ 0.6 … ÷ 0.5: CPUC sets baseline at 50–60 % of average use, PU Code §739), kWh/day per home, EV included',
    table(['territory', 'summer allowance', 'summer implied', 'generated', 'winter allowance', 'winter implied', 'generated'], rows),
  ].join('\n');
}

/** A readable terminal report: measured figures next to the reference figures, then months and homes. */
export function formatPopulationReport(report: PopulationReport): string {
  const c = report.composition;
  const out: string[] = [];
  out.push(
    `Synthetic population: ${report.households} homes, calendar ${report.year} (${report.days} days, ${report.intervalMinutes}-minute intervals, Pacific time)`,
  );
  out.push(
    `PV ${c.withPv} (mean ${fmt(c.meanPvKw, 1)} kW) · EV ${c.withEv} · A/C ${c.withAc} · electric water heater ${c.withElectricWaterHeater} · mean ${fmt(c.meanOccupants, 1)} occupants · ` +
      Object.entries(c.occupancy)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
  );
  out.push('');
  out.push(
    table(
      ['figure', 'measured', 'reference', 'unit', 'source'],
      report.checks.map((k) => {
        const d = digitsFor(k.unit);
        const ref =
          k.referenceLow !== null && k.referenceHigh !== null ? `${fmt(k.referenceLow, d)}–${fmt(k.referenceHigh, d)}` : fmt(k.reference, k.unit === 'kWh/day' ? 1 : d);
        return [k.label, fmt(k.measured, d), ref, k.unit, k.source];
      }),
      [0, 3, 4],
    ),
  );
  out.push('');
  out.push(formatBaselineImplied(report));
  out.push('');
  out.push(
    `Community peak: ${fmt(report.coincidentPeak.kw, 1)} kW (${fmt(report.coincidentPeak.kwPerHome, 2)} kW per home) at ${report.coincidentPeak.at || '—'}`,
  );
  out.push('');
  out.push(
    table(
      ['month', 'temp °C', 'cloud', 'kWh excl EV', 'kWh incl EV', 'PV kWh/kW', 'A/C %', 'A/C kWh/A/C home', 'furnace fan kWh'],
      report.monthly.map((m) => [
        MONTHS[m.month - 1],
        fmt(m.meanTemperatureC, 1),
        fmt(m.meanCloudCover, 2),
        fmt(m.meanKwhExclEv),
        fmt(m.meanKwhInclEv),
        fmt(m.pvKwhPerKw),
        fmt(m.acSharePercent),
        fmt(m.acKwhPerAcHome),
        fmt(m.furnaceFanKwh),
      ]),
    ),
  );
  out.push('');
  const listed = report.homes.slice(0, MAX_HOMES_LISTED);
  out.push(
    table(
      ['home', 'occupancy', 'people', 'PV kW', 'EV', 'A/C', 'elec. WH', 'kWh/mo excl EV', 'incl EV', 'PV kWh/kW', 'EV kWh/day', 'peak kW'],
      listed.map((x) => [
        x.id,
        x.occupancy,
        String(x.occupants),
        x.pvKw > 0 ? fmt(x.pvKw, 1) : '—',
        x.hasEv ? 'yes' : '—',
        x.hasAc ? 'yes' : '—',
        x.electricWaterHeater ? 'yes' : '—',
        fmt(x.meanMonthlyKwhExclEv),
        fmt(x.meanMonthlyKwhInclEv),
        fmt(x.pvKwhPerKw),
        fmt(x.evKwhPerDay, 2),
        fmt(x.peakKw, 1),
      ]),
      [0, 1],
    ),
  );
  if (report.homes.length > listed.length) out.push(`… and ${report.homes.length - listed.length} more homes (--json lists them all)`);
  return out.join('\n');
}
