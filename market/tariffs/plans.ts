import { TARIFF_SHEETS } from './catalogue.ts';
import { isPgeHoliday } from './holidays.ts';
import { assertLocalTime } from './time.ts';
import { TariffIdSchema } from './types.ts';
import type { LocalDate, LocalTime, Period, Season, TariffId, TariffPlan, TariffRate, TariffSheet } from './types.ts';

const TARIFFKIT =
  'PG&E tariff-sheet data regenerated and reconciled to the sheets\' published totals by the public eman/tariffkit project ' +
  '(MIT; market/tariffs/data/pge-2026, provenance in market/tariffs/data/PROVENANCE.md)';

/** What the data files do not say: each plan's name, period wording and provenance. */
const ABOUT: Record<Exclude<TariffId, 'TOU-C-legacy'>, Pick<TariffPlan, 'name' | 'description' | 'source'>> = {
  'E-TOU-C': {
    name: 'Time-of-Use (Peak Pricing 4–9 p.m. Every Day)',
    description:
      'PG&E default residential TOU plan. Peak 4–9 pm every day including weekends and holidays; all other hours off-peak. ' +
      'Summer is June–September. Carries a baseline credit per kWh of usage within the baseline allowance (see ' +
      'baselineAllowanceKwhPerDay and baselineCreditUsd).',
    source:
      `Rates, baseline credit and Base Services Charge from ${TARIFFKIT}, source pge.com/tariffs/assets/pdf/tariffbook/ELEC_SCHEDS_E-TOU-C.pdf. ` +
      'The March 2026 totals also agree with the project\'s reference notes; the period definition (4–9 pm every day) with ' +
      'PG&E\'s "find my best rate plan" page.',
  },
  'E-TOU-D': {
    name: 'Time-of-Use (Peak Pricing 5–8 p.m. Weekdays)',
    description:
      'PG&E TOU plan with a short weekday peak: 5–8 pm Monday–Friday except PG&E TOU holidays; weekends and holidays are ' +
      'off-peak all day. No baseline credit (PG&E: "no pricing tiers or baseline allowance"). Holidays use PG&E\'s ' +
      'TOU-schedule observance: a Saturday holiday is not moved (so Friday 2026-07-03 is an ordinary weekday with a peak), ' +
      'a Sunday holiday moves to Monday.',
    source:
      `Rates from ${TARIFFKIT}, source ELEC_SCHEDS_E-TOU-D.pdf. Holiday observance from PG&E's TOU holidays page ` +
      '(tariffs/en/rate-information/tou-holidays.html).',
  },
  'EV2-A': {
    name: 'Home Charging EV2-A',
    description:
      'PG&E EV/electrification TOU plan, same periods every day: peak 4–9 pm, part-peak 3–4 pm and 9 pm–midnight, ' +
      'off-peak midnight–3 pm. Non-tiered: no baseline credit.',
    source: `Rates from ${TARIFFKIT}, source ELEC_SCHEDS_EV2 (Sch).pdf.`,
  },
  'E-ELEC': {
    name: 'Electric Home Rate Plan (E-ELEC)',
    description:
      'PG&E electrification TOU plan (the plan Net Billing Tariff solar customers take). Periods as EV2-A, every day: ' +
      'peak 4–9 pm, part-peak 3–4 pm and 9 pm–midnight, off-peak midnight–3 pm. No baseline credit.',
    source: `Rates from ${TARIFFKIT}, source ELEC_SCHEDS_E-ELEC.pdf.`,
  },
};

/** The legacy preset's note (its data file's description). */
export const LEGACY_TOU_C_NOTE: string = TARIFF_SHEETS['TOU-C-legacy'][0].notes.description;

/** Season of a date under a sheet's summer dates ("MM-DD" to "MM-DD", inclusive). */
function seasonOn(sheet: TariffSheet, month: number, day: number): Season {
  const md = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return md >= sheet.summer.start && md <= sheet.summer.end ? 'summer' : 'winter';
}

const PERIOD_ORDER: readonly Period[] = ['peak', 'part-peak', 'off-peak'];

/** The TOU period of the interval starting at t under a sheet's period rules. */
function periodOn(sheet: TariffSheet, t: LocalTime): Period {
  const rules = sheet.periods;
  const noPeak = rules.peakWeekdaysOnly && (t.weekday >= 6 || isPgeHoliday(t.year, t.month, t.day, 'tou-schedule'));
  for (const period of PERIOD_ORDER) {
    if (period === 'peak' && noPeak) continue;
    if (rules.ranges[period]?.some(([from, to]) => t.hour >= from && t.hour < to)) return period;
  }
  return rules.otherHours;
}

/** A date as a sortable number, YYYYMMDD. */
function dateKey(d: LocalDate): number {
  return d.year * 10_000 + d.month * 100 + d.day;
}

/**
 * The sheet in force on a date: the newest whose effective date is on or before it. A date before
 * the oldest sheet is priced at the oldest (the data start on 2025-01-01); a date after the newest,
 * at the newest. `sheets` are oldest first.
 */
export function sheetInForce(sheets: readonly TariffSheet[], date: LocalDate): TariffSheet {
  const key = dateKey(date);
  let found = sheets[0];
  for (const sheet of sheets) if (sheet.effective !== null && Number(sheet.effective.replaceAll('-', '')) <= key) found = sheet;
  return found;
}

function planOf(id: TariffId): TariffPlan {
  const sheets = TARIFF_SHEETS[id];
  const newest = sheets[sheets.length - 1];
  const about = id === 'TOU-C-legacy' ? { name: newest.notes.name, description: newest.notes.description, source: newest.notes.source } : ABOUT[id];
  return Object.freeze({
    id,
    ...about,
    sheets,
    baselineCreditUsdPerKwh: newest.baselineCreditUsdPerKwh,
    sheetOn: (date: LocalDate) => sheetInForce(sheets, date),
    rateAt(t: LocalTime): TariffRate {
      assertLocalTime(t);
      const sheet = sheetInForce(sheets, t);
      const season = seasonOn(sheet, t.month, t.day);
      const period = periodOn(sheet, t);
      const rate = sheet.rates[season][period];
      if (rate === undefined) throw new Error(`${id} (${sheet.file}) has no ${period} rate in ${season}`);
      return { ...rate, period, season, sheet };
    },
  });
}

const PLANS: Readonly<Record<TariffId, TariffPlan>> = Object.freeze(
  Object.fromEntries(TariffIdSchema.options.map((id) => [id, planOf(id)])) as Record<TariffId, TariffPlan>,
);

export function getTariff(id: TariffId): TariffPlan {
  const plan = PLANS[id];
  if (!plan) throw new RangeError(`unknown tariff id: ${String(id)}`);
  return plan;
}

/** All plans, in TariffIdSchema order. */
export function listTariffs(): TariffPlan[] {
  return TariffIdSchema.options.map((id) => PLANS[id]);
}

/** The generation component of a plan's import rate in the interval starting at t, USD/kWh (null where the sheet does not unbundle it). */
export function generationRateUsdPerKwh(plan: TariffPlan, t: LocalTime): number | null {
  return plan.rateAt(t).generationUsdPerKwh;
}
