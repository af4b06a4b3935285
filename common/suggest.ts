/** "Did you mean …?" for a mistyped name: the closest known name by edit distance, if close enough. */

/**
 * Edit distance (optimal string alignment): the fewest single-character insertions, deletions,
 * substitutions and swaps of two neighbouring characters from `a` to `b` ("rnu" → "run" is 1).
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], rows[i - 2][j - 2] + 1);
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}

/**
 * The known name closest to `given`, or null when none is close: within a third of the longer
 * name's length (at least 1 edit), or one that contains `given` or is contained in it
 * (`heatwave` → `heatwave-2022`). Ties go to the earlier name.
 */
export function closestName(given: string, known: readonly string[]): string | null {
  const g = given.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    const n = name.toLowerCase();
    const d = editDistance(g, n);
    const close = d <= Math.max(1, Math.floor(Math.max(g.length, n.length) / 3)) || (g.length >= 3 && (n.includes(g) || g.includes(n)));
    if (close && d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** " (did you mean "x"?)" for a mistyped name, or "" when nothing known is close. */
export function didYouMean(given: string, known: readonly string[]): string {
  const name = closestName(given, known);
  return name === null ? '' : ` (did you mean "${name}"?)`;
}
