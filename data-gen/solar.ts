/**
 * Sun position and irradiance. Pure functions over numbers; the day generator calls them a few
 * times per interval (shared by every home) and keeps the per-home work to a dot product.
 *
 * Sources:
 * - Sun position: NOAA Global Monitoring Laboratory, "General Solar Position Calculations"
 *   (fractional-year series for the equation of time and the declination, after Spencer 1971).
 * - Earth–sun distance factor: Spencer (1971), Search 2(5):172.
 * - Air mass: Kasten & Young (1989), Applied Optics 28:4735.
 * - Clear-sky direct normal irradiance: Meinel & Meinel (1976), I_D = 1.353 kW/m² · 0.7^(AM^0.678),
 *   diffuse ≈ 10% of direct (as used by PVEducation's "Air Mass" and "Calculation of solar insolation").
 * - Cloud attenuation: Kasten & Czeplak (1980), Solar Energy 24:177: G = G_clear (1 − 0.75 c^3.4) and
 *   diffuse fraction D/G = 0.3 + 0.7 c² (c = cloud cover in oktas / 8). We blend the clear-sky diffuse
 *   fraction of the Meinel model in at c = 0 so that clear days keep a clear-sky diffuse share.
 * - Plane of array: isotropic sky (Liu & Jordan 1960) plus ground reflection with albedo 0.2.
 */

const DEG = Math.PI / 180;
const MS_PER_DAY = 86_400_000;
/** Meinel & Meinel's solar constant in their clear-sky model, W/m². */
const MEINEL_I0_W_M2 = 1353;
/** Ground reflectance for the plane-of-array ground term (grass, roofs, pavement). */
export const GROUND_ALBEDO = 0.2;

/** Sun geometry and clear-sky irradiance at one instant. Written into caller-owned arrays. */
export interface SolarSamples {
  /** cos of the solar zenith angle (negative at night) */
  cosZenith: Float64Array;
  /** sin(zenith)·cos(azimuth): the sun direction's horizontal north component */
  sunNorth: Float64Array;
  /** sin(zenith)·sin(azimuth): the sun direction's horizontal east component (azimuth clockwise from north) */
  sunEast: Float64Array;
  /** clear-sky direct normal irradiance, W/m² */
  dniClear: Float64Array;
  /** clear-sky diffuse horizontal irradiance, W/m² */
  dhiClear: Float64Array;
}

export function createSolarSamples(size: number): SolarSamples {
  return {
    cosZenith: new Float64Array(size),
    sunNorth: new Float64Array(size),
    sunEast: new Float64Array(size),
    dniClear: new Float64Array(size),
    dhiClear: new Float64Array(size),
  };
}

/** Fractional year γ in radians (NOAA), from UTC epoch milliseconds. */
export function fractionalYear(utcMs: number): number {
  const d = new Date(utcMs);
  const year = d.getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1);
  const daysInYear = (Date.UTC(year + 1, 0, 1) - yearStart) / MS_PER_DAY;
  const dayOfYear0 = Math.floor((utcMs - yearStart) / MS_PER_DAY); // 0-based
  const hour = (utcMs - yearStart - dayOfYear0 * MS_PER_DAY) / 3_600_000;
  return ((2 * Math.PI) / daysInYear) * (dayOfYear0 + (hour - 12) / 24);
}

/** Equation of time in minutes (NOAA / Spencer). */
export function equationOfTimeMin(gamma: number): number {
  return (
    229.18 *
    (0.000075 + 0.001868 * Math.cos(gamma) - 0.032077 * Math.sin(gamma) - 0.014615 * Math.cos(2 * gamma) - 0.040849 * Math.sin(2 * gamma))
  );
}

/** Solar declination in radians (NOAA / Spencer). */
export function declinationRad(gamma: number): number {
  return (
    0.006918 -
    0.399912 * Math.cos(gamma) +
    0.070257 * Math.sin(gamma) -
    0.006758 * Math.cos(2 * gamma) +
    0.000907 * Math.sin(2 * gamma) -
    0.002697 * Math.cos(3 * gamma) +
    0.00148 * Math.sin(3 * gamma)
  );
}

/** Earth–sun distance correction (r₀/r)² (Spencer 1971). */
export function eccentricityFactor(gamma: number): number {
  return 1.00011 + 0.034221 * Math.cos(gamma) + 0.00128 * Math.sin(gamma) + 0.000719 * Math.cos(2 * gamma) + 0.000077 * Math.sin(2 * gamma);
}

export interface SunPosition {
  cosZenith: number;
  /** degrees above the horizon */
  elevationDeg: number;
  /** degrees clockwise from north (180 = due south) */
  azimuthDeg: number;
}

