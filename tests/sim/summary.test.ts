import { describe, expect, it } from 'vitest';
import { checkContract } from './contract-check.ts';
import { collectRun, smallConfig } from './helpers.ts';

describe('summary: the tariff sheets a run was billed under', () => {
  it('a run across 1 March 2026 lists both E-TOU-C sheets and charges the Base Services Charge from that day only', async () => {
    const run = await collectRun(
      smallConfig({ seed: 3, time: { start: '2026-02-28', days: 2 }, agents: { forecaster: 'seasonal-naive' }, tariff: { assignment: 'uniform' } }),
    );
    checkContract(run);
    const s = run.summary;
    expect(s.tariff.sheets.map((x) => `${x.plan} ${x.effective}`)).toEqual(['E-TOU-C 2026-01-01', 'E-TOU-C 2026-03-01']);
    expect(s.tariff.sheets[0].file).toBe('market/tariffs/data/pge-2026/tariffs/etouc-2026-01-01.toml');
    expect(s.tariff.sheets[0].source).toMatch(/ELEC_SCHEDS_E-TOU-C\.pdf$/);
    for (const d of s.households_detail) expect(d.fixed_charges_usd).toBeCloseTo(0.79343, 12); // 28 Feb: none; 1 Mar: tier 3
    expect(s.bill_terms.fixed_charge_usd_per_day).toBeCloseTo(0.79343 / 2, 12);
    expect(s.bill_terms.energy_commission_tax_usd_per_kwh).toBe(0.0003);
    // 28 Feb is priced at the January sheet, 1 Mar at March's (winter off-peak, 3 am)
    const at3am = run.intervals.filter((i) => i.start.slice(11, 16) === '03:00').map((i) => i.households[0].tariff_rate_usd_per_kwh);
    expect(at3am).toEqual([0.43459, 0.36757]);
  }, 300_000);
});
