export { buildServer, HttpError, SERVER_VERSION, type BuiltServer, type ServerDeps } from './app.ts';
export { startServer, isLoopback, ServerStartError, SERVER_START_ERROR_CODE, type StartServerOptions, type StartedServer } from './main.ts';
export { metricsPlugin, startMetricsServer, workerMetrics, type MetricsPluginOptions } from './metrics.ts';
export { DEFAULT_LIMITS, RunManager, Run, type ServerLimits, type RunNotice } from './runs.ts';
export {
  CompactTickSchema,
  SnapshotSchema,
  RunStatusSchema,
  RunRequestSchema,
  RunMetaSchema,
  SERVER_ERROR_CODES,
  type CompactTick,
  type RunStatus,
  type RunRequest,
} from './schemas.ts';
