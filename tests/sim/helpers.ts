import { timelineIntervalOf, tradesOf } from '../../outputs/index.ts';
import { mergeConfig, parseSimConfig, runWithComparisons, type SimConfig, type StrategyRegistry, type Summary, type TimelineInterval, type Trade } from '../../sim/index.ts';

/** A small, fast config: few homes, one week of history, no comparison runs unless asked. */
export function smallConfig(over: Record<string, unknown> = {}): SimConfig {
  return parseSimConfig(
    mergeConfig(
      {
        households: { count: 4 },
        // every home has a battery (the battery-every-home what-if), so the engine's tests meet batteries at every kind of home
        battery: { share: 1 },
        time: { historyDays: 7, days: 1 },
        baselines: { batteryOnly: false, perfectForesight: false },
        outputs: { dir: 'unused' },
      },
      over,
    ),
  );
}

export interface CollectedRun {
  intervals: TimelineInterval[];
  trades: Trade[];
  summary: Summary;
}

/** Runs a config to completion (with any strategies of the test's own) and keeps copies of every interval, trade and the summary. */
export function collectRun(config: SimConfig, options: { strategies?: StrategyRegistry } = {}): Promise<CollectedRun> {
  const intervals: TimelineInterval[] = [];
  const trades: Trade[] = [];
  let summary: Summary | null = null;
  return new Promise((resolve, reject) => {
    runWithComparisons(config, options).subscribe({
      // frames are views the engine reuses: copy them while they are current
      next: (e) => {
        if (e.type === 'tick') {
          intervals.push(timelineIntervalOf(e.meta, e.frame));
          trades.push(...tradesOf(e.meta, e.frame));
        } else if (e.type === 'summary') summary = e.summary;
      },
      error: reject,
      complete: () => (summary ? resolve({ intervals, trades, summary }) : reject(new Error('no summary'))),
    });
  });
}
