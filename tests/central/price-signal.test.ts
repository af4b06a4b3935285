import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceSignalUsdPerKwh, type PriceSignalInput } from '../../central/index.ts';

const base: PriceSignalInput = {
  buyerValueUsdPerKwh: 0.3994,
  exportUsdPerKwh: 0.05,
  previousDemandKwh: 0,
  previousSupplyKwh: 0,
  transmissionLoss: 0.05,
  minPriceUsdPerKwh: 0.1,
  maxPriceUsdPerKwh: 1,
  sensitivity: 0.5,
};

describe('priceSignalUsdPerKwh', () => {
  it('sits in the middle of the band between export value and loss-adjusted tariff when balanced', () => {
    expect(priceSignalUsdPerKwh(base)).toBeCloseTo((0.05 + 0.3994 * 0.95) / 2, 12);
  });

  it('rises with excess demand and falls with excess supply', () => {
    const mid = priceSignalUsdPerKwh(base);
    const short = priceSignalUsdPerKwh({ ...base, previousDemandKwh: 10, previousSupplyKwh: 0 });
    const long = priceSignalUsdPerKwh({ ...base, previousDemandKwh: 0, previousSupplyKwh: 10 });
    expect(short).toBeCloseTo(0.05 + (0.3994 * 0.95 - 0.05) * 0.75, 12);
    expect(long).toBeGreaterThanOrEqual(0.1);
    expect(long).toBeLessThan(mid);
    expect(short).toBeGreaterThan(mid);
  });

  it('always stays within the market price bounds', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (imp, exp, d, s, k) => {
          const p = priceSignalUsdPerKwh({ ...base, buyerValueUsdPerKwh: imp, exportUsdPerKwh: exp, previousDemandKwh: d, previousSupplyKwh: s, sensitivity: k });
          return p >= 0.1 && p <= 1;
        },
      ),
    );
  });
});
