import { createReadStream } from 'node:fs';
import { parse as parseCsvLine } from 'csv-parse/sync';
import { InputError } from './errors.ts';

/**
 * Streams a CSV file and calls `onRow` for every non-blank line with its 1-based line number and its
 * fields, never holding the text in memory: the file is read in 1 MB chunks and cut at newlines
 * (CRLF or LF); a line without quotes is split on commas (the common case, and fast), a line with
 * quotes is tokenised by csv-parse (RFC 4180 quoting). Fields are trimmed; a BOM is dropped. Quoted
 * fields spanning lines are not supported (meter files never have them).
 */
export async function forEachCsvRow(path: string, label: string, onRow: (fields: string[], line: number) => void): Promise<void> {
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
  let line = 0;
  const take = (raw: string) => {
    line++;
    let text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0 || text.trim() === '') return;
    onRow(splitLine(text, label, line), line);
  };
  let rest = '';
  try {
    for await (const chunk of stream) {
      const text = rest + (chunk as string);
      let from = 0;
      let nl: number;
      while ((nl = text.indexOf('\n', from)) >= 0) {
        take(text.slice(from, nl));
        from = nl + 1;
      }
      rest = text.slice(from);
    }
    if (rest.length > 0) take(rest);
  } finally {
    stream.destroy();
  }
}

/** One data row of a CSV file: its 1-based line number and its fields. */
export interface CsvRow {
  line: number;
  fields: string[];
}

/** The rows of a (small) CSV file, as an async iterable (see `forEachCsvRow`). */
export async function* readCsvRows(path: string, label: string): AsyncGenerator<CsvRow> {
  const rows: CsvRow[] = [];
  await forEachCsvRow(path, label, (fields, line) => rows.push({ line, fields }));
  yield* rows;
}

function splitLine(text: string, label: string, line: number): string[] {
  if (text.indexOf('"') < 0) {
    const parts = text.split(',');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (p.length > 0 && (p.charCodeAt(0) <= 32 || p.charCodeAt(p.length - 1) <= 32)) parts[i] = p.trim();
    }
    return parts;
  }
  try {
    const rows = parseCsvLine(text, { trim: true, relax_column_count: true }) as string[][];
    return rows[0] ?? [];
  } catch (e) {
    throw new InputError({ file: label, line }, `cannot split the line into fields (${(e as Error).message.split('\n')[0]})`);
  }
}

/** A CSV header: the column index of each known name, the unknown names (for a warning), every name in order. */
export interface HeaderColumns {
  index: Record<string, number>;
  extra: string[];
  names: string[];
}

/** Maps header names (lower-cased, trimmed) to their column index; extra columns are returned for a warning. */
export function headerColumns(fields: readonly string[], required: readonly string[], optional: readonly string[], label: string, line: number): HeaderColumns {
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
  return { index, extra, names: [...fields] };
}

/**
 * A data row has exactly as many fields as the header: a missing field (a row cut short) or one
 * too many (a stray comma) would shift or drop a value, so it is an error at the first field that
 * is missing or extra.
 */
export function checkFieldCount(fields: readonly string[], header: HeaderColumns, label: string, line: number): void {
  const want = header.names.length;
  if (fields.length === want) return;
  if (fields.length < want) {
    const missing = header.names.slice(fields.length);
    throw new InputError({ file: label, line, column: fields.length + 1 }, `${fields.length} fields, the header has ${want}: ${missing.join(', ')} missing`);
  }
  throw new InputError({ file: label, line, column: want + 1 }, `${fields.length} fields, the header has ${want}: ${fields.length - want} extra after ${header.names[want - 1]}`);
}

/** Parses a kWh (or other non-negative) value; `null` for an empty field. */
export function parseNonNegative(text: string, what: string, label: string, line: number, column: number): number | null {
  if (text === '') return null;
  const x = Number(text);
  if (!Number.isFinite(x) || notDecimal(text)) {
    throw new InputError({ file: label, line, column }, `${what} "${text}" is not a finite number`);
  }
  if (x < 0) throw new InputError({ file: label, line, column }, `${what} ${text} is negative`);
  return x;
}

/** Parses any finite number (temperatures may be negative); `null` for an empty field. */
export function parseFinite(text: string, what: string, label: string, line: number, column: number): number | null {
  if (text === '') return null;
  const x = Number(text);
  if (!Number.isFinite(x) || notDecimal(text)) {
    throw new InputError({ file: label, line, column }, `${what} "${text}" is not a finite number`);
  }
  return x;
}

/** Number() also reads 0x1F, 0b1 and 0o7; a decimal field never has a letter other than e after a leading 0. */
function notDecimal(text: string): boolean {
  if (text.length < 3 || text.charCodeAt(0) !== 48) return false;
  const c = text.charCodeAt(1) | 32;
  return c === 120 || c === 98 || c === 111;
}
