/**
 * Re-renders the figure tables of README.md and docs/**.md from their
 * results files; `npm run docs:check` (`--check`) writes nothing and exits 1 when a page differs.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FIGURES } from './registry.ts';
import { renderFigures } from './render.ts';

const root = join(import.meta.dirname, '../..');

function pages(): string[] {
  const out = [join(root, 'README.md')];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(p);
    }
  };
  walk(join(root, 'docs'));
  return out;
}

/** Checks (or rewrites) every page; returns the problems, one line each. */
export function checkFigures(write: boolean): string[] {
  const cache = new Map<string, unknown>();
  const read = (source: string) => {
    if (!cache.has(source)) cache.set(source, JSON.parse(readFileSync(join(root, source), 'utf8')));
    return cache.get(source);
  };
  const problems: string[] = [];
  for (const page of pages()) {
    const before = readFileSync(page, 'utf8');
    const r = renderFigures(before, FIGURES, read);
    const name = relative(root, page);
    for (const p of r.problems) problems.push(`${name}: figure ${p.figure}: ${p.reason}`);
    if (r.text === before) continue;
    if (write) writeFileSync(page, r.text);
    else problems.push(`${name}: a figure table differs from its results file (run npm run docs:figures)`);
  }
  return problems;
}
