/** `wattswap run`: one simulation, its files written atomically, the summary printed. */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import { tap } from 'rxjs/operators';
import { writeRunOutputs } from '../../outputs/index.ts';
import { outputDirOf, runWithComparisons, type RunEvent, type SimConfig, type Summary } from '../../sim/index.ts';
import { loadConfig, type ConfigFlags } from '../config.ts';
import { formatSummary } from '../format.ts';
import { EXIT_OK, EXIT_USAGE, shownPath, type Io } from '../io.ts';
import { progressLines } from '../progress.ts';

export async function commandRun(flags: ConfigFlags & { force?: boolean }, io: Io, cwd: string): Promise<number> {
  const config = loadConfig(flags, cwd);
  const shown = shownPath(outputDirOf(config));
  const dir = resolve(cwd, outputDirOf(config));
  if (!flags.force && existsSync(dir) && readdirSync(dir).length > 0) {
    io.err(`wattswap run: ${shown}/ already exists; give --force to replace it, or --out DIR for another folder`);
    return EXIT_USAGE;
  }
  const t0 = performance.now();
  let summary: Summary | null = null;
  const progress = io.progress === true ? progressBar(config) : io.progress === 'lines' ? progressLinesOf(config, io) : null;
  const run$ = runWithComparisons(config, { cwd }).pipe(
    tap({
      next: (e) => {
        if (e.type === 'summary') summary = e.summary;
        progress?.next(e);
      },
      error: () => progress?.stop(),
    }),
  );
  const written = await writeRunOutputs(run$, config, dir);
  const seconds = (performance.now() - t0) / 1000;
  if (!summary) throw new Error('run ended without a summary');
  io.out(formatSummary(summary, `${shown}/ (${written.files.join(', ')})`, seconds));
  return EXIT_OK;
}

/** A progress bar on stderr through the run's phases: history days, trading intervals, comparison runs. */
function progressBar(config: SimConfig): { next(e: RunEvent): void; stop(): void } {
  let bar: cliProgress.SingleBar | null = null;
  return {
    next: (e) => {
      if (e.type === 'start') {
        bar = new cliProgress.SingleBar(
          { format: ' {phase} |{bar}| {value}/{total} {unit}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        bar.start(config.time.historyDays, 0, { phase: 'history   ', unit: 'days' });
      } else if (e.type === 'history') bar?.update(e.day);
      else if (e.type === 'tick') {
        if (e.frame.index === 0) {
          bar?.setTotal(e.meta.intervals);
          bar?.update(0, { phase: 'trading   ', unit: 'intervals' });
        }
        if (e.frame.intervalInDay === 0 || e.frame.index === e.meta.intervals - 1) bar?.update(e.frame.index + 1);
      } else if (e.type === 'baseline' && e.status === 'started') {
        bar?.update({ phase: PHASE_LABEL[e.name] ?? 'optimum   ' });
      } else if (e.type === 'summary') bar?.stop();
    },
    stop: () => bar?.stop(),
  };
}

/** The same phases as lines on stderr (a log or a pipe): each phase as it starts, then its progress now and then. */
function progressLinesOf(config: SimConfig, io: Io): { next(e: RunEvent): void; stop(): void } {
  let state = 'run: starting';
  const lines = progressLines(io.err, () => state);
  return {
    next: (e) => {
      if (e.type === 'start') {
        state = `run: history, day 0 of ${config.time.historyDays}`;
        lines.say(true);
      } else if (e.type === 'history') {
        state = `run: history, day ${e.day} of ${config.time.historyDays}`;
        lines.say();
      } else if (e.type === 'tick' && (e.frame.intervalInDay === 0 || e.frame.index === e.meta.intervals - 1)) {
        state = `run: trading, interval ${e.frame.index + 1} of ${e.meta.intervals}`;
        lines.say(e.frame.index === 0);
      } else if (e.type === 'baseline' && e.status === 'started') {
        state = `run: comparison run ${e.name}`;
        lines.say(true);
      } else if (e.type === 'summary') lines.stop();
    },
    stop: () => lines.stop(),
  };
}

/** The progress bar's label for each comparison rerun. */
const PHASE_LABEL: Readonly<Record<string, string>> = { 'battery-only': 'no-P2P run', 'no-battery': 'no-battery', 'perfect-forecasts': 'perfect fc' };
