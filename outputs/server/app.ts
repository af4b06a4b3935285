/**
 * `buildServer(deps)`: the fastify app (REST API, OpenAPI document and /docs, the dashboard) with
 * the socket.io stream on the same HTTP server. It does not listen: tests call `app.inject()` or
 * `app.listen({ port: 0 })`; `startServer` (main.ts) listens.
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { Server as SocketServer } from 'socket.io';
import { z } from 'zod';
import {
  ConfigError,
  mergeConfig,
  parseSimConfig,
  runScenario as engineRunScenario,
  SCENARIOS,
  type RunEvent,
  type SimConfig,
} from '../../sim/index.ts';
import { DEFAULT_LIMITS, RunManager, type Run, type ServerLimits } from './runs.ts';
import {
  CompactTickSchema,
  ErrorSchema,
  FederatedMessageSchema,
  FileParamsSchema,
  GapMessageSchema,
  HealthSchema,
  PacingRequestSchema,
  RequestError,
  routeSchema,
  RunCreatedSchema,
  RunDeletedSchema,
  RunListSchema,
  RunMetaSchema,
  RunParamsSchema,
  runRequestJsonSchema,
  RunStatusSchema,
  ScenarioListSchema,
  SERVER_ERROR_CODES,
  SnapshotSchema,
  SummaryMessageSchema,
  SummarySchema,
  TimelinePageSchema,
  TimelineQuerySchema,
  TradesPageSchema,
  TradesQuerySchema,
  zodValidatorCompiler,
  type PacingRequest,
  type RunRequest,
} from './schemas.ts';
import { threadRunner, workerRunner } from './engine.ts';
import { attachStream } from './stream.ts';
import { metricsPlugin } from './metrics.ts';
import { openQueueStats } from '../../sim/sweep/queue.ts';

export const SERVER_VERSION = '0.1.0';

type Scenario = (typeof SCENARIOS)[number];

export interface ServerDeps {
  /** an engine to run in this thread instead of sim's runScenario in a worker (tests inject scripted streams) */
  runScenario?: (config: SimConfig) => Observable<RunEvent>;
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

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Server runs always write the contract's single-document files into the server's own directory. */
const SERVER_OUTPUTS = { outputs: { dir: 'server', timeline: 'json', trades: true } };

