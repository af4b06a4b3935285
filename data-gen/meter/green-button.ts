import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from './errors.ts';
import type { RawHome } from './meter-csv.ts';
import { GridSeries } from './series.ts';
import { isoInZone } from './timestamps.ts';

/**
 * Green Button "Download My Data" (NAESB REQ.21 ESPI) interval data: an Atom feed whose entries hold
 * UsagePoint, MeterReading, ReadingType and IntervalBlock resources. A MeterReading links
 * (rel="related") to its ReadingType; an IntervalBlock links (rel="up") to its MeterReading.
 * ReadingType gives uom (72 = Wh), powerOfTenMultiplier, intervalLength (s) and flowDirection
 * (1 forward = delivered to the home, 19 reverse = received from the home, 4 net = signed).
 * The result is NET grid flow: channel 0 import kWh, channel 1 export kWh.
 */
export const ESPI_UOM_WH = 72;
export const FLOW_FORWARD = 1;
export const FLOW_REVERSE = 19;
export const FLOW_NET = 4;

interface ReadingTypeInfo {
  uom: number;
  power: number;
  flow: number;
  intervalLengthS: number | null;
}

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** Whether a file looks like Green Button XML (by extension or first character). */
export function isGreenButtonPath(path: string, head: string): boolean {
  return extname(path).toLowerCase() === '.xml' || head.trimStart().startsWith('<');
}

/** Reads one Green Button file; the home's id is the file name without its extension. */
export function readGreenButton(path: string, label: string, zone: string): RawHome & { readingTypes: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError({ file: label }, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new InputError({ file: label, line: valid.err.line, column: valid.err.col }, `not well-formed XML: ${valid.err.msg}`);
  const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false, attributeNamePrefix: '@' });
  const doc = parser.parse(text) as Record<string, unknown>;
  const feed = doc.feed as Record<string, unknown> | undefined;
  const entries = asArray(feed?.entry as Record<string, unknown>[] | undefined);
  if (entries.length === 0) throw new InputError({ file: label }, 'no Atom <feed> with <entry> elements: not a Green Button (ESPI) file');
  const selfOf = (e: Record<string, unknown>) => linksOf(e, 'self')[0] ?? '';
  const types = new Map<string, ReadingTypeInfo>();
  const meterReadings: { self: string; related: string[] }[] = [];
  const blocks: { up: string[]; content: Record<string, unknown> }[] = [];
  entries.forEach((e) => {
    const content = (e.content ?? {}) as Record<string, unknown>;
    if (content.ReadingType) types.set(selfOf(e), readingType(content.ReadingType as Record<string, unknown>, label));
    if (content.MeterReading !== undefined) meterReadings.push({ self: selfOf(e), related: linksOf(e, 'related') });
    if (content.IntervalBlock) blocks.push({ up: [...linksOf(e, 'up'), selfOf(e)], content });
  });
  if (blocks.length === 0) throw new InputError({ file: label }, 'no IntervalBlock: the file has no interval readings');
  if (types.size === 0) throw new InputError({ file: label }, 'no ReadingType: the unit and flow direction of the readings are unknown');
  const typeOfBlock = (up: string[]): ReadingTypeInfo => {
    const mr = meterReadings.find((m) => m.self !== '' && up.some((u) => u === m.self || u.startsWith(`${m.self}/`)));
    const t = mr?.related.map((r) => types.get(r)).find((x) => x !== undefined);
    if (t) return t;
    if (types.size === 1) return [...types.values()][0];
    throw new InputError({ file: label }, 'an IntervalBlock links to no MeterReading with a ReadingType (and the file has several ReadingTypes)');
  };
  const imp = new Map<number, number>();
  const exp = new Map<number, number>();
  for (const b of blocks) {
    const t = typeOfBlock(b.up);
    for (const ib of asArray(b.content.IntervalBlock as Record<string, unknown>[])) {
      for (const r of asArray(ib.IntervalReading as Record<string, unknown>[])) addReading(r, t, imp, exp, label, zone);
    }
  }
  const id = basename(path, extname(path));
  const series = new GridSeries(2);
  const minutes = [...new Set([...imp.keys(), ...exp.keys()])].sort((a, b) => a - b);
  const hasImp = imp.size > 0;
  const hasExp = exp.size > 0;
  for (const m of minutes) {
    const i = hasImp ? imp.get(m) : 0;
    const x = hasExp ? exp.get(m) : 0;
    if (i === undefined || x === undefined) continue; // one direction missing: the interval is a gap (filled or reported)
    const r = series.add(m, [i, x]);
    if (r !== 'ok' && r !== 'duplicate') {
      throw new InputError({ file: label }, `readings ${r.badStepMin} minutes apart (at ${isoInZone(m, zone)}); the interval length must be 15, 30 or 60 minutes`);
    }
  }
  return { id, series, firstLine: 1, readingTypes: types.size };
}

function linksOf(e: Record<string, unknown>, rel: string): string[] {
  return asArray(e.link as Record<string, string>[] | undefined)
    .filter((l) => l['@rel'] === rel)
    .map((l) => l['@href'] ?? '');
}

function readingType(rt: Record<string, unknown>, label: string): ReadingTypeInfo {
  const num = (k: string, fallback: number | null): number | null => {
    const v = rt[k];
    if (v === undefined || v === '') return fallback;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new InputError({ file: label }, `ReadingType ${k} "${String(v)}" is not a number`);
    return x;
  };
  const uom = num('uom', null);
  if (uom !== ESPI_UOM_WH) throw new InputError({ file: label }, `ReadingType uom ${uom ?? '(missing)'} is not supported: interval energy must be in Wh (uom 72)`);
  const flow = num('flowDirection', FLOW_FORWARD)!;
  if (flow !== FLOW_FORWARD && flow !== FLOW_REVERSE && flow !== FLOW_NET) {
    throw new InputError({ file: label }, `ReadingType flowDirection ${flow} is not supported (1 forward, 19 reverse, 4 net)`);
  }
  return { uom, power: num('powerOfTenMultiplier', 0)!, flow, intervalLengthS: num('intervalLength', null) };
}

function addReading(r: Record<string, unknown>, t: ReadingTypeInfo, imp: Map<number, number>, exp: Map<number, number>, label: string, zone: string): void {
  const tp = (r.timePeriod ?? {}) as Record<string, unknown>;
  const start = Number(tp.start);
  const value = Number(r.value);
  if (!Number.isInteger(start) || start % 60 !== 0) throw new InputError({ file: label }, `IntervalReading timePeriod start "${String(tp.start)}" is not whole minutes of epoch seconds`);
  const minute = start / 60;
  if (!Number.isFinite(value) || r.value === '') throw new InputError({ file: label }, `IntervalReading at ${isoInZone(minute, zone)}: value "${String(r.value)}" is not a finite number`);
  const kwh = (value * Math.pow(10, t.power)) / 1000;
  if (kwh < 0 && t.flow !== FLOW_NET) throw new InputError({ file: label }, `IntervalReading at ${isoInZone(minute, zone)}: value ${value} is negative`);
  const put = (m: Map<number, number>, v: number) => {
    if (m.has(minute)) throw new InputError({ file: label }, `duplicate IntervalReading at ${isoInZone(minute, zone)} for flow direction ${t.flow}`);
    m.set(minute, v);
  };
  if (t.flow === FLOW_FORWARD) put(imp, kwh);
  else if (t.flow === FLOW_REVERSE) put(exp, kwh);
  else {
    put(imp, Math.max(0, kwh));
    put(exp, Math.max(0, -kwh));
  }
}
