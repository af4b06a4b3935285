/**
 * The Parquet files of one run (`outputs.format: parquet`): timeline.parquet and trades.parquet,
 * fed by the run's tick frames. Used by writeRunOutputs inside its staging directory.
 */
import { join } from 'node:path';
import type { SimConfig } from '../../sim/config.ts';
import type { RunMeta, TickFrame } from '../../sim/engine/index.ts';
import { TimelineParquetWriter, TradesParquetWriter, type TimelineParquetOptions } from './timeline.ts';

export class RunParquetFiles {
  private timeline: TimelineParquetWriter | null = null;
  private trades: TradesParquetWriter | null = null;
  /** the file names this run writes */
  readonly files: string[] = [];

  constructor(dir: string, meta: RunMeta, config: SimConfig, options: TimelineParquetOptions = {}) {
    const metadata = { wattswap: JSON.stringify({ scenario: config.scenario, seed: config.seed }) };
    try {
      if (config.outputs.timeline !== 'none') {
        this.timeline = new TimelineParquetWriter(join(dir, 'timeline.parquet'), meta, { metadata, ...options });
        this.files.push('timeline.parquet');
      }
      if (config.outputs.trades) {
        this.trades = new TradesParquetWriter(join(dir, 'trades.parquet'), meta, { metadata, ...options });
        this.files.push('trades.parquet');
      }
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  push(frame: TickFrame): void {
    this.timeline?.push(frame);
    this.trades?.push(frame);
  }

  /** Finishes both files; on failure removes them and rethrows. */
  async close(): Promise<void> {
    try {
      await Promise.all([this.timeline?.close(), this.trades?.close()]);
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  abort(): void {
    this.timeline?.abort();
    this.trades?.abort();
  }
}
