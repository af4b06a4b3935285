export { writeRunOutputs, SINGLE_DOCUMENT_LIMIT, type WrittenRun } from './writer.ts';
export { writeSweepParquet, writeCityParquet } from './parquet/index.ts';
export { timelineIntervalOf, tradesOf } from './records.ts';
