/**
 * Meter-import speed (not a test): writes a synthetic long CSV (homes × days of 30-minute data,
 * timestamps with Pacific offsets, rows in time order as utilities export them) to a temp dir, then
 * times `importHouseholds` and the day blocks, and prints rows/s, seconds and peak RSS.
 * The import runs in a child process so that its peak RSS is the import's own, not the writer's.
 *   node cli/bin/run-ts.mjs bench/import.ts [homes=1000] [days=365]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { importHouseholds } from '../data-gen/index.ts';

if (process.argv[2] === '--import') {
  await importOnly(process.argv[3], Number(process.argv[4]));
  process.exit(0);
}

const [homes = 1000, days = 365] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'wattswap-bench-import-'));
const path = join(dir, 'meter.csv');

async function writeCsv(): Promise<number> {
  const out = createWriteStream(path);
  out.write('timestamp,household_id,load_kwh,pv_kwh\n');
  const ids = Array.from({ length: homes }, (_, h) => `home${String(h + 1).padStart(5, '0')}`);
  let t = DateTime.fromISO('2025-01-01T00:00:00', { zone: 'America/Los_Angeles' });
  const end = t.plus({ days });
  let rows = 0;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  while (t < end) {
    const ts = t.toISO({ suppressMilliseconds: true })!;
    const hour = t.hour + t.minute / 60;
    const sun = Math.max(0, Math.sin(((hour - 6) / 13) * Math.PI));
    let chunk = '';
    for (let h = 0; h < homes; h++) {
      const load = 0.2 + 0.6 * rand();
      const pv = h % 2 === 0 ? sun * 2 * (0.8 + 0.2 * rand()) : 0;
      chunk += `${ts},${ids[h]},${load.toFixed(4)},${pv.toFixed(4)}\n`;
    }
    rows += homes;
    if (!out.write(chunk)) await once(out, 'drain');
    t = t.plus({ minutes: 30 });
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

try {
  let t0 = performance.now();
  const rows = await writeCsv();
  const mb = statSync(path).size / 1e6;
  console.log(`wrote ${rows.toLocaleString('en-US')} rows (${homes} homes × ${days} days × 30 min, ${mb.toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const child = spawnSync(process.execPath, [fileURLToPath(new URL('../cli/bin/run-ts.mjs', import.meta.url)), fileURLToPath(import.meta.url), '--import', path, String(rows)], { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`import child exited with ${child.status}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function importOnly(file: string, rows: number): Promise<void> {
  const cpu0 = process.cpuUsage();
  let t0 = performance.now();
  const imp = await importHouseholds({ meter: file });
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `import: ${s.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU, ${Math.round(rows / s).toLocaleString('en-US')} rows/s (${((2 * rows) / 1e6).toFixed(1)} M values: load and PV), ${imp.households.length} homes, ${imp.range.firstDate} … ${imp.range.lastDate}`,
  );
  t0 = performance.now();
  let n = 0;
  let check = 0;
  const whole = Math.round((Date.parse(imp.range.lastDate!) - Date.parse(imp.range.firstDate!)) / 86_400_000) + 1;
  for (const b of imp.blocks(imp.range.firstDate!, whole)) {
    n++;
    check += b.loadKwh[0];
  }
  console.log(`day blocks: ${n} days in ${((performance.now() - t0) / 1000).toFixed(1)} s (check ${check.toFixed(3)})`);
  console.log(`import process peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
