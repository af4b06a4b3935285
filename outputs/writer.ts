import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Observable } from 'rxjs';
import { SCHEMA_VERSION } from '../sim/contract.ts';
import type { SimConfig } from '../sim/config.ts';
import type { RunEvent } from '../sim/run.ts';
import { timelineIntervalOf, tradesOf } from './records.ts';

/** household-intervals above which the timeline is streamed as NDJSON instead of one document */
export const SINGLE_DOCUMENT_LIMIT = 500_000;

export interface WrittenRun {
  dir: string;
  files: string[];
}

/** Appends text to a file through a large buffer with synchronous writes: bounded memory, no backlog. */
class BufferedFile {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  write(s: string): void {
    this.buffer.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.size === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** A JSON document `{"schema_version":1,"<key>":[ … ]}` written one element at a time, or NDJSON. */
class ArrayWriter {
  private first = true;
  private readonly file: BufferedFile;
  constructor(
    path: string,
    private readonly key: string,
    private readonly ndjson: boolean,
  ) {
    this.file = new BufferedFile(path);
    if (!ndjson) this.file.write(`{"schema_version":${SCHEMA_VERSION},"${key}":[`);
  }
  push(value: unknown): void {
    if (this.ndjson) this.file.write(`${JSON.stringify(value)}\n`);
    else {
      this.file.write(this.first ? JSON.stringify(value) : `,${JSON.stringify(value)}`);
      this.first = false;
    }
  }
  close(): void {
    if (!this.ndjson) this.file.write(']}\n');
    this.file.close();
  }
}

function writeJson(path: string, value: unknown): void {
  const f = new BufferedFile(path);
  f.write(`${JSON.stringify(value, null, 2)}\n`);
  f.close();
}

/**
 * Subscribes to a run and writes its outputs into `dir` atomically: everything goes to a staging
 * directory beside it, which replaces `dir` by rename only once the summary is written. A failed or
 * cancelled run leaves no partial directory behind.
 */
export function writeRunOutputs(run$: Observable<RunEvent>, config: SimConfig, dir: string): Promise<WrittenRun> {
  const target = resolve(dir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(target)}.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);

  let timeline: ArrayWriter | null = null;
  let trades: ArrayWriter | null = null;
  let federated: ArrayWriter | null = null;
  const files: string[] = [];
  const cleanup = () => {
    try {
      timeline?.close();
      trades?.close();
      federated?.close();
    } catch {
      /* already closed */
    }
    rmSync(staging, { recursive: true, force: true });
  };

  return new Promise<WrittenRun>((resolvePromise, reject) => {
    const subscription = run$.subscribe({
      next: (e) => {
        if (e.type === 'start') {
          const size = e.meta.households.length * e.meta.intervals;
          const mode = config.outputs.timeline === 'auto' ? (size > SINGLE_DOCUMENT_LIMIT ? 'ndjson' : 'json') : config.outputs.timeline;
          if (mode !== 'none') {
            const name = mode === 'ndjson' ? 'timeline.ndjson' : 'timeline.json';
            timeline = new ArrayWriter(join(staging, name), 'intervals', mode === 'ndjson');
            files.push(name);
          }
          if (config.outputs.trades) {
            const nd = mode === 'ndjson';
            const name = nd ? 'trades.ndjson' : 'trades.json';
            trades = new ArrayWriter(join(staging, name), 'trades', nd);
            files.push(name);
          }
          writeJson(join(staging, 'config.json'), config);
          files.push('config.json');
          if (config.agents.forecaster === 'transformer' || config.agents.forecaster === 'gated') {
            federated = new ArrayWriter(join(staging, 'federated.json'), 'rounds', false);
            files.push('federated.json');
          }
        } else if (e.type === 'federated') {
          federated?.push(e.record);
        } else if (e.type === 'tick') {
          timeline?.push(timelineIntervalOf(e.meta, e.frame));
          if (trades) for (const t of tradesOf(e.meta, e.frame)) trades.push(t);
        } else if (e.type === 'summary') {
          timeline?.close();
          trades?.close();
          federated?.close();
          timeline = null;
          trades = null;
          federated = null;
          writeJson(join(staging, 'summary.json'), e.summary);
          files.push('summary.json');
        }
      },
      error: (err: unknown) => {
        cleanup();
        reject(err);
      },
      complete: () => {
        try {
          if (!files.includes('summary.json')) throw new Error('run ended without a summary');
          if (existsSync(target)) {
            const old = join(parent, `.${basename(target)}.old-${process.pid}`);
            renameSync(target, old);
            renameSync(staging, target);
            rmSync(old, { recursive: true, force: true });
          } else {
            renameSync(staging, target);
          }
          resolvePromise({ dir: target, files: files.sort() });
        } catch (err) {
          cleanup();
          reject(err);
        }
      },
    });
    void subscription;
  });
}
