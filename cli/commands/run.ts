/** `wattswap run`: one simulation, its files written atomically, the summary printed. */
import { relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { tap } from 'rxjs/operators';
import { writeRunOutputs } from '../../outputs/index.ts';
import { outputDirOf, runWithComparisons, SCENARIOS, type RunEvent, type SimConfig, type Summary } from '../../sim/index.ts';
import { loadConfig, type ConfigFlags } from '../config.ts';
import { formatSummary } from '../format.ts';
import { collect, EXIT_OK, positiveInt, type Io, type SetExit } from '../io.ts';

export const PARAM_HELP = 'a config value, e.g. agents.forecaster=gated (repeatable; the value parsed as JSON, else a string)';

export function registerRunCommand(program: Command, io: Io, setExit: SetExit, cwd: string): Command {
  return program
    .command('run')
    .description('run a simulation and write summary.json, timeline.json and trades.json')
    .option('-c, --config <file>', 'config file (default: ./sim.config.json when present)')
    .option('--scenario <name>', `named scenario overlay (${SCENARIOS.map((s) => s.name).join(', ')})`)
    .option('--param <path=value>', PARAM_HELP, collect, [] as string[])
    .option('--households <n>', 'number of households', positiveInt('--households'))
    .option('--days <n>', 'trading days', positiveInt('--days'))
    .option('--start <date>', 'first trading day, YYYY-MM-DD (America/Los_Angeles)')
    .option('--seed <n>', 'the seed every random draw derives from', positiveInt('--seed'))
    .option('--meter <file>', 'measured homes instead of synthetic ones: a long CSV or Green Button XML (repeatable; INPUTS.md)', collect, [] as string[])
    .option('--weather <file>', 'weather for the measured homes (timestamp,temperature_c,…)')
    .option('--homes <file>', 'household metadata for the measured homes (household_id, pv_kw, battery_kwh, tariff, storage_mode)')
    .option('--format <json|parquet>', 'timeline and trades as JSON (default, for the dashboard) or Parquet (one row per home per interval, for pandas, polars, DuckDB)')
    .option('-o, --out <dir>', 'output directory (default from the config: runs/{scenario}-seed{seed})')
    .action(async (flags: ConfigFlags) => setExit(await commandRun(flags, io, cwd)));
}

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
        bar?.update({ phase: PHASE_LABEL[e.name] ?? 'optimum   ' });
      } else if (e.type === 'summary') bar?.stop();
    },
    stop: () => bar?.stop(),
  };
}

/** The progress bar's label for each comparison rerun. */
const PHASE_LABEL: Readonly<Record<string, string>> = { 'battery-only': 'no-P2P run', 'no-battery': 'no-battery', 'perfect-forecasts': 'perfect fc' };
