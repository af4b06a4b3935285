/** Route group `runs`: start a run, list runs, follow one's status, change its pace, cancel or delete it, its summary. */
import type { FastifyInstance } from 'fastify';
import { ConfigError, resolveConfig, type SimConfig } from '../../../sim/index.ts';
import {
  PacingRequestSchema,
  routeSchema,
  RunCreatedSchema,
  RunDeletedSchema,
  RunListSchema,
  RunParamsSchema,
  runRequestJsonSchema,
  RunStatusSchema,
  SERVER_ERROR_CODES,
  SummarySchema,
  type PacingRequest,
  type RunRequest,
} from '../schemas.ts';
import { errorResponses as err, HttpError, notFinished, runOr404, tokenCheck, type RouteContext } from './context.ts';

/** Server runs always write the contract's single-document files into the server's own directory. */
// the server serves timeline.json and trades.json: its runs always write JSON
const SERVER_OUTPUTS = { outputs: { dir: 'server', timeline: 'json', trades: true, format: 'json' } };

/** The config of a requested run: base config, scenario, the request's overlay and seed; a 400 naming the body field when invalid. */
export function requestedConfig(ctx: RouteContext, body: RunRequest): SimConfig {
  if (body.scenario !== undefined && !ctx.scenarios.some((s) => s.name === body.scenario)) {
    const known = ctx.scenarios.map((s) => s.name);
    throw new HttpError(400, SERVER_ERROR_CODES.scenario, `unknown scenario "${body.scenario}"; known: ${known.join(', ')}`, {
      issues: [{ path: 'body.scenario', message: 'unknown scenario' }],
      known,
    });
  }
  try {
    return resolveConfig(ctx.baseConfig, {
      scenario: body.scenario,
      scenarios: ctx.scenarios,
      overlays: [body.config ?? {}, body.seed === undefined ? {} : { seed: body.seed }, SERVER_OUTPUTS],
    });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const issues = e.issues.map((i) => ({
      path: i.path === 'seed' && body.seed !== undefined ? 'body.seed' : i.path ? `body.config.${i.path}` : 'body.config',
      message: i.message,
    }));
    throw new HttpError(400, e.code, `invalid configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
}

export async function runRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { runs, limits } = ctx;
  const requireToken = tokenCheck(ctx.token);
  const security = ctx.token ? [{ bearer: [] }] : undefined;
  const params = routeSchema(RunParamsSchema);

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
      const config = requestedConfig(ctx, body);
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
      const run = runs.create(config, { speed: body.speed ?? ctx.defaultSpeed, paused: body.paused ?? false });
      void reply.code(201).header('location', `/api/runs/${run.id}`);
      return { id: run.id, status: run.state, run: run.status() };
    },
  );

  app.get(
    '/api/runs',
    { schema: { tags: ['runs'], summary: 'runs kept by the server, newest first', response: { 200: routeSchema(RunListSchema) } } },
    async () => ({ runs: runs.list().map((r) => r.status()) }),
  );

  app.get(
    '/api/runs/:id',
    { schema: { tags: ['runs'], summary: 'status and progress (interval i of N)', params, response: { 200: routeSchema(RunStatusSchema), ...err(400, 404) } } },
    async (req) => runOr404(ctx, (req.params as { id: string }).id).status(),
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
      const run = runOr404(ctx, (req.params as { id: string }).id);
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
      const run = runOr404(ctx, (req.params as { id: string }).id);
      if (run.cancel()) return { id: run.id, status: 'cancelled' as const };
      runs.remove(run.id);
      return { id: run.id, status: 'deleted' as const };
    },
  );

  app.get(
    '/api/runs/:id/summary',
    { schema: { tags: ['runs'], summary: 'summary.json of a finished run (409 while it runs)', params, response: { 200: routeSchema(SummarySchema), ...err(400, 404, 409) } } },
    async (req) => {
      const run = runOr404(ctx, (req.params as { id: string }).id);
      if (run.state !== 'done' || !run.summary) throw notFinished(run, 'summary');
      return run.summary;
    },
  );
}
