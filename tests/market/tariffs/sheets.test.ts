import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { TariffIdSchema, getTariff, listTariffs, tariffsFor, type Period, type Season } from '../../../market/tariffs/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const sheetsDir = join(here, '..', '..', '..', 'market', 'tariffs', 'data', 'pge-2026', 'tariffs');
const sheetFiles = readdirSync(sheetsDir).filter((f) => f.endsWith('.toml'));

/** Exact decimal sum of 5-decimal rates, in $0.00001 units. */
const units = (usd: number) => Math.round(usd * 1e5);

/**
 * Where a PG&E sheet's printed total differs from its printed components: E-TOU-C's winter
 * totals on four sheets are $0.00001 off the components' sum (rounding on PG&E's sheets). The engine
 * prices the components' sum. Any other difference fails.
 */
const PRINTED_TOTAL_OFF_BY_UNITS: Record<string, number> = {
  'etouc-2025-01-01.toml winter peak': -1,
  'etouc-2025-01-01.toml winter off_peak': -1,
  'etouc-2025-03-01.toml winter peak': 1,
  'etouc-2025-03-01.toml winter off_peak': 1,
  'etouc-2026-01-01.toml winter peak': 1,
  'etouc-2026-01-01.toml winter off_peak': 1,
};

describe('PG&E rate sheets (market/tariffs/data/pge-2026/tariffs)', () => {
  it('holds E-TOU-C, E-ELEC and EV2-A from 2025-01-01 to 2026-03-01 and E-TOU-D from 2026-03-01', () => {
    expect(sheetFiles).toHaveLength(16);
    const dates = (id: 'E-TOU-C' | 'E-ELEC' | 'EV2-A' | 'E-TOU-D') => getTariff(id).sheets.map((s) => s.effective);
    for (const id of ['E-TOU-C', 'E-ELEC', 'EV2-A'] as const) expect(dates(id)).toEqual(['2025-01-01', '2025-03-01', '2025-09-01', '2026-01-01', '2026-03-01']);
    expect(dates('E-TOU-D')).toEqual(['2026-03-01']);
    expect(getTariff('TOU-C-legacy').sheets.map((s) => s.effective)).toEqual([null]);
  });

  it.each(sheetFiles)('%s: generation + distribution + riders sum to the published totals', (file) => {
    const raw = parseToml(readFileSync(join(sheetsDir, file), 'utf8')) as {
      energy: Record<string, Record<string, Record<string, number>>>;
      adders: Record<string, number>;
      totals: Record<string, Record<string, number>>;
    };
    const riders = Object.values(raw.adders).reduce((a, v) => a + units(v), 0);
    let checked = 0;
    for (const [season, periods] of Object.entries(raw.energy)) {
      for (const [period, components] of Object.entries(periods)) {
        const sum = Object.values(components).reduce((a, v) => a + units(v), riders);
        const off = PRINTED_TOTAL_OFF_BY_UNITS[`${file} ${season} ${period}`] ?? 0;
        expect(units(raw.totals[season][period]), `${file} ${season} ${period}`).toBe(sum + off);
        checked++;
      }
    }
    expect(checked).toBe(Object.values(raw.totals).reduce((a, p) => a + Object.keys(p).length, 0));
  });

  it('each loaded rate is generation + delivery, and matches the published total bit for bit where the sheet agrees with itself', () => {
    for (const plan of listTariffs()) {
      for (const sheet of plan.sheets) {
        for (const season of ['summer', 'winter'] as Season[]) {
          for (const [period, rate] of Object.entries(sheet.rates[season]) as [Period, NonNullable<(typeof sheet.rates)[Season][Period]>][]) {
            if (rate.generationUsdPerKwh !== null) expect(units(rate.generationUsdPerKwh) + units(rate.deliveryUsdPerKwh)).toBe(units(rate.importUsdPerKwh));
            const total = sheet.publishedTotals?.[season][period];
            const key = `${sheet.file.split('/').pop()} ${season} ${period.replace('-', '_')}`;
            if (total !== undefined && !(key in PRINTED_TOTAL_OFF_BY_UNITS)) expect(rate.importUsdPerKwh, key).toBe(total);
          }
        }
      }
    }
  });

  it('the March 2026 rates are the figures of the reference notes, as doubles', () => {
    const at = (id: 'E-TOU-C' | 'E-ELEC', month: number, hour: number) => getTariff(id).rateAt({ year: 2026, month, day: 14, hour, minute: 0, weekday: 2 }).importUsdPerKwh;
    expect([at('E-TOU-C', 7, 17), at('E-TOU-C', 7, 3), at('E-TOU-C', 11, 17), at('E-TOU-C', 11, 3)]).toEqual([0.5224, 0.3994, 0.39757, 0.36757]);
    expect([at('E-ELEC', 7, 17), at('E-ELEC', 7, 15), at('E-ELEC', 7, 3), at('E-ELEC', 11, 17), at('E-ELEC', 11, 21), at('E-ELEC', 11, 3)]).toEqual([
      0.55214, 0.39026, 0.33358, 0.32063, 0.29854, 0.28468,
    ]);
    expect(getTariff('E-ELEC').rateAt({ year: 2026, month: 7, day: 14, hour: 17, minute: 0, weekday: 2 }).generationUsdPerKwh).toBe(0.26299);
  });
});

describe('tariffsFor', () => {
  const homes = [{ hasPv: true }, { hasPv: false }, { hasPv: true }];

  it('nbt: homes with PV on E-ELEC, the others on the configured plan (plans[0])', () => {
    const a = tariffsFor({ plan: 'E-TOU-C', assignment: 'nbt' }, homes);
    expect(a.plans.map((p) => p.id)).toEqual(['E-TOU-C', 'E-ELEC']);
    expect([...a.planOfHome]).toEqual([1, 0, 1]);
  });

  it('uniform, or a configured E-ELEC: one plan for every home', () => {
    for (const a of [tariffsFor({ plan: 'E-TOU-D', assignment: 'uniform' }, homes), tariffsFor({ plan: 'E-ELEC', assignment: 'nbt' }, homes)]) {
      expect(a.plans).toHaveLength(1);
      expect([...a.planOfHome]).toEqual([0, 0, 0]);
    }
  });

  it('no PV anywhere: no E-ELEC plan is added', () => {
    expect(tariffsFor({ plan: 'E-TOU-C', assignment: 'nbt' }, [{ hasPv: false }]).plans.map((p) => p.id)).toEqual(['E-TOU-C']);
    expect(TariffIdSchema.options).toContain('E-ELEC');
  });
});
