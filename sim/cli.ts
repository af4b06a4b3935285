import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import { tap } from 'rxjs/operators';
import { z } from 'zod';
import { formatPopulationReport, generatePopulation, populationReport } from '../data-gen/index.ts';
import { writeRunOutputs } from '../outputs/index.ts';
import { ConfigError, mergeConfig, outputDirOf, parseSimConfig, SimConfigSchema, type SimConfig } from './config.ts';
import { FederatedFileSchema, SummarySchema, TimelineSchema, TradesSchema, TimelineIntervalSchema, TradeSchema } from './contract.ts';
import { createRngFactory } from './rng.ts';
import { runScenario } from './run.ts';
import { findScenario, SCENARIOS, scenariosMarkdown } from './scenarios.ts';
import { registerSweepCommand, sweepJsonSchemas } from './sweep/index.ts';
import { evaluationJsonSchemas, registerEvaluateCommand } from './evaluate/index.ts';
import { registerWorkerCommand } from '../cli/commands/worker.ts';
import type { Summary } from './contract.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** draw a progress bar (only on an interactive terminal) */
  progress: boolean;
}

const FLAG_OF_PATH: Record<string, string> = {
  seed: '--seed',
  scenario: '--scenario',
  'households.count': '--households',
  'time.days': '--days',
  'time.start': '--start',
  'outputs.dir': '--out',
};

interface RunFlags {
  config?: string;
  scenario?: string;
  households?: string;
  days?: string;
  start?: string;
  seed?: string;
  out?: string;
}

