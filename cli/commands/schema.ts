/** `wattswap schema`: the JSON Schemas of the config and every output file, generated from the zod schemas. */
import type { Command } from 'commander';
import type { Io, SetExit } from '../io.ts';

export function registerSchemaCommand(program: Command, io: Io, setExit: SetExit, cwd: string): Command {
  return program
    .command('schema')
    .description('write JSON Schemas of the config and every output file, generated from the zod schemas')
    .requiredOption('-o, --out <dir>', 'directory to write the schemas into')
    .action(async (flags: { out: string }) => {
      const { commandSchema } = await import('../actions/schema.ts');
      setExit(commandSchema(flags, io, cwd));
    });
}
