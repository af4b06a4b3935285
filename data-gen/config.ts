import { DateTime } from 'luxon';
import { z } from 'zod';
import { BASELINE_TERRITORIES } from '../common/index.ts';
import { HouseholdsSourceSchema } from './meter/config.ts';

/**
 * PG&E baseline territories (E-TOU-C baseline allowance). The weather is always Sacramento's, and
 * PG&E's Sacramento Valley customers are in territory S (summer 15.0, winter 10.2 kWh/day), so S is
 * the default; X (9.8/9.7 kWh/day) is the coastal Bay Area, T the foggy coast.
 */
export const TERRITORIES = BASELINE_TERRITORIES;

export const PopulationConfigSchema = z.strictObject({
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
  territory: z
    .enum(TERRITORIES)
    .default('S')
    .describe('PG&E baseline territory of the community (sets the E-TOU-C baseline allowance); S = Sacramento Valley, matching the Sacramento weather'),
});
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

export const WeatherConfigSchema = z.strictObject({
  latitudeDeg: z.number().min(-66).max(66).default(38.58).describe('latitude of the community, degrees north (Sacramento 38.58)'),
  longitudeDeg: z
    .number()
    .min(-180)
    .max(180)
    .default(-121.49)
    .describe('longitude, degrees east (Sacramento −121.49); the temperature climate is always Sacramento’s'),
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
