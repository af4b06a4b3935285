import { createHash } from 'node:crypto';
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { isAbsolute, normalize, relative, resolve } from 'node:path';
import { InputError } from './errors.ts';

/** SHA-256 and size of a file, streamed. */
export async function fileDigest(path: string, label: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (e) {
    throw new InputError({ file: label }, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The first bytes of a file as text (to tell XML from CSV). */
export function fileHead(path: string, label: string): string {
  try {
    const fd = openSync(path, 'r');
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, 256, 0);
    closeSync(fd);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new InputError({ file: label }, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** How a file is named in reports and errors: as given when absolute, else relative to `cwd`. */
export function fileLabel(path: string, cwd: string): string {
  return isAbsolute(path) ? normalize(path) : relative(cwd, resolve(cwd, path)) || path;
}
