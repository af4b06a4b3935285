/** `wattswap run`: one simulation, its files written atomically, the summary printed. */
import { relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import { tap } from 'rxjs/operators';
import { writeRunOutputs } from '../../outputs/index.ts';
import { outputDirOf, runWithComparisons, type RunEvent, type SimConfig, type Summary } from '../../sim/index.ts';
import { loadConfig, type ConfigFlags } from '../config.ts';
import { formatSummary } from '../format.ts';
import { EXIT_OK, type Io } from '../io.ts';

export async function commandRun(flags: ConfigFlags, io: Io, cwd: string): Promise<number> {
  const config = loadConfig(flags, cwd);
  const dir = resolve(cwd, outputDirOf(config));
  const t0 = performance.now();
  let summary: Summary | null = null;
  const progress = io.progress ? progressBar(config) : null;
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
  io.out(formatSummary(summary, `${relative(cwd, written.dir) || '.'}/ (${written.files.join(', ')})`, seconds));
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
        bar?.update({ phase: e.name === 'battery-only' ? 'no-P2P run' : 'optimum   ' });
      } else if (e.type === 'summary') bar?.stop();
    },
    stop: () => bar?.stop(),
  };
}
