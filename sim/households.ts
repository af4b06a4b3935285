/**
 * Where a run's homes come from: the synthetic generator (data-gen), or measured meter data
 * imported once per run (data-gen/meter, INPUTS.md) and shared by the run and its comparison
 * reruns. Whatever the source, the engine sees the same thing: profiles, per-home overrides and a
 * stream of day blocks.
 */
import { DateTime } from 'luxon';
import { TIMEZONE } from '../common/index.ts';
import { importHouseholds, InputError, type DayBlock, type HomeOverrides, type HouseholdProfile, type InputsReport } from '../data-gen/index.ts';
import { addDays } from './calendar.ts';
import type { SimConfig } from './config.ts';

/** Fewest history days the forecasters need (seasonal naive: a day; the evaluation's baselines: a week). */
export const MIN_HISTORY_DAYS = 7;

/** Imported homes, ready for the engine. */
export interface MeasuredHomes {
  households: HouseholdProfile[];
  overrides: Record<string, HomeOverrides>;
  /** history days the run uses: the configured number, or fewer when the data starts later (reported) */
  historyDays: number;
  /** day blocks from `startDate` for `days` days; a day past the data's end repeats the last one (look-ahead only) */
  days(startDate: string, days: number): Iterator<DayBlock>;
  report: InputsReport;
}

/**
 * Imports the configured meter data (null for synthetic homes). Errors name the file, line and
 * column (`InputError`); a trading window the data does not cover is an error giving the data's range.
 */
export async function loadMeasuredHomes(config: SimConfig, cwd = process.cwd()): Promise<MeasuredHomes | null> {
  const source = config.households.source;
  if (source.kind !== 'meter') return null;
  const imported = await importHouseholds({
    meter: source.meter,
    ...(source.weather ? { weather: source.weather } : {}),
    ...(source.homes ? { homes: source.homes } : {}),
    timezone: TIMEZONE,
    latitudeDeg: config.weather.latitudeDeg,
    longitudeDeg: config.weather.longitudeDeg,
    territory: config.households.territory,
    dropHomesWithLongGaps: source.dropHomesWithLongGaps,
    window: { start: config.time.start, days: config.time.days },
    cwd,
  });
  const { firstDate, lastDate } = imported.report.range;
  const where = { file: Array.isArray(source.meter) ? source.meter.join(', ') : (source.meter as string) };
  const lastTrading = addDays(config.time.start, config.time.days - 1);
  if (!firstDate || !lastDate || config.time.start < firstDate || lastTrading > lastDate) {
    throw new InputError(
      where,
      `the trading window ${config.time.start} … ${lastTrading} is not covered by the data (whole days ${firstDate ?? 'none'} … ${lastDate ?? 'none'})`,
    );
  }
  const available = Math.round(DateTime.fromISO(config.time.start, { zone: TIMEZONE }).diff(DateTime.fromISO(firstDate, { zone: TIMEZONE }), 'days').days);
  const historyDays = Math.min(config.time.historyDays, available);
  if (historyDays < MIN_HISTORY_DAYS) {
    throw new InputError(where, `the forecasters need at least ${MIN_HISTORY_DAYS} days of data before time.start ${config.time.start}; the data starts ${firstDate}`);
  }
  if (historyDays < config.time.historyDays) {
    imported.report.warnings.push(`time.historyDays ${config.time.historyDays} shortened to ${historyDays}: the data starts ${firstDate}`);
  }
  return {
    households: imported.households,
    overrides: imported.overrides,
    historyDays,
    days(startDate: string, days: number): Iterator<DayBlock> {
      // the engine asks for one day past the window (look-ahead); where the data ends with the window, the last day stands in
      const lastWanted = addDays(startDate, days - 1);
      const covered = lastWanted <= lastDate ? days : days - 1;
      return withRepeatedLast(imported.blocks(startDate, covered), days - covered);
    },
    report: imported.report,
  };
}

function* withRepeatedLast(blocks: Iterator<DayBlock>, extra: number): Generator<DayBlock> {
  let last: DayBlock | null = null;
  for (let r = blocks.next(); !r.done; r = blocks.next()) {
    last = r.value;
    yield r.value;
  }
  for (let k = 0; k < extra && last; k++) yield last;
}
