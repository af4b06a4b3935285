import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkFigures } from '../../docs/figures/check.ts';
import { FIGURES, markdownTable, type Figure } from '../../docs/figures/registry.ts';
import { renderFigures } from '../../docs/figures/render.ts';

const demo: Figure<{ rows: number[] }> = {
  source: 'bench/results/demo.json',
  command: 'node demo.ts',
  schema: z.object({ rows: z.array(z.number()) }),
  render: (d) => markdownTable(['x'], d.rows.map((x) => [String(x)])),
};
const figures = { demo } as Record<string, Figure<unknown>>;
const page = (table: string) => `intro\n\n<!-- figure:demo -->\n${table}\n<!-- /figure -->\n\nafter\n`;

describe('figure tables rendered from results files', () => {
  it('re-renders a stale table from its results file and names the command under it', () => {
    const r = renderFigures(page('| x |\n|---|\n| 1 |'), figures, () => ({ rows: [2, 3] }));
    expect(r.problems).toEqual([]);
    expect(r.figures).toEqual(['demo']);
    expect(r.text).toContain('| x |\n| --- |\n| 2 |\n| 3 |');
    expect(r.text).toContain('written by `node demo.ts`');
    expect(r.text.startsWith('intro\n\n')).toBe(true);
    expect(r.text.endsWith('\n\nafter\n')).toBe(true);
    // rendering twice changes nothing
    expect(renderFigures(r.text, figures, () => ({ rows: [2, 3] })).text).toBe(r.text);
  });

  it('reports an unknown figure and a results file of the wrong shape, leaving the page as it was', () => {
    const unknown = renderFigures('<!-- figure:nope -->\n| a |\n<!-- /figure -->', figures, () => ({}));
    expect(unknown.problems[0].reason).toMatch(/no figure named nope/);
    const wrong = renderFigures(page('| x |'), figures, () => ({ rows: 'many' }));
    expect(wrong.problems[0].reason).toMatch(/bench\/results\/demo\.json does not have the shape/);
    expect(wrong.text).toBe(page('| x |'));
  });

  it('every registered figure reads a results file committed in the repo', () => {
    for (const [name, f] of Object.entries(FIGURES)) expect(f.source, name).toMatch(/^bench\/results\/.+\.json$/);
  });

  it('npm run docs:check: every figure table in README.md and docs/ equals what its results file gives', () => {
    expect(checkFigures(false)).toEqual([]);
  });
});
