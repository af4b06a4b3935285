export { ParquetFileWriter, type ParquetCompression, type ParquetFileOptions } from './file.ts';
export { TimelineParquetWriter, TradesParquetWriter, TARGET_BATCH_ROWS, type TimelineParquetOptions } from './timeline.ts';
export { RunParquetFiles } from './run.ts';
export { writeSweepParquet, sweepColumns } from './sweep.ts';
export { writeCityParquet, cityColumns } from './city.ts';
