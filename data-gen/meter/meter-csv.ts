import { checkFieldCount, forEachCsvRow, headerColumns, parseNonNegative, type HeaderColumns } from './csv-lines.ts';
import { InputError } from './errors.ts';
import { GridSeries } from './series.ts';
import { createTimestampParser, detach, isoInZone } from './timestamps.ts';

export const METER_COLUMNS = ['timestamp', 'household_id', 'load_kwh'] as const;
const OPTIONAL = ['pv_kwh'] as const;

/** A home's readings as read from the file (its native grid, before gap filling and resampling). */
export interface RawHome {
  id: string;
  /** channel 0: load kWh, channel 1: PV kWh (0 where the file has no PV) */
  series: GridSeries;
  /** line of the home's first row */
  firstLine: number;
}

export interface RawMeterFile {
  label: string;
  homes: Map<string, RawHome>;
  hasPvColumn: boolean;
  extraColumns: string[];
  rows: number;
}

/**
 * Streams a long meter CSV (`timestamp,household_id,load_kwh[,pv_kwh]`) into per-home grids. Bad
 * rows throw an `InputError` with the file, line and column. Naive timestamps are local in `zone`;
 * a repeated fall-back time goes to its first instant the first time a home has it, to the second
 * the next time (file order).
 */
export async function readMeterCsv(
  path: string,
  label: string,
  zone: string,
  onBadRow?: (e: InputError) => void,
): Promise<RawMeterFile> {
  const parseTs = createTimestampParser(zone);
  const homes = new Map<string, RawHome>();
  let cols: HeaderColumns | null = null;
  let rows = 0;
  let iTs = 0;
  let iId = 0;
  let iLoad = 0;
  let iPv = -1;
  const values = [0, 0];
  await forEachCsvRow(path, label, (fields, line) => {
    if (cols === null) {
      cols = headerColumns(fields, METER_COLUMNS, OPTIONAL, label, line);
      iTs = cols.index.timestamp;
      iId = cols.index.household_id;
      iLoad = cols.index.load_kwh;
      iPv = cols.index.pv_kwh ?? -1;
      return;
    }
    try {
      addRow(line, fields);
    } catch (e) {
      if (!(onBadRow && e instanceof InputError)) throw e;
      onBadRow(e);
    }
  });
  if (cols === null) throw new InputError({ file: label, line: 1 }, 'the file is empty (a header row is required)');
  if (rows === 0) throw new InputError({ file: label, line: 2 }, 'no data rows after the header');
  return { label, homes, hasPvColumn: iPv >= 0, extraColumns: (cols as HeaderColumns).extra, rows };

  function addRow(line: number, fields: string[]): void {
    checkFieldCount(fields, cols as HeaderColumns, label, line);
    const id = fields[iId];
    if (id === '') throw new InputError({ file: label, line, column: iId + 1 }, 'household_id is empty');
    const ts = parseTs(fields[iTs]);
    if (ts.kind === 'error') throw new InputError({ file: label, line, column: iTs + 1 }, ts.reason);
    const load = parseNonNegative(fields[iLoad], 'load_kwh', label, line, iLoad + 1);
    if (load === null) throw new InputError({ file: label, line, column: iLoad + 1 }, 'load_kwh is empty');
    const pv = iPv >= 0 ? parseNonNegative(fields[iPv], 'pv_kwh', label, line, iPv + 1) : null;
    let home = homes.get(id);
    if (home === undefined) {
      home = { id: detach(id), series: new GridSeries(2), firstLine: line };
      homes.set(home.id, home);
    }
    let minute: number;
    if (ts.kind === 'exact') minute = ts.minute;
    else minute = ts.minutes.length > 1 && home.series.has(ts.minutes[0]) ? ts.minutes[1] : ts.minutes[0];
    values[0] = load;
    values[1] = pv ?? 0;
    const r = home.series.add(minute, values);
    if (r === 'duplicate') {
      throw new InputError({ file: label, line, column: iTs + 1 }, `duplicate row: home ${id} already has a reading at ${isoInZone(minute, zone)}`);
    }
    if (r !== 'ok') {
      throw new InputError(
        { file: label, line, column: iTs + 1 },
        `home ${id}: readings ${r.badStepMin} minutes apart; the interval length must be 15, 30 or 60 minutes`,
      );
    }
    rows++;
  }
}
