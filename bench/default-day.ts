/**
 * Calibration check (not a test): the consumption of the default community (sim.config.json: its
 * seed, households and weather) on chosen local days, generated exactly as the engine generates
 * them (history from `time.historyDays` before the day, so the weather is the run's weather).
 * Prints, per day: the mean kWh per home with and without EV, the A/C share of A/C homes' load,
 * the daily high, and each home's kWh.
 *   node cli/bin/run-ts.mjs bench/default-day.ts [config=sim.config.json] [dates=2026-07-15,2026-01-14]
 */
import { readFileSync } from 'node:fs';
import { TIMEZONE } from '../common/index.ts';
import { generateDays, generatePopulation } from '../data-gen/index.ts';
import { createRngFactory, parseSimConfig } from '../sim/index.ts';
import { addDays } from '../sim/calendar.ts';

const [configPath = 'sim.config.json', datesArg = '2026-07-15,2026-01-14'] = process.argv.slice(2);
const config = parseSimConfig(JSON.parse(readFileSync(configPath, 'utf8')));

for (const date of datesArg.split(',')) {
  const rngFor = createRngFactory(config.seed);
  const households = generatePopulation(config.households, rngFor);
  const n = households.length;
  const history = config.time.historyDays;
  const gen = generateDays(
    {
      households,
      weather: config.weather,
      startDate: addDays(date, -history),
      days: history + 1,
      timezone: TIMEZONE,
      intervalMinutes: config.time.intervalMinutes,
      withAppliances: true,
    },
    rngFor,
  );
  let block = null;
  for (const b of gen) block = b;
  if (!block) throw new Error('no day generated');
  const load = new Float64Array(n);
  const ev = new Float64Array(n);
  const ac = new Float64Array(n);
  for (let i = 0; i < block.loadKwh.length; i++) {
    load[i % n] += block.loadKwh[i];
    ev[i % n] += block.applianceKwh!.ev[i];
    ac[i % n] += block.applianceKwh!.ac[i];
  }
  const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);
  let acLoad = 0;
  let acHomesLoad = 0;
  households.forEach((hh, h) => {
    if (!hh.hasAc) return;
    acLoad += ac[h];
    acHomesLoad += load[h] - ev[h];
  });
  const high = Math.max(...block.temperatureC);
  const low = Math.min(...block.temperatureC);
  const dayName = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][block.weekday];
  console.log(
    `${block.date} (${dayName}) territory ${config.households.territory}: ${n} homes, outdoor ${low.toFixed(1)}–${high.toFixed(1)} °C; ` +
      `mean ${(sum(load) / n).toFixed(2)} kWh/home incl. EV, ${((sum(load) - sum(ev)) / n).toFixed(2)} excl. EV; ` +
      `A/C ${acHomesLoad > 0 ? ((100 * acLoad) / acHomesLoad).toFixed(0) : '—'} % of A/C homes' load excl. EV`,
  );
  console.log(
    '  ' +
      households.map((hh, h) => `${hh.id} ${load[h].toFixed(1)}${hh.hasAc ? ` (A/C ${ac[h].toFixed(1)})` : ''}${hh.hasEv ? ` (EV ${ev[h].toFixed(1)})` : ''}`).join(', '),
  );
}
