/** `wattswap run`: its options; the run itself (cli/actions/run.ts) loads when the command runs. */
import type { Command } from 'commander';
import { SCENARIOS } from '../../sim/scenarios.ts';
import type { ConfigFlags } from '../config.ts';
import { collect, PARAM_HELP, positiveInt, type Io, type SetExit } from '../io.ts';

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
    .option('-o, --out <dir>', 'output directory (default from the config: runs/{scenario}-seed{seed}; measured homes: runs/meter-<file>-seed{seed})')
    .option('--force', 'replace the output directory when it already has files')
    .action(async (flags: ConfigFlags & { force?: boolean }) => {
      const { commandRun } = await import('../actions/run.ts');
      setExit(await commandRun(flags, io, cwd));
    });
}
