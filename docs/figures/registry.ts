/**
 * The figure tables of the README and docs/, each rendered from a results file that a named command
 * writes. A table in a page sits between `<!-- figure:NAME -->` and `<!-- /figure -->`;
 * `npm run docs:figures` re-renders every such table from its results file and `npm run docs:check`
 * fails when a page's table differs from what its results file gives (the tests run it).
 *
 * Adding a figure: measure with a command that writes JSON under bench/results/, add an entry here
 * (its results file, the command that writes it, a zod schema of what is read, a renderer), and put
 * the markers in the page.
 */
import { z } from 'zod';

export interface Figure<T> {
  /** results file, relative to the repository root */
  source: string;
  /** the command that (re)writes `source`, shown under the table */
  command: string;
  schema: z.ZodType<T>;
  render(data: T): string;
}

/** A Markdown table from a header and rows of already formatted cells. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const whole = (x: number) => Math.round(x).toLocaleString('en-US');
const fixed = (digits: number) => (x: number) => x.toFixed(digits);
const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const EngineBench = z.object({
  node: z.string(),
  results: z.array(
    z.object({
      households: z.number(),
      trading_days: z.number(),
      history_days: z.number(),
      household_ticks_per_second: z.number(),
      trading_seconds: z.number(),
      history_seconds: z.number(),
      peak_rss_mib: z.number(),
    }),
  ),
});

const SolBench = z.object({
  households: z.number(),
  days: z.number(),
  rounds: z.number(),
  sol_household_ticks_per_s: z.array(z.number()),
  engine_household_ticks_per_s: z.array(z.number()),
  engine_day_thread_household_ticks_per_s: z.array(z.number()),
  ratio: z.number(),
  ratio_day_thread: z.number(),
});

const engineFull: Figure<z.infer<typeof EngineBench>> = {
  source: 'bench/results/engine-full.json',
  command: 'npm run bench -- --full --json bench/results/engine-full.json',
  schema: EngineBench,
  render: (d) =>
    markdownTable(
      ['homes', 'trading days', 'household-ticks/s', 'trading s', 'history', 'history s', 'RSS MiB'],
      d.results.map((r) => [
        whole(r.households),
        String(r.trading_days),
        whole(r.household_ticks_per_second),
        fixed(2)(r.trading_seconds),
        `${r.history_days} days`,
        fixed(2)(r.history_seconds),
        whole(r.peak_rss_mib),
      ]),
    ),
};

const speedOfLight: Figure<z.infer<typeof SolBench>> = {
  source: 'bench/results/sol.json',
  command: 'node cli/bin/run-ts.mjs bench/sol.ts --json bench/results/sol.json',
  schema: SolBench,
  render: (d) =>
    markdownTable(
      ['homes × days', 'rounds', 'kernel, median', 'engine, one thread', 'ratio', 'days on a worker thread', 'ratio'],
      [
        [
          `${whole(d.households)} × ${d.days}`,
          String(d.rounds),
          `${(median(d.sol_household_ticks_per_s) / 1e6).toFixed(2)} M`,
          `${(median(d.engine_household_ticks_per_s) / 1e6).toFixed(2)} M`,
          `**${percent(d.ratio)}**`,
          `${(median(d.engine_day_thread_household_ticks_per_s) / 1e6).toFixed(2)} M`,
          percent(d.ratio_day_thread),
        ],
      ],
    ),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const FIGURES: Readonly<Record<string, Figure<any>>> = Object.freeze({
  'engine-full': engineFull,
  'speed-of-light': speedOfLight,
});
