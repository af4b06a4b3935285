import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Observable } from 'rxjs';
import { SCHEMA_VERSION } from '../sim/contract.ts';
import type { SimConfig } from '../sim/config.ts';
import type { RunMeta } from '../sim/engine/index.ts';
import type { RunEvent } from '../sim/run.ts';
import { isLearnedForecaster } from '../sim/index.ts';
import { RunParquetFiles } from './parquet/index.ts';
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

/** Opens the timeline and trades writers of a JSON run (one document, or NDJSON above the limit). */
function jsonWriters(staging: string, config: SimConfig, meta: RunMeta, files: string[]) {
  const size = meta.households.length * meta.intervals;
  const mode = config.outputs.timeline === 'auto' ? (size > SINGLE_DOCUMENT_LIMIT ? 'ndjson' : 'json') : config.outputs.timeline;
  let timeline: ArrayWriter | null = null;
  let trades: ArrayWriter | null = null;
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
  return { timeline, trades };
}

/**
 * Subscribes to a run and writes its outputs into `dir` atomically: everything goes to a staging
 * directory beside it, which replaces `dir` by rename only once the summary is written (and, with
 * `outputs.format: parquet`, the Parquet files are complete). A failed or cancelled run leaves no
 * partial directory behind.
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
  let parquet: RunParquetFiles | null = null;
  let parquetClosed: Promise<void> = Promise.resolve();
  const files: string[] = [];
  const cleanup = () => {
    try {
      timeline?.close();
      trades?.close();
      federated?.close();
    } catch {
      /* already closed */
    }
    parquet?.abort();
    rmSync(staging, { recursive: true, force: true });
  };

  const onEvent = (e: RunEvent) => {
    if (e.type === 'start') {
      if (config.outputs.format === 'parquet') {
        parquet = new RunParquetFiles(staging, e.meta, config);
        files.push(...parquet.files);
      } else ({ timeline, trades } = jsonWriters(staging, config, e.meta, files));
      writeJson(join(staging, 'config.json'), config);
      files.push('config.json');
      if (isLearnedForecaster(config.agents.forecaster)) {
        federated = new ArrayWriter(join(staging, 'federated.json'), 'rounds', false);
        files.push('federated.json');
      }
    } else if (e.type === 'federated') {
      federated?.push(e.record);
    } else if (e.type === 'tick') {
      parquet?.push(e.frame);
      timeline?.push(timelineIntervalOf(e.meta, e.frame));
      if (trades) for (const t of tradesOf(e.meta, e.frame)) trades.push(t);
    } else if (e.type === 'summary') {
      timeline?.close();
      trades?.close();
      federated?.close();
      timeline = null;
      trades = null;
      federated = null;
      if (parquet) {
        parquetClosed = parquet.close();
        parquetClosed.catch(() => undefined);
      }
      writeJson(join(staging, 'summary.json'), e.summary);
      files.push('summary.json');
    }
  };

  const publish = () => {
    if (!files.includes('summary.json')) throw new Error('run ended without a summary');
    if (existsSync(target)) {
      const old = join(parent, `.${basename(target)}.old-${process.pid}`);
      renameSync(target, old);
      renameSync(staging, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(staging, target);
    }
    return { dir: target, files: files.sort() };
  };

  return new Promise<WrittenRun>((resolvePromise, reject) => {
    let failed = false;
    let subscription: { unsubscribe(): void } | null = null;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      subscription?.unsubscribe();
      cleanup();
      reject(err);
    };
    subscription = run$.subscribe({
      next: (e) => {
        if (failed) return;
        try {
          onEvent(e);
        } catch (err) {
          fail(err);
        }
      },
      error: fail,
      complete: () => {
        parquetClosed.then(() => {
          if (failed) return;
          try {
            resolvePromise(publish());
          } catch (err) {
            fail(err);
          }
        }, fail);
      },
    });
    if (failed) subscription.unsubscribe();
  });
}
