/**
 * How the server runs the engine. A run becomes a stream of plain records (cloneable, the
 * contract's own shapes): the server never holds the engine's reused frames, and the engine can
 * run in a worker thread so that its long synchronous stretches (history generation, a simulated
 * day of 1,000 homes, the perfect-foresight solve) never freeze the sockets and the REST API.
 */
import { readdirSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Observable, Subject } from 'rxjs';
import { timelineIntervalOf, tradesOf, writeRunOutputs } from '../index.ts';
import { isLearnedForecaster, type RunEvent, type RunMeta, type SimConfig, type Summary, type TimelineInterval, type Trade } from '../../sim/index.ts';
import type { RunMetaMessage } from './schemas.ts';

export type RecordEvent =
  | { type: 'start'; meta: RunMetaMessage }
  | { type: 'history'; day: number; days: number }
  | { type: 'tick'; interval: TimelineInterval; trades: Trade[] }
  | { type: 'baseline'; name: string; status: 'started' | 'done' }
  | { type: 'federated'; record: unknown }
  | { type: 'summary'; summary: Summary }
  /** the contract files are written (last event before completion) */
  | { type: 'files'; files: string[] };

/** Runs a validated config, writing the contract files into `outDir`; unsubscribing cancels. */
export type EngineRunner = (config: SimConfig, outDir: string) => Observable<RecordEvent>;

/** The run's households and fixed facts for viewers (run_id is filled in by the server). */
export function metaMessage(m: RunMeta): RunMetaMessage {
  const b = m.nominalBattery;
  return {
    run_id: '',
    scenario: m.config.scenario,
    seed: m.config.seed,
    start: m.startIso,
    end: m.endIso,
    intervals: m.intervals,
    interval_minutes: Math.round(m.intervalHours * 60),
    tariff: m.config.tariff.plan,
    market_enabled: m.marketEnabled,
    forecaster: m.forecaster,
    fedavg_every_intervals: isLearnedForecaster(m.config.agents.forecaster) && m.config.federated.enabled ? m.config.federated.roundEveryIntervals : null,
    battery: { capacity_kwh: b.capacityKwh, min_soc_kwh: b.minSocKwh, max_soc_kwh: b.maxSocKwh, max_power_kw: b.maxPowerKw },
    // one entry per PG&E plan the homes are on (a plan's CARE and export-programme variants are the same plan)
    plans: plansOf(m),
    households: m.households.map((h, i) => ({
      id: h.id,
      has_pv: h.hasPv,
      has_ev: h.hasEv,
      has_battery: m.hasBattery[i] === 1,
      pv_kw: h.pvKw,
      tariff: m.plans[m.planOfHome[i]].id,
    })),
  };
}

/** The record of an engine event (copies what it needs from reused frames); null for events the server does not use. */
export function recordOf(e: RunEvent): RecordEvent | null {
  const ev = e as { type: string; record?: unknown };
  switch (e.type) {
    case 'start':
      return { type: 'start', meta: metaMessage(e.meta) };
    case 'history':
      return { type: 'history', day: e.day, days: e.days };
    case 'tick':
      return { type: 'tick', interval: timelineIntervalOf(e.meta, e.frame), trades: tradesOf(e.meta, e.frame) };
    case 'baseline':
      return { type: 'baseline', name: e.name, status: e.status };
    case 'summary':
      return { type: 'summary', summary: e.summary };
    default:
      // other events ({ type: 'federated', record }, 'end') are not needed here
      return ev.type === 'federated' ? { type: 'federated', record: ev.record } : null;
  }
}

/** Removes what a writer killed mid-run leaves: its staging directory beside `outDir`. */
export function removeStaging(outDir: string): void {
  const parent = dirname(outDir);
  const prefix = `.${basename(outDir)}.tmp-`;
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const n of names) if (n.startsWith(prefix)) rmSync(join(parent, n), { recursive: true, force: true });
}

/** The engine in this thread (tests inject scripted engines this way). */
export function threadRunner(runWithComparisons: (config: SimConfig) => Observable<RunEvent>): EngineRunner {
  return (config, outDir) =>
    new Observable<RecordEvent>((subscriber) => {
      const feed = new Subject<RunEvent>();
      let finished = false;
      const written = writeRunOutputs(feed, config, outDir);
      written.catch(() => undefined); // its failure is reported below, or the run was cancelled
      const inner = runWithComparisons(config).subscribe({
        next: (e) => {
          feed.next(e);
          let r: RecordEvent | null;
          try {
            r = recordOf(e);
          } catch (err) {
            finished = true;
            inner?.unsubscribe();
            feed.error(err);
            subscriber.error(err);
            return;
          }
          if (r) subscriber.next(r);
        },
        error: (err: unknown) => {
          finished = true;
          feed.error(err);
          subscriber.error(err);
        },
        complete: () => {
          finished = true;
          feed.complete();
          written.then(
            (w) => {
              subscriber.next({ type: 'files', files: w.files });
              subscriber.complete();
            },
            (err: unknown) => subscriber.error(new Error(`writing the outputs failed: ${(err as Error).message}`)),
          );
        },
      });
      return () => {
        inner.unsubscribe();
        if (!finished) feed.error(new Error('run cancelled'));
      };
    });
}

type WorkerMessage = { type: 'event'; event: RecordEvent } | { type: 'error'; message: string } | { type: 'complete' };

/**
 * The engine in a worker thread; unsubscribing terminates the worker at once, even mid-solve.
 * `onStopping` receives each termination in progress (the server awaits them before it removes
 * its directory).
 */
export function workerRunner(onStopping: (stopped: Promise<void>) => void = () => undefined): EngineRunner {
  return (config, outDir) =>
    new Observable<RecordEvent>((subscriber) => {
      let closed = false;
      const worker = new Worker(new URL('./run-records-worker.mjs', import.meta.url), { workerData: { config, outDir } });
      worker.on('message', (m: WorkerMessage) => {
        if (closed) return;
        if (m.type === 'event') subscriber.next(m.event);
        else if (m.type === 'error') {
          closed = true;
          subscriber.error(new Error(m.message));
        } else {
          closed = true;
          subscriber.complete();
        }
      });
      worker.on('error', (err) => {
        if (closed) return;
        closed = true;
        subscriber.error(err);
      });
      worker.on('exit', (code) => {
        if (closed) return;
        closed = true;
        subscriber.error(new Error(`the engine worker stopped (exit code ${code})`));
      });
      return () => {
        if (closed) return;
        closed = true;
        onStopping(worker.terminate().then(() => removeStaging(outDir)));
      };
    });
}

/** The PG&E plans the run's homes are on, in first-use order, with how many homes each. */
function plansOf(m: RunMeta): { id: string; households: number }[] {
  const count = new Map<string, number>();
  for (let h = 0; h < m.households.length; h++) {
    const id = m.plans[m.planOfHome[h]].id;
    count.set(id, (count.get(id) ?? 0) + 1);
  }
  return [...count].map(([id, households]) => ({ id, households }));
}
