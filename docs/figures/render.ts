/**
 * Re-renders the figure tables of Markdown pages from their results files (pure over text: the
 * caller reads and writes files). See registry.ts for the markers.
 */
import type { Figure } from './registry.ts';

const BLOCK = /<!-- figure:([a-z0-9-]+) -->\n[\s\S]*?<!-- \/figure -->/g;

export interface FigureProblem {
  figure: string;
  reason: string;
}

/** The page with every figure block re-rendered; `read(source)` gives a results file's parsed JSON. */
export function renderFigures(
  page: string,
  figures: Readonly<Record<string, Figure<unknown>>>,
  read: (source: string) => unknown,
): { text: string; figures: string[]; problems: FigureProblem[] } {
  const names: string[] = [];
  const problems: FigureProblem[] = [];
  const text = page.replace(BLOCK, (block, name: string) => {
    names.push(name);
    const figure = figures[name];
    if (!figure) {
      problems.push({ figure: name, reason: `no figure named ${name} (known: ${Object.keys(figures).join(', ')})` });
      return block;
    }
    const parsed = figure.schema.safeParse(read(figure.source));
    if (!parsed.success) {
      problems.push({ figure: name, reason: `${figure.source} does not have the shape the figure reads: ${parsed.error.issues[0]?.message}` });
      return block;
    }
    return `<!-- figure:${name} -->\n${figure.render(parsed.data)}\n\n<sub>From \`${figure.source}\`, written by \`${figure.command}\`.</sub>\n<!-- /figure -->`;
  });
  return { text, figures: names, problems };
}
