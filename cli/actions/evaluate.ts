/** `wattswap evaluate-forecasts`: the forecast evaluation from the command line. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import { initBackend } from '../../agents/transformer/index.ts';
import { InputError } from '../../data-gen/index.ts';
import { ConfigError, createRngFactory, loadMeasuredHomes } from '../../sim/index.ts';
import { EvaluationOptionsError, evaluateForecasts, formatEvaluation } from '../../evaluate/index.ts';
import { loadConfig } from '../config.ts';
import { EXIT_OK, EXIT_USAGE, shownPath, type Io } from '../io.ts';
import { progressLines } from '../progress.ts';

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
  preset: 'small' | 'fast' | 'paper';
  out?: string;
  json?: boolean;
  param?: string[];
  meter?: string[];
  weather?: string;
  homes?: string;
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
  let state = 'evaluate-forecasts: starting';
  const lines = io.progress === 'lines' ? progressLines(io.err, () => state) : null;
  const onProgress = (p: { phase: string; done: number; total: number }) => {
    if (lines) {
      state = `evaluate-forecasts: ${p.phase}, ${p.done} of ${p.total}`;
      lines.say(p.phase !== phase);
      phase = p.phase;
      return;
    }
    if (io.progress !== true) return;
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
        calibration: config.federated.calibration,
        pretrain: {
          ...(numbers.pretrainEpochs.value !== undefined ? { epochs: numbers.pretrainEpochs.value } : {}),
          ...(numbers.pretrainSamples.value !== undefined ? { maxSamplesPerHome: numbers.pretrainSamples.value } : {}),
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
    lines?.stop();
  }
  let written: string | null = null;
  if (flags.out) {
    const path = resolve(cwd, flags.out);
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(report, null, 2)}\n`);
    renameSync(tmp, path);
    written = shownPath(flags.out);
  }
  if (flags.json) io.out(JSON.stringify(report, null, 2));
  else io.out(formatEvaluation(report) + (written ? `\n  report: ${written}` : ''));
  return EXIT_OK;
}
