import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPLIANCES, generateDays, sunPosition } from '../../data-gen/index.ts';
import { days, homeColumn, population, rngFactory, weather } from './helpers.ts';

const LA = 'America/Los_Angeles';

describe('generateDays: shape and calendar', () => {
  it('yields one block per local day with interval-major arrays', () => {
    const homes = population(5);
    const blocks = days({ households: homes, startDate: '2026-07-14', days: 3 });
    expect(blocks.map((b) => b.date)).toEqual(['2026-07-14', '2026-07-15', '2026-07-16']);
    expect(blocks.map((b) => b.dayIndex)).toEqual([0, 1, 2]);
    const b = blocks[1];
    expect(b.intervals).toBe(48);
    expect(b.households).toBe(5);
    expect(b.loadKwh.length).toBe(48 * 5);
    expect(b.pvKwh.length).toBe(48 * 5);
    expect(b.temperatureC.length).toBe(48);
    expect(b.cloudCover.length).toBe(48);
    expect(b.intervalStartIso[0]).toBe('2026-07-15T00:00:00-07:00');
    expect(b.localHour[27]).toBe(13.5);
    expect(b.month).toBe(7);
    expect(b.weekday).toBe(3);
    expect(b.applianceKwh).toBeUndefined();
  });

  it('gives the DST days 46 and 50 intervals with the right timestamps', () => {
    const homes = population(3);
    const [spring] = days({ households: homes, startDate: '2026-03-08' });
    expect(spring.intervals).toBe(46);
    expect(spring.loadKwh.length).toBe(46 * 3);
    expect(spring.intervalStartIso[4]).toBe('2026-03-08T03:00:00-07:00');
    const [fall] = days({ households: homes, startDate: '2026-11-01' });
    expect(fall.intervals).toBe(50);
    expect(fall.pvKwh.length).toBe(50 * 3);
    expect(fall.intervalStartIso[4]).toBe('2026-11-01T01:00:00-08:00');
    expect(Array.from(fall.localHour.slice(0, 6))).toEqual([0, 0.5, 1, 1.5, 1, 1.5]);
    // the repeated hour is a real hour: homes use energy in it
    for (let h = 0; h < 3; h++) expect(fall.loadKwh[4 * 3 + h]).toBeGreaterThan(0);
  });

  it('streams lazily: a very long range yields its first day at once', () => {
    const gen = generateDays(
      { households: population(200), weather: weather(), startDate: '2026-01-01', days: 3650, timezone: LA, intervalMinutes: 30 },
      rngFactory(),
    );
    const first = gen.next();
    expect(first.done).toBe(false);
    expect(first.value!.date).toBe('2026-01-01');
    gen.return(undefined);
  });

  it('hands out fresh arrays every day (the engine keeps two days at once)', () => {
    const [a, b] = days({ households: population(4), days: 2 });
    expect(a.loadKwh).not.toBe(b.loadKwh);
    expect(a.loadKwh.buffer).not.toBe(b.loadKwh.buffer);
  });

  it('supports other interval lengths that divide an hour', () => {
    const [b] = [...generateDays({ households: population(2), weather: weather(), startDate: '2026-07-15', days: 1, timezone: LA, intervalMinutes: 15 }, rngFactory())];
    expect(b.intervals).toBe(96);
  });

  it('rejects bad options with a message that names the problem', () => {
    const base = { households: population(2), weather: weather(), startDate: '2026-07-15', days: 1, timezone: LA, intervalMinutes: 30 };
    expect(() => generateDays({ ...base, startDate: '2026-13-01' }, rngFactory())).toThrow(/valid local date/);
    expect(() => generateDays({ ...base, timezone: 'Mars/Olympus' }, rngFactory())).toThrow(/time zone/);
    expect(() => generateDays({ ...base, intervalMinutes: 7 }, rngFactory())).toThrow(/intervalMinutes/);
    expect(() => generateDays({ ...base, days: -1 }, rngFactory())).toThrow(/days/);
    expect([...generateDays({ ...base, days: 0 }, rngFactory())]).toEqual([]);
  });
});

