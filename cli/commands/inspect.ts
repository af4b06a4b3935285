/** `wattswap inspect FILE…`: the first look at meter files, as tables or `--json`. */
import type { Command } from 'commander';
import { formatInspectReport, InputError, inspectMeterFiles } from '../../data-gen/index.ts';

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;

export interface InspectIo {
  out(s: string): void;
  err(s: string): void;
}

export interface InspectFlags {
  json?: boolean;
  timezone: string;
  maxBadRows: string;
}

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
    .action(async (files: string[], flags: InspectFlags) => setExit(await commandInspect(files, flags, io, cwd)));
}

export async function commandInspect(files: string[], flags: InspectFlags, io: InspectIo, cwd: string): Promise<number> {
  const maxBadRows = Number(flags.maxBadRows);
  if (!/^\d+$/.test(flags.maxBadRows.trim())) {
    io.err('wattswap inspect: --max-bad-rows must be a whole number');
    return EXIT_USAGE;
  }
  let report;
  try {
    report = await inspectMeterFiles(files, { timezone: flags.timezone, cwd, maxBadRows });
  } catch (e) {
    if (!(e instanceof InputError) && !(e instanceof RangeError)) throw e;
    io.err(`wattswap inspect: bad input (${e instanceof InputError ? e.code : 'WATTSWAP_ERR_INPUT'})\n${e.message}`);
    return EXIT_USAGE;
  }
  io.out(flags.json ? JSON.stringify(report, null, 2) : formatInspectReport(report));
  const importable = report.badRows.length === 0 && report.homes.every((h) => h.intervalOk);
  return importable ? EXIT_OK : EXIT_USAGE;
}
