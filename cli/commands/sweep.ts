/**
 * `wattswap sweep`: its options; the sweep itself (cli/actions/sweep.ts: scenario × parameter set ×
 * seed in worker threads, resumable, aggregated and plotted) loads when the command runs.
 */
import type { Command } from 'commander';
import type { SweepFlags } from '../actions/sweep.ts';
import { collect, type Io, type SetExit } from '../io.ts';

export function registerSweepCommand(program: Command, io: Io, setExit: SetExit, cwd: string): Command {
  return program
    .command('sweep')
    .description('run scenario × parameter × seed in parallel worker threads; writes sweep.json, sweep.csv and SVG plots; resumable')
    .requiredOption('--scenarios <list>', 'comma-separated scenario names (see `wattswap scenarios`)')
    .requiredOption('--seeds <list>', 'seeds as ranges and lists: 1..50, 1,2,7, 1..3,10')
    .option('--param <path=values>', 'a swept config value, e.g. battery.capacityKwh=5,10,13.5 (repeatable; values parsed as JSON, else strings)', collect, [] as string[])
    .option('--households <n>', 'number of households in every run')
    .option('--days <n>', 'trading days of every run')
    .option('-c, --config <file>', 'base config file (default: ./sim.config.json when present)')
    .option('-o, --out <dir>', 'sweep directory (default: runs/sweep-<hash of the spec>)')
    .option('--workers <n>', 'worker threads (default: available parallelism)')
    .option('--plot-run <scenario:seed>', 'the run drawn in dispatch.svg (default: the first run)')
    .option('--no-plots', 'skip the SVG plots')
    .option('--format <json|parquet>', 'also write the rows as sweep.parquet (typed columns, for pandas, polars, DuckDB)')
    .option('--queue <redis-url>', 'enqueue the runs on Redis (redis://HOST:PORT) for `wattswap worker`s instead of running them here')
    .action(async (flags: SweepFlags) => {
      const { commandSweep } = await import('../actions/sweep.ts');
      setExit(await commandSweep(flags, io, cwd));
    });
}
