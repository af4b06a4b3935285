/** `wattswap evaluate-forecasts`: its options; the evaluation (cli/actions/evaluate.ts) loads when the command runs. */
import { Option, type Command } from 'commander';
import type { EvaluateFlags } from '../actions/evaluate.ts';
import { collect, PARAM_HELP, type Io, type SetExit } from '../io.ts';

export function registerEvaluateCommand(program: Command, io: Io, setExit: SetExit, cwd: string): Command {
  return program
    .command('evaluate-forecasts')
    .description('score seasonal naive, local, FedAvg-global and centralised transformer forecasts and the gate on held-out days')
    .option('-c, --config <file>', 'config file (default: ./sim.config.json when present)')
    .option('--households <n>', 'number of households')
    .option('--seed <n>', 'seed')
    .option('--param <path=value>', PARAM_HELP, collect, [] as string[])
    .option('--meter <file>', 'evaluate on measured homes: a long CSV or Green Button XML (repeatable; INPUTS.md)', collect, [] as string[])
    .option('--weather <file>', 'weather for the measured homes (timestamp,temperature_c,…)')
    .option('--homes <file>', 'household metadata for the measured homes')
    .option('--start <date>', 'first test day, YYYY-MM-DD (default: time.start of the config)')
    .option('--history-days <n>', 'days of history before the test days', '365')
    .option('--test-days <n>', 'held-out days, from the start date', '7')
    .option('--cold-start-days <n>', 'days of data the cold-start homes (the last ⌈n/5⌉) have', '21')
    .option('--fedavg-rounds <n>', 'FedAvg rounds over the last intervals of history after pre-training', '0')
    .option('--pretrain-epochs <n>', 'pre-training epochs (default: federated.pretrain.epochs)')
    .option('--pretrain-samples <n>', 'most pre-training windows per home (default: federated.pretrain.maxSamplesPerHome)')
    .addOption(new Option('--preset <name>', 'transformer size').choices(['small', 'fast', 'paper']).default('small'))
    .option('-o, --out <file>', 'also write the report as JSON (atomically)')
    .option('--json', 'print the report as JSON instead of the tables')
    .action(async (flags: EvaluateFlags) => {
      const { commandEvaluate } = await import('../actions/evaluate.ts');
      setExit(await commandEvaluate(flags, io, cwd));
    });
}
