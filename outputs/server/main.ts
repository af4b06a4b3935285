/**
 * `startServer(opts)`: builds the server and listens. Binds 127.0.0.1 unless told otherwise;
 * binding anywhere else needs a token (flag or WATTSWAP_TOKEN) or it refuses to start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { Observable } from 'rxjs';
import type { RunEvent, SimConfig } from '../../sim/index.ts';
import { buildServer, type BuiltServer } from './app.ts';
import type { ServerLimits } from './runs.ts';
import { parseQueueUrl } from '../../sweep/queue/index.ts';

export interface StartServerOptions {
  /** default 8080; 0 picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** token for starting, changing and cancelling runs; default: env WATTSWAP_TOKEN; required off loopback */
  token?: string | null;
  /** default 2 */
  maxConcurrentRuns?: number;
  /** default broadcast pace of new runs, intervals per second (0 = as fast as the engine); default 4 */
  speed?: number;
  /** base config file (default ./sim.config.json when present, else the schema's defaults) */
  config?: string;
  /** working directory for the default config file (default process.cwd()) */
  cwd?: string;
  /** fastify logger (default: info-level JSON lines on stdout) */
  logger?: boolean | Record<string, unknown>;
  limits?: Partial<ServerLimits>;
  outputRoot?: string;
  runWithComparisons?: (config: SimConfig) => Observable<RunEvent>;
  /** redis://HOST:PORT of a distributed sweep queue to report on in /metrics */
  queue?: string;
}

export interface StartedServer extends BuiltServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  close(): Promise<void>;
}

export const SERVER_START_ERROR_CODE = 'WATTSWAP_ERR_SERVER_START';

/** Refusal to start (no token off loopback, unreadable config). */
export class ServerStartError extends Error {
  readonly code = SERVER_START_ERROR_CODE;
  constructor(message: string) {
    super(message);
    this.name = 'ServerStartError';
  }
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (h.startsWith('::ffff:')) return isLoopback(h.slice(7));
  return isIP(h) === 4 && h.startsWith('127.');
}

function loadBaseConfig(path: string | undefined, cwd: string): unknown {
  const file = path ? resolve(cwd, path) : resolve(cwd, 'sim.config.json');
  if (!path && !existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ServerStartError(`cannot read the base config ${file}: ${(e as Error).message}`);
  }
}

export async function startServer(opts: StartServerOptions = {}): Promise<StartedServer> {
  const host = opts.host ?? '127.0.0.1';
  const envToken = process.env.WATTSWAP_TOKEN;
  const token = opts.token ?? (envToken && envToken.length > 0 ? envToken : null);
  if (!isLoopback(host) && !token) {
    throw new ServerStartError(
      `refusing to listen on ${host} without a token: anyone who can reach it could start runs. Set WATTSWAP_TOKEN or pass --token, or bind 127.0.0.1`,
    );
  }
  if (token !== null && token.length < 8) throw new ServerStartError('the token must be at least 8 characters');
  const queue = opts.queue === undefined ? undefined : parseQueueUrl(opts.queue);
  if (queue && !queue.ok) throw new ServerStartError(queue.reason);
  const built = await buildServer({
    baseConfig: loadBaseConfig(opts.config, opts.cwd ?? process.cwd()),
    token,
    speed: opts.speed,
    limits: { ...opts.limits, ...(opts.maxConcurrentRuns !== undefined ? { maxConcurrentRuns: opts.maxConcurrentRuns } : {}) },
    logger: opts.logger ?? { level: 'info' },
    outputRoot: opts.outputRoot,
    runWithComparisons: opts.runWithComparisons,
    queue: queue?.ok ? queue.value : undefined,
  });
  await built.app.listen({ port: opts.port ?? 8080, host });
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 8080);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { ...built, url: `http://${shownHost}:${port}`, port, close: () => built.app.close() };
}
