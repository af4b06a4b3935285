import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'wattswap-docs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the documentation site (npm run docs:build)', () => {
  it('builds offline with no dead links between its pages, and every page of the sidebar is there', async () => {
    const bin = join(repo, 'node_modules/.bin/vitepress');
    await promisify(execFile)(bin, ['build', 'docs', '--outDir', out], { cwd: repo, timeout: 170_000 });
    for (const page of ['index', 'cli', 'package', 'output-files', 'OUTPUTS', 'INPUTS', 'measured-homes', 'forecasting', 'server', 'performance', 'architecture']) {
      expect(existsSync(join(out, `${page}.html`)), `${page}.html`).toBe(true);
    }
    expect(readFileSync(join(out, 'performance.html'), 'utf8')).toContain('household-ticks/s');
  }, 180_000);
});
