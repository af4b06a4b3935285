/** `wattswap validate`: resolve and validate a config (file, scenario, --param, flags) without running. */
import { loadConfig, type ConfigFlags } from '../config.ts';
import { formatInputsReport } from '../../data-gen/index.ts';
import { loadMeasuredHomes } from '../../sim/index.ts';
import { EXIT_OK, type Io } from '../io.ts';

export async function commandValidate(flags: ConfigFlags & { quiet?: boolean }, io: Io, cwd: string): Promise<number> {
  const config = loadConfig(flags, cwd);
  // measured homes are imported too: a bad file is reported here, before any run
  const measured = await loadMeasuredHomes(config, cwd);
  if (!flags.quiet) {
    io.out(`config is valid\n${JSON.stringify(config, null, 2)}`);
    if (measured) io.out(formatInputsReport(measured.report));
  }
  return EXIT_OK;
}
