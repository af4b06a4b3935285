import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { checkFieldCount, headerColumns, parseNonNegative, readCsvRows, type HeaderColumns } from './csv-lines.ts';
import { InputError } from './errors.ts';

/** One home's metadata; anything absent falls back to the config (battery.*, tariff rules). */
export const HomeMetadataSchema = z.strictObject({
  household_id: z.string().min(1),
  pv_kw: z.number().min(0).max(1000).optional().describe('PV system size, kW DC'),
  battery_kwh: z.number().min(0).max(1000).optional().describe('usable battery capacity, kWh (0 = no battery)'),
  tariff: z.string().min(1).optional().describe('tariff plan id (checked by the run against its tariffs)'),
  storage_mode: z.string().min(1).optional().describe('storage mode (checked by the run against its modes)'),
});
export type HomeMetadata = z.infer<typeof HomeMetadataSchema> & { line?: number };

const OPTIONAL = ['pv_kw', 'battery_kwh', 'tariff', 'storage_mode'] as const;

/** Reads household metadata from CSV or JSON (an array of objects, or `{ "homes": [...] }`). */
export async function readHomesFile(path: string, label: string): Promise<{ homes: HomeMetadata[]; extraColumns: string[] }> {
  if (path.toLowerCase().endsWith('.json')) return { homes: readJson(path, label), extraColumns: [] };
  const homes: HomeMetadata[] = [];
  const seen = new Set<string>();
  let cols: HeaderColumns | null = null;
  for await (const { line, fields } of readCsvRows(path, label)) {
    if (cols === null) {
      cols = headerColumns(fields, ['household_id'], OPTIONAL, label, line);
      continue;
    }
    checkFieldCount(fields, cols, label, line);
    const at = (name: string) => (cols!.index[name] === undefined ? '' : (fields[cols!.index[name]] ?? ''));
    const id = at('household_id');
    const idCol = cols.index.household_id + 1;
    if (id === '') throw new InputError({ file: label, line, column: idCol }, 'household_id is empty');
    if (seen.has(id)) throw new InputError({ file: label, line, column: idCol }, `household_id "${id}" appears twice`);
    seen.add(id);
    const num = (name: 'pv_kw' | 'battery_kwh') => {
      const v = at(name);
      return v === '' ? undefined : (parseNonNegative(v, name, label, line, cols!.index[name] + 1) ?? undefined);
    };
    const h: HomeMetadata = { household_id: id, line };
    const pv = num('pv_kw');
    const bat = num('battery_kwh');
    if (pv !== undefined) h.pv_kw = pv;
    if (bat !== undefined) h.battery_kwh = bat;
    if (at('tariff') !== '') h.tariff = at('tariff');
    if (at('storage_mode') !== '') h.storage_mode = at('storage_mode');
    homes.push(h);
  }
  if (cols === null) throw new InputError({ file: label, line: 1 }, 'the file is empty (a header row is required)');
  return { homes, extraColumns: cols.extra };
}

function readJson(path: string, label: string): HomeMetadata[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError({ file: label }, `not valid JSON (${(e as Error).message})`);
  }
  const list = Array.isArray(raw) ? raw : (raw as { homes?: unknown })?.homes;
  const parsed = z.array(HomeMetadataSchema).safeParse(list);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new InputError({ file: label }, `homes[${i.path.join('].')}: ${i.message}`.replace('].]', ']').replace(/\]\.(\w)/, '].$1'));
  }
  const seen = new Set<string>();
  for (const h of parsed.data) {
    if (seen.has(h.household_id)) throw new InputError({ file: label }, `household_id "${h.household_id}" appears twice`);
    seen.add(h.household_id);
  }
  return parsed.data;
}
