/** Route group `runs` (comparison): two finished runs side by side, their headline differences and community series. */
import type { FastifyInstance } from 'fastify';
import { headlineDifference, headlineOf, runLabel } from '../compare.ts';
import type { Run } from '../runs.ts';
import { CompareQuerySchema, ComparisonSchema, routeSchema, type Comparison } from '../schemas.ts';
import { errorResponses as err, notFinished, runOr404, type RouteContext } from './context.ts';

function compared(run: Run): Comparison['a'] {
  if (run.state !== 'done' || !run.summary || !run.store || !run.meta) throw notFinished(run, 'comparison');
  return {
    run: run.status(),
    label: runLabel(run.summary),
    start: run.meta.start,
    interval_minutes: run.meta.interval_minutes,
    plans: run.meta.plans,
    headline: headlineOf(run.summary),
    series: run.store.communitySeries(),
  };
}

export async function compareRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.get(
    '/api/compare',
    {
      schema: {
        tags: ['runs'],
        summary: 'two finished runs side by side: headline figures of each (from summary.json), their differences b − a, and each community per interval',
        querystring: routeSchema(CompareQuerySchema, { io: 'input' }),
        response: { 200: routeSchema(ComparisonSchema), ...err(400, 404, 409) },
      },
    },
    async (req) => {
      const { a, b } = req.query as { a: string; b: string };
      const ra = compared(runOr404(ctx, a));
      const rb = compared(runOr404(ctx, b));
      return { a: ra, b: rb, difference: headlineDifference(ra.headline, rb.headline) };
    },
  );
}
