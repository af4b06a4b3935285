import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDecision, decideRuleBased, type HouseholdTickInput } from '../../agents/index.ts';

const eta = Math.sqrt(0.9);

/** A summer E-TOU-C household at 50 % SoC, no forecast needs, market on. */
function household(over: Partial<HouseholdTickInput> = {}): HouseholdTickInput {
  return {
    loadKwh: 0.5,
    pvKwh: 0,
    hasBattery: true,
    socKwh: 6,
    minSocKwh: 1.35,
    maxSocKwh: 10.8,
    chargeEfficiency: eta,
    dischargeEfficiency: eta,
    maxChargeKwh: 2.5,
    maxDischargeKwh: 2.5,
    importUsdPerKwh: 0.3994,
    exportUsdPerKwh: 0.05,
    priceSignalUsdPerKwh: 0.22,
    marketEnabled: true,
    transmissionLoss: 0.05,
    p2pDeliveryUsdPerKwh: 0,
    sellAllowanceKwh: 10,
    dayMinUsdPerKwh: 0.3994,
    inExpensiveBlock: false,
    blockMaxUsdPerKwh: 0.5224,
    blockNeedKwh: 0,
    higherRateNeedKwh: 0,
    surplusBeforeBlockKwh: 0,
    cheapLeft: 20,
    refillUsdPerKwh: 0.3994 / 0.9,
    storedMayLeave: true,
    mayChargeFromImports: true,
    wearUsdPerKwh: 0,
    floorSocKwh: 0,
    terminalNeedStoredKwh: 0,
    terminalExcessStoredKwh: 0,
    ...over,
  };
}

const decide = (i: HouseholdTickInput) => ({ ...decideRuleBased(i, createDecision()) });

