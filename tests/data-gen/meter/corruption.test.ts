/**
 * A valid meter file, corrupted at random: fields dropped, added, split or merged (a row with too
 * few or too many fields), or only reformatted (spaces around fields, CRLF, blank lines). Each
 * corrupted file is either rejected with an error located at the first broken row (file, line,
 * column), and listed as a bad row by `inspect`, or imported exactly as the original: never
 * silently changed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importHouseholds, inspectMeterFiles, InputError } from '../../../data-gen/index.ts';
import { HEADER, rows, withFiles } from './helpers.ts';

const START = '2025-07-01';
const valid = [
  HEADER,
  ...rows('a', '2025-07-01T00:00:00-07:00', 30, Array.from({ length: 48 }, (_, i) => 0.25 + i / 64), (i) => (i > 16 && i < 34 ? 0.5 + i / 100 : 0)),
  ...rows('b', '2025-07-01T00:00:00-07:00', 60, Array.from({ length: 24 }, (_, i) => 1.5 - i / 32)),
];

/** What the importer made of a file: the homes and the day's load and PV. */
async function imported(text: string) {
  const imp = await importHouseholds({ meter: 'meter.csv', cwd: withFiles({ 'meter.csv': text }) });
  const [day] = [...imp.blocks(START, 1)];
  return { ids: imp.households.map((h) => h.id), pv: imp.households.map((h) => h.hasPv), loadKwh: [...day.loadKwh], pvKwh: [...day.pvKwh] };
}

type Corruption =
  | { kind: 'drop-field' | 'duplicate-field' | 'split-field' | 'merge-fields'; row: number; at: number }
  | { kind: 'append-field'; row: number; text: string }
  | { kind: 'pad-field'; row: number; at: number; pad: string }
  | { kind: 'blank-line'; row: number }
  | { kind: 'crlf'; row: number };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  // the number of fields changes: the row is broken
  fc.record({ kind: fc.constantFrom('drop-field', 'duplicate-field', 'split-field', 'merge-fields'), row: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant('append-field'), row: fc.nat(), text: fc.constantFrom('', '0', 'x', '1.5') }),
  // only the layout changes: the row is the same
  fc.record({ kind: fc.constant('pad-field'), row: fc.nat(), at: fc.nat(), pad: fc.constantFrom(' ', '  ', '\t') }),
  fc.record({ kind: fc.constant('blank-line'), row: fc.nat() }),
  fc.record({ kind: fc.constant('crlf'), row: fc.nat() }),
);

/** The row after its corruption (a blank line before it is added by the caller). */
function corrupt(row: string, c: Corruption): string {
  const fields = row.split(',');
  const i = 'at' in c ? c.at % fields.length : 0;
  switch (c.kind) {
    case 'drop-field':
      fields.splice(i, 1);
      break;
    case 'duplicate-field':
      fields.splice(i, 0, fields[i]);
      break;
    case 'split-field': {
      const cut = c.at % (fields[i].length + 1);
      fields.splice(i, 1, fields[i].slice(0, cut), fields[i].slice(cut));
      break;
    }
    case 'merge-fields': {
      const j = i % (fields.length - 1);
      fields.splice(j, 2, fields[j] + fields[j + 1]);
      break;
    }
    case 'append-field':
      fields.push(c.text);
      break;
    case 'pad-field':
      fields[i] = `${c.pad}${fields[i]}${c.pad}`;
      break;
    case 'crlf':
      return `${row}\r`;
    case 'blank-line':
      return row;
  }
  return fields.join(',');
}

/** The corrupted file (at most one corruption per row) and the line numbers of its broken rows. */
function corrupted(corruptions: readonly Corruption[]): { text: string; brokenLines: number[] } {
  const byRow = new Map<number, Corruption>();
  for (const c of corruptions) {
    const row = 1 + (c.row % (valid.length - 1));
    if (!byRow.has(row)) byRow.set(row, c);
  }
  const out = [valid[0]];
  const brokenLines: number[] = [];
  for (let row = 1; row < valid.length; row++) {
    const c = byRow.get(row);
    if (c?.kind === 'blank-line') out.push('');
    const line = c ? corrupt(valid[row], c) : valid[row];
    out.push(line);
    if (line.split(',').length !== 4) brokenLines.push(out.length);
  }
  return { text: `${out.join('\n')}\n`, brokenLines };
}

describe('meter CSV import under random corruption', () => {
  it('rejects every file with a broken row at the first such row, and imports every other file exactly as the original', async () => {
    const original = await imported(`${valid.join('\n')}\n`);
    await fc.assert(
      fc.asyncProperty(fc.array(corruption, { minLength: 1, maxLength: 3 }), async (corruptions) => {
        const { text, brokenLines } = corrupted(corruptions);
        if (brokenLines.length === 0) {
          expect(await imported(text), `imported differently:\n${text}`).toEqual(original);
          return;
        }
        const error = await imported(text).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error, `accepted a file with broken rows at lines ${brokenLines.join(', ')}`).toBeInstanceOf(InputError);
        const e = error as InputError;
        expect({ file: e.file, line: e.line }).toEqual({ file: 'meter.csv', line: brokenLines[0] });
        expect(e.column, e.message).toBeGreaterThanOrEqual(1);
        expect(e.reason).toMatch(/fields, the header has 4/);
        const report = await inspectMeterFiles(['meter.csv'], { cwd: withFiles({ 'meter.csv': text }), maxBadRows: 10 });
        expect(report.badRows.filter((b) => /the header has/.test(b.reason)).map((b) => b.line)).toEqual(brokenLines);
      }),
      { numRuns: 150 },
    );
  });
});
