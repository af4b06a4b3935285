/** `wattswap validate`: resolve and validate a config (file, scenario, --param, flags) without running. */
import type { Command } from 'commander';
import type { ConfigFlags } from '../config.ts';
import { collect, PARAM_HELP, type Io, type SetExit } from '../io.ts';

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
    .option('--meter <file>', 'measured homes instead of synthetic ones: a long CSV or Green Button XML (repeatable; INPUTS.md)', collect, [] as string[])
    .option('--weather <file>', 'weather for the measured homes (timestamp,temperature_c,…)')
    .option('--homes <file>', 'household metadata for the measured homes (household_id, pv_kw, battery_kwh, tariff, storage_mode)')
    .option('-o, --out <dir>', 'output directory')
    .option('--quiet', 'print only problems')
    .action(async (flags: ConfigFlags & { quiet?: boolean }) => {
      const { commandValidate } = await import('../actions/validate.ts');
      setExit(await commandValidate(flags, io, cwd));
    });
}