describe('generateDays: determinism and independence', () => {
  it('repeats exactly for the same seed and differs for another', () => {
    const homes = population(6);
    const a = days({ households: homes, days: 3, withAppliances: true }, 'seed-1');
    const b = days({ households: homes, days: 3, withAppliances: true }, 'seed-1');
    expect(a).toEqual(b);
    const c = days({ households: homes, days: 3 }, 'seed-2');
    expect(Array.from(c[0].loadKwh)).not.toEqual(Array.from(a[0].loadKwh));
    expect(Array.from(c[0].temperatureC)).not.toEqual(Array.from(a[0].temperatureC));
  });

  it('asking for the appliance breakdown changes nothing else', () => {
    const homes = population(6);
    const plain = days({ households: homes, days: 2 });
    const detailed = days({ households: homes, days: 2, withAppliances: true });
    for (let d = 0; d < 2; d++) {
      expect(detailed[d].loadKwh).toEqual(plain[d].loadKwh);
      expect(detailed[d].pvKwh).toEqual(plain[d].pvKwh);
    }
  });

  it('adding a household does not change the others', () => {
    const small = population(5);
    const large = population(9);
    const a = days({ households: small, days: 4 });
    const b = days({ households: large, days: 4 });
    for (let d = 0; d < 4; d++) {
      expect(b[d].temperatureC).toEqual(a[d].temperatureC);
      for (let h = 0; h < 5; h++) {
        expect(homeColumn(b[d].loadKwh, 9, h), `load of ${small[h].id}, day ${d}`).toEqual(homeColumn(a[d].loadKwh, 5, h));
        expect(homeColumn(b[d].pvKwh, 9, h), `PV of ${small[h].id}, day ${d}`).toEqual(homeColumn(a[d].pvKwh, 5, h));
      }
    }
  });
});

