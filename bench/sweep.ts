/**
 * Runs `wattswap sweep` with the given flags (to time it):
 *   node cli/bin/run-ts.mjs bench/sweep.ts --scenarios baseline-summer,no-p2p --seeds 1..3 --households 3
 * Prints the sweep's output and its wall time.
 */
import { Command } from 'commander';
import { registerSweepCommand } from '../cli/commands/sweep.ts';

const program = new Command().name('wattswap').exitOverride();
let code = 0;
registerSweepCommand(
  program,
  { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`), progress: Boolean(process.stderr.isTTY) },
  (c) => (code = c),
  process.cwd(),
);
try {
  await program.parseAsync(['node', 'wattswap', 'sweep', ...process.argv.slice(2)]);
} catch {
  code = 2;
}
process.exitCode = code;
