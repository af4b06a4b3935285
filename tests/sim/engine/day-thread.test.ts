import { describe, expect, it } from 'vitest';
import { lastValueFrom } from 'rxjs';
import { filter, tap } from 'rxjs/operators';
import { PopulationConfigSchema, WeatherConfigSchema, generateDays, generatePopulation, type DayBlock, type GenerateDaysOptions } from '../../../data-gen/index.ts';
import { timelineIntervalOf } from '../../../outputs/index.ts';
import { createRngFactory, mergeConfig, parseSimConfig, simulate } from '../../../sim/index.ts';
import { dataThreadWanted, dayWorkersStarted, daysOnWorker, type DaySource } from '../../../sim/engine/day-thread.ts';

const SEED = 7;
const rngFor = createRngFactory(SEED);

/** 30 homes over the spring-forward weekend (a 46-interval day), with the appliance split. */
function options(over: Partial<GenerateDaysOptions> = {}): GenerateDaysOptions {
  return {
    households: generatePopulation(PopulationConfigSchema.parse({ count: 30 }), rngFor),
    weather: WeatherConfigSchema.parse({}),
    startDate: '2026-03-06',
    days: 4,
    timezone: 'America/Los_Angeles',
    intervalMinutes: 30,
    withAppliances: true,
    ...over,
  };
}

function drain(source: DaySource): DayBlock[] {
  const out: DayBlock[] = [];
  try {
    for (let r = source.next(); !r.done; r = source.next()) out.push(r.value);
  } finally {
    source.dispose();
  }
  return out;
}

const fixture = (name: string) => new URL(`../../fixtures/${name}`, import.meta.url);

describe('days generated on a worker thread', () => {
  const o = options();
  const expected = [...generateDays(o, rngFor)];

  it('are the generator’s days to the bit, DST day and appliance split included', () => {
    const source = daysOnWorker(o, rngFor, SEED);
    const got = drain(source);
    expect(source.fromThread).toBe(4);
    expect(source.fromMain).toBe(0);
    expect(source.fellBack).toBe(false);
    expect(got.map((b) => b.intervals)).toEqual([48, 48, 46, 48]);
    expect(got).toEqual(expected);
  });

  it('a second run reuses the idle worker, warm, and gets the same days from it', () => {
    drain(daysOnWorker(o, rngFor, SEED));
    const started = dayWorkersStarted();
    const source = daysOnWorker(o, rngFor, SEED);
    const got = drain(source);
    expect(dayWorkersStarted()).toBe(started);
    expect(source.fromThread).toBe(4);
    expect(got).toEqual(expected);
  });

  it('a worker that stops answering is timed out and the days are made here, unchanged', () => {
    const source = daysOnWorker(o, rngFor, SEED, { timeoutMs: 1000, workerUrl: fixture('day-thread-short.mjs') });
    const got = drain(source);
    expect(source.fromThread).toBe(2);
    expect(source.fromMain).toBe(2);
    expect(source.fellBack).toBe(true);
    expect(got).toEqual(expected);
  });

  it('a worker whose generator throws is noticed at once and the days are made here', () => {
    const source = daysOnWorker(o, rngFor, SEED, { workerUrl: fixture('day-thread-throws.mjs') });
    const got = drain(source);
    expect(source.fromThread).toBe(0);
    expect(source.fellBack).toBe(true);
    expect(got).toEqual(expected);
  });

  it('bad options throw here, as without the worker', () => {
    expect(() => daysOnWorker(options({ intervalMinutes: 7 }), rngFor, SEED)).toThrow(/intervalMinutes/);
  });

  it('auto wants the worker only for big runs; on and off are obeyed', () => {
    expect(dataThreadWanted('on', 5, 1)).toBe(true);
    expect(dataThreadWanted('off', 50_000, 365)).toBe(false);
    expect(dataThreadWanted('auto', 999, 10_000)).toBe(false);
    expect(dataThreadWanted('auto', 10_000, 7)).toBe(false);
  });
});

describe('a run with its days on a worker thread', () => {
  /** Every timeline interval and the run totals, as JSON. */
  async function run(dataThread: 'on' | 'off'): Promise<string> {
    const config = parseSimConfig(
      mergeConfig({}, {
        households: { count: 40 },
        time: { start: '2026-07-14', days: 2, historyDays: 7 },
        agents: { strategy: 'rule-based', forecaster: 'seasonal-naive' },
        baselines: { batteryOnly: false, perfectForesight: false, perfectForecast: false },
      }),
    );
    const intervals: unknown[] = [];
    let totals: unknown = null;
    await lastValueFrom(
      simulate(config, { dataThread }).pipe(
        tap((e) => {
          if (e.type === 'tick') intervals.push(timelineIntervalOf(e.meta, e.frame));
          if (e.type === 'end') totals = e.totals;
        }),
        filter((e) => e.type === 'end'),
      ),
    );
    return JSON.stringify({ intervals, totals }, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
  }

  it('gives the same timeline and totals as one thread', async () => {
    const [withThread, without] = await Promise.all([run('on'), run('off')]);
    expect(withThread).toBe(without);
  });
});
