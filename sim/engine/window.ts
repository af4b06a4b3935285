/**
 * The engine's window on the homes' data: the day being simulated, one day of look-ahead (for the
 * perfect forecaster and the day-ahead plans), and the cursor of the next interval to observe.
 */
import type { FutureActuals } from '../../agents/index.ts';
import type { DayBlock } from '../../data-gen/index.ts';

export interface DataWindow extends FutureActuals {
  readonly current: DayBlock;
  /** index within `current` of the next interval to observe */
  cursor: number;
  /** moves to the next day (the look-ahead becomes current) */
  advance(loadLookahead: boolean): void;
  /** history: moves to the next day without a look-ahead yet */
  skip(): void;
  /** fetches the first look-ahead day (after the history) */
  openLookahead(): void;
}

export function createDataWindow(days: Iterator<DayBlock>, n: number): DataWindow {
  const nextBlock = (): DayBlock => {
    const r = days.next();
    if (r.done) throw new Error('data generator ended early');
    return r.value;
  };
  let current: DayBlock = nextBlock();
  let lookahead: DayBlock | null = null;
  const at = (stepsAhead: number, w: DataWindow): { block: DayBlock; t: number } => {
    let t = w.cursor + stepsAhead;
    if (t < current.intervals) return { block: current, t };
    t -= current.intervals;
    if (lookahead && t < lookahead.intervals) return { block: lookahead, t };
    // beyond the look-ahead day: repeat its last interval (never used within a 3 h horizon)
    const b = lookahead ?? current;
    return { block: b, t: b.intervals - 1 };
  };
  const window: DataWindow = {
    get current() {
      return current;
    },
    cursor: 0,
    advance(loadLookahead: boolean) {
      current = lookahead!;
      lookahead = loadLookahead ? nextBlock() : null;
      window.cursor = 0;
    },
    skip() {
      current = nextBlock();
    },
    openLookahead() {
      lookahead = nextBlock();
    },
    loadKwh(k: number, h: number): number {
      const { block, t } = at(k, window);
      return block.loadKwh[t * n + h];
    },
    pvKwh(k: number, h: number): number {
      const { block, t } = at(k, window);
      return block.pvKwh[t * n + h];
    },
  };
  return window;
}
