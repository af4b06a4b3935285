/**
 * The `wattswap` command line: `main(argv)` builds the commander program from one registrar per
 * command (cli/commands/) and maps errors to exit codes (0 ok, 1 failure, 2 bad config or usage).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { didYouMean } from '../common/index.ts';
import { registerCityCommand } from './commands/city.ts';
import { registerDataGenCommand } from './commands/data-gen.ts';
import { registerEvaluateCommand } from './commands/evaluate.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerScenariosCommand } from './commands/scenarios.ts';
import { registerSchemaCommand } from './commands/schema.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerSweepCommand } from './commands/sweep.ts';
import { registerValidateCommand } from './commands/validate.ts';
import { registerWorkerCommand } from './commands/worker.ts';
import { registerInspectCommand } from './commands/inspect.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Io, type SetExit } from './io.ts';

export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Io } from './io.ts';

export function buildProgram(io: Io, cwd: string, setExit: SetExit): Command {
  const program = new Command();
  program
    .name('wattswap')
    .description('Agent-based simulator of peer-to-peer energy trading between California households')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerRunCommand(program, io, setExit, cwd);
  registerValidateCommand(program, io, setExit, cwd);
  registerSchemaCommand(program, io, setExit, cwd);
  registerScenariosCommand(program, io, setExit);
  registerSweepCommand(program, io, setExit, cwd);
  registerCityCommand(program, io, setExit, cwd);
  registerEvaluateCommand(program, io, setExit, cwd);
  registerServeCommand(program, io, setExit, cwd);
  registerDataGenCommand(program, io, setExit, cwd);
  registerWorkerCommand(program, io, setExit);
  registerInspectCommand(program, io, setExit, cwd);
  // a usage error is one line and a pointer to the command's help, not the help itself
  for (const [path, command] of commandPaths(program)) command.showHelpAfterError(`(wattswap ${path}${path ? ' ' : ''}--help for usage)`);
  return program;
}

/** Every command and subcommand by its path ('' for the program, 'run', 'data-gen report', …). */
function commandPaths(command: Command, prefix = ''): [string, Command][] {
  return [[prefix, command], ...command.commands.flatMap((c) => commandPaths(c, prefix ? `${prefix} ${c.name()}` : c.name()))];
}

/** An unknown command (commander would print the program's help for `wattswap report --help`), with the nearest one. */
function unknownCommand(program: Command, argv: string[]): string | null {
  const word = argv.slice(2).find((a) => !a.startsWith('-'));
  if (word === undefined || word === 'help' || program.commands.some((c) => c.name() === word || c.aliases().includes(word))) return null;
  const paths = commandPaths(program)
    .map(([path]) => path)
    .filter((p) => p !== '');
  return `wattswap: unknown command '${word}'${didYouMean(word, paths)}\n(wattswap --help lists the commands)`;
}

/** Runs the CLI; returns the process exit code (0 ok, 1 failure, 2 bad config or usage). */
export async function main(argv: string[], cwd = process.cwd(), io?: Partial<Io>): Promise<number> {
  const fullIo: Io = {
    out: io?.out ?? ((s) => process.stdout.write(`${s}\n`)),
    err: io?.err ?? ((s) => process.stderr.write(`${s}\n`)),
    progress: io?.progress ?? (process.stderr.isTTY ? true : 'lines'),
  };
  let code = EXIT_OK;
  const program = buildProgram(fullIo, cwd, (c) => (code = c));
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    const unknown = unknownCommand(program, argv);
    if (unknown) {
      fullIo.err(unknown);
      return EXIT_USAGE;
    }
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    // an InvalidArgumentError thrown by an action; commander prints its own errors before throwing
    if (e instanceof InvalidArgumentError) {
      fullIo.err(`wattswap: ${e.message}`);
      return EXIT_USAGE;
    }
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    // the error classes load with the code that throws them: only a command that ran has loaded it
    const [{ InputError }, { ConfigError }] = await Promise.all([import('../data-gen/index.ts'), import('../sim/index.ts')]);
    if (e instanceof InputError) {
      fullIo.err(`wattswap: bad input file (${e.code})\n✖ ${e.message}`);
      return EXIT_USAGE;
    }
    if (e instanceof ConfigError) {
      fullIo.err(`wattswap: invalid configuration (${e.code})\n${e.message}`);
      return EXIT_USAGE;
    }
    fullIo.err(`wattswap: ${(e as Error).stack ?? String(e)}`);
    return EXIT_FAILURE;
  }
}
