/**
 * `buildServer(deps)`: the fastify app (REST API, OpenAPI document and /docs, the dashboard) with
 * the socket.io stream on the same HTTP server. It does not listen: tests call `app.inject()` or
 * `app.listen({ port: 0 })`; `startServer` (main.ts) listens. The routes are fastify plugins, one
 * file per group in routes/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Observable } from 'rxjs';
import { Server as SocketServer } from 'socket.io';
import { z } from 'zod';
import { resolveConfig, runWithComparisons, SCENARIOS, type RunEvent, type Scenario, type SimConfig } from '../../sim/index.ts';
import { threadRunner, workerRunner } from './run-records.ts';
import { HttpError, SERVER_VERSION, type RouteContext } from './routes/context.ts';
import { compareRoutes } from './routes/compare.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { metaRoutes } from './routes/meta.ts';
import { recordRoutes } from './routes/records.ts';
import { runRoutes } from './routes/runs.ts';
import { DEFAULT_LIMITS, RunManager, type ServerLimits } from './runs.ts';
import { ErrorSchema, RequestError, SERVER_ERROR_CODES, zodValidatorCompiler } from './schemas.ts';
import { attachStream } from './stream.ts';
import { metricsPlugin } from './metrics.ts';
import { openQueueStats } from '../../sweep/queue/index.ts';

export { HttpError, SERVER_VERSION } from './routes/context.ts';

export interface ServerDeps {
  /** an engine to run in this thread instead of sim's runWithComparisons in a worker (tests inject scripted streams) */
  runWithComparisons?: (config: SimConfig) => Observable<RunEvent>;
  /** where the real engine runs (default 'worker': a worker thread per run, so it never freezes the sockets) */
  engine?: 'worker' | 'thread';
  /** named scenarios offered (default: sim's SCENARIOS) */
  scenarios?: readonly Scenario[];
  /** raw config under every run's scenario and overlay (default {}: the schema's defaults); validated once here */
  baseConfig?: unknown;
  /** where runs' files go (default: a new temporary directory, removed when the server closes) */
  outputRoot?: string;
  /** when set, POST/PATCH/DELETE need `Authorization: Bearer <token>` */
  token?: string | null;
  limits?: Partial<ServerLimits>;
  /** default broadcast pace of a new run, intervals per second (0 = as fast as the engine) */
  speed?: number;
  /** fastify logger option (default false) */
  logger?: boolean | Record<string, unknown>;
  /** the dashboard's static files (default: outputs/dashboard) */
  dashboardDir?: string;
  /** redis://HOST:PORT of the distributed sweep queue whose depth and workers /metrics reports */
  queue?: string;
}

export interface BuiltServer {
  app: FastifyInstance;
  io: SocketServer;
  runs: RunManager;
}

const here = dirname(fileURLToPath(import.meta.url));

export async function buildServer(deps: ServerDeps = {}): Promise<BuiltServer> {
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  const baseConfig = deps.baseConfig ?? {};
  const base = resolveConfig(baseConfig); // a bad base config stops the server here, not at every run
  const ownOutputRoot = deps.outputRoot === undefined;
  const outputRoot = deps.outputRoot ?? mkdtempSync(join(tmpdir(), 'wattswap-serve-'));

  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: limits.bodyLimitBytes,
    forceCloseConnections: true,
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.removeContentTypeParser('text/plain'); // the API speaks JSON only: anything else is 415
  // response schemas are for the OpenAPI document; replies are plain JSON.stringify
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const stopping = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    stopping.add(p);
    void p.finally(() => stopping.delete(p));
  };
  const runner = deps.runWithComparisons
    ? threadRunner(deps.runWithComparisons)
    : deps.engine === 'thread'
      ? threadRunner(runWithComparisons)
      : workerRunner(track);
  const runs = new RunManager({ runner, outputRoot, limits });
  const io = new SocketServer(app.server, { serveClient: true, maxHttpBufferSize: 16 * 1024 });
  const detachStream = attachStream(io, runs, {
    socketBufferMessages: limits.socketBufferMessages,
    maxLagIntervals: limits.maxLagIntervals,
    maxLagMs: limits.maxLagMs,
  });

  app.addHook('preClose', (done) => {
    detachStream();
    io.local.disconnectSockets(true);
    io.engine.close();
    done();
  });
  app.addHook('onClose', async () => {
    runs.disposeAll();
    await Promise.allSettled([...stopping]);
    if (ownOutputRoot) rmSync(outputRoot, { recursive: true, force: true });
  });
  setErrorHandlers(app);
  await registerOpenApi(app);

  const ctx: RouteContext = {
    runs,
    limits,
    token: deps.token ?? null,
    scenarios: deps.scenarios ?? SCENARIOS,
    baseConfig,
    base,
    defaultSpeed: deps.speed ?? 4,
    startedAt: Date.now(),
    dashboardDir: deps.dashboardDir ?? join(here, '..', 'dashboard'),
  };
  await app.register(metaRoutes, ctx);
  await app.register(runRoutes, ctx);
  await app.register(recordRoutes, ctx);
  await app.register(compareRoutes, ctx);
  await app.register(dashboardRoutes, ctx);
  await app.register(metricsPlugin, { runs, io, queue: deps.queue ? openQueueStats(deps.queue) : null });
  return { app, io, runs };
}

/** Every error as ErrorSchema (with its stable code); unknown routes as a 404 of the same shape. */
function setErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const statusCode = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (statusCode >= 500) req.log.error(err);
    const body: z.infer<typeof ErrorSchema> = {
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      code: statusCode >= 500 && !err.code ? 'WATTSWAP_ERR_INTERNAL' : (err.code ?? SERVER_ERROR_CODES.request),
      message: statusCode >= 500 ? 'internal server error' : err.message,
    };
    if (err instanceof RequestError) body.issues = err.issues;
    if (err instanceof HttpError) {
      if (err.extra.issues) body.issues = err.extra.issues;
      if (err.extra.known) body.known = err.extra.known;
    }
    void reply.status(statusCode).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({
      statusCode: 404,
      error: 'Not Found',
      code: SERVER_ERROR_CODES.notFound,
      message: `no route ${req.method} ${req.url.split('?')[0]}`,
    });
  });
}

/** The OpenAPI document (built from the routes' zod schemas) and the /docs UI. */
async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'wattswap live server',
        version: SERVER_VERSION,
        description:
          'Start simulations of P2P energy trading among California households, follow them live (socket.io on the same port: emit `join` with a run id; see GET /api/socket-schema), and download their outputs. Request and response schemas are generated from the zod schemas of the code.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'runs', description: 'start, follow, cancel and download runs' },
        { name: 'meta', description: 'scenarios, health, schemas' },
      ],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
