import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HouseholdProfileSchema, PopulationConfigSchema, balancedCategories, drawBatteryOwners, drawBatteryOwnersByProgram, drawExportPrograms, generatePopulation } from '../../data-gen/index.ts';
import { balancedAssignment, homeId } from '../../data-gen/population.ts';
import { population, rngFactory } from './helpers.ts';

describe('generatePopulation', () => {
  it('names homes h01…h10, zero-padded to the width of the count', () => {
    expect(population(10).map((h) => h.id)).toEqual(['h01', 'h02', 'h03', 'h04', 'h05', 'h06', 'h07', 'h08', 'h09', 'h10']);
    expect(population(3).map((h) => h.id)).toEqual(['h01', 'h02', 'h03']);
    const big = population(120);
    expect(big[0].id).toBe('h001');
    expect(big[119].id).toBe('h120');
    expect(homeId(9999, 10000)).toBe('h10000');
    expect(big.map((h) => h.index)).toEqual(big.map((_, i) => i));
  });

  it('meets the configured shares exactly in a small community', () => {
    const homes = population(10);
    const count = (f: (h: (typeof homes)[number]) => boolean) => homes.filter(f).length;
    expect(count((h) => h.hasPv)).toBe(6);
    expect(count((h) => h.hasEv)).toBe(3);
    expect([7, 8]).toContain(count((h) => h.hasAc));
    expect(count((h) => h.electricWaterHeater)).toBe(3);
  });

  it('gives every home plausible, schema-valid equipment', () => {
    for (const h of population(300, 'equipment')) {
      HouseholdProfileSchema.parse(h);
      if (h.hasPv) {
        expect(h.pvKw).toBeGreaterThanOrEqual(2);
        expect(h.pvKw).toBeLessThanOrEqual(15);
      } else expect(h.pvKw).toBe(0);
      expect(h.pvOrientation).toBeGreaterThanOrEqual(90);
      expect(h.pvOrientation).toBeLessThanOrEqual(270);
      if (h.hasEv) expect([7.2, 7.7]).toContain(h.evChargerKw);
      else expect(h.evChargerKw).toBe(0);
      if (h.hasAc) {
        expect(h.acKw).toBeGreaterThanOrEqual(3);
        expect(h.acKw).toBeLessThanOrEqual(4);
      } else expect(h.acKw).toBe(0);
      expect(h.refrigeratorKwhPerDay * 30.4).toBeGreaterThanOrEqual(36);
      expect(h.refrigeratorKwhPerDay * 30.4).toBeLessThanOrEqual(52);
      expect(h.territory).toBe('S');
    }
  });

  it('centres PV sizes on the configured median (LBNL: 7.1 kW)', () => {
    const sizes = population(2000, 'pv-size')
      .filter((h) => h.hasPv)
      .map((h) => h.pvKw)
      .sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeGreaterThan(6.6);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThan(7.6);
    const bigger = population(400, 'pv-size', { medianPvKw: 10 }).filter((h) => h.hasPv);
    expect(bigger.reduce((s, h) => s + h.pvKw, 0) / bigger.length).toBeGreaterThan(9);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(population(50, 'a')).toEqual(population(50, 'a'));
    expect(population(50, 'a')).not.toEqual(population(50, 'b'));
  });

  it('adding households leaves the existing ones unchanged (apart from id width past 99)', () => {
    const small = population(10);
    const larger = population(40);
    expect(larger.slice(0, 10)).toEqual(small);
    const hundred = population(100);
    expect(hundred.slice(0, 40).map((h) => ({ ...h, id: h.id.slice(1) }))).toEqual(larger.map((h) => ({ ...h, id: `0${h.id.slice(1)}` })));
  });

  it('rejects an invalid configuration', () => {
    expect(() => generatePopulation({ ...PopulationConfigSchema.parse({}), count: 0 }, rngFactory())).toThrow();
  });
});

describe('balancedAssignment', () => {
  it('keeps every prefix within one home of share × size, and never changes earlier homes', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (draws, share) => {
        const flags = balancedAssignment(draws, share);
        let count = 0;
        flags.forEach((f, i) => {
          if (f) count++;
          const target = share * (i + 1);
          expect(count).toBeGreaterThanOrEqual(Math.floor(target));
          expect(count).toBeLessThanOrEqual(Math.ceil(target));
        });
        expect(balancedAssignment(draws.slice(0, Math.ceil(draws.length / 2)), share)).toEqual(flags.slice(0, Math.ceil(draws.length / 2)));
      }),
    );
  });

  it('assigns none at share 0 and all at share 1', () => {
    expect(balancedAssignment([0, 0.5, 0.99], 0)).toEqual([false, false, false]);
    expect(balancedAssignment([0, 0.5, 0.99], 1)).toEqual([true, true, true]);
  });
});

