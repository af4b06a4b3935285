/**
 * What the route plugins share: the run manager, the limits, the token, the base config, and the
 * helpers every route group uses (token check, run lookup, error responses). `HttpError` is an API
 * error with a stable code, rendered as ErrorSchema by the server's error handler.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Scenario, SimConfig } from '../../../sim/index.ts';
import type { Run, RunManager, ServerLimits } from '../runs.ts';
import { ErrorSchema, routeSchema, SERVER_ERROR_CODES } from '../schemas.ts';

export const SERVER_VERSION = '0.1.0';

/** An API error with a stable code; rendered as ErrorSchema. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: { issues?: { path: string; message: string }[]; known?: string[] } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface RouteContext {
  runs: RunManager;
  limits: ServerLimits;
  /** when set, POST/PATCH/DELETE need it */
  token: string | null;
  scenarios: readonly Scenario[];
  /** raw config under every run's scenario and overlay */
  baseConfig: unknown;
  /** the base config validated (its scenario is the default one) */
  base: SimConfig;
  /** default broadcast pace of a new run, intervals per second */
  defaultSpeed: number;
  /** Date.now() when the server was built */
  startedAt: number;
  /** the dashboard's static files */
  dashboardDir: string;
}

/** Error responses for the OpenAPI document, by status code. */
export const errorResponses = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, routeSchema(ErrorSchema)]));

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A preHandler refusing requests without the server's token (none needed when it has none). */
export function tokenCheck(token: string | null) {
  return async (req: FastifyRequest) => {
    if (!token) return;
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : ((req.headers['x-wattswap-token'] as string | undefined) ?? '');
    if (!sameToken(given, token)) {
      throw new HttpError(401, SERVER_ERROR_CODES.unauthorized, 'this server needs a token to start, change or cancel runs: send `Authorization: Bearer <token>`');
    }
  };
}

export function runOr404(ctx: RouteContext, id: string): Run {
  const run = ctx.runs.get(id);
  if (!run) throw new HttpError(404, SERVER_ERROR_CODES.notFound, `no run ${id} (finished runs are kept while there is room: the ${ctx.limits.maxFinishedRuns} most recently used)`);
  return run;
}

export function notFinished(run: Run, what: string): HttpError {
  return run.state === 'running'
    ? new HttpError(409, SERVER_ERROR_CODES.notReady, `run ${run.id} is still running (${run.phase}, interval ${run.produced} of ${run.intervals}): its ${what} is ready when it is done`)
    : new HttpError(409, SERVER_ERROR_CODES.notReady, `run ${run.id} ${run.state === 'failed' ? `failed: ${run.error}` : 'was cancelled'}: it has no ${what}`);
}
