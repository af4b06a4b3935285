/**
 * Sweeps as jobs on a BullMQ queue in Redis: the coordinator enqueues a planned sweep's runs and
 * collects their rows (`wattswap sweep --queue`), workers run them (`wattswap worker`), and the
 * server reads the queue's depth for its metrics. A room of its own so BullMQ and ioredis load only
 * when a queue is used.
 */
export {
  SWEEP_QUEUE_NAME,
  SWEEP_JOB_PROTOCOL,
  REDIS_CONNECT_TIMEOUT_MS,
  QUEUE_DEPTH_STATES,
  parseQueueUrl,
  probeRedis,
  shownUrl,
  openQueueStats,
  type Checked,
  type QueueStats,
  type QueueStatsSource,
  type SweepJobData,
} from './jobs.ts';
export { startQueueWorker, type QueueJobEvent, type QueueWorkerHandle, type QueueWorkerOptions } from './queue-worker.ts';
export { enqueueSweep, runQueuedSweep, QueueUnavailableError, type EnqueueOptions, type EnqueueResult, type QueueFailure } from './coordinator.ts';
