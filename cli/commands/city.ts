/**
 * `wattswap city`: its options; the city itself (cli/actions/city.ts: N communities as sweep runs in
 * worker threads or on BullMQ workers, aggregated into city.json) loads when the command runs.
 */
import type { Command } from 'commander';
import type { CityFlags } from '../actions/city.ts';
import { collect, PARAM_HELP, positiveInt, type Io, type SetExit } from '../io.ts';

export function registerCityCommand(program: Command, io: Io, setExit: SetExit, cwd: string): Command {
  return program
    .command('city')
    .description('run N communities, each its own market, feeder and seed, in worker threads or on `wattswap worker`s; writes city.json and a folder per community; resumable')
    .requiredOption('--communities <n>', 'number of communities', positiveInt('--communities'))
    .requiredOption('-o, --out <dir>', 'city directory')
    .option('--households <n>', 'households in every community', positiveInt('--households'))
    .option('--days <n>', 'trading days', positiveInt('--days'))
    .option('--param <path=value>', PARAM_HELP, collect, [] as string[])
    .option('--scenario <name>', 'named scenario overlay for every community')
    .option('--seed <n>', 'the city’s seed: community i runs with a seed derived from it and i', positiveInt('--seed'))
    .option('-c, --config <file>', 'base config file (default: ./sim.config.json when present)')
    .option('--workers <n>', 'worker threads (default: available parallelism)')
    .option('--format <json|parquet>', 'also write the community rows as city.parquet')
    .option('--queue <redis-url>', 'enqueue the communities on Redis (redis://HOST:PORT) for `wattswap worker`s instead of running them here')
    .action(async (flags: CityFlags) => {
      const { commandCity } = await import('../actions/city.ts');
      setExit(await commandCity(flags, io, cwd));
    });
}
