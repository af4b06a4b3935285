import { DateTime } from 'luxon';
import { z } from 'zod';
import { BASELINE_TERRITORIES } from '../common/index.ts';
import { HouseholdsSourceSchema } from './meter/config.ts';

/**
 * PG&E baseline territories (E-TOU-C baseline allowance). The weather is always the Sacramento
 * Valley's, the default site is Davis (PG&E), and PG&E's Sacramento Valley customers are in territory S (summer 15.0, winter 10.2 kWh/day), so S is
 * the default; X (9.8/9.7 kWh/day) is the coastal Bay Area, T the foggy coast.
 */
export const TERRITORIES = BASELINE_TERRITORIES;

/** Export compensation programs of a solar home: legacy net metering, or the Net Billing Tariff vintage of its application year. */
export const EXPORT_PROGRAMS = ['nem2', 'nbt23', 'nbt24', 'nbt25', 'nbt26'] as const;
export type ExportProgram = (typeof EXPORT_PROGRAMS)[number];

const MIX_TOLERANCE = 1e-9;

/**
 * Which export program the solar homes of a 2026 PG&E street are on, as shares of the solar homes.
 * Assumption (no source publishes the split of a street): legacy net metering keeps a system for
 * 20 years from interconnection, so nearly every system installed 2006 – April 2023 is still on it
 * (NEM 1 homes are billed like NEM 2 here); PG&E had well over half a million net-metered homes by
 * 2022, and residential installs fell sharply under the Net Billing Tariff (applications from
 * 15 April 2023), tens of thousands a year. Hence about 80 % legacy, and the NBT vintages by
 * application year: 2023 (eight and a half months) 4 %, 2024 6 %, 2025 6 %, 2026 (part of the
 * year) 4 %.
 */
