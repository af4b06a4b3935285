/**
 * Progress on stderr: a bar on an interactive terminal; when stderr is a log or a pipe, lines
 * instead, at most one every few seconds (the last step always), and one every half minute while
 * nothing finishes, so a long command is never silent.
 */
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import type { Io } from './io.ts';

export interface LineTimer {
  /** minimum time between two lines of progress (the last step is always printed) */
  minGapMs: number;
  /** a line at least this often while nothing else is printed */
  heartbeatMs: number;
  now(): number;
}

export const LINE_TIMER: LineTimer = { minGapMs: 5_000, heartbeatMs: 30_000, now: () => performance.now() };

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** Lines of progress through `err`: `say(text, force)` prints when due or forced; a heartbeat repeats the last state. */
export function progressLines(err: (s: string) => void, state: () => string, timer: LineTimer = LINE_TIMER): { say(force?: boolean): void; stop(): void } {
  const t0 = timer.now();
  let last = -Infinity;
  const print = () => {
    last = timer.now();
    err(`${state()}, ${seconds(last - t0)}`);
  };
  const heartbeat = setInterval(() => {
    if (timer.now() - last >= timer.heartbeatMs) print();
  }, timer.heartbeatMs);
  heartbeat.unref();
  return {
    say: (force = false) => {
      if (force || timer.now() - last >= timer.minGapMs) print();
    },
    stop: () => clearInterval(heartbeat),
  };
}

/** Progress through `total` steps (the runs of a sweep): a bar, lines, or nothing, as `io.progress` says. */
export function countProgress(io: Io, what: string, unit: string, total: number, timer: LineTimer = LINE_TIMER): { step(): void; stop(): void } {
  if (total === 0 || io.progress === false) return { step: () => {}, stop: () => {} };
  let done = 0;
  if (io.progress === 'lines') {
    const lines = progressLines(io.err, () => `${what}: ${done} of ${total} ${unit} done`, timer);
    return {
      step: () => {
        done++;
        lines.say(done === total);
      },
      stop: () => lines.stop(),
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: ` ${what} |{bar}| {value}/{total} ${unit} | {eta_formatted} left`, hideCursor: true, clearOnComplete: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { step: () => bar.increment(), stop: () => bar.stop() };
}