/** Reads a config file (default ./sim.config.json when present), applies scenario and flags, validates. */
export function loadConfig(flags: RunFlags, cwd = process.cwd()): SimConfig {
  let raw: unknown = {};
  const path = flags.config ? resolve(cwd, flags.config) : resolve(cwd, 'sim.config.json');
  if (flags.config || existsSync(path)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new ConfigError(`✖ cannot read config file ${path}`, [{ path: '', message: 'cannot read file' }]);
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(`✖ ${path} is not valid JSON: ${(e as Error).message}`, [{ path: '', message: 'invalid JSON' }]);
    }
  }
  const overlays: unknown[] = [];
  if (flags.scenario !== undefined) {
    const scenario = findScenario(flags.scenario);
    if (!scenario) {
      throw new ConfigError(
        `✖ unknown scenario "${flags.scenario}"\n  → at scenario (--scenario); known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
        [{ path: 'scenario', message: 'unknown scenario' }],
      );
    }
    overlays.push(scenario.overlay, { scenario: scenario.name });
  }
  const num = (s: string | undefined) => (s === undefined ? undefined : s.trim() === '' ? Number.NaN : Number(s));
  overlays.push({
    seed: num(flags.seed),
    households: flags.households === undefined ? undefined : { count: num(flags.households) },
    time: flags.days === undefined && flags.start === undefined ? undefined : { days: num(flags.days), start: flags.start },
    outputs: flags.out === undefined ? undefined : { dir: flags.out },
  });
  try {
    return parseSimConfig(mergeConfig(raw, ...overlays));
  } catch (e) {
    if (e instanceof ConfigError) {
      // name the flag beside the field it set
      const message = e.message.replace(/→ at ([\w.]+)/g, (m, p: string) => (FLAG_OF_PATH[p] && flagGiven(flags, FLAG_OF_PATH[p]) ? `${m} (${FLAG_OF_PATH[p]})` : m));
      throw new ConfigError(message, e.issues);
    }
    throw e;
  }
}

function flagGiven(flags: RunFlags, flag: string): boolean {
  const key = { '--seed': 'seed', '--scenario': 'scenario', '--households': 'households', '--days': 'days', '--start': 'start', '--out': 'out' }[flag] as keyof RunFlags;
  return flags[key] !== undefined;
}

export function formatSummary(s: Summary, dir: string | null, seconds: number | null): string {
  const c = s.comparisons;
  const pf = c.perfect_foresight;
  const lines = [
    `wattswap — ${s.run.scenario}, seed ${s.run.seed}: ${s.run.households} households, ${s.run.intervals} intervals from ${s.run.start}, ${s.run.tariff}`,
    '',
    `  baseline PG&E cost (no battery, no P2P)  ${s.display.baseline_pge_cost}`,
    `  optimized cost                           ${s.display.optimized_cost}`,
    `  savings                                  ${s.display.savings} (${s.display.savings_percent})`,
    `  savings adjusted for stored energy       $${s.community.savings_adjusted_usd.toFixed(2)} (Δ stored ${s.community.stored_energy_change_kwh.toFixed(2)} kWh)`,
    `  trades executed                          ${s.display.trades_executed} (${s.community.p2p_sent_kwh.toFixed(2)} kWh sent, ${s.community.p2p_loss_kwh.toFixed(2)} kWh lost)`,
    `  battery efficiency                       ${s.display.battery_efficiency}`,
    `  community peak grid import               ${s.community.peak_grid_import_kw.toFixed(1)} kW (baseline ${s.community.baseline_peak_grid_import_kw.toFixed(1)} kW, ${s.community.peak_reduction_percent === null ? 'n/a' : s.community.peak_reduction_percent.toFixed(1) + '% lower'})`,
    `  self-sufficiency                         ${fmtPct(s.community.self_sufficiency_percent)} (baseline ${fmtPct(s.community.baseline_self_sufficiency_percent)})`,
    `  battery only, no P2P                     ${c.battery_only.cost_usd === null ? c.battery_only.status : `$${c.battery_only.cost_usd.toFixed(2)} (${fmtPct(c.battery_only.savings_percent)} saved)`}`,
    `  perfect-foresight optimum                ${pf.cost_usd === null ? `${pf.status}${pf.reason ? `: ${pf.reason}` : ''}` : `$${pf.cost_usd.toFixed(2)} (${fmtPct(pf.savings_percent)} saved; agents capture ${fmtPct(pf.capture_percent)})`}`,
  ];
  const a = s.attribution.community;
  const usd = (x: number | null) => (x === null ? 'n/a' : `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`);
  if (s.attribution.status !== 'disabled') {
    lines.push(
      `  attribution (adjusted savings ${usd(a.savings_usd)})    battery ${usd(a.battery_time_shifting_usd)} · P2P ${usd(a.p2p_extra_usd)} · forecast error costs ${usd(a.forecast_cost_usd)}`,
      `  P2P gainers / losers                     ${s.attribution.p2p_gainers.length} / ${s.attribution.p2p_losers.length}${s.attribution.p2p_losers.length ? ` (${s.attribution.p2p_losers.join(', ')})` : ''}`,
    );
  }
  const f = s.federated;
  if (f) {
    const loss = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
    lines.push(
      `  forecaster                               ${s.forecast.forecaster} on ${f.backend}: transformer "${f.preset}" (${f.parameters.toLocaleString('en-US')} parameters), ${f.rounds} FedAvg rounds, validation loss ${loss(f.pretrain?.validation_loss_before ?? null)} → ${loss(f.final_validation_loss)}${f.gate ? `; gate uses it for ${f.gate.learned_load_homes}/${f.gate.households} homes' load, ${f.gate.learned_pv_homes}/${f.gate.households} PV` : ''}`,
    );
  }
  if (dir) lines.push('', `  files: ${dir}`);
  if (seconds !== null) lines.push(`  wall time: ${seconds.toFixed(2)} s`);
  return lines.join('\n');
}

const fmtPct = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)}%`);

async function commandRun(flags: RunFlags, io: Io, cwd: string): Promise<number> {
  const config = loadConfig(flags, cwd);
  const dir = resolve(cwd, outputDirOf(config));
  const t0 = performance.now();
  let bar: cliProgress.SingleBar | null = null;
  let summary: Summary | null = null;
  const run$ = runScenario(config).pipe(
    tap({
      next: (e) => {
        if (e.type === 'summary') summary = e.summary;
        if (!io.progress) return;
        if (e.type === 'start') {
          bar = new cliProgress.SingleBar(
            { format: ' {phase} |{bar}| {value}/{total} {unit}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
            cliProgress.Presets.shades_classic,
          );
          bar.start(config.time.historyDays, 0, { phase: 'history   ', unit: 'days' });
        } else if (e.type === 'history') bar?.update(e.day);
        else if (e.type === 'tick') {
          if (e.frame.index === 0) {
            bar?.setTotal(e.meta.intervals);
            bar?.update(0, { phase: 'trading   ', unit: 'intervals' });
          }
          if (e.frame.intervalInDay === 0 || e.frame.index === e.meta.intervals - 1) bar?.update(e.frame.index + 1);
        } else if (e.type === 'baseline' && e.status === 'started') {
          bar?.update({ phase: e.name === 'battery-only' ? 'no-P2P run' : 'optimum   ' });
        } else if (e.type === 'summary') bar?.stop();
      },
      error: () => bar?.stop(),
    }),
  );
  const written = await writeRunOutputs(run$, config, dir);
  const seconds = (performance.now() - t0) / 1000;
  if (!summary) throw new Error('run ended without a summary');
  io.out(formatSummary(summary, `${relative(cwd, written.dir) || '.'}/ (${written.files.join(', ')})`, seconds));
  return EXIT_OK;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** JSON Schemas of the config and every output, generated from the zod schemas. */
export function jsonSchemas(): Record<string, unknown> {
  return {
    'sim.config.schema.json': z.toJSONSchema(SimConfigSchema, { io: 'input', unrepresentable: 'any' }),
    'summary.schema.json': z.toJSONSchema(SummarySchema),
    'timeline.schema.json': z.toJSONSchema(TimelineSchema),
    'timeline-interval.schema.json': z.toJSONSchema(TimelineIntervalSchema),
    'trades.schema.json': z.toJSONSchema(TradesSchema),
    'trade.schema.json': z.toJSONSchema(TradeSchema),
    'federated.schema.json': z.toJSONSchema(FederatedFileSchema),
    ...sweepJsonSchemas(),
    ...evaluationJsonSchemas(),
  };
}

export function buildProgram(io: Io, cwd: string, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('wattswap')
    .description('Agent-based simulator of peer-to-peer energy trading between California households')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();

  const nonNegativeNumber = (name: string) => (v: string) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x) || x < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0`);
    return x;
  };
  const positiveInt = (name: string) => (v: string) => {
    if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError(`${name} must be a whole number`);
    return v;
  };

  program
    .command('run')
    .description('run a simulation and write summary.json, timeline.json and trades.json')
    .option('-c, --config <file>', 'config file (default: ./sim.config.json when present)')
    .option('--scenario <name>', `named scenario overlay (${SCENARIOS.map((s) => s.name).join(', ')})`)
    .option('--households <n>', 'number of households', positiveInt('--households'))
    .option('--days <n>', 'trading days', positiveInt('--days'))
    .option('--start <date>', 'first trading day, YYYY-MM-DD (America/Los_Angeles)')
    .option('--seed <n>', 'the seed every random draw derives from', positiveInt('--seed'))
    .option('-o, --out <dir>', 'output directory (default from the config: runs/{scenario}-seed{seed})')
    .action(async (flags: RunFlags) => setExit(await commandRun(flags, io, cwd)));

  program
    .command('validate')
    .description('validate a config (and scenario/flags) without running; prints the resolved config')
    .option('-c, --config <file>', 'config file (default: ./sim.config.json when present)')
    .option('--scenario <name>', 'named scenario overlay')
    .option('--households <n>', 'number of households')
    .option('--days <n>', 'trading days')
    .option('--start <date>', 'first trading day')
    .option('--seed <n>', 'seed')
    .option('-o, --out <dir>', 'output directory')
    .option('--quiet', 'print only problems')
    .action((flags: RunFlags & { quiet?: boolean }) => {
      const config = loadConfig(flags, cwd);
      if (!flags.quiet) io.out(`config is valid\n${JSON.stringify(config, null, 2)}`);
      setExit(EXIT_OK);
    });

  program
    .command('schema')
    .description('write JSON Schemas of the config and every output file, generated from the zod schemas')
    .requiredOption('-o, --out <dir>', 'directory to write the schemas into')
    .action((flags: { out: string }) => {
      const dir = resolve(cwd, flags.out);
      mkdirSync(dir, { recursive: true });
      const schemas = jsonSchemas();
      for (const [name, schema] of Object.entries(schemas)) writeAtomic(join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
      io.out(`wrote ${Object.keys(schemas).length} schemas to ${relative(cwd, dir) || '.'}: ${Object.keys(schemas).join(', ')}`);
      setExit(EXIT_OK);
    });

  program
    .command('scenarios')
    .description('list the named scenarios')
    .option('--markdown', 'print the README table (name, what it represents, source figures)')
    .action((flags: { markdown?: boolean }) => {
      if (flags.markdown) io.out(scenariosMarkdown());
      else for (const s of SCENARIOS) io.out(`${s.name.padEnd(24)} ${s.description}`);
      setExit(EXIT_OK);
    });

  registerSweepCommand(program, io, setExit, cwd);
  registerEvaluateCommand(program, io, setExit, cwd);
  registerWorkerCommand(program, io, setExit);

  program
    .command('serve')
    .description('start the live demo: REST API, socket.io stream and dashboard (http://127.0.0.1:8080/)')
    .option('--port <n>', 'port (0 = any free port)', positiveInt('--port'), '8080')
    .option('--host <host>', 'interface to bind; anything but loopback needs a token', '127.0.0.1')
    .option('--token <token>', 'token required to start, change or cancel runs (default: env WATTSWAP_TOKEN)')
    .option('--speed <n>', 'default broadcast pace, intervals per second (0 = as fast as the engine)', nonNegativeNumber('--speed'), 4)
    .option('--max-runs <n>', 'most runs computing at once', positiveInt('--max-runs'), '2')
    .option('-c, --config <file>', 'base config (default: ./sim.config.json when present)')
    .option('--queue <redis-url>', 'report this distributed sweep queue (redis://HOST:PORT) in /metrics')
    .action(async (flags: { port: number | string; host: string; token?: string; speed: number; maxRuns: number | string; config?: string; queue?: string }) => {
      const { startServer, ServerStartError } = await import('../outputs/server/index.ts');
      let server;
      try {
        server = await startServer({
          port: Number(flags.port),
          host: flags.host,
          token: flags.token,
          speed: flags.speed,
          maxConcurrentRuns: Number(flags.maxRuns),
          config: flags.config,
          queue: flags.queue,
          cwd,
          logger: false,
        });
      } catch (e) {
        if (e instanceof ServerStartError || e instanceof ConfigError) {
          io.err(`wattswap serve: ${e.message}`);
          setExit(EXIT_USAGE);
          return;
        }
        throw e;
      }
      io.out(`wattswap serve: dashboard ${server.url}/ · API docs ${server.url}/docs · Ctrl-C stops`);
      await new Promise<void>((resolveStop) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolveStop();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
      setExit(EXIT_OK);
    });

  const dataGen = program.command('data-gen').description('synthetic households, weather and PV');
  dataGen
    .command('report')
    .description('generate a population for a full calendar year and print its statistics next to the reference figures')
    .option('-c, --config <file>', 'config file (default: ./sim.config.json when present)')
    .option('--households <n>', 'number of households')
    .option('--seed <n>', 'seed')
    .option('--year <yyyy>', 'calendar year', '2025')
    .option('--json', 'print the report as JSON')
    .action((flags: RunFlags & { year: string; json?: boolean }) => {
      const config = loadConfig(flags, cwd);
      const year = Number(flags.year);
      if (!Number.isInteger(year) || year < 1990 || year > 2100) throw new InvalidArgumentError('--year must be a year between 1990 and 2100');
      const rngFor = createRngFactory(config.seed);
      const households = generatePopulation(config.households, rngFor);
      const report = populationReport(households, config.weather, year, rngFor);
      io.out(flags.json ? JSON.stringify(report, null, 2) : formatPopulationReport(report));
      setExit(EXIT_OK);
    });

  return program;
}

/** Runs the CLI; returns the process exit code (0 ok, 1 failure, 2 bad config or usage). */
export async function main(argv: string[], cwd = process.cwd(), io?: Partial<Io>): Promise<number> {
  const fullIo: Io = {
    out: io?.out ?? ((s) => process.stdout.write(`${s}\n`)),
    err: io?.err ?? ((s) => process.stderr.write(`${s}\n`)),
    progress: io?.progress ?? Boolean(process.stderr.isTTY),
  };
  let code = EXIT_OK;
  const program = buildProgram(fullIo, cwd, (c) => (code = c));
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof ConfigError) {
      fullIo.err(`wattswap: invalid configuration (${e.code})\n${e.message}`);
      return EXIT_USAGE;
    }
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof InvalidArgumentError) {
      fullIo.err(`wattswap: ${e.message}`);
      return EXIT_USAGE;
    }
    fullIo.err(`wattswap: ${(e as Error).stack ?? String(e)}`);
    return EXIT_FAILURE;
  }
}
