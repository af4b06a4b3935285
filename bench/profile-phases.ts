/**
 * Where the engine's time goes, by phase, from V8 CPU profiles:
 *   node --cpu-prof --cpu-prof-dir=DIR cli/bin/run-ts.mjs bench/sol.ts --rounds 1 --one-thread-only
 *   node cli/bin/run-ts.mjs bench/profile-phases.ts DIR [--days N]
 * Each sample is counted under the innermost engine phase on its stack (data generation, decide,
 * market, settle, collector, forecast, day boundary, …; the kernel apart), from every profile in
 * DIR (one per thread). With `--days N`, also per simulated day (N = the days the profiled runs
 * simulated, history included). Samples outside any phase (loading modules, setting up) are "other".
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Function name (and, where the name is ambiguous, the file it must come from) → phase. */
const PHASES: { name: string; file?: string; phase: string }[] = [
  { name: 'solKernel', phase: 'speed-of-light kernel' },
  { name: 'generateDay', phase: 'data generation' },
  { name: 'decide', phase: 'decide (strategy, orders)' },
  { name: 'clearMarket', phase: 'market (rules, matching)' },
  { name: 'settle', file: 'engine/phases.ts', phase: 'settle' },
  { name: 'settleIsland', phase: 'settle' },
  { name: 'tick', file: 'engine/collector.ts', phase: 'collector (run totals)' },
  { name: 'observe', phase: 'observe, forecast' },
  { name: 'forecast', phase: 'observe, forecast' },
  { name: 'priceSignal', phase: 'price signal' },
  { name: 'frameOf', phase: 'record (tick frame)' },
  { name: 'beginDay', phase: 'day boundary (plans, day-ahead)' },
  { name: 'endDay', phase: 'day boundary (plans, day-ahead)' },
  { name: '(garbage collector)', phase: 'garbage collection' },
  { name: '(idle)', phase: 'idle (waiting)' },
];

function phaseOfFrame(node: ProfileNode): string | null {
  const { functionName, url } = node.callFrame;
  for (const p of PHASES) if (p.name === functionName && (p.file === undefined || url.endsWith(p.file))) return p.phase;
  return null;
}

function tally(profile: Profile, into: Map<string, number>): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string>();
  const phaseOf = (id: number): string => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const own = phaseOfFrame(byId.get(id)!);
    const up = parent.get(id);
    const phase = own ?? (up === undefined ? 'other' : phaseOf(up));
    memo.set(id, phase);
    return phase;
  };
  profile.samples.forEach((id, i) => {
    const phase = phaseOf(id);
    into.set(phase, (into.get(phase) ?? 0) + profile.timeDeltas[i] / 1000);
  });
}

const [dir, ...rest] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: bench/profile-phases.ts DIR [--days N]\n');
  process.exit(2);
}
const daysAt = rest.indexOf('--days');
const days = daysAt >= 0 ? Number(rest[daysAt + 1]) : Number.NaN;
const ms = new Map<string, number>();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) tally(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile, ms);
const engineMs = [...ms.entries()].filter(([p]) => !['speed-of-light kernel', 'other', 'idle (waiting)'].includes(p)).reduce((a, [, v]) => a + v, 0);
for (const [phase, v] of [...ms.entries()].sort((a, b) => b[1] - a[1])) {
  const share = ['speed-of-light kernel', 'other', 'idle (waiting)'].includes(phase) ? '' : ` ${((100 * v) / engineMs).toFixed(0).padStart(3)} %`;
  const perDay = Number.isFinite(days) ? `  ${(v / days).toFixed(1).padStart(7)} ms/day` : '';
  process.stdout.write(`${v.toFixed(0).padStart(7)} ms${share}${perDay}  ${phase}\n`);
}
