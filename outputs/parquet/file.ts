/**
 * A Parquet file written batch by batch: Arrow record batches (built with apache-arrow) go through
 * parquet-wasm's streaming writer (the Rust `parquet` crate compiled to WebAssembly, shipped inside
 * the npm package), one row group per batch, and the encoded bytes are appended to a temporary file
 * as they come out. Memory stays bounded by a batch or two whatever the length of the run; the file
 * appears under its name (rename) only once it is complete.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { Table as ArrowTable, tableToIPC, type RecordBatch as ArrowBatch, type Schema } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, transformParquetStream, type RecordBatch as WasmBatch } from 'parquet-wasm';

export type ParquetCompression = 'zstd' | 'snappy' | 'none';

export interface ParquetFileOptions {
  compression?: ParquetCompression;
  /** rows per row group; a batch larger than this is split by the writer */
  rowGroupRows?: number;
  /**
   * columns to dictionary-encode; the others are encoded plain. Default: every column (the
   * encoder's default). Dictionary encoding pays for repeated values (ids, times, rates); on
   * measured doubles it costs time for little size (bench/parquet.ts).
   */
  dictionaryColumns?: readonly string[];
  /**
   * key/value metadata stored in the file footer. At most one key: the encoder keeps them in a hash
   * map, so several keys come out in a varying order and the file would not be byte-identical.
   */
  metadata?: { [key: string]: string };
}

const CODEC: Record<ParquetCompression, Compression> = {
  zstd: Compression.ZSTD,
  snappy: Compression.SNAPPY,
  none: Compression.UNCOMPRESSED,
};

let tmpCounter = 0;

/** Names the file and says why, for errors thrown from anywhere in the pipeline. */
function fileError(path: string, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  return new Error(`cannot write Parquet file ${path}: ${reason}`, { cause: err });
}

/**
 * Streams record batches of one schema into `path`. `append` is synchronous and cheap (the batch
 * is handed to WebAssembly memory); encoding and file writes run on the microtask queue, so they
 * catch up whenever the producer yields to the event loop. `close` resolves once the file is
 * complete and renamed into place; `abort` removes everything written.
 */
export class ParquetFileWriter {
  readonly path: string;
  private readonly tmp: string;
  private fd: number | null;
  private readonly queue: WasmBatch[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  private failure: Error | null = null;
  private readonly done: Promise<void>;
  private batches = 0;
  /** bytes of Parquet written to the file so far */
  bytesWritten = 0;
  rowsWritten = 0;

  readonly schema: Schema;

  /** `empty`: a batch of no rows, whose schema every appended batch has (and that an empty file gets) */
  constructor(
    path: string,
    private readonly empty: ArrowBatch,
    options: ParquetFileOptions = {},
  ) {
    this.schema = empty.schema;
    if (options.metadata && Object.keys(options.metadata).length > 1) throw new Error('Parquet metadata: at most one key (see ParquetFileOptions)');
    this.path = path;
    this.tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (err) {
      throw fileError(path, err);
    }
    let props = new WriterPropertiesBuilder()
      .setCompression(CODEC[options.compression ?? 'zstd'])
      .setMaxRowGroupSize(options.rowGroupRows ?? 1 << 20)
      .setCreatedBy('wattswap (parquet-wasm)');
    if (options.dictionaryColumns) {
      props = props.setDictionaryEnabled(false);
      for (const c of options.dictionaryColumns) props = props.setColumnDictionaryEnabled(c, true);
    }
    if (options.metadata) props = props.setKeyValueMetadata(new Map(Object.entries(options.metadata)));
    const input = new ReadableStream<WasmBatch>({
      pull: async (controller) => {
        while (this.queue.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
        const next = this.queue.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    this.done = this.drain(transformParquetStream(input, props.build()));
    // a failure is reported by close(); keep it from surfacing as an unhandled rejection meanwhile
    this.done.catch(() => undefined);
  }

  private async drain(output: Promise<ReadableStream<Uint8Array>>): Promise<void> {
    try {
      const reader = (await output).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (this.fd === null) throw new Error('aborted');
        writeSync(this.fd, value);
        this.bytesWritten += value.length;
      }
    } catch (err) {
      this.failure ??= fileError(this.path, err);
      throw this.failure;
    }
  }

  /** Batches handed over and not yet encoded. */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues one batch (its schema must be the writer's); it becomes one row group or more. */
  append(batch: ArrowBatch): void {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error(`${basename(this.path)}: append after close`);
    const table = WasmTable.fromIPCStream(tableToIPC(new ArrowTable([batch]), 'stream'));
    for (const b of table.recordBatches()) this.queue.push(b);
    table.free();
    this.batches++;
    this.rowsWritten += batch.numRows;
    this.wake?.();
    this.wake = null;
  }

  /** Ends the stream, waits for the last bytes, then renames the file into place. */
  async close(): Promise<void> {
    // the streaming writer needs a schema from a first batch: an empty table is one batch of 0 rows
    if (this.batches === 0 && !this.failure) this.append(this.empty);
    this.ended = true;
    this.wake?.();
    try {
      await this.done;
      closeSync(this.fd!);
      this.fd = null;
      renameSync(this.tmp, this.path);
    } catch (err) {
      this.abort();
      throw this.failure ?? fileError(this.path, err);
    }
  }

  /** Stops writing and removes the temporary file. Safe to call more than once. */
  abort(): void {
    this.ended = true;
    for (const b of this.queue.splice(0)) b.free();
    this.wake?.();
    this.wake = null;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        /* already closed */
      }
      this.fd = null;
    }
    rmSync(this.tmp, { force: true });
  }
}
