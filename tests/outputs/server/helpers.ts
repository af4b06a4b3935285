import { Observable } from 'rxjs';
import { buildServer, type BuiltServer, type ServerDeps } from '../../../outputs/server/index.ts';
import type { RunEvent, SimConfig } from '../../../sim/index.ts';

/** A small, fast run: 4 homes, one day, a week of history, no comparison runs. */
export const SMALL = {
  households: { count: 4 },
  time: { days: 1, historyDays: 7 },
  baselines: { batteryOnly: false, perfectForesight: false },
};

/** An engine that starts and never ends (until cancelled): keeps a run "running" for as long as a test needs. */
export const stalledEngine = (_config: SimConfig) => new Observable<RunEvent>(() => () => undefined);

/** A server on a throwaway output directory, no logging, runs at full speed unless told. */
export function testServer(deps: ServerDeps = {}): Promise<BuiltServer> {
  return buildServer({ speed: 0, logger: false, ...deps });
}

/** Polls until `check` returns a value (not undefined), or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until GET /api/runs/:id says the run is no longer running; returns its status. */
export async function waitForRun(server: BuiltServer, id: string, timeoutMs = 60_000): Promise<{ status: string } & Record<string, unknown>> {
  return waitFor(
    `run ${id} to finish`,
    async () => {
      const res = await server.app.inject({ method: 'GET', url: `/api/runs/${id}` });
      const st = res.json();
      return st.status === 'running' ? undefined : st;
    },
    timeoutMs,
  );
}
