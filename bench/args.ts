/**
 * A benchmark's whole-number flag, `--name N` (≥ 1), or `fallback` when absent; anything else is
 * a clear error and exit 2.
 */
export function wholeNumberFlag(args: readonly string[], name: string, fallback: number, script: string): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const v = Number(args[at + 1]);
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`${script}: ${name} takes a whole number ≥ 1, got ${args[at + 1]}\n`);
    process.exit(2);
  }
  return v;
}
