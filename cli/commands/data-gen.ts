/** `wattswap data-gen report`: a year of the synthetic population, its statistics beside the reference figures. */
import type { Command } from 'commander';
import type { ConfigFlags } from '../config.ts';
import type { Io, SetExit } from '../io.ts';

export function registerDataGenCommand(program: Command, io: Io, setExit: SetExit, cwd: string): Command {
  const dataGen = program.command('data-gen').description('synthetic households, weather and PV');
  dataGen
    .command('report')
    .description('generate a population for a full calendar year and print its statistics next to the reference figures')
    .option('-c, --config <file>', 'config file (default: ./sim.config.json when present)')
    .option('--households <n>', 'number of households')
    .option('--seed <n>', 'seed')
    .option('--year <yyyy>', 'calendar year', '2025')
    .option('--json', 'print the report as JSON')
    .action(async (flags: ConfigFlags & { year: string; json?: boolean }) => {
      const { commandDataGenReport } = await import('../actions/data-gen.ts');
      setExit(commandDataGenReport(flags, io, cwd));
    });
  return dataGen;
}
