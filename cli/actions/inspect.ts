/** `wattswap inspect FILE…`: the first look at meter files, as tables or `--json`. */
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
