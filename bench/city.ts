/**
 * Times `wattswap city` run locally (worker threads) into a temporary directory: wall time and the
 * CPU time of the whole process (main thread and worker threads together), e.g.
 *   node cli/bin/run-ts.mjs bench/city.ts --communities 10 --households 20 --days 1
 *   node cli/bin/run-ts.mjs bench/city.ts --communities 10 --households 20 --param agents.forecaster=seasonal-naive --param baselines.batteryOnly=false --param baselines.perfectForesight=false
 * Any other `wattswap city` flag is passed on (the base config is ./sim.config.json when present).
 * Prints the city's output, then one JSON line with the figures and the machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { registerCityCommand } from '../cli/commands/city.ts';

const args = process.argv.slice(2);
if (args.includes('--out') || args.includes('-o') || args.includes('--queue')) {
  process.stderr.write('bench/city.ts: runs locally into a temporary directory; leave out --out and --queue\n');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'wattswap-bench-city-'));
const program = new Command().name('wattswap').exitOverride();
let code = 0;
registerCityCommand(
  program,
  { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`), progress: Boolean(process.stderr.isTTY) || 'lines' },
  (c) => (code = c),
  process.cwd(),
);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
try {
  await program.parseAsync(['node', 'wattswap', 'city', ...args, '--out', join(dir, 'city')]);
} catch {
  code = 2;
} finally {
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  rmSync(dir, { recursive: true, force: true });
  if (code === 0) {
    const figures = { args, wall_seconds: wallSeconds, cpu_seconds: (cpu.user + cpu.system) / 1e6, cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  }
}
process.exitCode = code;
