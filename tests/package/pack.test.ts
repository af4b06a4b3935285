/**
 * The published package as a user gets it: `npm pack` (prepack builds dist/), the tarball unpacked
 * into a scratch project in a temporary folder, the CLI, the API and the contract used from there.
 * The scratch project's dependencies are links to this checkout's node_modules, one per dependency
 * the packed package.json declares: no network, the packages CI's `npm ci` installed, and an import
 * of anything undeclared (tsx, a devDependency) fails as it would for a user.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));

interface Manifest {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function sh(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
}

function linkDependency(scratch: string, name: string): void {
  const target = join(repo, 'node_modules', name);
  if (!existsSync(target)) return; // an optional dependency this platform did not install
  const link = join(scratch, 'node_modules', name);
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(target, link, 'dir');
}

describe('the packed wattswap package', () => {
  let scratch = '';
  let installed = '';
  let files: string[] = [];
  let manifest: Manifest;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'wattswap-pack-'));
    const packed = sh('npm', ['pack', '--pack-destination', scratch, '--silent'], repo);
    expect(packed.status, `npm pack failed:\n${packed.stderr}`).toBe(0);
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${scratch}`);
    files = sh('tar', ['-tzf', join(scratch, tarball)], scratch).stdout.trim().split('\n');
    installed = join(scratch, 'node_modules', 'wattswap');
    mkdirSync(installed, { recursive: true });
    const unpacked = sh('tar', ['-xzf', join(scratch, tarball), '-C', installed, '--strip-components=1'], scratch);
    expect(unpacked.status, unpacked.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Manifest;
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) linkDependency(scratch, name);
    for (const name of ['typescript', '@types/node']) linkDependency(scratch, name); // the consumer's own devDependencies
    writeFileSync(join(scratch, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
  }, 300_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('ships the compiled code, its declarations, the licence and the changelog, and no tests, benches or TypeScript sources', () => {
    expect(files).toEqual(expect.arrayContaining(['package/LICENSE', 'package/CHANGELOG.md', 'package/dist/index.js', 'package/dist/contract.d.ts', 'package/dist/outputs/dashboard/index.html']));
    expect(files).toContain('package/dist/sim/engine/day-thread-worker.mjs');
    expect(files.filter((f) => /^package\/(tests|bench)\//.test(f) || /(?<!\.d)\.ts$/.test(f))).toEqual([]);
    expect(manifest.dependencies).not.toHaveProperty('tsx');
  });

  it('starts the CLI from the compiled code, without tsx', () => {
    const bin = join(installed, manifest.bin.wattswap);
    expect(bin).toMatch(/dist\//);
    const help = sh(process.execPath, [bin, '--help'], scratch);
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: wattswap/);
    expect(existsSync(join(scratch, 'node_modules', 'tsx'))).toBe(false);
  });

  it('runs a simulation whose summary.json the published SummarySchema parses, through the API and the contract', () => {
    const bin = join(installed, manifest.bin.wattswap);
    const run = sh(process.execPath, [bin, 'run', '--households', '2', '--days', '1', '--seed', '7', '--out', 'out'], scratch);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('2 households');
    const check = [
      "import { readFileSync } from 'node:fs';",
      "import { SummarySchema } from 'wattswap/contract';",
      "import { SCENARIOS, resolveConfig } from 'wattswap';",
      "const summary = SummarySchema.parse(JSON.parse(readFileSync('out/summary.json', 'utf8')));",
      "const config = resolveConfig({}, { scenario: 'winter' });",
      'console.log(JSON.stringify({ households: summary.run.households, seed: summary.run.seed, scenarios: SCENARIOS.length, start: config.time.start }));',
    ].join('\n');
    writeFileSync(join(scratch, 'check.mjs'), check);
    const checked = sh(process.execPath, ['check.mjs'], scratch);
    expect(checked.status, checked.stderr).toBe(0);
    const seen = JSON.parse(checked.stdout) as { households: number; seed: number; scenarios: number; start: string };
    expect(seen).toMatchObject({ households: 2, seed: 7 });
    expect(seen.scenarios).toBeGreaterThan(5);
    expect(seen.start).toMatch(/^2026-01-/);
  });

  it('typechecks the TypeScript consumer of wattswap/contract (examples/), and rejects a consumer that misreads a type', () => {
    cpSync(join(repo, 'examples', 'contract-consumer.ts'), join(scratch, 'consumer.ts'));
    writeFileSync(join(scratch, 'wrong.ts'), "import type { Trade } from 'wattswap/contract';\nexport const t: Trade = { interval: 0, buyer: 'h01', seller: 'h02', sent_kwh: '1' };\n");
    const tsconfig = { compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] }, files: ['consumer.ts', 'wrong.ts'] };
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = sh(process.execPath, [join(scratch, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], scratch);
    const errors = tsc.stdout.trim().split('\n').filter((l) => /error TS/.test(l));
    expect(errors.filter((l) => !l.startsWith('wrong.ts'))).toEqual([]);
    expect(errors.length, tsc.stdout).toBeGreaterThan(0); // sent_kwh is a number, and delivered_kwh … are missing
  });
});