function vendorFiles(): Record<string, { body: Buffer; type: string }> {
  const uplotDir = dirname(require.resolve('uplot/package.json'));
  return {
    'uPlot.iife.min.js': { body: readFileSync(join(uplotDir, 'dist', 'uPlot.iife.min.js')), type: 'text/javascript; charset=utf-8' },
    'uPlot.min.css': { body: readFileSync(join(uplotDir, 'dist', 'uPlot.min.css')), type: 'text/css; charset=utf-8' },
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function buildServer(deps: ServerDeps = {}): Promise<BuiltServer> {
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  const scenarios = deps.scenarios ?? SCENARIOS;
  const baseConfig = deps.baseConfig ?? {};
  const base = parseSimConfig(baseConfig); // a bad base config stops the server here, not at every run
  const defaultScenario = base.scenario;
  const defaultSpeed = deps.speed ?? 4;
  const token = deps.token ?? null;
  const ownOutputRoot = deps.outputRoot === undefined;
  const outputRoot = deps.outputRoot ?? mkdtempSync(join(tmpdir(), 'wattswap-serve-'));
  const startedAt = Date.now();

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
  const runner = deps.runScenario
    ? threadRunner(deps.runScenario)
    : deps.engine === 'thread'
      ? threadRunner(engineRunScenario)
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
  await app.register(metricsPlugin, { runs, io, queue: deps.queue ? openQueueStats(deps.queue) : null });

  const err = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, routeSchema(ErrorSchema)]));
  const security = token ? [{ bearer: [] }] : undefined;

  const requireToken = async (req: FastifyRequest) => {
    if (!token) return;
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : ((req.headers['x-wattswap-token'] as string | undefined) ?? '');
    if (!sameToken(given, token)) {
      throw new HttpError(401, SERVER_ERROR_CODES.unauthorized, 'this server needs a token to start, change or cancel runs: send `Authorization: Bearer <token>`');
    }
  };

  const runOr404 = (id: string): Run => {
    const run = runs.get(id);
    if (!run) throw new HttpError(404, SERVER_ERROR_CODES.notFound, `no run ${id} (finished runs are kept while there is room: the ${limits.maxFinishedRuns} most recently used)`);
    return run;
  };

  const notFinished = (run: Run, what: string): HttpError =>
    run.state === 'running'
      ? new HttpError(409, SERVER_ERROR_CODES.notReady, `run ${run.id} is still running (${run.phase}, interval ${run.produced} of ${run.intervals}): its ${what} is ready when it is done`)
      : new HttpError(409, SERVER_ERROR_CODES.notReady, `run ${run.id} ${run.state === 'failed' ? `failed: ${run.error}` : 'was cancelled'}: it has no ${what}`);

  // ------------------------------------------------------------------ meta

  app.get(
    '/api/health',
    { schema: { tags: ['meta'], summary: 'liveness, limits and whether a token is needed', response: { 200: routeSchema(HealthSchema) } } },
    async () => ({
      status: 'ok' as const,
      version: SERVER_VERSION,
      uptime_s: Math.round((Date.now() - startedAt) / 100) / 10,
      auth_required: token !== null,
      runs: { active: runs.activeCount(), retained: runs.size },
      default_speed: defaultSpeed,
      limits: {
        max_concurrent_runs: limits.maxConcurrentRuns,
        max_finished_runs: limits.maxFinishedRuns,
        max_household_intervals: limits.maxHouseholdIntervals,
        max_history_days: limits.maxHistoryDays,
        max_optimum_variables: limits.maxOptimumVariables,
        body_limit_bytes: limits.bodyLimitBytes,
        socket_buffer_messages: limits.socketBufferMessages,
        max_lag_intervals: limits.maxLagIntervals,
        max_lag_ms: limits.maxLagMs,
      },
    }),
  );

  app.get(
    '/api/scenarios',
    { schema: { tags: ['meta'], summary: 'the named scenarios a run can start from', response: { 200: routeSchema(ScenarioListSchema) } } },
    async () => ({
      scenarios: scenarios.map((s) => ({ name: s.name, description: s.description, overlay: s.overlay })),
      default: defaultScenario,
    }),
  );

  const socketSchemas = {
    snapshot: z.toJSONSchema(SnapshotSchema, { unrepresentable: 'any' }),
    tick: z.toJSONSchema(CompactTickSchema, { unrepresentable: 'any' }),
    status: z.toJSONSchema(RunStatusSchema, { unrepresentable: 'any' }),
    federated: z.toJSONSchema(FederatedMessageSchema, { unrepresentable: 'any' }),
    gap: z.toJSONSchema(GapMessageSchema, { unrepresentable: 'any' }),
    meta: z.toJSONSchema(RunMetaSchema, { unrepresentable: 'any' }),
    summary: z.toJSONSchema(SummaryMessageSchema, { unrepresentable: 'any' }),
  };
  app.get(
    '/api/socket-schema',
    { schema: { tags: ['meta'], summary: 'JSON Schemas of the socket.io messages (server → client), by event name' } },
    async () => socketSchemas,
  );

  // ------------------------------------------------------------------ runs

  app.post(
    '/api/runs',
    {
      preHandler: requireToken,
      schema: {
        tags: ['runs'],
        summary: 'start a run from a named scenario and/or a config overlay',
        security,
        body: runRequestJsonSchema(),
        response: { 201: routeSchema(RunCreatedSchema), ...err(400, 401, 413, 415, 429) },
      },
    },
    async (req, reply) => {
      const body = req.body as RunRequest;
      let scenario: Scenario | undefined;
      if (body.scenario !== undefined) {
        scenario = scenarios.find((s) => s.name === body.scenario);
        if (!scenario) {
          const known = scenarios.map((s) => s.name);
          throw new HttpError(400, SERVER_ERROR_CODES.scenario, `unknown scenario "${body.scenario}"; known: ${known.join(', ')}`, {
            issues: [{ path: 'body.scenario', message: 'unknown scenario' }],
            known,
          });
        }
      }
      const raw = mergeConfig(
        baseConfig,
        scenario ? scenario.overlay : {},
        scenario ? { scenario: scenario.name } : {},
        body.config ?? {},
        body.seed === undefined ? {} : { seed: body.seed },
        SERVER_OUTPUTS,
      );
      let config: SimConfig;
      try {
        config = parseSimConfig(raw);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        const issues = e.issues.map((i) => ({
          path: i.path === 'seed' && body.seed !== undefined ? 'body.seed' : i.path ? `body.config.${i.path}` : 'body.config',
          message: i.message,
        }));
        throw new HttpError(400, e.code, `invalid configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
      }
      const tooLarge = runs.checkLimits(config);
      if (tooLarge.length > 0) {
        const issues = tooLarge.map((i) => ({ path: `body.config.${i.path}`, message: i.message }));
        throw new HttpError(400, SERVER_ERROR_CODES.limit, issues.map((i) => i.message).join('; '), { issues });
      }
      if (runs.activeCount() >= limits.maxConcurrentRuns) {
        throw new HttpError(
          429,
          SERVER_ERROR_CODES.busy,
          `${limits.maxConcurrentRuns} runs are already running (the server's limit): wait for one to finish or cancel one (DELETE /api/runs/:id)`,
        );
      }
      const run = runs.create(config, { speed: body.speed ?? defaultSpeed, paused: body.paused ?? false });
      void reply.code(201).header('location', `/api/runs/${run.id}`);
      return { id: run.id, status: run.state, run: run.status() };
    },
  );

  app.get(
    '/api/runs',
    { schema: { tags: ['runs'], summary: 'runs kept by the server, newest first', response: { 200: routeSchema(RunListSchema) } } },
    async () => ({ runs: runs.list().map((r) => r.status()) }),
  );

  const params = routeSchema(RunParamsSchema);
  app.get(
    '/api/runs/:id',
    { schema: { tags: ['runs'], summary: 'status and progress (interval i of N)', params, response: { 200: routeSchema(RunStatusSchema), ...err(400, 404) } } },
    async (req) => runOr404((req.params as { id: string }).id).status(),
  );

  app.patch(
    '/api/runs/:id',
    {
      preHandler: requireToken,
      schema: {
        tags: ['runs'],
        summary: 'change the broadcast pace of a run (speed, pause/resume); the engine is not affected',
        security,
        params,
        body: routeSchema(PacingRequestSchema, { io: 'input' }),
        response: { 200: routeSchema(RunStatusSchema), ...err(400, 401, 404) },
      },
    },
    async (req) => {
      const run = runOr404((req.params as { id: string }).id);
      run.setPacing(req.body as PacingRequest);
      return run.status();
    },
  );

  app.delete(
    '/api/runs/:id',
    {
      preHandler: requireToken,
      schema: {
        tags: ['runs'],
        summary: 'cancel a running run, or delete a finished one and its files',
        security,
        params,
        response: { 200: routeSchema(RunDeletedSchema), ...err(400, 401, 404) },
      },
    },
    async (req) => {
      const run = runOr404((req.params as { id: string }).id);
      if (run.cancel()) return { id: run.id, status: 'cancelled' as const };
      runs.remove(run.id);
      return { id: run.id, status: 'deleted' as const };
    },
  );

  app.get(
    '/api/runs/:id/summary',
    { schema: { tags: ['runs'], summary: 'summary.json of a finished run (409 while it runs)', params, response: { 200: routeSchema(SummarySchema), ...err(400, 404, 409) } } },
    async (req) => {
      const run = runOr404((req.params as { id: string }).id);
      if (run.state !== 'done' || !run.summary) throw notFinished(run, 'summary');
      return run.summary;
    },
  );

  const sendPage = (reply: FastifyReply, head: Record<string, unknown>, key: string, records: string[]) => {
    const prefix = JSON.stringify(head).slice(0, -1);
    return reply.type('application/json; charset=utf-8').send(`${prefix},"${key}":[${records.join(',')}]}`);
  };

  app.get(
    '/api/runs/:id/timeline',
    {
      schema: {
        tags: ['runs'],
        summary: 'timeline intervals, paged (records exactly as in timeline.json; available while the run goes on)',
        params,
        querystring: routeSchema(TimelineQuerySchema, { io: 'input' }),
        response: { 200: routeSchema(TimelinePageSchema), ...err(400, 404) },
      },
    },
    async (req, reply) => {
      const run = runOr404((req.params as { id: string }).id);
      const { offset, limit } = req.query as { offset: number; limit: number };
      const lines = run.timeline?.readRaw(offset, offset + limit) ?? [];
      return sendPage(reply, { schema_version: 1, run_id: run.id, offset, limit, available: run.produced, total: run.intervals }, 'intervals', lines);
    },
  );

  app.get(
    '/api/runs/:id/trades',
    {
      schema: {
        tags: ['runs'],
        summary: 'trades in clearing order, paged (records exactly as in trades.json)',
        params,
        querystring: routeSchema(TradesQuerySchema, { io: 'input' }),
        response: { 200: routeSchema(TradesPageSchema), ...err(400, 404) },
      },
    },
    async (req, reply) => {
      const run = runOr404((req.params as { id: string }).id);
      const { offset, limit } = req.query as { offset: number; limit: number };
      const lines = run.trades?.readRaw(offset, offset + limit) ?? [];
      return sendPage(reply, { schema_version: 1, run_id: run.id, offset, limit, available: run.trades?.length ?? 0 }, 'trades', lines);
    },
  );

  app.get(
    '/api/runs/:id/files/:name',
    {
      schema: {
        tags: ['runs'],
        summary: 'download an output file of a finished run (summary.json, timeline.json, trades.json, config.json)',
        params: routeSchema(FileParamsSchema),
        response: { ...err(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const { id, name } = req.params as { id: string; name: string };
      const run = runOr404(id);
      if (run.state !== 'done') throw notFinished(run, 'files');
      if (!run.files.includes(name)) {
        throw new HttpError(404, SERVER_ERROR_CODES.notFound, `run ${id} has no file ${name}; it has ${run.files.join(', ')}`, { known: run.files });
      }
      return reply
        .type(name.endsWith('.ndjson') ? 'application/x-ndjson' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="wattswap-${run.config.scenario}-seed${run.config.seed}-${name}"`)
        .send(createReadStream(join(run.outDir, name)));
    },
  );

  // ------------------------------------------------------------------ dashboard

  const vendor = vendorFiles();
  app.get('/vendor/:file', { schema: { hide: true } }, async (req, reply) => {
    const f = vendor[(req.params as { file: string }).file];
    if (!f) throw new HttpError(404, SERVER_ERROR_CODES.notFound, 'no such vendor file');
    return reply.type(f.type).header('cache-control', 'public, max-age=3600').send(f.body);
  });
  await app.register(fastifyStatic, {
    root: resolve(deps.dashboardDir ?? join(here, '..', 'dashboard')),
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
  });

  return { app, io, runs };
}