export const ExportMixSchema = z
  .strictObject(
    Object.fromEntries(
      EXPORT_PROGRAMS.map((p) => [
        p,
        z
          .number()
          .min(0)
          .max(1)
          .default({ nem2: 0.8, nbt23: 0.04, nbt24: 0.06, nbt25: 0.06, nbt26: 0.04 }[p])
          .describe(p === 'nem2' ? 'share of solar homes on legacy net metering (NEM 2, exports credited at the retail rate)' : `share of solar homes on Net Billing Tariff vintage ${p.toUpperCase()} (applied in 20${p.slice(3)})`),
      ]),
    ) as Record<ExportProgram, z.ZodDefault<z.ZodNumber>>,
    { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown export program ${iss.keys.map((k) => `"${k}"`).join(', ')} (known: ${EXPORT_PROGRAMS.join(', ')})` : undefined) },
  )
  .refine((m) => Math.abs(EXPORT_PROGRAMS.reduce((a, p) => a + m[p], 0) - 1) <= MIX_TOLERANCE, {
    error: (iss) => {
      const m = iss.input as Record<ExportProgram, number>;
      return `the export mix must sum to 1 over ${EXPORT_PROGRAMS.join(', ')} (got ${Number(EXPORT_PROGRAMS.reduce((a, p) => a + m[p], 0).toFixed(6))})`;
    },
  })
  .describe(
    'shares of the solar homes on each export program (sum 1); default an assumption for a 2026 PG&E street: 80 % legacy NEM 2 (kept 20 years from interconnection), NBT vintages 2023–2026 4/6/6/4 % (data-gen/config.ts says why)',
  );
export type ExportMix = z.infer<typeof ExportMixSchema>;

export const PopulationConfigSchema = z
  .strictObject({
  source: HouseholdsSourceSchema,
  count: z.number().int().min(1).max(100_000).default(10).describe('number of households in the community (synthetic homes; with meter data, the homes in the files)'),
  pvShare: z
    .number()
    .min(0)
    .max(1)
    .default(0.6)
    .describe('share of homes with rooftop PV (the count is share × homes, rounded up or down, never more than one off)'),
  evShare: z.number().min(0).max(1).default(0.3).describe('share of homes with an electric vehicle charged at home (Level 2)'),
  acShare: z.number().min(0).max(1).default(0.75).describe('share of homes with central air conditioning'),
  electricWaterHeaterShare: z
    .number()
    .min(0)
    .max(1)
    .default(0.3)
    .describe('share of homes with an electric (resistance) water heater; the others heat water with gas'),
  medianPvKw: z
    .number()
    .min(0.5)
    .max(50)
    .default(7.1)
    .describe('median PV system size in kW DC (7.1 kW: median California residential system 2022, LBNL Tracking the Sun)'),
  exportMix: ExportMixSchema.prefault({}),
  careShare: z
    .number()
    .min(0)
    .max(1)
    .default(0.25)
    .describe('share of homes on CARE (35 % off energy charges but the wildfire fund charge, tier-1 Base Services Charge, low-income ACC Plus): about a quarter of PG&E residential customers are enrolled (CPUC CARE/FERA annual reports; REFERENCE-DATA.md)'),
  feraShare: z
    .number()
    .min(0)
    .max(1)
    .default(0.01)
    .describe('share of homes on FERA (18 % off, tier-2 Base Services Charge): assumption, FERA enrols about 1 % of PG&E residential customers (tens of thousands, CPUC CARE/FERA reports)'),
  territory: z
    .enum(TERRITORIES)
    .default('S')
    .describe('PG&E baseline territory of the community (sets the E-TOU-C baseline allowance); S = Sacramento Valley (Davis, Woodland, Vacaville), matching the weather'),
  })
  .refine((c) => c.careShare + c.feraShare <= 1 + 1e-9, { message: 'careShare + feraShare must not exceed 1 (a home is on CARE, FERA or neither)', path: ['feraShare'] });
export type PopulationConfig = z.infer<typeof PopulationConfigSchema>;

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s, { zone: 'UTC' }).isValid, 'not a real calendar date');

export const HeatWaveConfigSchema = z.strictObject({
  start: IsoDate.describe('first local day of the heat wave (YYYY-MM-DD)'),
  days: z.number().int().min(1).max(60).default(10).describe('length in days (31 Aug – 9 Sep 2022 was 10 days)'),
  peakAnomalyC: z
    .number()
    .min(0)
    .max(20)
    .default(10)
    .describe(
      'extra warmth of the daily high at the middle of the wave, °C, on top of the ordinary weather (6 Sep 2022: Sacramento 116 °F against a normal 92 °F, +13 °C)',
    ),
});
export type HeatWaveConfig = z.infer<typeof HeatWaveConfigSchema>;

/**
 * CAISO Flex Alert behaviour on heat-wave days: households are asked to cut use in the evening
 * (4–9 pm, ten consecutive days 31 Aug – 9 Sep 2022): thermostats up to 78 °F or higher, no major
 * appliances. Modelled as an A/C setpoint raise, a cut of discretionary plug load and laundry moved
 * to after the window, for homes that respond.
 */
export const FlexAlertConfigSchema = z.strictObject({
  startHour: z.number().min(0).max(24).default(16).describe('local hour the alert window opens (CAISO: 4 pm)'),
  endHour: z.number().min(0).max(24).default(21).describe('local hour the alert window closes (CAISO: 9 pm)'),
  acSetpointRaiseC: z.number().min(0).max(10).default(2).describe('how far responding homes raise the A/C setpoint in the window, °C'),
  plugLoadCut: z.number().min(0).max(1).default(0.2).describe('share of plug load responding homes switch off in the window'),
  responseShare: z.number().min(0).max(1).default(0.6).describe('share of homes that respond (a seeded draw per home)'),
}).refine((f) => f.startHour < f.endHour, { message: 'startHour must be before endHour', path: ['startHour'] });
export type FlexAlertConfig = z.infer<typeof FlexAlertConfigSchema>;

/**
 * The default site: Davis, Yolo County (city centre 38.545 N, 121.740 W), a PG&E-served town in
 * baseline territory S (Sacramento Valley). Downtown Sacramento is served by SMUD, not PG&E, so it
 * cannot be the site of a PG&E street. The sun (PV, daylight) follows these coordinates; the
 * temperature climate is the Sacramento Valley's (weather.ts).
 */
export const DAVIS = { latitudeDeg: 38.545, longitudeDeg: -121.74 } as const;

export const WeatherConfigSchema = z.strictObject({
  latitudeDeg: z
    .number()
    .min(-66)
    .max(66)
    .default(DAVIS.latitudeDeg)
    .describe('latitude of the community, degrees north (default Davis, 38.545: PG&E-served, baseline territory S; downtown Sacramento is SMUD’s)'),
  longitudeDeg: z
    .number()
    .min(-180)
    .max(180)
    .default(DAVIS.longitudeDeg)
    .describe('longitude, degrees east (default Davis, −121.740); the temperature climate is always the Sacramento Valley’s (Sacramento Executive Airport normals, 20 km east of Davis)'),
  temperatureOffsetC: z
    .number()
    .min(-20)
    .max(20)
    .default(0)
    .describe('added to every temperature, °C (a scenario knob: a warmer or cooler year)'),
  cloudinessScale: z
    .number()
    .min(0)
    .max(5)
    .default(1)
    .describe('multiplies the cloud cover (then clamped to 0..1): 0 = always clear sky, 2 = twice as cloudy'),
  heatWave: HeatWaveConfigSchema.nullable()
    .default(null)
    .describe('an optional heat wave: a multi-day warm anomaly with clear skies, peaking in its middle'),
  flexAlert: FlexAlertConfigSchema.nullable()
    .default(null)
    .describe('Flex Alert evenings on every heat-wave day (needs heatWave); null = no alerts'),
});
export type WeatherConfig = z.infer<typeof WeatherConfigSchema>;
