/**
 * The tariff data files (`data/`, provenance in `data/PROVENANCE.md`), read once when the module is
 * first imported and checked against zod schemas: PG&E rate sheets by plan and effective date, the
 * seed proposal's legacy preset, NBT export values by vintage, and the Energy Commission tax. What
 * leaves this module is frozen plain data; everything else in `tariffs/` is pure functions over it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { TariffIdSchema } from './types.ts';
import type { Period, PeriodRules, SheetRate, TariffId, TariffSheet } from './types.ts';

const DATA_DIR = new URL('./data/', import.meta.url);
/** Repo-relative folder of the data files (named in sources and errors). */
export const TARIFF_DATA_PATH = 'market/tariffs/data';

/** Rates are published to 5 decimals: sums are exact in units of $0.00001, converted back once. */
const UNITS_PER_USD = 100_000;

function toUnits(usd: number, what: string): number {
  const units = Math.round(usd * UNITS_PER_USD);
  if (Math.abs(usd * UNITS_PER_USD - units) > 1e-6) throw new Error(`${what} = ${usd} has more than 5 decimals`);
  return units;
}

/** Σ of rates published to 5 decimals, exact: the double nearest the decimal sum. */
export function sumRatesUsd(ratesUsd: readonly number[], what: string): number {
  let units = 0;
  for (const usd of ratesUsd) units += toUnits(usd, what);
  return units / UNITS_PER_USD;
}

const PERIOD_KEYS = ['peak', 'part_peak', 'off_peak'] as const;
type PeriodKey = (typeof PERIOD_KEYS)[number];
const PeriodKeySchema = z.enum(PERIOD_KEYS);
const SeasonSchema = z.enum(['summer', 'winter']);
const Usd = z.number().finite();
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const MonthDay = z.string().regex(/^\d{2}-\d{2}$/);
const HourRanges = z.array(z.tuple([z.number().int().min(0).max(24), z.number().int().min(0).max(24)]));

/** A rate sheet file (tariffkit's TOML layout; the legacy preset uses the same fields). */
const SheetFileSchema = z.looseObject({
  schema: z.literal(1),
  tariff: TariffIdSchema,
  effective: IsoDate.optional(),
  advice_letter: z.string().optional(),
  source_url: z.string().optional(),
  has_baseline: z.boolean(),
  seasons: z.strictObject({ summer_start: MonthDay, summer_end: MonthDay }),
  periods: z.strictObject({
    peak: HourRanges,
    part_peak: HourRanges.optional(),
    off_peak: HourRanges.optional(),
    peak_weekdays_only: z.boolean().optional(),
    other_hours: PeriodKeySchema.optional(),
  }),
  energy: z.record(SeasonSchema, z.partialRecord(PeriodKeySchema, z.record(z.string(), Usd))),
  adders: z.record(z.string(), Usd).default({}),
  baseline: z.looseObject({ credit: Usd }).optional(),
  base_services_charge: z.strictObject({ unit: z.literal('USD/day'), tier_1: Usd, tier_2: Usd, tier_3: Usd }).optional(),
  totals: z.record(SeasonSchema, z.partialRecord(PeriodKeySchema, Usd)).optional(),
});

const PERIOD_OF_KEY: Record<PeriodKey, Period> = { peak: 'peak', part_peak: 'part-peak', off_peak: 'off-peak' };

function sheetRate(components: Record<string, number>, adders: Record<string, number>, what: string): SheetRate {
  const { generation, ...rest } = components;
  const delivery = [...Object.values(rest), ...Object.values(adders)];
  return {
    generationUsdPerKwh: generation ?? null,
    deliveryUsdPerKwh: sumRatesUsd(delivery, what),
    importUsdPerKwh: sumRatesUsd(generation === undefined ? delivery : [generation, ...delivery], what),
  };
}

/**
 * The sheet riders that are non-bypassable charges: what a legacy net-metering (NEM 2) customer pays
 * on every imported kWh, which exports cannot net (CPUC D.16-01-044; PG&E Schedule NEM2: public
 * purpose programs, nuclear decommissioning, competition transition charges, the wildfire fund
 * charge and the securitised recovery bond and wildfire hardening charges). On E-TOU-C from
 * 1 March 2026 they sum to $0.02478/kWh.
 */
export const NON_BYPASSABLE_RIDERS = [
  'public_purpose_programs',
  'nuclear_decommissioning',
  'competition_transition_charges',
  'wildfire_fund_charge',
  'wildfire_hardening',
  'recovery_bond_charge',
] as const;