describe('generateDays: physical invariants', () => {
  it('never produces negative or non-finite energy, whatever the seed, date and weather', () => {
    const homes = population(8, 'inv');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.double({ min: -10, max: 15, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (seed, date, offset, clouds) => {
          const blocks = days(
            { households: homes, startDate: date.toISOString().slice(0, 10), days: 2, withAppliances: true, weather: weather({ temperatureOffsetC: offset, cloudinessScale: clouds }) },
            seed,
          );
          for (const b of blocks) {
            const named: [string, Float64Array][] = [['load', b.loadKwh], ['pv', b.pvKwh], ...APPLIANCES.map((a): [string, Float64Array] => [a, b.applianceKwh![a]])];
            for (const [name, arr] of named) {
              const bad = arr.findIndex((x) => !(Number.isFinite(x) && x >= 0));
              expect(bad, `${name} on ${b.date}: ${arr[bad]} kWh`).toBe(-1);
            }
            expect(b.cloudCover.findIndex((c) => !(c >= 0 && c <= 1))).toBe(-1);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the appliances add up to the load, and EV charging never exceeds the charger', () => {
    const homes = population(30, 'sum');
    for (const b of days({ households: homes, startDate: '2026-08-01', days: 7, withAppliances: true })) {
      const n = b.households;
      for (let i = 0; i < b.loadKwh.length; i++) {
        const sum = APPLIANCES.reduce((s, a) => s + b.applianceKwh![a][i], 0);
        expect(sum).toBeCloseTo(b.loadKwh[i], 9);
        const hh = homes[i % n];
        expect(b.applianceKwh!.ev[i]).toBeLessThanOrEqual(hh.evChargerKw * 0.5 + 1e-9);
        expect(b.applianceKwh!.ac[i]).toBeLessThanOrEqual(hh.acKw * 0.5 + 1e-9);
        expect(b.applianceKwh!['furnace-fan'][i]).toBeLessThanOrEqual(0.5 * 0.5 + 1e-9);
        if (!hh.hasEv) expect(b.applianceKwh!.ev[i]).toBe(0);
        if (!hh.hasAc) expect(b.applianceKwh!.ac[i]).toBe(0);
        if (!hh.electricWaterHeater) expect(b.applianceKwh!['water-heater'][i]).toBe(0);
        else expect(b.applianceKwh!['water-heater'][i]).toBeLessThanOrEqual(4.5 * 0.5 + 1e-9);
      }
    }
  });

  it('PV is zero at night and for homes without PV, and positive at midday for PV homes', () => {
    const homes = population(20, 'pv');
    for (const b of days({ households: homes, startDate: '2026-06-20', days: 3 })) {
      const n = b.households;
      for (let t = 0; t < b.intervals; t++) {
        const mid = Date.parse(b.intervalStartIso[t]);
        const up =
          sunPosition(mid, 38.58, -121.49).elevationDeg > 0 ||
          sunPosition(mid + 1_800_000, 38.58, -121.49).elevationDeg > 0;
        for (let h = 0; h < n; h++) {
          const pv = b.pvKwh[t * n + h];
          if (!homes[h].hasPv || !up) expect(pv, `${homes[h].id} at ${b.intervalStartIso[t]}`).toBe(0);
        }
      }
      const noon = b.localHour.indexOf(13);
      for (let h = 0; h < n; h++) if (homes[h].hasPv) expect(b.pvKwh[noon * n + h]).toBeGreaterThan(0.2 * homes[h].pvKw * 0.5);
    }
  });

  it('PV output never exceeds the system rating', () => {
    const homes = population(40, 'rating');
    for (const b of days({ households: homes, startDate: '2026-04-01', days: 10, weather: weather({ cloudinessScale: 0 }) })) {
      for (let i = 0; i < b.pvKwh.length; i++) expect(b.pvKwh[i]).toBeLessThanOrEqual(homes[i % b.households].pvKw * 0.5 + 1e-9);
    }
  });
});

describe('generateDays: weather', () => {
  it('has a Sacramento diurnal cycle: coolest near sunrise, warmest mid-afternoon', () => {
    const blocks = days({ households: [], startDate: '2026-07-01', days: 30 });
    const meanAt = (hour: number) => blocks.reduce((s, b) => s + b.temperatureC[b.localHour.indexOf(hour)], 0) / blocks.length;
    expect(meanAt(16)).toBeGreaterThan(30);
    expect(meanAt(16)).toBeLessThan(38);
    expect(meanAt(5.5)).toBeGreaterThan(12);
    expect(meanAt(5.5)).toBeLessThan(19);
    const winter = days({ households: [], startDate: '2026-01-01', days: 31 });
    const winterMean = winter.reduce((s, b) => s + b.temperatureC.reduce((a, x) => a + x, 0) / b.intervals, 0) / winter.length;
    expect(winterMean).toBeGreaterThan(4);
    expect(winterMean).toBeLessThan(13);
    const cloud = (bs: typeof blocks) => bs.reduce((s, b) => s + b.cloudCover.reduce((a, x) => a + x, 0) / b.intervals, 0) / bs.length;
    expect(cloud(blocks)).toBeLessThan(0.25);
    expect(cloud(winter)).toBeGreaterThan(0.3);
  });

  it('is continuous across midnight and persistent from day to day', () => {
    const blocks = days({ households: [], startDate: '2025-01-01', days: 3 * 365 });
    for (let d = 1; d < blocks.length; d++) {
      const jump = Math.abs(blocks[d].temperatureC[0] - blocks[d - 1].temperatureC[blocks[d - 1].intervals - 1]);
      expect(jump, `temperature jump into ${blocks[d].date}`).toBeLessThan(3);
    }
    // day-to-day anomalies of the daily mean are autocorrelated (AR(1), φ = 0.75)
    const means = blocks.map((b) => b.temperatureC.reduce((a, x) => a + x, 0) / b.intervals);
    const smooth = means.map((_, i) => {
      const w = means.slice(Math.max(0, i - 15), i + 16);
      return w.reduce((a, x) => a + x, 0) / w.length;
    });
    const anomaly = means.map((m, i) => m - smooth[i]);
    let num = 0;
    let den = 0;
    for (let i = 1; i < anomaly.length; i++) num += anomaly[i] * anomaly[i - 1];
    for (const a of anomaly) den += a * a;
    expect(num / den).toBeGreaterThan(0.5);
  });

  it('applies the temperature offset to every interval and clears the sky at cloudiness 0', () => {
    const base = days({ households: population(3), days: 2 });
    const warm = days({ households: population(3), days: 2, weather: weather({ temperatureOffsetC: 3 }) });
    for (let d = 0; d < 2; d++) for (let t = 0; t < 48; t++) expect(warm[d].temperatureC[t]).toBeCloseTo(base[d].temperatureC[t] + 3, 9);
    const clear = days({ households: [], startDate: '2026-01-10', days: 5, weather: weather({ cloudinessScale: 0 }) });
    for (const b of clear) expect(Math.max(...b.cloudCover)).toBe(0);
  });

  it('a heat wave raises temperatures inside its window only, and more A/C runs', () => {
    const homes = population(20, 'hw');
    const hw = weather({ heatWave: { start: '2026-08-31', days: 10, peakAnomalyC: 12 } });
    const base = days({ households: homes, startDate: '2026-08-25', days: 20, withAppliances: true });
    const hot = days({ households: homes, startDate: '2026-08-25', days: 20, withAppliances: true, weather: hw });
    const maxT = (b: (typeof base)[number]) => Math.max(...b.temperatureC);
    expect(maxT(hot[11]) - maxT(base[11])).toBeGreaterThan(9); // 5 September, the middle of the wave
    for (const d of [0, 1, 2, 3, 4]) expect(maxT(hot[d])).toBeCloseTo(maxT(base[d]), 9);
    const ac = (bs: typeof base) => bs.slice(6, 16).reduce((s, b) => s + b.applianceKwh!.ac.reduce((a, x) => a + x, 0), 0);
    expect(ac(hot)).toBeGreaterThan(1.3 * ac(base));
  });
});

describe('generateDays: behaviour', () => {
  it('EV charging starts mostly in the evening and the night', () => {
    const homes = population(100, 'ev');
    const byHour = new Float64Array(24);
    for (const b of days({ households: homes, startDate: '2026-03-16', days: 28, withAppliances: true }, 'ev')) {
      for (let t = 0; t < b.intervals; t++)
        for (let h = 0; h < b.households; h++) byHour[Math.floor(b.localHour[t])] += b.applianceKwh!.ev[t * b.households + h];
    }
    const total = byHour.reduce((a, b) => a + b, 0);
    const eveningNight = [17, 18, 19, 20, 21, 22, 23, 0, 1, 2, 3].reduce((s, h) => s + byHour[h], 0);
    expect(eveningNight / total).toBeGreaterThan(0.85);
    expect(byHour[12]).toBe(0);
  });

  it('A/C homes use more in a hot July than in January, and homes without A/C do not', () => {
    const homes = population(40, 'season');
    const total = (start: string, pick: (i: number) => boolean) =>
      days({ households: homes, startDate: start, days: 14 }).reduce((s, b) => {
        for (let i = 0; i < b.loadKwh.length; i++) if (pick(i % b.households)) s += b.loadKwh[i];
        return s;
      }, 0);
    const withAc = (h: number) => homes[h].hasAc;
    expect(total('2026-07-10', withAc)).toBeGreaterThan(1.3 * total('2026-01-10', withAc));
  });
});
