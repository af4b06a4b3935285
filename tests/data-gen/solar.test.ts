import { describe, expect, it } from 'vitest';
import { sunPosition } from '../../data-gen/index.ts';
import { airMass, cloudTransmission, equationOfTimeMin, fractionalYear, fractionalYearNear } from '../../data-gen/solar.ts';

const LAT = 38.58;
const LON = -121.49;

/** Highest elevation during a UTC day, searched minute by minute. */
function noonElevation(dateUtc: string) {
  let best = { elevationDeg: -90, azimuthDeg: 0, ms: 0 };
  const start = Date.parse(`${dateUtc}T12:00:00Z`);
  for (let m = 0; m < 16 * 60; m++) {
    const ms = start + m * 60_000;
    const p = sunPosition(ms, LAT, LON);
    if (p.elevationDeg > best.elevationDeg) best = { ...p, ms };
  }
  return best;
}

describe('sun position (NOAA / Spencer)', () => {
  it('culminates due south at 90° − latitude ± declination at the solstices', () => {
    const june = noonElevation('2026-06-21');
    expect(june.elevationDeg).toBeCloseTo(90 - LAT + 23.44, 0);
    expect(june.azimuthDeg).toBeCloseTo(180, -1);
    const dec = noonElevation('2026-12-21');
    expect(dec.elevationDeg).toBeCloseTo(90 - LAT - 23.44, 0);
    // solar noon at 121.49° W: 20:06 UTC mean noon, minus the equation of time (−1.8 min in late June, +1.7 min in late December)
    const minutesUtc = (ms: number) => (ms % 86_400_000) / 60_000;
    expect(Math.abs(minutesUtc(june.ms) - (20 * 60 + 8))).toBeLessThanOrEqual(2);
    expect(Math.abs(minutesUtc(dec.ms) - (20 * 60 + 4))).toBeLessThanOrEqual(2);
  });

  it('is below the horizon at local midnight and in the east in the morning, west in the evening', () => {
    expect(sunPosition(Date.parse('2026-07-15T07:00:00Z'), LAT, LON).elevationDeg).toBeLessThan(-20); // 00:00 PDT
    const morning = sunPosition(Date.parse('2026-07-15T16:00:00Z'), LAT, LON); // 09:00 PDT
    expect(morning.elevationDeg).toBeGreaterThan(20);
    expect(morning.azimuthDeg).toBeGreaterThan(60);
    expect(morning.azimuthDeg).toBeLessThan(120);
    const evening = sunPosition(Date.parse('2026-07-16T02:00:00Z'), LAT, LON); // 19:00 PDT
    expect(evening.azimuthDeg).toBeGreaterThan(270);
    expect(evening.azimuthDeg).toBeLessThan(310);
  });

  it('has the equation of time of the almanac: about −14 min mid-February, +16 min early November', () => {
    expect(equationOfTimeMin(fractionalYear(Date.parse('2026-02-11T12:00:00Z')))).toBeCloseTo(-14.2, 0);
    expect(equationOfTimeMin(fractionalYear(Date.parse('2026-11-03T12:00:00Z')))).toBeCloseTo(16.4, 0);
  });

  it('continues the fractional year smoothly across New Year', () => {
    const near = fractionalYearNear(Date.parse('2025-12-31T08:00:00Z'));
    const after = Date.parse('2026-01-01T06:00:00Z');
    expect(Math.cos(near(after))).toBeCloseTo(Math.cos(fractionalYear(after)), 4);
    expect(Math.sin(near(after))).toBeCloseTo(Math.sin(fractionalYear(after)), 3);
  });
});

describe('irradiance helpers', () => {
  it('air mass is 1 overhead and about 2 at 60° zenith (Kasten & Young)', () => {
    expect(airMass(0)).toBeCloseTo(1, 2);
    expect(airMass(60)).toBeCloseTo(2, 1);
  });

  it('clouds cut global irradiance to a quarter when overcast (Kasten & Czeplak)', () => {
    expect(cloudTransmission(0)).toBe(1);
    expect(cloudTransmission(1)).toBeCloseTo(0.25, 12);
    expect(cloudTransmission(0.5)).toBeGreaterThan(0.9);
  });
});
