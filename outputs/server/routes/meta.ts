/** Route group `meta`: health and limits, the named scenarios, the socket messages' JSON Schemas. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  CompactTickSchema,
  FederatedMessageSchema,
  GapMessageSchema,
  HealthSchema,
  MAX_HOUSEHOLDS,
  routeSchema,
  RunMetaSchema,
  RunStatusSchema,
  ScenarioListSchema,
  SnapshotSchema,
  SummaryMessageSchema,
} from '../schemas.ts';
import { SERVER_VERSION, type RouteContext } from './context.ts';

export async function metaRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { runs, limits } = ctx;
  app.get(
    '/api/health',
    { schema: { tags: ['meta'], summary: 'liveness, limits and whether a token is needed', response: { 200: routeSchema(HealthSchema) } } },
    async () => ({
      status: 'ok' as const,
      version: SERVER_VERSION,
      uptime_s: Math.round((Date.now() - ctx.startedAt) / 100) / 10,
      auth_required: ctx.token !== null,
      runs: { active: runs.activeCount(), retained: runs.size },
      default_speed: ctx.defaultSpeed,
      limits: {
        max_households: MAX_HOUSEHOLDS,
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
      scenarios: ctx.scenarios.map((s) => ({ name: s.name, description: s.description, overlay: s.overlay })),
      default: ctx.base.scenario,
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
}
