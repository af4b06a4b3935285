/** `wattswap data-gen report`: a year of the synthetic population, its statistics beside the reference figures. */
import { InvalidArgumentError } from 'commander';
import { formatPopulationReport, generatePopulation, populationReport } from '../../data-gen/index.ts';
import { createRngFactory } from '../../sim/index.ts';
import { loadConfig, type ConfigFlags } from '../config.ts';
import { EXIT_OK, type Io } from '../io.ts';

export function commandDataGenReport(flags: ConfigFlags & { year: string; json?: boolean }, io: Io, cwd: string): number {
  const config = loadConfig(flags, cwd);
  const year = Number(flags.year);
  if (!Number.isInteger(year) || year < 1990 || year > 2100) throw new InvalidArgumentError('--year must be a year between 1990 and 2100');
  const rngFor = createRngFactory(config.seed);
  const households = generatePopulation(config.households, rngFor);
  const report = populationReport(households, config.weather, year, rngFor);
  io.out(flags.json ? JSON.stringify(report, null, 2) : formatPopulationReport(report));
  return EXIT_OK;
}
