import { z } from 'zod';

/**
 * Battery presets (REFERENCE-DATA.md "Batteries", Tesla's datasheets): usable capacity, continuous
 * power and round-trip efficiency. 13.5 kWh is already the usable capacity (net of the cells' own
 * margins), so the whole of it may be cycled; the owner's backup reserve is the floor.
 */
export const BATTERY_MODELS = {
  'powerwall-2': { capacityKwh: 13.5, maxPowerKw: 5, roundTripEfficiency: 0.9 },
  'powerwall-3': { capacityKwh: 13.5, maxPowerKw: 11.5, roundTripEfficiency: 0.89 },
} as const satisfies Record<string, { capacityKwh: number; maxPowerKw: number; roundTripEfficiency: number }>;
export type BatteryModel = keyof typeof BATTERY_MODELS;

/**
 * The default: Powerwall 3, the battery sold in 2026 and the one `capitalCostUsd` prices
 * (Powerwall 2 was discontinued in 2024; `model: "powerwall-2"` is the older one on many streets).
 */
export const DEFAULT_BATTERY_MODEL: BatteryModel = 'powerwall-3';

/**
 * Storage attachment by export program (share of homes of each kind that have a battery):
 * - Net Billing Tariff solar: 0.6 — LBNL ("about 60 % of NBT systems have storage",
 *   REFERENCE-DATA.md "Rooftop solar");
 * - legacy net metering (NEM 2) solar: 0.1 — assumption: LBNL Tracking the Sun's California
 *   attachment rose from a few percent (2016) to 14 % (2023) over the years NEM 2 systems were
 *   installed, so about a tenth of them have one (some added later);
 * - no solar: 0.01 — assumption: standalone home batteries are rare (REFERENCE-DATA.md "Batteries").
 */
export const BatteryAttachmentSchema = z
  .strictObject({
    nbt: z.number().min(0).max(1).default(0.6).describe('share of Net Billing Tariff solar homes with a battery (0.6: LBNL, about 60 % of NBT systems)'),
    nem2: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe('share of legacy net-metering (NEM 2) solar homes with a battery (0.1: assumption from LBNL Tracking the Sun, California attachment a few % in 2016 rising to 14 % in 2023)'),
    noSolar: z.number().min(0).max(1).default(0.01).describe('share of homes without solar with a battery (0.01: assumption, standalone home batteries are rare)'),
  })
  .describe('which homes have a battery, by export program (each group drawn from per-home streams, its share met as nearly as the group size allows)');
export type BatteryAttachment = z.infer<typeof BatteryAttachmentSchema>;

const BatteryInputSchema = z.strictObject({
  model: z
    .enum(Object.keys(BATTERY_MODELS) as [BatteryModel, ...BatteryModel[]])
    .default(DEFAULT_BATTERY_MODEL)
    .describe(
      `battery preset: ${Object.entries(BATTERY_MODELS).map(([m, p]) => `${m} ${p.capacityKwh} kWh, ${p.maxPowerKw} kW, ${p.roundTripEfficiency * 100} % round trip`).join('; ')}; capacityKwh, maxPowerKw and roundTripEfficiency given here override the preset's`,
    ),
  share: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('what-if: this share of all homes has a battery whatever their program (a seeded draw; 1 = every home, 0 = none); when absent, `attachment` decides'),
  attachment: BatteryAttachmentSchema.prefault({}),
  capacityKwh: z.number().positive().max(1000).optional().describe('usable capacity when new, kWh (default: the model’s)'),
  maxPowerKw: z.number().positive().max(1000).optional().describe('continuous charge and discharge limit, kW, bus side (default: the model’s)'),
  roundTripEfficiency: z
    .number()
    .gt(0)
    .max(1)
    .optional()
    .describe('AC round-trip efficiency, split evenly: charge = discharge = sqrt(round trip) (default: the model’s)'),
  backupReservePercent: z
    .number({ error: 'backupReservePercent must be a number from 0 to 100' })
    .min(0, 'backupReservePercent must lie between 0 and 100 (percent of usable capacity)')
    .max(100, 'backupReservePercent must lie between 0 and 100 (percent of usable capacity)')
    .default(20)
    .describe(
      'backup reserve, % of usable capacity: with the grid up the battery never goes below it (Tesla’s default 20 %); while the grid is down the reserve is there to be used (floor 0). The ceiling is the usable capacity (100 %); on an outage notice every battery charges toward it (Storm Watch)',
    ),
  initialSocFraction: z
    .number()
    .min(0)
    .max(1)
    .default(0.45)
    .describe('stored energy before the first trading interval, share of capacity (clamped into [reserve, capacity])'),
  capitalCostUsd: z
    .number()
    .min(0)
    .max(1_000_000)
    .default(15_000)
    .describe(
      'installed cost of one battery, USD, for the simple payback (15,000: a Powerwall 3 installed, before incentives, REFERENCE-DATA.md "Batteries"; the federal §25D credit does not apply to expenditures after 2025)',
    ),
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
});

/**
 * Battery configuration: a preset (`model`, default Powerwall 3) whose capacity, power and round
 * trip any field given here overrides; the operating window is [backup reserve, usable capacity].
 */
export const BatteryConfigSchema = BatteryInputSchema.transform((b) => {
  const preset = BATTERY_MODELS[b.model];
  return {
    ...b,
    capacityKwh: b.capacityKwh ?? preset.capacityKwh,
    maxPowerKw: b.maxPowerKw ?? preset.maxPowerKw,
    roundTripEfficiency: b.roundTripEfficiency ?? preset.roundTripEfficiency,
  };
});

export type BatteryConfig = z.output<typeof BatteryConfigSchema>;