describe('drawBatteryOwners', () => {
  const owners = (count: number, share: number, seed = 'test') => Array.from(drawBatteryOwners(count, share, rngFactory(seed))).join('');

  it('gives exactly round(share × count) homes a battery, for any community', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.string(), (count, share, seed) => {
        const drawn = drawBatteryOwners(count, share, rngFactory(seed));
        expect(drawn.length).toBe(count);
        expect(drawn.reduce((a, b) => a + b, 0)).toBe(Math.min(count, Math.round(share * count)));
      }),
    );
  });

  it('keeps the owners the engine drew before the draw moved here (same stream, same permutation)', () => {
    expect(owners(10, 0.5)).toBe('1100011010');
    expect(owners(7, 0.3)).toBe('1001000');
    const purposes: string[] = [];
    drawBatteryOwners(5, 0.4, (purpose) => {
      purposes.push(purpose);
      return rngFactory()(purpose);
    });
    expect(purposes).toEqual(['sim/battery-owners']);
  });

  it('is the same for the same seed, differs across seeds, and covers the all and none shares', () => {
    expect(owners(50, 0.4, 'a')).toBe(owners(50, 0.4, 'a'));
    expect(owners(50, 0.4, 'a')).not.toBe(owners(50, 0.4, 'b'));
    expect(owners(4, 1)).toBe('1111');
    expect(owners(4, 0)).toBe('0000');
  });

  it('refuses a share outside [0, 1] or a fractional household count, naming the field', () => {
    expect(() => drawBatteryOwners(10, 1.5, rngFactory())).toThrow(/battery share must lie in \[0, 1\], got 1.5/);
    expect(() => drawBatteryOwners(10, Number.NaN, rngFactory())).toThrow(/battery share/);
    expect(() => drawBatteryOwners(2.5, 0.5, rngFactory())).toThrow(/household count must be a whole number/);
  });
});

describe('export programs and batteries by program', () => {
  const mix = { nem2: 0.8, nbt23: 0.04, nbt24: 0.06, nbt25: 0.06, nbt26: 0.04 };
  const solarEvery = (n: number, k: number) => Array.from({ length: n }, (_, i) => i % k !== 0);

  it('meets each program’s share of the solar homes within one home, and gives homes without solar none', () => {
    const hasPv = solarEvery(1000, 3);
    const programs = drawExportPrograms(hasPv, mix, rngFactory('mix'));
    const solar = hasPv.filter(Boolean).length;
    expect(programs.filter((p, i) => (p === null) !== !hasPv[i])).toEqual([]);
    for (const [p, share] of Object.entries(mix)) {
      expect(Math.abs(programs.filter((x) => x === p).length - share * solar), p).toBeLessThanOrEqual(1);
    }
  });

  it('adding homes changes no earlier home’s program or battery', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.string({ maxLength: 6 }), (n, extra, seed) => {
        const hasPv = solarEvery(n + extra, 2);
        const small = drawExportPrograms(hasPv.slice(0, n), mix, rngFactory(seed));
        const large = drawExportPrograms(hasPv, mix, rngFactory(seed));
        expect(large.slice(0, n)).toEqual(small);
        const shares = { nbt: 0.6, nem2: 0.1, noSolar: 0.01 };
        const a = drawBatteryOwnersByProgram(small, shares, rngFactory(seed));
        const b = drawBatteryOwnersByProgram(large, shares, rngFactory(seed));
        expect(Array.from(b.slice(0, n))).toEqual(Array.from(a));
      }),
      { seed: 19, numRuns: 100 },
    );
  });

  it('attaches batteries at each group’s own share: 60 % of NBT homes, 10 % of NEM 2 homes, 1 % without solar', () => {
    const hasPv = solarEvery(3000, 3);
    const programs = drawExportPrograms(hasPv, { nem2: 0.5, nbt23: 0.5, nbt24: 0, nbt25: 0, nbt26: 0 }, rngFactory('groups'));
    const owners = drawBatteryOwnersByProgram(programs, { nbt: 0.6, nem2: 0.1, noSolar: 0.01 }, rngFactory('groups'));
    const share = (pred: (p: (typeof programs)[number]) => boolean) => {
      const homes = programs.flatMap((p, i) => (pred(p) ? [i] : []));
      return homes.filter((i) => owners[i] === 1).length / homes.length;
    };
    expect(share((p) => p !== null && p !== 'nem2')).toBeCloseTo(0.6, 2);
    expect(share((p) => p === 'nem2')).toBeCloseTo(0.1, 2);
    expect(share((p) => p === null)).toBeCloseTo(0.01, 2);
  });

  it('balancedCategories keeps every prefix within two homes of each category’s expected count', () => {
    const u = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.array(u, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 200 }), (draws) => {
        const picks = balancedCategories(draws, mix, Object.keys(mix) as (keyof typeof mix)[]);
        for (let i = 0; i < picks.length; i++) {
          for (const [k, share] of Object.entries(mix)) {
            const count = picks.slice(0, i + 1).filter((p) => p === k).length;
            expect(Math.abs(count - share * (i + 1))).toBeLessThan(2 + 1e-9);
          }
        }
      }),
      { seed: 19, numRuns: 50 },
    );
  });
});
