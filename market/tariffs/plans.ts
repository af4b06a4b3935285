import { isPgeHoliday } from './holidays.ts';
import { assertLocalTime, seasonOf } from './time.ts';
import { TariffIdSchema } from './types.ts';
import type { LocalTime, Period, Season, TariffId, TariffPlan, TariffRate } from './types.ts';

type SeasonRates = { peak: number; 'part-peak'?: number; 'off-peak': number };
type RateTable = Record<Season, SeasonRates>;

const REFERENCE = 'wattswap /work/shared/REFERENCE-DATA.md ("PG&E residential tariffs, bundled $/kWh, effective 1 March 2026")';
const TARIFFKIT =
  'the machine-extracted March 2026 PG&E tariff-sheet snapshots (Advice 7846-E, effective 2026-03-01, components reconciled to the sheets\' published totals) vendored by the public eman/tariffkit project';

/**
 * Bundled import rates, USD/kWh, effective 2026-03-01. Figures from REFERENCE-DATA.md; see each
 * plan's `source` for what they were cross-checked against.
 */
const RATES: Record<Exclude<TariffId, 'TOU-C-legacy'>, RateTable> = {
  'E-TOU-C': { summer: { peak: 0.5224, 'off-peak': 0.3994 }, winter: { peak: 0.39757, 'off-peak': 0.36757 } },
  'E-TOU-D': { summer: { peak: 0.47708, 'off-peak': 0.34212 }, winter: { peak: 0.38747, 'off-peak': 0.34886 } },
  'EV2-A': {
    summer: { peak: 0.53809, 'part-peak': 0.4276, 'off-peak': 0.22558 },
    winter: { peak: 0.41099, 'part-peak': 0.39428, 'off-peak': 0.22558 },
  },
  'E-ELEC': {
    summer: { peak: 0.55214, 'part-peak': 0.39026, 'off-peak': 0.33358 },
    winter: { peak: 0.32063, 'part-peak': 0.29854, 'off-peak': 0.28468 },
  },
};

/** E-TOU-C baseline credit, USD per kWh of usage within the baseline allowance (reference; tariffkit: CIA spread 0.05354 − (−0.02786)). */
export const E_TOU_C_BASELINE_CREDIT_USD_PER_KWH = 0.0814;

/** Legacy preset rates (seed proposal), USD/kWh. */
const LEGACY = { peak: 0.51, 'part-peak': 0.35, 'off-peak': 0.28 } as const;

export const LEGACY_TOU_C_NOTE =
  'TOU-C-legacy is the seed proposal\'s simplified "TOU-C" preset ($0.28/kWh off-peak 0–6 h, $0.51 peak 16–20 h, ' +
  '$0.35 otherwise, every day, no seasons, no baseline credit). It does NOT match PG&E\'s real E-TOU-C, whose peak is ' +
  '4–9 pm every day (hours 16–20 inclusive, five hours rather than four), which has no separate overnight period, whose ' +
  'prices differ by season (summer June–September) and which carries a $0.0814/kWh baseline credit. It is kept only ' +
  'so earlier results can be reproduced; the default plan is the real E-TOU-C.';

/** Period for the 4–9 pm-peak, 2-period plans (E-TOU-C). */
function fourToNinePeak(hour: number): Period {
  return hour >= 16 && hour < 21 ? 'peak' : 'off-peak';
}

/** Period for EV2-A / E-ELEC: peak 4–9 pm, part-peak 3–4 pm and 9 pm–midnight, off-peak midnight–3 pm, every day. */
function threePeriod(hour: number): Period {
  if (hour >= 16 && hour < 21) return 'peak';
  if (hour === 15 || hour >= 21) return 'part-peak';
  return 'off-peak';
}

/** E-TOU-D: peak 5–8 pm on weekdays that are not PG&E TOU holidays; all other hours off-peak. */
function etoudPeriod(t: LocalTime): Period {
  const weekend = t.weekday >= 6;
  if (weekend || isPgeHoliday(t.year, t.month, t.day, 'tou-schedule')) return 'off-peak';
  return t.hour >= 17 && t.hour < 20 ? 'peak' : 'off-peak';
}

function legacyPeriod(hour: number): Period {
  if (hour < 6) return 'off-peak';
  if (hour >= 16 && hour < 20) return 'peak';
  return 'part-peak';
}

function tablePlan(
  id: Exclude<TariffId, 'TOU-C-legacy'>,
  meta: Omit<TariffPlan, 'id' | 'rateAt'>,
  periodOf: (t: LocalTime) => Period,
): TariffPlan {
  const table = RATES[id];
  return Object.freeze({
    id,
    ...meta,
    rateAt(t: LocalTime): TariffRate {
      assertLocalTime(t);
      const season = seasonOf(t.month);
      const period = periodOf(t);
      const importUsdPerKwh = table[season][period];
      if (importUsdPerKwh === undefined) throw new Error(`${id} has no ${period} rate in ${season}`);
      return { importUsdPerKwh, period, season };
    },
  });
}

