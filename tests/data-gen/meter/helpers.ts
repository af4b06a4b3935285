import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { InputError } from '../../../data-gen/index.ts';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A fresh temp directory with the given files; removed after the test. */
export function withFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wattswap-meter-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The message of the InputError a promise rejects with (fails the test on anything else). */
export async function inputErrorOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof InputError) {
      if (e.code !== 'WATTSWAP_ERR_INPUT') throw new Error(`unexpected code ${e.code}`);
      return e.message;
    }
    throw e;
  }
  throw new Error('expected an InputError, got none');
}

/** Rows `timestamp,home,load,pv` for a regular series from an ISO start with an offset. */
export function rows(home: string, startIso: string, stepMin: number, values: readonly number[], pv: (i: number) => number = () => 0): string[] {
  const t0 = Date.parse(startIso);
  const offset = startIso.slice(19);
  return values.map((v, i) => {
    const ms = t0 + i * stepMin * 60_000;
    return `${isoWithOffset(ms, offset)},${home},${v},${pv(i)}`;
  });
}

/** ISO with a fixed offset like -07:00 or Z. */
export function isoWithOffset(ms: number, offset: string): string {
  if (offset === 'Z') return new Date(ms).toISOString().slice(0, 19) + 'Z';
  const sign = offset[0] === '-' ? -1 : 1;
  const mins = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return new Date(ms + mins * 60_000).toISOString().slice(0, 19) + offset;
}

export const HEADER = 'timestamp,household_id,load_kwh,pv_kwh';
export const csv = (lines: readonly string[]) => `${lines.join('\n')}\n`;
