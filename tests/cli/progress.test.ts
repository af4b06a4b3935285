import { describe, expect, it } from 'vitest';
import type { Io } from '../../cli/io.ts';
import { countProgress, type LineTimer } from '../../cli/progress.ts';

/** An Io whose stderr lines are kept, and a clock the test moves. */
function setup(progress: Io['progress']) {
  const err: string[] = [];
  const io: Io = { out: () => {}, err: (s) => err.push(s), progress };
  const clock = { ms: 0 };
  const timer: LineTimer = { minGapMs: 5_000, heartbeatMs: 30_000, now: () => clock.ms };
  return { io, err, clock, timer };
}

describe('progress when stderr is not a terminal', () => {
  it('prints a line per finished step at most every 5 s, and the last step always', () => {
    const { io, err, clock, timer } = setup('lines');
    const p = countProgress(io, 'sweep', 'runs', 4, timer);
    clock.ms = 1_000;
    p.step(); // first line: nothing printed yet
    clock.ms = 2_000;
    p.step(); // 1 s later: too soon
    clock.ms = 7_000;
    p.step();
    clock.ms = 7_500;
    p.step(); // the last one
    p.stop();
    expect(err).toEqual(['sweep: 1 of 4 runs done, 1 s', 'sweep: 3 of 4 runs done, 7 s', 'sweep: 4 of 4 runs done, 8 s']);
  });

  it('prints nothing when progress is off, and nothing for no steps', () => {
    const off = setup(false);
    const p = countProgress(off.io, 'sweep', 'runs', 3, off.timer);
    p.step();
    p.stop();
    expect(off.err).toEqual([]);
    const none = setup('lines');
    countProgress(none.io, 'sweep', 'runs', 0, none.timer).stop();
    expect(none.err).toEqual([]);
  });
});
