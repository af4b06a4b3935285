/** `wattswap inspect FILE…`: its options; the report (cli/actions/inspect.ts) loads when the command runs. */
import type { Command } from 'commander';
import type { InspectFlags, InspectIo } from '../actions/inspect.ts';

/**
 * Registers `inspect`. Exit 0 when the files would import as they are; 2 when they would not (a
 * listed bad row, an interval length other than 15/30/60 minutes) or cannot be read — the report is
 * printed either way, except for an unreadable file or header.
 */
export function registerInspectCommand(
  program: Command,
  io: InspectIo,
  setExit: (code: number) => void = (c) => (process.exitCode = c),
  cwd: string = process.cwd(),
): Command {
  return program
    .command('inspect')
    .description('range, interval length, homes, gaps, per-home daily load and PV, and broken rows of meter files (CSV or Green Button XML)')
    .argument('<files...>', 'meter files')
    .option('--json', 'print the report as JSON')
    .option('--timezone <zone>', 'IANA time zone of timestamps without an offset', 'America/Los_Angeles')
    .option('--max-bad-rows <n>', 'bad rows listed (the rest are counted)', '20')
    .action(async (files: string[], flags: InspectFlags) => {
      const { commandInspect } = await import('../actions/inspect.ts');
      setExit(await commandInspect(files, flags, io, cwd));
    });
}
