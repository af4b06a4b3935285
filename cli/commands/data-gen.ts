/** `wattswap data-gen report`: a year of the synthetic population, its statistics beside the reference figures. */
import { InvalidArgumentError, type Command } from 'commander';
import { formatPopulationReport, generatePopulation, populationReport } from '../../data-gen/index.ts';
import { createRngFactory } from '../../sim/index.ts';
import { loadConfig, type ConfigFlags } from '../config.ts';
import { EXIT_OK, type Io, type SetExit } from '../io.ts';

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
    .action((flags: ConfigFlags & { year: string; json?: boolean }) => {
      const config = loadConfig(flags, cwd);
      const year = Number(flags.year);
      if (!Number.isInteger(year) || year < 1990 || year > 2100) throw new InvalidArgumentError('--year must be a year between 1990 and 2100');
      const rngFor = createRngFactory(config.seed);
      const households = generatePopulation(config.households, rngFor);
      const report = populationReport(households, config.weather, year, rngFor);
      io.out(flags.json ? JSON.stringify(report, null, 2) : formatPopulationReport(report));
      setExit(EXIT_OK);
    });
  return dataGen;
}
