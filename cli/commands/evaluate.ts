/** `wattswap evaluate-forecasts`: the forecast evaluation from the command line. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { initBackend } from '../../agents/transformer/index.ts';
import { InputError } from '../../data-gen/index.ts';
import { ConfigError, createRngFactory, loadMeasuredHomes } from '../../sim/index.ts';
import { EvaluationOptionsError, evaluateForecasts, formatEvaluation } from '../../evaluate/index.ts';
import { loadConfig } from '../config.ts';
import { collect, EXIT_OK, EXIT_USAGE, type Io, type SetExit } from '../io.ts';
import { PARAM_HELP } from './run.ts';

export interface EvaluateFlags {
  config?: string;
  households?: string;
  seed?: string;
  start?: string;
  historyDays: string;
  testDays: string;
  coldStartDays: string;
  fedavgRounds: string;
  pretrainEpochs?: string;
  pretrainSamples?: string;
  pretrainRounds?: string;
  preset?: 'small' | 'fast' | 'paper';
  out?: string;
  json?: boolean;
  param?: string[];
  meter?: string[];
  weather?: string;
  homes?: string;
}

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
    .option('--pretrain-rounds <n>', 'FedAvg rounds of pre-training; 1 = one average of local models (default: federated.pretrain.rounds)')
    .addOption(new Option('--preset <name>', 'transformer size (default: federated.preset)').choices(['small', 'fast', 'paper']))
    .option('-o, --out <file>', 'also write the report as JSON (atomically)')
    .option('--json', 'print the report as JSON instead of the tables')
    .action(async (flags: EvaluateFlags) => setExit(await commandEvaluate(flags, io, cwd)));
}

const wholeNumber = (name: string, v: string): { value?: number; problem?: string } =>
  /^\d+$/.test(v.trim()) ? { value: Number(v) } : { problem: `${name} "${v}": expected a whole number` };

/** Runs the evaluation from the command-line flags; returns the exit code (0 ok, 2 bad flags or config). */
export async function commandEvaluate(flags: EvaluateFlags, io: Io, cwd: string): Promise<number> {
  const numbers = {
    historyDays: wholeNumber('--history-days', flags.historyDays),
    testDays: wholeNumber('--test-days', flags.testDays),
    coldStartDays: wholeNumber('--cold-start-days', flags.coldStartDays),
    fedavgRounds: wholeNumber('--fedavg-rounds', flags.fedavgRounds),
    pretrainEpochs: flags.pretrainEpochs === undefined ? {} : wholeNumber('--pretrain-epochs', flags.pretrainEpochs),
    pretrainSamples: flags.pretrainSamples === undefined ? {} : wholeNumber('--pretrain-samples', flags.pretrainSamples),
    pretrainRounds: flags.pretrainRounds === undefined ? {} : wholeNumber('--pretrain-rounds', flags.pretrainRounds),
  };
  const problems = Object.values(numbers).flatMap((x) => (x.problem ? [x.problem] : []));
  if (problems.length) {
    io.err(`wattswap evaluate-forecasts: ${problems.join('; ')}`);
    return EXIT_USAGE;
  }
  let config;
  try {
    const measuredWindow = flags.meter?.length
      ? { days: flags.testDays, param: [...(flags.param ?? []), `time.historyDays=${numbers.historyDays.value}`] }
      : { param: flags.param };
    config = loadConfig(
      { config: flags.config, households: flags.households, seed: flags.seed, start: flags.start, meter: flags.meter, weather: flags.weather, homes: flags.homes, ...measuredWindow },
      cwd,
    );
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.err(`wattswap: invalid configuration (${e.code})\n${e.message}`);
    return EXIT_USAGE;
  }
  // measured homes: the test days are the run's window, the history what the data has before it
  let measured;
  try {
    measured = await loadMeasuredHomes(config, cwd);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.err(`wattswap: bad input file (${e.code})\n✖ ${e.message}`);
    return EXIT_USAGE;
  }
  const backend = await initBackend();
  let bar: cliProgress.SingleBar | null = null;
  let phase = '';
  const onProgress = (p: { phase: string; done: number; total: number }) => {
    if (!io.progress) return;
    if (p.phase !== phase) {
      bar?.stop();
      phase = p.phase;
      bar = new cliProgress.SingleBar(
        { format: ` ${p.phase.padEnd(11)} |{bar}| {value}/{total}`, hideCursor: true, clearOnComplete: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      );
      bar.start(p.total, 0);
    }
    bar?.update(p.done);
  };
  let report;
  try {
    report = evaluateForecasts(
      {
        households: config.households,
        weather: config.weather,
        start: config.time.start,
        historyDays: measured ? measured.historyDays : numbers.historyDays.value,
        ...(measured ? { measured } : {}),
        testDays: numbers.testDays.value,
        coldStartDays: numbers.coldStartDays.value,
        fedavgRounds: numbers.fedavgRounds.value,
        federated: config.federated,
        pretrain: {
          ...(numbers.pretrainEpochs.value !== undefined ? { epochs: numbers.pretrainEpochs.value } : {}),
          ...(numbers.pretrainSamples.value !== undefined ? { maxSamplesPerHome: numbers.pretrainSamples.value } : {}),
          ...(numbers.pretrainRounds.value !== undefined ? { rounds: numbers.pretrainRounds.value } : {}),
        },
        preset: flags.preset,
        seed: config.seed,
        backend: `${backend.name} — ${backend.detail}`,
        clock: () => performance.now(),
        onProgress,
      },
      createRngFactory(config.seed),
    );
  } catch (e) {
    if (!(e instanceof EvaluationOptionsError)) throw e;
    io.err(`wattswap evaluate-forecasts: ${e.message}`);
    return EXIT_USAGE;
  } finally {
    (bar as cliProgress.SingleBar | null)?.stop();
  }
  let written: string | null = null;
  if (flags.out) {
    const path = resolve(cwd, flags.out);
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(report, null, 2)}\n`);
    renameSync(tmp, path);
    written = relative(cwd, path);
  }
  if (flags.json) io.out(JSON.stringify(report, null, 2));
  else io.out(formatEvaluation(report) + (written ? `\n  report: ${written}` : ''));
  return EXIT_OK;
}
