import { InputError } from './errors.ts';
import type { HomeSeries30 } from './finish.ts';
import { isoInZone } from './timestamps.ts';
import type { WeatherAt } from './weather-at.ts';

/**
 * Green Button net flows to gross load and PV, in place: on entry `loadKwh` holds grid import and
 * `pvKwh` grid export per half hour; on return PV is estimated from `pvKw` and the weather (the
 * project's solar model) and load = import − export + PV, negative values set to 0 and counted.
 */
export function reconstructFromNet(
  home: HomeSeries30,
  pvKw: number,
  weatherAt: WeatherAt,
  weatherFile: string | null,
  zone: string,
): { clampedIntervals: number; clampedKwh: number; estimatedPvKwh: number } {
  let clampedIntervals = 0;
  let clampedKwh = 0;
  let estimatedPvKwh = 0;
  const n = home.loadKwh.length;
  for (let i = 0; i < n; i++) {
    const minute = home.baseMin + 30 * i;
    let pv = 0;
    if (pvKw > 0) {
      const w = weatherAt(minute);
      if (w === null) {
        throw new InputError(
          { file: weatherFile ?? home.file },
          `the weather does not cover ${isoInZone(minute, zone)}, needed to estimate home ${home.id}'s PV from its Green Button data`,
        );
      }
      pv = pvKw * w.pvKwhPerKw;
    }
    const load = home.loadKwh[i] - home.pvKwh[i] + pv;
    if (load < 0) {
      clampedIntervals++;
      clampedKwh += -load;
    }
    home.loadKwh[i] = load < 0 ? 0 : load;
    home.pvKwh[i] = pv;
    estimatedPvKwh += home.pvKwh[i];
  }
  home.pvMeasured = false;
  return { clampedIntervals, clampedKwh, estimatedPvKwh };
}
