/** `wattswap validate`: resolve and validate a config (file, scenario, --param, flags) without running. */
import type { Command } from 'commander';
import { loadConfig, type ConfigFlags } from '../config.ts';
import { collect, EXIT_OK, type Io, type SetExit } from '../io.ts';
import { PARAM_HELP } from './run.ts';

export function registerValidateCommand(program: Command, io: Io, setExit: SetExit, cwd: string): Command {
  return program
    .command('validate')
    .description('validate a config (and scenario/flags) without running; prints the resolved config')
    .option('-c, --config <file>', 'config file (default: ./sim.config.json when present)')
    .option('--scenario <name>', 'named scenario overlay')
    .option('--param <path=value>', PARAM_HELP, collect, [] as string[])
    .option('--households <n>', 'number of households')
    .option('--days <n>', 'trading days')
    .option('--start <date>', 'first trading day')
    .option('--seed <n>', 'seed')
    .option('-o, --out <dir>', 'output directory')
    .option('--quiet', 'print only problems')
    .action((flags: ConfigFlags & { quiet?: boolean }) => {
      const config = loadConfig(flags, cwd);
      if (!flags.quiet) io.out(`config is valid\n${JSON.stringify(config, null, 2)}`);
      setExit(EXIT_OK);
    });
}
