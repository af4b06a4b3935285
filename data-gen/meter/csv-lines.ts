import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsvLine } from 'csv-parse/sync';
import { InputError } from './errors.ts';

/** One data row of a CSV file: its 1-based line number and its fields. */
export interface CsvRow {
  line: number;
  fields: string[];
}

/**
 * Streams a CSV file row by row, never holding the text in memory: node:readline splits lines and a
 * line without quotes is split on commas (the common case, and fast); a line with quotes is
 * tokenised by csv-parse (RFC 4180 quoting). Fields are trimmed; blank lines are skipped; a BOM is
 * dropped. Quoted fields spanning lines are not supported (meter files never have them).
 */
export async function* readCsvRows(path: string, label: string): AsyncGenerator<CsvRow> {
  let stream;
  try {
    stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    await new Promise<void>((resolveOpen, rejectOpen) => {
      stream!.once('open', () => resolveOpen());
      stream!.once('error', rejectOpen);
    });
  } catch (e) {
    throw new InputError({ file: label }, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (let text of lines) {
      line++;
      if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.trim() === '') continue;
      yield { line, fields: splitLine(text, label, line) };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

function splitLine(text: string, label: string, line: number): string[] {
  if (text.indexOf('"') < 0) {
    const parts = text.split(',');
    for (let i = 0; i < parts.length; i++) parts[i] = parts[i].trim();
    return parts;
  }
  try {
    const rows = parseCsvLine(text, { trim: true, relax_column_count: true }) as string[][];
    return rows[0] ?? [];
  } catch (e) {
    throw new InputError({ file: label, line }, `cannot split the line into fields (${(e as Error).message.split('\n')[0]})`);
  }
}

/** Maps header names (lower-cased, trimmed) to their column index; extra columns are returned for a warning. */
export function headerColumns(
  fields: readonly string[],
  required: readonly string[],
  optional: readonly string[],
  label: string,
  line: number,
): { index: Record<string, number>; extra: string[] } {
  const index: Record<string, number> = {};
  const extra: string[] = [];
  fields.forEach((raw, i) => {
    const name = raw.toLowerCase();
    if (required.includes(name) || optional.includes(name)) {
      if (name in index) throw new InputError({ file: label, line, column: i + 1 }, `column "${name}" appears twice in the header`);
      index[name] = i;
    } else extra.push(raw);
  });
  const missing = required.filter((r) => !(r in index));
  if (missing.length > 0) {
    throw new InputError(
      { file: label, line },
      `header must name the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (got "${fields.join(',')}"; the header row is required)`,
    );
  }
  return { index, extra };
}

/** Parses a kWh (or other non-negative) value; `null` for an empty field. */
export function parseNonNegative(text: string, what: string, label: string, line: number, column: number): number | null {
  if (text === '') return null;
  const x = Number(text);
  if (!Number.isFinite(x) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    throw new InputError({ file: label, line, column }, `${what} "${text}" is not a finite number`);
  }
  if (x < 0) throw new InputError({ file: label, line, column }, `${what} ${text} is negative`);
  return x;
}

/** Parses any finite number (temperatures may be negative); `null` for an empty field. */
export function parseFinite(text: string, what: string, label: string, line: number, column: number): number | null {
  if (text === '') return null;
  const x = Number(text);
  if (!Number.isFinite(x) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    throw new InputError({ file: label, line, column }, `${what} "${text}" is not a finite number`);
  }
  return x;
}
