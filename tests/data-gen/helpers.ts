import seedrandom from 'seedrandom';
import {
  PopulationConfigSchema,
  WeatherConfigSchema,
  generateDays,
  generatePopulation,
  type DayBlock,
  type HouseholdProfile,
  type WeatherConfig,
} from '../../data-gen/index.ts';
import type { RngFactory } from '../../common/index.ts';

/** A seeded factory of derived streams, as the engine builds one. */
export function rngFactory(seed: number | string = 'test'): RngFactory {
  return (purpose) => seedrandom.alea(`${seed}:${purpose}`);
}

export function population(count: number, seed: number | string = 'test', over: Record<string, unknown> = {}): HouseholdProfile[] {
  return generatePopulation(PopulationConfigSchema.parse({ count, ...over }), rngFactory(seed));
}

export function weather(over: Record<string, unknown> = {}): WeatherConfig {
  return WeatherConfigSchema.parse(over);
}

export interface DaysOpts {
  households: HouseholdProfile[];
  startDate?: string;
  days?: number;
  weather?: WeatherConfig;
  withAppliances?: boolean;
  timezone?: string;
}

/** Generates and collects a short range of days (tests only: the generator is meant to stream). */
export function days(o: DaysOpts, seed: number | string = 'test'): DayBlock[] {
  return [
    ...generateDays(
      {
        households: o.households,
        weather: o.weather ?? weather(),
        startDate: o.startDate ?? '2026-07-15',
        days: o.days ?? 1,
        timezone: o.timezone ?? 'America/Los_Angeles',
        intervalMinutes: 30,
        withAppliances: o.withAppliances,
      },
      rngFactory(seed),
    ),
  ];
}

/** The column of one home in an interval-major day array. */
export function homeColumn(arr: Float64Array, n: number, h: number): number[] {
  const out: number[] = [];
  for (let i = h; i < arr.length; i += n) out.push(arr[i]);
  return out;
}