function toSheet(raw: unknown, file: string): TariffSheet {
  const parsed = SheetFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  const f = parsed.data;
  const rates = { summer: {}, winter: {} } as TariffSheet['rates'];
  const totals = f.totals ? ({ summer: {}, winter: {} } as NonNullable<TariffSheet['publishedTotals']>) : null;
  for (const season of SeasonSchema.options) {
    for (const key of PERIOD_KEYS) {
      const components = f.energy[season][key];
      if (components) rates[season][PERIOD_OF_KEY[key]] = sheetRate(components, f.adders, `${file} ${season} ${key}`);
      const total = f.totals?.[season][key];
      if (totals && total !== undefined) totals[season][PERIOD_OF_KEY[key]] = total;
    }
  }
  const ranges: PeriodRules['ranges'] = {};
  for (const key of PERIOD_KEYS) if (f.periods[key]) ranges[PERIOD_OF_KEY[key]] = f.periods[key];
  const bsc = f.base_services_charge;
  const notes = Object.fromEntries(Object.entries(f).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return {
    plan: f.tariff,
    effective: f.effective ?? null,
    adviceLetter: f.advice_letter ?? null,
    file: `${TARIFF_DATA_PATH}/${file}`,
    sourceUrl: f.source_url ?? null,
    summer: { start: f.seasons.summer_start, end: f.seasons.summer_end },
    periods: { ranges, otherHours: PERIOD_OF_KEY[f.periods.other_hours ?? 'off_peak'], peakWeekdaysOnly: f.periods.peak_weekdays_only ?? false },
    rates,
    publishedTotals: totals,
    baselineCreditUsdPerKwh: f.has_baseline ? (f.baseline?.credit ?? 0) : 0,
    wildfireFundUsdPerKwh: f.adders.wildfire_fund_charge ?? 0,
    nonBypassableUsdPerKwh: sumRatesUsd(NON_BYPASSABLE_RIDERS.map((k) => f.adders[k] ?? 0), `${file} non-bypassable charges`),
    baseServicesChargeUsdPerDay: bsc ? { tier1: bsc.tier_1, tier2: bsc.tier_2, tier3: bsc.tier_3 } : null,
    notes,
  };
}

function readText(file: string): string {
  return readFileSync(new URL(file, DATA_DIR), 'utf8');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Every plan's sheets, oldest first. */
function loadSheets(): Record<TariffId, readonly TariffSheet[]> {
  const dir = 'pge-2026/tariffs/';
  const files = [...readdirSync(new URL(dir, DATA_DIR)).filter((f) => f.endsWith('.toml')).map((f) => dir + f), 'tou-c-legacy.toml'];
  const byPlan = Object.fromEntries(TariffIdSchema.options.map((id) => [id, [] as TariffSheet[]])) as Record<TariffId, TariffSheet[]>;
  for (const file of files) {
    const sheet = toSheet(parseToml(readText(file)), file);
    byPlan[sheet.plan].push(sheet);
  }
  for (const id of TariffIdSchema.options) {
    const sheets = byPlan[id];
    if (sheets.length === 0) throw new Error(`${TARIFF_DATA_PATH}: no rate sheet for ${id}`);
    sheets.sort((a, b) => (a.effective ?? '').localeCompare(b.effective ?? ''));
    if (sheets.length > 1 && sheets.some((s) => s.effective === null)) throw new Error(`${TARIFF_DATA_PATH}: ${id} has an undated sheet among dated ones`);
  }
  return byPlan;
}

const HourValues = z.array(Usd).length(24);
const MonthMatrix = z.array(z.tuple([HourValues, HourValues])).length(12);
const ExportFileSchema = z.looseObject({
  schema: z.literal(1),
  vintage: z.string(),
  unit: z.literal('Export $/kWh'),
  day_types: z.tuple([z.literal('Weekday'), z.literal('Weekend')]),
  data: z.record(z.string().regex(/^\d{4}$/), z.strictObject({ generation: MonthMatrix, delivery: MonthMatrix })),
  source: z.looseObject({ url: z.string(), member: z.string() }),
});

/** NBT export values of one vintage, by calendar year: [month 0–11][0 weekday | 1 weekend/holiday][hour], USD/kWh. */
export interface ExportVintage {
  vintage: string;
  file: string;
  source: string;
  years: Readonly<Record<number, { generation: number[][][]; delivery: number[][][] }>>;
}

function loadExportVintages(): Record<string, ExportVintage> {
  const dir = 'pge-2026/export/';
  const out: Record<string, ExportVintage> = {};
  for (const name of readdirSync(new URL(dir, DATA_DIR)).filter((f) => f.endsWith('.json')).sort()) {
    const parsed = ExportFileSchema.safeParse(JSON.parse(readText(dir + name)));
    if (!parsed.success) throw new Error(`${dir + name}: ${z.prettifyError(parsed.error)}`);
    const f = parsed.data;
    const years = Object.fromEntries(Object.entries(f.data).map(([y, v]) => [Number(y), v]));
    out[f.vintage] = { vintage: f.vintage, file: `${TARIFF_DATA_PATH}/${dir}${name}`, source: `${f.source.url} (${f.source.member})`, years };
  }
  return out;
}

const TaxFileSchema = z.looseObject({ schema: z.literal(1), effective: IsoDate, unit: z.literal('USD/kWh'), rate: Usd, notice: z.string(), source_url: z.string() });

/** The California Energy Resources Surcharge from one effective date, USD per kWh consumed. */
export interface TaxRate {
  effective: string;
  usdPerKwh: number;
  file: string;
  source: string;
}

function loadTaxRates(): TaxRate[] {
  const dir = 'pge-2026/tax/';
  return readdirSync(new URL(dir, DATA_DIR))
    .filter((f) => f.endsWith('.toml'))
    .sort()
    .map((name) => {
      const parsed = TaxFileSchema.safeParse(parseToml(readText(dir + name)));
      if (!parsed.success) throw new Error(`${dir + name}: ${z.prettifyError(parsed.error)}`);
      const f = parsed.data;
      return { effective: f.effective, usdPerKwh: f.rate, file: `${TARIFF_DATA_PATH}/${dir}${name}`, source: `CDTFA ${f.notice} (${f.source_url})` };
    });
}

/** One row of the monthly NBT26 2026 table: [month 1–12, day type, local hour 0–23, USD/kWh]. */
export type MonthlyExportRow = readonly [month: number, dayType: 'weekday' | 'weekend', hour: number, usdPerKwh: number];

/** The monthly NBT26 2026 export table (`pge-export-rates-nbt26-2026.csv`, 576 rows). */
function loadNbt26Monthly(): MonthlyExportRow[] {
  const file = 'pge-export-rates-nbt26-2026.csv';
  const lines = readText(file).trim().split('\n');
  if (lines[0] !== 'month,day_type,hour,usd_per_kwh') throw new Error(`${file}: unexpected header ${lines[0]}`);
  const rows = lines.slice(1).map((line): MonthlyExportRow => {
    const [month, dayType, hour, usd] = line.split(',');
    if (dayType !== 'weekday' && dayType !== 'weekend') throw new Error(`${file}: bad day_type in ${line}`);
    return [Number(month), dayType, Number(hour), Number(usd)];
  });
  if (rows.length !== 576 || rows.some((r) => !r.every((v) => v === r[1] || Number.isFinite(v)))) throw new Error(`${file}: expected 576 numeric rows`);
  return rows;
}

const AccPlusFileSchema = z.looseObject({
  schema: z.literal(1),
  unit: z.literal('USD/kWh'),
  source: z.string(),
  residential: z.record(z.string().regex(/^\d{4}$/), Usd),
  residential_low_income: z.record(z.string().regex(/^\d{4}$/), Usd),
});

/** The ACC Plus adder (Schedule NBT) by application year: every exported kWh, nine years; CARE/FERA customers get the low-income amounts. */
export interface AccPlus {
  file: string;
  source: string;
  residentialUsdPerKwh: Readonly<Record<number, number>>;
  lowIncomeUsdPerKwh: Readonly<Record<number, number>>;
}

function loadAccPlus(): AccPlus {
  const file = 'pge-2026/export/acc-plus.toml';
  const parsed = AccPlusFileSchema.safeParse(parseToml(readText(file)));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  const byYear = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([y, v]) => [Number(y), v]));
  return { file: `${TARIFF_DATA_PATH}/${file}`, source: parsed.data.source, residentialUsdPerKwh: byYear(parsed.data.residential), lowIncomeUsdPerKwh: byYear(parsed.data.residential_low_income) };
}

/** Rate sheets by plan, oldest first. */
export const TARIFF_SHEETS: Readonly<Record<TariffId, readonly TariffSheet[]>> = deepFreeze(loadSheets());
/** NBT export values by vintage name (e.g. "NBT26"). */
export const EXPORT_VINTAGES: Readonly<Record<string, ExportVintage>> = deepFreeze(loadExportVintages());
/** The ACC Plus adder by application year. */
export const ACC_PLUS: AccPlus = deepFreeze(loadAccPlus());
/** Energy Commission tax rates, oldest first. */
export const ENERGY_COMMISSION_TAX: readonly TaxRate[] = deepFreeze(loadTaxRates());
/** NBT26 export values for calendar 2026 by month × day type × hour (the table the engine prices exports with). */
export const NBT26_MONTHLY_2026: readonly MonthlyExportRow[] = deepFreeze(loadNbt26Monthly());
