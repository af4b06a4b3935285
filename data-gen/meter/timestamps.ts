import { IANAZone } from 'luxon';

/**
 * ISO 8601 timestamps of input files, parsed to whole minutes since 1970-01-01T00:00Z. With an
 * offset or `Z` a timestamp is exact; without one it is local time in the configured zone: a
 * repeated (fall-back) time has two candidate instants, a skipped (spring-forward) time none.
 * Parsing is arithmetic plus a cached zone lookup: the same timestamp text repeats once per home.
 */
export type ParsedTimestamp =
  | { kind: 'exact'; minute: number }
  | { kind: 'local'; minutes: readonly number[] }
  | { kind: 'error'; reason: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const MAX_CACHE = 200_000;

export interface TimestampParser {
  (text: string): ParsedTimestamp;
}

/** A parser for timestamps whose naive (offset-less) times are local in `zone`. */
export function createTimestampParser(zone: string): TimestampParser {
  const tz = IANAZone.create(zone);
  if (!tz.isValid) throw new RangeError(`unknown time zone "${zone}"`);
  const cache = new Map<string, ParsedTimestamp>();
  let lastText = '';
  let last: ParsedTimestamp = { kind: 'error', reason: '' };
  return (text) => {
    if (text === lastText) return last;
    let r = cache.get(text);
    if (r !== undefined) {
      lastText = text;
      last = r;
      return r;
    }
    r = parse(text, tz, zone);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(detach(text), r);
    lastText = text;
    last = r;
    return r;
  };
}

function parse(text: string, tz: IANAZone, zone: string): ParsedTimestamp {
  const m = ISO.exec(text);
  if (!m) return { kind: 'error', reason: `"${text}" is not an ISO 8601 timestamp (expected e.g. 2025-08-04T00:00:00-08:00)` };
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const frac = m[7] === undefined ? 0 : Number(m[7]);
  const wallMs = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(wallMs);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return { kind: 'error', reason: `"${text}" is not a real date and time` };
  }
  if (s !== 0 || frac !== 0) return { kind: 'error', reason: `"${text}" is not on a whole minute (interval starts are whole minutes)` };
  const wallMin = wallMs / 60_000;
  const off = m[8];
  if (off !== undefined) {
    if (off === 'Z' || off === 'z') return { kind: 'exact', minute: wallMin };
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 18 || om > 59) return { kind: 'error', reason: `"${text}" has an impossible UTC offset` };
    return { kind: 'exact', minute: wallMin - sign * (oh * 60 + om) };
  }
  // naive local time: the instants whose offset in the zone maps them to this wall-clock time
  const candidates = new Set<number>();
  for (const probe of [wallMs - 14 * 3_600_000, wallMs + 14 * 3_600_000]) {
    const o = tz.offset(probe);
    const instant = wallMin - o;
    if (tz.offset(instant * 60_000) === o) candidates.add(instant);
  }
  const minutes = [...candidates].sort((a, b) => a - b);
  if (minutes.length === 0) {
    return { kind: 'error', reason: `local time "${text}" does not exist in ${zone} (skipped by the daylight-saving change); give an offset` };
  }
  return { kind: 'local', minutes };
}

/** Formats a minute as ISO 8601 with the zone's offset at that instant (2025-08-04T00:00:00-07:00). */
export function isoInZone(minute: number, zone: string): string {
  const tz = IANAZone.create(zone);
  const off = tz.offset(minute * 60_000);
  const local = new Date((minute + off) * 60_000).toISOString().slice(0, 19);
  const a = Math.abs(off);
  const sign = off < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/**
 * A copy of a string that shares no memory with its source. A field cut from a 1 MB chunk of the
 * file is a slice that keeps the whole chunk alive; kept as a map key (a timestamp, a home id) it
 * would keep the whole file in memory.
 */
export function detach(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
