import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STORAGE_NO_EXPORT, STORAGE_NONE, STORAGE_SOLAR_ONLY, checkStorageRules } from '../../battery/index.ts';
import { allocateIsland, createIslandResult, pairTransfers, type IslandInput } from '../../central/index.ts';

const LOSS = 0.05;

/** Homes without batteries unless given; a generous sell cap. */
function input(homes: { load: number; critical: number; pv: number; mode?: number; dmax?: number; spare?: number; cmax?: number; reserve?: number }[], p2p = true): IslandInput {
  const col = (f: (h: (typeof homes)[number]) => number) => Float64Array.from(homes.map(f));
  return {
    households: homes.length,
    loadKwh: col((h) => h.load),
    criticalKwh: col((h) => h.critical),
    pvKwh: col((h) => h.pv),
    storageMode: Uint8Array.from(homes.map((h) => h.mode ?? STORAGE_NONE)),
    dischargeMaxKwh: col((h) => h.dmax ?? 0),
    spareDischargeKwh: col((h) => h.spare ?? h.dmax ?? 0),
    chargeMaxKwh: col((h) => h.cmax ?? 0),
    reserveChargeKwh: col((h) => h.reserve ?? 0),
    sendCapKwh: col(() => 100),
    p2p,
    transmissionLoss: LOSS,
  };
}

function allocate(x: IslandInput) {
  const r = createIslandResult(x.households);
  allocateIsland(x, r);
  return r;
}

