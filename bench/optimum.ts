/**
 * The perfect-foresight community optimum (central/optimum): model size and HiGHS solve time on a
 * synthetic July community, under both tariff assignments.
 *   node cli/bin/run-ts.mjs bench/optimum.ts                 # 10 homes × 1 and 7 days
 *   node cli/bin/run-ts.mjs bench/optimum.ts --json FILE     # also write the figures as JSON (bench/results/optimum.json)
 * The homes are drawn from a fixed seed (loads with an evening peak, 6 of 10 with 7 kW of PV and
 * a 13.5 kWh / 5 kW battery, 2 more with a battery and no PV); the rates are PG&E's real E-TOU-C and
 * E-ELEC schedules and the 2026 Net Billing Tariff export values from 15 July 2026. `nbt` puts the
 * PV homes on E-ELEC (no baseline credit) and the others on E-TOU-C; `uniform` puts everyone on
 * E-TOU-C, whose baseline credit is what makes most netting binaries necessary.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import seedrandom from 'seedrandom';
import { autoStorageMode } from '../battery/index.ts';
import { createOptimumSolver, type OptimumHousehold, type OptimumInput } from '../central/index.ts';
import { exportRateUsdPerKwh, getTariff, type LocalTime } from '../market/index.ts';

const HOMES = 10;
const PER_DAY = 48;

function localTime(day: number, k: number): LocalTime {
  const date = new Date(Date.UTC(2026, 6, 15 + day));
  const weekday = ((date.getUTCDay() + 6) % 7) + 1;
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: Math.floor(k / 2), minute: (k % 2) * 30, weekday };
}

function buildInput(days: number, assignment: 'nbt' | 'uniform'): OptimumInput {
  const rng = seedrandom('bench/optimum');
  const n = days * PER_DAY;
  const times = Array.from({ length: n }, (_, t) => localTime(Math.floor(t / PER_DAY), t % PER_DAY));
  const rates = (id: 'E-TOU-C' | 'E-ELEC'): Float64Array => Float64Array.from(times, (lt) => getTariff(id).rateAt(lt).importUsdPerKwh);
  const eTouC = rates('E-TOU-C');
  const eElec = rates('E-ELEC');
  const households: OptimumHousehold[] = Array.from({ length: HOMES }, (_, i) => {
    const hasPv = i < 6;
    const scale = 0.7 + 0.6 * rng();
    const loadKwh = Float64Array.from(times, (lt) => scale * (0.35 + (lt.hour >= 16 && lt.hour < 22 ? 0.9 : 0) + (lt.hour >= 12 && lt.hour < 18 ? 0.5 : 0)) * (0.8 + 0.4 * rng()));
    const pvKwh = Float64Array.from(times, (lt) => {
      const h = lt.hour + lt.minute / 60 + 0.25;
      return hasPv && h > 6 && h < 20 ? 7 * 0.5 * 0.8 * Math.sin((Math.PI * (h - 6)) / 14) * (0.85 + 0.15 * rng()) : 0;
    });
    const onElec = assignment === 'nbt' && hasPv;
    return {
      loadKwh,
      pvKwh,
      importUsdPerKwh: onElec ? eElec : eTouC,
      baselineAllowanceKwh: onElec ? 0 : 15 * days,
      baselineCreditUsdPerKwh: onElec ? 0 : getTariff('E-TOU-C').baselineCreditUsdPerKwh,
      battery:
        i < 8
          ? { capacityKwh: 13.5, minSocKwh: 1.35, maxSocKwh: 12.15, maxPowerKw: 5, chargeEfficiency: 0.95, dischargeEfficiency: 0.95, initialSocKwh: 6, storageMode: autoStorageMode(hasPv), wearUsdPerKwh: 0.1 }
          : null,
    };
  });
  return {
    intervalHours: 0.5,
    exportUsdPerKwh: Float64Array.from(times, exportRateUsdPerKwh),
    dayOfInterval: Int32Array.from({ length: n }, (_, t) => Math.floor(t / PER_DAY)),
    households,
    p2p: { maxDailySellKwh: 20, transmissionLoss: 0.05 },
    terminalSocAtLeastInitial: true,
  };
}

const solver = await createOptimumSolver();
const rows: Record<string, unknown>[] = [];
for (const days of [1, 7]) {
  for (const assignment of ['nbt', 'uniform'] as const) {
    const input = buildInput(days, assignment);
    const started = performance.now();
    const r = solver.solve(input);
    const solveMs = performance.now() - started;
    const relaxed = solver.solve(input, { enforceNetting: false });
    const row = {
      homes: HOMES,
      days,
      assignment,
      status: r.status,
      variables: r.variables,
      binaries: r.binaryVariables,
      constraints: r.constraints,
      solveMs: Math.round(solveMs),
      totalCostUsd: Number(r.totalCostUsd.toFixed(4)),
      relaxedCostUsd: Number(relaxed.totalCostUsd.toFixed(4)),
      batteryWearUsd: Number(r.batteryWearUsd.toFixed(4)),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
const jsonAt = process.argv.indexOf('--json');
if (jsonAt >= 0 && process.argv[jsonAt + 1]) {
  writeFileSync(process.argv[jsonAt + 1], `${JSON.stringify({ cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', cases: rows }, null, 2)}\n`);
}