const PLANS: Record<TariffId, TariffPlan> = {
  'E-TOU-C': tablePlan(
    'E-TOU-C',
    {
      name: 'Time-of-Use (Peak Pricing 4–9 p.m. Every Day)',
      description:
        'PG&E default residential TOU plan. Peak 4–9 pm every day including weekends and holidays; all other hours off-peak. ' +
        'Summer (June–September) peak $0.52240 / off-peak $0.39940; winter $0.39757 / $0.36757 per kWh. Baseline credit ' +
        '$0.08140 per kWh of usage within the baseline allowance (see baselineAllowanceKwhPerDay and baselineCreditUsd).',
      source:
        `Rates and baseline credit from ${REFERENCE}. Cross-checked: all four totals, the 0.0814 baseline credit, the summer ` +
        `June 1–September 30 season, the 16–21 h peak and the baseline quantities for territories T/X/S/R/W agree with ` +
        `${TARIFFKIT} (source: pge.com/tariffs/assets/pdf/tariffbook/ELEC_SCHEDS_E-TOU-C.pdf). Period definition (4–9 pm ` +
        'every day) also confirmed on PG&E\'s "find my best rate plan" page. Not read from the PG&E PDF directly.',
      baselineCreditUsdPerKwh: E_TOU_C_BASELINE_CREDIT_USD_PER_KWH,
    },
    (t) => fourToNinePeak(t.hour),
  ),
  'E-TOU-D': tablePlan(
    'E-TOU-D',
    {
      name: 'Time-of-Use (Peak Pricing 5–8 p.m. Weekdays)',
      description:
        'PG&E TOU plan with a short weekday peak: 5–8 pm Monday–Friday except PG&E TOU holidays; weekends and holidays are ' +
        'off-peak all day. Summer peak $0.47708 / off-peak $0.34212; winter $0.38747 / $0.34886 per kWh. No baseline credit ' +
        '(PG&E: "no pricing tiers or baseline allowance"), so baselineCreditUsdPerKwh is 0. Holidays use PG&E\'s TOU-schedule ' +
        'observance: a Saturday holiday is not moved (so Friday 2026-07-03 is an ordinary weekday with a peak), a Sunday ' +
        'holiday moves to Monday.',
      source:
        `Rates from ${REFERENCE}. Cross-checked: all four totals, the 17–20 h weekday-only peak and has_baseline=false agree ` +
        `with ${TARIFFKIT} (source: ELEC_SCHEDS_E-TOU-D.pdf). PG&E "find my best rate plan" page: peak 5–8 pm weekdays, ` +
        'off-peak "any time on weekends and most holidays", no baseline allowance. Holiday observance from PG&E\'s TOU ' +
        'holidays page (tariffs/en/rate-information/tou-holidays.html). Not read from the PG&E PDF directly.',
      baselineCreditUsdPerKwh: 0,
    },
    etoudPeriod,
  ),
  'EV2-A': tablePlan(
    'EV2-A',
    {
      name: 'Home Charging EV2-A',
      description:
        'PG&E EV/electrification TOU plan, same periods every day: peak 4–9 pm, part-peak 3–4 pm and 9 pm–midnight, ' +
        'off-peak midnight–3 pm. Summer $0.53809 / $0.42760 / $0.22558; winter $0.41099 / $0.39428 / $0.22558 per kWh ' +
        '(peak / part-peak / off-peak). No baseline credit in the reference (EV2-A is non-tiered), so baselineCreditUsdPerKwh is 0.',
      source:
        `Rates from ${REFERENCE}. Cross-checked: all six totals and the period hours agree with ${TARIFFKIT} ` +
        '(EV2-A 2026-03-01 snapshot, source ELEC_SCHEDS_EV2 (Sch).pdf) and with an independent public EV-TOU schedule module ' +
        'citing the EV2-A "Total Bundled Rates" sheet. Not read from the PG&E PDF directly.',
      baselineCreditUsdPerKwh: 0,
    },
    (t) => threePeriod(t.hour),
  ),
  'E-ELEC': tablePlan(
    'E-ELEC',
    {
      name: 'Electric Home Rate Plan (E-ELEC)',
      description:
        'PG&E electrification TOU plan (the plan Net Billing Tariff solar customers take). Periods as EV2-A, every day: ' +
        'peak 4–9 pm, part-peak 3–4 pm and 9 pm–midnight, off-peak midnight–3 pm. Summer $0.55214 / $0.39026 / $0.33358; ' +
        'winter $0.32063 / $0.29854 / $0.28468 per kWh. No baseline credit in the reference, so baselineCreditUsdPerKwh is 0.',
      source:
        `Rates from ${REFERENCE}. Cross-checked: all six totals, the periods (peak 16–21 h, part-peak 15–16 h and 21–24 h) ` +
        `and has_baseline=false agree with ${TARIFFKIT} (source ELEC_SCHEDS_E-ELEC.pdf). Not read from the PG&E PDF directly.`,
      baselineCreditUsdPerKwh: 0,
    },
    (t) => threePeriod(t.hour),
  ),
  'TOU-C-legacy': Object.freeze({
    id: 'TOU-C-legacy' as const,
    name: 'Legacy seed-proposal "TOU-C" preset',
    description: LEGACY_TOU_C_NOTE,
    source: 'The seed proposal\'s simplified preset, as quoted in REFERENCE-DATA.md. Not a PG&E schedule; nothing to verify against.',
    baselineCreditUsdPerKwh: 0,
    rateAt(t: LocalTime): TariffRate {
      assertLocalTime(t);
      const period = legacyPeriod(t.hour);
      return { importUsdPerKwh: LEGACY[period], period, season: seasonOf(t.month) };
    },
  }),
};

export function getTariff(id: TariffId): TariffPlan {
  const plan = PLANS[id];
  if (!plan) throw new RangeError(`unknown tariff id: ${String(id)}`);
  return plan;
}

/** All plans, in TariffIdSchema order. */
export function listTariffs(): TariffPlan[] {
  return TariffIdSchema.options.map((id) => PLANS[id]);
}
