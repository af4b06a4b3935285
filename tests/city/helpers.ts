/** Helpers of the city tests: `wattswap city` in this process, and a directory's files. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerCityCommand } from '../../cli/commands/city.ts';

/** tiny communities: a week of history, no optimum */
export const CITY_FAST = { time: { historyDays: 7 }, baselines: { perfectForesight: false } };

/** `wattswap city ARGS` in this process, as the CLI runs it. */
export async function city(args: string[], cwd: string, progress: boolean | 'lines' = false) {
  const out: string[] = [];
  const err: string[] = [];
  let code = -1;
  const program = new Command().name('wattswap').exitOverride();
  registerCityCommand(program, { out: (s) => out.push(s), err: (s) => err.push(s), progress }, (c) => (code = c), cwd);
  await program.parseAsync(['node', 'wattswap', 'city', ...args]);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every file under dir (relative path → content), runs/ included. */
export function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path);
      else files[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return files;
}