/** Sun position at an instant (for tests and reports; the generator uses `fillSolarSample`). */
export function sunPosition(utcMs: number, latitudeDeg: number, longitudeDeg: number): SunPosition {
  const s = createSolarSamples(1);
  fillSolarSample(s, 0, utcMs, latitudeDeg, longitudeDeg);
  const cz = s.cosZenith[0];
  return {
    cosZenith: cz,
    elevationDeg: 90 - Math.acos(Math.max(-1, Math.min(1, cz))) / DEG,
    azimuthDeg: ((Math.atan2(s.sunEast[0], s.sunNorth[0]) / DEG) + 360) % 360,
  };
}

/** Kasten & Young (1989) relative optical air mass for a zenith angle in degrees (< 90). */
export function airMass(zenithDeg: number): number {
  return 1 / (Math.cos(zenithDeg * DEG) + 0.50572 * Math.pow(96.07995 - zenithDeg, -1.6364));
}

/**
 * A fast fractional-year function for instants near `utcMs` (±1 year): γ is only used through sin and
 * cos, so continuing one year's formula past New Year is exact up to the 365/366-day difference.
 */
export function fractionalYearNear(utcMs: number): (ms: number) => number {
  const d = new Date(utcMs);
  const year = d.getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1);
  const daysInYear = (Date.UTC(year + 1, 0, 1) - yearStart) / MS_PER_DAY;
  const k = (2 * Math.PI) / daysInYear / MS_PER_DAY;
  const base = yearStart + MS_PER_DAY / 2;
  return (ms) => (ms - base) * k;
}

/** Sun geometry and clear-sky irradiance at `utcMs`, written at index `i` of `out`; `gamma` is the fractional year if known. */
export function fillSolarSample(
  out: SolarSamples,
  i: number,
  utcMs: number,
  latitudeDeg: number,
  longitudeDeg: number,
  gamma: number = fractionalYear(utcMs),
): void {
  const eot = equationOfTimeMin(gamma);
  const decl = declinationRad(gamma);
  const minutesUtc = (((utcMs % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 60_000;
  const trueSolarMin = minutesUtc + eot + 4 * longitudeDeg;
  const hourAngle = (trueSolarMin / 4 - 180) * DEG;
  const lat = latitudeDeg * DEG;
  const sinLat = Math.sin(lat);
  const cosLat = Math.cos(lat);
  const sinDec = Math.sin(decl);
  const cosDec = Math.cos(decl);
  const cosH = Math.cos(hourAngle);
  const cz = sinLat * sinDec + cosLat * cosDec * cosH;
  out.cosZenith[i] = cz;
  out.sunNorth[i] = cosLat * sinDec - sinLat * cosDec * cosH;
  out.sunEast[i] = -cosDec * Math.sin(hourAngle);
  if (cz <= 0.0) {
    out.dniClear[i] = 0;
    out.dhiClear[i] = 0;
    return;
  }
  const zenithDeg = Math.acos(Math.min(1, cz)) / DEG;
  const am = airMass(zenithDeg);
  const dni = MEINEL_I0_W_M2 * eccentricityFactor(gamma) * Math.pow(0.7, Math.pow(am, 0.678));
  out.dniClear[i] = dni;
  out.dhiClear[i] = 0.1 * dni;
}

/** Kasten & Czeplak (1980): all-sky global irradiance as a fraction of clear-sky, for cloud cover c ∈ [0, 1]. */
export function cloudTransmission(cloudCover: number): number {
  return 1 - 0.75 * Math.pow(cloudCover, 3.4);
}

/**
 * Solar noon and half day length on a calendar date (days since 1970-01-01) at a longitude: used for
 * the diurnal temperature cycle. Returns epoch milliseconds of solar noon and sunrise-to-noon in hours.
 */
export function solarNoonAndHalfDay(dayNumber: number, latitudeDeg: number, longitudeDeg: number): { noonMs: number; halfDayH: number } {
  // mean solar noon, refined once with the equation of time at that instant
  let noonMs = dayNumber * MS_PER_DAY + (12 - longitudeDeg / 15) * 3_600_000;
  const gamma = fractionalYear(noonMs);
  noonMs -= equationOfTimeMin(gamma) * 60_000;
  const decl = declinationRad(gamma);
  const lat = latitudeDeg * DEG;
  // sunrise at a zenith of 90.833° (refraction and the solar disc), NOAA
  const cosH0 = (Math.cos(90.833 * DEG) - Math.sin(lat) * Math.sin(decl)) / (Math.cos(lat) * Math.cos(decl));
  const h0 = Math.acos(Math.max(-1, Math.min(1, cosH0)));
  return { noonMs, halfDayH: h0 / DEG / 15 };
}
