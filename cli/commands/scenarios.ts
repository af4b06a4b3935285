/** `wattswap scenarios`: the named scenarios, as a list or as the README's table. */
import type { Command } from 'commander';
import { SCENARIOS, scenariosMarkdown } from '../../sim/scenarios.ts';
import { EXIT_OK, type Io, type SetExit } from '../io.ts';

export function registerScenariosCommand(program: Command, io: Io, setExit: SetExit): Command {
  return program
    .command('scenarios')
    .description('list the named scenarios')
    .option('--markdown', 'print the README table (name, what it represents, source figures)')
    .action((flags: { markdown?: boolean }) => {
      if (flags.markdown) io.out(scenariosMarkdown());
      else for (const s of SCENARIOS) io.out(`${s.name.padEnd(24)} ${s.description}`);
      setExit(EXIT_OK);
    });
}
