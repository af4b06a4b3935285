/** `wattswap schema`: the JSON Schemas of the config and every output file, generated from the zod schemas. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { FederatedFileSchema, SimConfigSchema, SummarySchema, TimelineIntervalSchema, TimelineSchema, TradeSchema, TradesSchema } from '../../sim/index.ts';
import { evaluationJsonSchemas } from '../../evaluate/index.ts';
import { meterJsonSchemas } from '../../data-gen/index.ts';
import { sweepJsonSchemas } from '../../sweep/index.ts';
import { cityJsonSchemas } from '../../city/index.ts';
import { EXIT_OK, shownPath, type Io } from '../io.ts';

/** JSON Schemas of the config and every output, by file name. */
export function jsonSchemas(): Record<string, unknown> {
  return {
    'sim.config.schema.json': z.toJSONSchema(SimConfigSchema, { io: 'input', unrepresentable: 'any' }),
    'summary.schema.json': z.toJSONSchema(SummarySchema),
    'timeline.schema.json': z.toJSONSchema(TimelineSchema),
    'timeline-interval.schema.json': z.toJSONSchema(TimelineIntervalSchema),
    'trades.schema.json': z.toJSONSchema(TradesSchema),
    'trade.schema.json': z.toJSONSchema(TradeSchema),
    'federated.schema.json': z.toJSONSchema(FederatedFileSchema),
    ...sweepJsonSchemas(),
    ...cityJsonSchemas(),
    ...evaluationJsonSchemas(),
    ...meterJsonSchemas(),
  };
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function commandSchema(flags: { out: string }, io: Io, cwd: string): number {
  const dir = resolve(cwd, flags.out);
  mkdirSync(dir, { recursive: true });
  const schemas = jsonSchemas();
  for (const [name, schema] of Object.entries(schemas)) writeAtomic(join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
  io.out(`wrote ${Object.keys(schemas).length} schemas to ${shownPath(flags.out)}: ${Object.keys(schemas).join(', ')}`);
  return EXIT_OK;
}
