import { z } from 'zod';

/**
 * Battery configuration. Defaults: Tesla Powerwall 2 (13.5 kWh usable, 5 kW continuous,
 * 90 % round trip) — ../shared/REFERENCE-DATA.md "Batteries". The seed proposal's operating
 * window is a 10 % reserve and an 80 % ceiling.
 */
export const BatteryConfigSchema = z
  .strictObject({
    share: z.number().min(0).max(1).default(1).describe('share of homes that have this battery (chosen by a seeded draw)'),
    capacityKwh: z.number().positive().max(1000).default(13.5).describe('usable capacity when new, kWh'),
    maxPowerKw: z.number().positive().max(1000).default(5).describe('continuous charge and discharge limit, kW (bus side)'),
    roundTripEfficiency: z
      .number()
      .gt(0)
      .max(1)
      .default(0.9)
      .describe('AC round-trip efficiency; split evenly: charge = discharge = sqrt(round trip)'),
    minSocFraction: z.number().min(0).max(1).default(0.1).describe('reserve: stored energy never goes below this share of capacity'),
    maxSocFraction: z.number().min(0).max(1).default(0.8).describe('ceiling: stored energy never exceeds this share of capacity'),
    initialSocFraction: z
      .number()
      .min(0)
      .max(1)
      .default(0.45)
      .describe('stored energy before the first trading interval, share of capacity (clamped into [min, max])'),
    storageMode: z
      .enum(['auto', 'solar-only', 'no-export'])
      .default('auto')
      .describe(
        'Net Billing Tariff paired-storage mode (battery/storage-mode.ts): solar-only = charges only from the home’s own PV, may export and sell stored energy; no-export = may charge from the grid, serves only the home’s own load; auto = solar-only at homes with PV, no-export at homes without',
      ),
    wearCostUsdPerKwh: z
      .number()
      .min(0)
      .max(2)
      .default(0.1)
      .describe(
        'battery wear, USD per kWh discharged: replacing the cells’ usable capacity at about $300/kWh (residential LFP modules) spread over the 3,000 equivalent full cycles to 80 % this config’s fade assumes (fadePerEquivalentCycle) — 300 / 3,000 = $0.10; agents and the optimum weigh it, the summary reports it',
      ),
    selfDischargePerDay: z.number().min(0).max(0.1).default(0).describe('share of stored energy lost per day (0 = none)'),
    degradation: z
      .strictObject({
        fadePerEquivalentCycle: z
          .number()
          .min(0)
          .max(0.01)
          .default(0.2 / 3000)
          .describe('capacity share lost per equivalent full cycle (20 % after 3,000 cycles; REFERENCE-DATA "1,000–3,000 full cycles to 80 %")'),
        calendarFadePerSqrtYear: z
          .number()
          .min(0)
          .max(0.5)
          .default(0.02)
          .describe('capacity share lost × sqrt(years in service) (calendar fade grows with sqrt(time))'),
        ageYears: z.number().min(0).max(30).default(0).describe('age of the battery at the start of the run, years'),
      })
      .prefault({}),
  })
  .refine((b) => b.minSocFraction < b.maxSocFraction, {
    message: 'minSocFraction must be below maxSocFraction',
    path: ['minSocFraction'],
  });

export type BatteryConfig = z.infer<typeof BatteryConfigSchema>;
