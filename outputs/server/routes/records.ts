/** Route group `runs` (records): a run's timeline and trades, paged as they are produced, and its output files. */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { FileParamsSchema, routeSchema, RunParamsSchema, SERVER_ERROR_CODES, TimelinePageSchema, TimelineQuerySchema, TradesPageSchema, TradesQuerySchema } from '../schemas.ts';
import { errorResponses as err, HttpError, notFinished, runOr404, type RouteContext } from './context.ts';

/** A page as JSON, its records spliced in as the stored text (byte for byte what the files hold). */
function sendPage(reply: FastifyReply, head: Record<string, unknown>, key: string, records: string[]) {
  const prefix = JSON.stringify(head).slice(0, -1);
  return reply.type('application/json; charset=utf-8').send(`${prefix},"${key}":[${records.join(',')}]}`);
}

export async function recordRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const params = routeSchema(RunParamsSchema);

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
      const run = runOr404(ctx, (req.params as { id: string }).id);
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
      const run = runOr404(ctx, (req.params as { id: string }).id);
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
      const run = runOr404(ctx, id);
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
}