describe('decideRuleBased', () => {
  it('discharges to cover its own deficit in the peak and buys nothing', () => {
    const d = decide(household({ importUsdPerKwh: 0.5224, inExpensiveBlock: true, loadKwh: 1.2 }));
    expect(d.dischargeKwh).toBeCloseTo(1.2, 12);
    expect(d.chargeKwh).toBe(0);
    expect(d.bidDeficitKwh).toBe(0);
  });

  it('keeps the reserve: never discharges below min SoC', () => {
    const d = decide(household({ importUsdPerKwh: 0.5224, inExpensiveBlock: true, loadKwh: 3, socKwh: 2 }));
    expect(d.dischargeKwh).toBeCloseTo((2 - 1.35) * eta, 12);
    expect(d.bidDeficitKwh).toBeCloseTo((3 - (2 - 1.35) * eta) / 0.95, 12);
  });

  it('holds stored energy off-peak when refilling it would cost more than the import it saves', () => {
    const d = decide(household({ loadKwh: 1 }));
    expect(d.dischargeKwh).toBe(0);
    expect(d.action).toBe('buy');
    expect(d.bidDeficitKwh).toBeCloseTo(1 / 0.95, 12);
    expect(d.bidLimitUsdPerKwh).toBeCloseTo(0.3994 * 0.95, 12); // never pays more than the tariff per delivered kWh
  });

  it('stores own solar surplus before selling, then sells the rest at no less than its export value', () => {
    const d = decide(household({ loadKwh: 0.3, pvKwh: 3.3 }));
    expect(d.chargeKwh).toBeCloseTo(2.5, 12);
    expect(d.askSurplusKwh).toBeCloseTo(0.5, 12);
    expect(d.askLimitUsdPerKwh).toBeCloseTo(0.05, 12);
    expect(d.action).toBe('sell');
  });

  it('without a battery sells all surplus and buys every deficit', () => {
    const sell = decide(household({ hasBattery: false, loadKwh: 0.3, pvKwh: 2.3 }));
    expect(sell.askSurplusKwh).toBeCloseTo(2, 12);
    const buy = decide(household({ hasBattery: false, loadKwh: 0.8 }));
    expect(buy.bidDeficitKwh).toBeCloseTo(0.8 / 0.95, 12);
  });

  it('caps what it offers at its remaining daily sell allowance', () => {
    const d = decide(household({ hasBattery: false, loadKwh: 0, pvKwh: 3, sellAllowanceKwh: 1.25 }));
    expect(d.askSurplusKwh).toBeCloseTo(1.25, 12);
  });

  it('grid-charges just in time before the peak for the need its own PV will not cover', () => {
    const early = decide(household({ socKwh: 1.35, blockNeedKwh: 6, cheapLeft: 10, loadKwh: 0.2 }));
    expect(early.chargeKwh).toBe(0);
    const late = decide(household({ socKwh: 1.35, blockNeedKwh: 6, cheapLeft: 2, loadKwh: 0.2 }));
    // needs 6/η stored; one later interval can add 2.5·η; the rest now
    const need = 6 / eta - 2.5 * eta;
    expect(late.chargeKwh).toBeCloseTo(Math.min(2.5, need / eta), 9);
  });

  it('bids for neighbours’ energy to fill its battery when stored energy is worth more than the price', () => {
    const d = decide(household({ loadKwh: 0, pvKwh: 0, socKwh: 1.35, blockNeedKwh: 5, cheapLeft: 20 }));
    expect(d.bidChargeKwh).toBeCloseTo(2.5 / 0.95, 12);
    // worth 0.5224 × 0.9 stored, but never more than the grid's price now
    expect(d.bidLimitUsdPerKwh).toBeCloseTo(Math.min(0.5224 * 0.9, 0.3994) * 0.95, 12);
  });

  it('sells stored energy it will not need during the peak', () => {
    const d = decide(household({ importUsdPerKwh: 0.5224, inExpensiveBlock: true, loadKwh: 0, socKwh: 8, blockNeedKwh: 2, refillUsdPerKwh: 0.2 }));
    const spare = (8 - 1.35 - 2 / eta) * eta;
    expect(d.askBatteryKwh).toBeCloseTo(Math.min(2.5, spare), 9);
    expect(d.askLimitUsdPerKwh).toBeCloseTo(0.2, 12);
  });

  it('respects every physical and market limit for any input (property)', () => {
    const arb = fc.record({
      loadKwh: fc.double({ min: 0, max: 5, noNaN: true }),
      pvKwh: fc.double({ min: 0, max: 5, noNaN: true }),
      hasBattery: fc.boolean(),
      socKwh: fc.double({ min: 1.35, max: 10.8, noNaN: true }),
      importUsdPerKwh: fc.constantFrom(0.3994, 0.5224, 0.22558, 0.53809),
      exportUsdPerKwh: fc.double({ min: 0, max: 1.2, noNaN: true }),
      priceSignalUsdPerKwh: fc.double({ min: 0.1, max: 1, noNaN: true }),
      marketEnabled: fc.boolean(),
      sellAllowanceKwh: fc.double({ min: 0, max: 10, noNaN: true }),
      inExpensiveBlock: fc.boolean(),
      blockNeedKwh: fc.double({ min: 0, max: 20, noNaN: true }),
      surplusBeforeBlockKwh: fc.double({ min: 0, max: 20, noNaN: true }),
      cheapLeft: fc.integer({ min: 0, max: 48 }),
      refillUsdPerKwh: fc.double({ min: 0, max: 1, noNaN: true }),
      storedMayLeave: fc.boolean(),
      mayChargeFromImports: fc.boolean(),
      wearUsdPerKwh: fc.double({ min: 0, max: 0.3, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, (r) => {
        const maxCharge = Math.min(2.5, (10.8 - r.socKwh) / eta);
        const maxDischarge = Math.min(2.5, (r.socKwh - 1.35) * eta);
        const i = household({ ...r, higherRateNeedKwh: r.blockNeedKwh / 2, maxChargeKwh: maxCharge, maxDischargeKwh: maxDischarge });
        const d = decide(i);
        const surplus = Math.max(0, r.pvKwh - r.loadKwh);
        const deficit = Math.max(0, r.loadKwh - r.pvKwh);
        const tol = 1e-9;
        const chargeBidDelivered = d.bidChargeKwh * 0.95;
        expect(d.chargeKwh + chargeBidDelivered).toBeLessThanOrEqual(maxCharge + tol);
        expect(d.dischargeKwh + d.askBatteryKwh).toBeLessThanOrEqual(maxDischarge + tol);
        // a no-export battery serves only the home's own load and never sells stored energy
        if (!r.storedMayLeave) {
          expect(d.dischargeKwh).toBeLessThanOrEqual(deficit + tol);
          expect(d.askBatteryKwh).toBe(0);
        }
        // discharging beyond the load (an export of stored energy) only in an expensive block when the export value beats refill + wear
        if (d.dischargeKwh > deficit + tol) {
          expect(r.inExpensiveBlock).toBe(true);
          expect(r.exportUsdPerKwh).toBeGreaterThan(r.refillUsdPerKwh + r.wearUsdPerKwh);
        }
        // a solar-only battery charges only from the home's own surplus, never from imports
        if (!r.mayChargeFromImports) {
          expect(d.bidChargeKwh).toBe(0);
          expect(d.chargeKwh).toBeLessThanOrEqual(surplus + tol);
        }
        // never charge and discharge in the same interval
        expect((d.chargeKwh + chargeBidDelivered) * (d.dischargeKwh + d.askBatteryKwh)).toBe(0);
        // sells only energy it has
        expect(d.askSurplusKwh).toBeLessThanOrEqual(surplus + tol);
        expect(d.askSurplusKwh + d.askBatteryKwh).toBeLessThanOrEqual(Math.max(0, r.sellAllowanceKwh) + tol);
        if (!r.hasBattery) expect(d.chargeKwh + d.dischargeKwh + d.askBatteryKwh + d.bidChargeKwh).toBe(0);
        if (!r.marketEnabled) expect(d.askSurplusKwh + d.askBatteryKwh + d.bidDeficitKwh + d.bidChargeKwh).toBe(0);
        // a buy never pays more than the tariff per delivered kWh
        if (d.bidDeficitKwh + d.bidChargeKwh > 0) expect(d.bidLimitUsdPerKwh).toBeLessThanOrEqual(r.importUsdPerKwh * 0.95 + tol);
        // one side at a time
        expect((d.bidDeficitKwh + d.bidChargeKwh) * (d.askSurplusKwh + d.askBatteryKwh)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });
});