describe('allocateIsland: the central agent shares scarce energy while the grid is down', () => {
  it('serves a neighbour’s critical load before its deferrable load', () => {
    // A: 1 kWh PV surplus, no battery; B: no PV, 0.5 critical + 1.0 deferrable
    const r = allocate(input([{ load: 0, critical: 0, pv: 1 }, { load: 1.5, critical: 0.5, pv: 0 }]));
    expect(r.sentKwh[0]).toBeCloseTo(1, 12);
    expect(r.receivedKwh[1]).toBeCloseTo(0.95, 12);
    expect(r.unservedCriticalKwh[1]).toBe(0);
    expect(r.unservedKwh[1]).toBeCloseTo(1.5 - 0.95, 12);
    expect(r.curtailedKwh[0]).toBe(0);
  });

  it('when short, gives every home the same share of its critical need and nothing to deferrable load', () => {
    // 0.5 kWh surplus for two homes needing 0.4 and 0.2 kWh critical (and 1 kWh deferrable each)
    const r = allocate(input([{ load: 0, critical: 0, pv: 0.5 }, { load: 1.4, critical: 0.4, pv: 0 }, { load: 1.2, critical: 0.2, pv: 0 }]));
    const delivered = 0.5 * (1 - LOSS);
    const share = delivered / 0.6;
    expect(r.receivedKwh[1]).toBeCloseTo(0.4 * share, 12);
    expect(r.receivedKwh[2]).toBeCloseTo(0.2 * share, 12);
    expect(r.unservedCriticalKwh[1] / 0.4).toBeCloseTo(r.unservedCriticalKwh[2] / 0.2, 12);
    // every delivered kWh went to critical load: each home's deferrable load is wholly unserved
    expect(r.unservedKwh[1]).toBeCloseTo(1 + r.unservedCriticalKwh[1], 12);
    expect(r.unservedKwh[2]).toBeCloseTo(1 + r.unservedCriticalKwh[2], 12);
  });

  it('a battery serves its own critical load, shares only what is above its reserve, and a no-export battery never leaves home', () => {
    const r = allocate(
      input([
        { load: 0.3, critical: 0.3, pv: 0, mode: STORAGE_SOLAR_ONLY, dmax: 2, spare: 0.5 },
        { load: 0.2, critical: 0.1, pv: 0, mode: STORAGE_NO_EXPORT, dmax: 2, spare: 2 },
        { load: 1, critical: 1, pv: 0 },
      ]),
    );
    expect(r.dischargeKwh[0]).toBeCloseTo(0.3 + 0.5, 12); // own critical + its spare to the neighbour
    expect(r.sentKwh[0]).toBeCloseTo(0.5, 12);
    expect(r.sentKwh[1]).toBe(0); // no-export: stored energy serves only its own home
    expect(r.dischargeKwh[1]).toBeCloseTo(0.2, 12);
    expect(r.receivedKwh[2]).toBeCloseTo(0.5 * (1 - LOSS), 12);
  });

  it('without P2P every home is alone', () => {
    const r = allocate(input([{ load: 0, critical: 0, pv: 1 }, { load: 0.5, critical: 0.5, pv: 0 }], false));
    expect(r.sentKwh[0]).toBe(0);
    expect(r.curtailedKwh[0]).toBeCloseTo(1, 12);
    expect(r.unservedCriticalKwh[1]).toBeCloseTo(0.5, 12);
  });

  it('PV surplus refills the home’s reserve before it serves neighbours’ deferrable load; the rest charges batteries that may take imports, then is curtailed', () => {
    const r = allocate(
      input([
        { load: 0, critical: 0, pv: 3, mode: STORAGE_SOLAR_ONLY, dmax: 0, cmax: 1, reserve: 1 },
        { load: 1, critical: 0, pv: 0 },
        { load: 0, critical: 0, pv: 0, mode: STORAGE_NO_EXPORT, cmax: 0.5 },
      ]),
    );
    expect(r.chargeKwh[0]).toBeCloseTo(1, 12);
    expect(r.receivedKwh[1]).toBeCloseTo(1, 12);
    expect(r.chargeKwh[2]).toBeCloseTo(0.5, 12);
    expect(r.curtailedKwh[0]).toBeCloseTo(3 - 1 - 1 / (1 - LOSS) - 0.5 / (1 - LOSS), 12);
  });

  it('keeps every home’s balance, its storage rule and the transfers’ loss (property)', () => {
    const home = fc.record({
      load: fc.double({ min: 0, max: 3, noNaN: true }),
      critShare: fc.double({ min: 0, max: 1, noNaN: true }),
      pv: fc.double({ min: 0, max: 4, noNaN: true }),
      mode: fc.constantFrom(STORAGE_NONE, STORAGE_SOLAR_ONLY, STORAGE_NO_EXPORT),
      dmax: fc.double({ min: 0, max: 2.5, noNaN: true }),
      spareShare: fc.double({ min: 0, max: 1, noNaN: true }),
      cmax: fc.double({ min: 0, max: 2.5, noNaN: true }),
      reserveShare: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(home, { minLength: 1, maxLength: 8 }), fc.boolean(), (homes, p2p) => {
        const x = input(
          homes.map((h) => ({
            load: h.load,
            critical: h.load * h.critShare,
            pv: h.pv,
            mode: h.mode,
            dmax: h.mode === STORAGE_NONE ? 0 : h.dmax,
            spare: h.mode === STORAGE_NONE ? 0 : h.dmax * h.spareShare,
            cmax: h.mode === STORAGE_NONE ? 0 : h.cmax,
            reserve: h.mode === STORAGE_NONE ? 0 : h.cmax * h.reserveShare,
          })),
          p2p,
        );
        const r = allocate(x);
        let sent = 0;
        let received = 0;
        for (let h = 0; h < homes.length; h++) {
          const served = x.loadKwh[h] - r.unservedKwh[h];
          const pv = x.pvKwh[h] - r.curtailedKwh[h];
          expect(Math.abs(served + r.chargeKwh[h] + r.sentKwh[h] - (pv + r.dischargeKwh[h] + r.receivedKwh[h]))).toBeLessThan(1e-9);
          expect(r.unservedKwh[h]).toBeGreaterThanOrEqual(0);
          expect(r.unservedCriticalKwh[h]).toBeLessThanOrEqual(r.unservedKwh[h] + 1e-12);
          expect(r.chargeKwh[h] * r.dischargeKwh[h]).toBe(0);
          expect(r.dischargeKwh[h]).toBeLessThanOrEqual(x.dischargeMaxKwh[h] + 1e-9);
          expect(r.chargeKwh[h]).toBeLessThanOrEqual(x.chargeMaxKwh[h] + 1e-9);
          expect(r.sentKwh[h] * r.receivedKwh[h], 'no home both sends and receives').toBe(0);
          // a home whose critical load is short got nothing for its deferrable load
          if (r.unservedCriticalKwh[h] > 1e-9) expect(served).toBeLessThanOrEqual(x.criticalKwh[h] + 1e-9);
          const rule = checkStorageRules(x.storageMode[h], { servedLoadKwh: served, pvKwh: pv, chargeKwh: r.chargeKwh[h], dischargeKwh: r.dischargeKwh[h], p2pSoldKwh: r.sentKwh[h], gridExportKwh: 0 }, 1e-9);
          expect(rule.ok ? 'ok' : rule.reason).toBe('ok');
          sent += r.sentKwh[h];
          received += r.receivedKwh[h];
        }
        expect(Math.abs(received - sent * (1 - LOSS))).toBeLessThan(1e-9);
      }),
      { numRuns: 300 },
    );
  });
});

describe('pairTransfers', () => {
  it('turns per-home transfers into trades that add up, each within the size limit', () => {
    const sent = Float64Array.of(3, 0, 1.5, 0);
    const received = Float64Array.of(0, 2.5 * 0.95, 0, 2 * 0.95);
    const trades: [number, number, number][] = [];
    pairTransfers(sent, received, 0.05, 2, (b, s, q) => trades.push([b, s, q]));
    const bySeller = [0, 0, 0, 0];
    const byBuyer = [0, 0, 0, 0];
    for (const [b, s, q] of trades) {
      expect(q).toBeLessThanOrEqual(2);
      expect(b).not.toBe(s);
      bySeller[s] += q;
      byBuyer[b] += q * 0.95;
    }
    expect(bySeller[0]).toBeCloseTo(3, 12);
    expect(bySeller[2]).toBeCloseTo(1.5, 12);
    expect(byBuyer[1]).toBeCloseTo(2.5 * 0.95, 12);
    expect(byBuyer[3]).toBeCloseTo(2 * 0.95, 12);
  });
});
