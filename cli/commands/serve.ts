/** `wattswap serve`: the live demo (REST API, socket.io stream and dashboard) until Ctrl-C. */
import type { Command } from 'commander';
import { EXIT_OK, EXIT_USAGE, nonNegativeNumber, positiveInt, type Io, type SetExit } from '../io.ts';

interface ServeFlags {
  port: number | string;
  host: string;
  token?: string;
  speed: number;
  maxRuns: number | string;
  config?: string;
  queue?: string;
}

export function registerServeCommand(program: Command, io: Io, setExit: SetExit, cwd: string): Command {
  return program
    .command('serve')
    .description('start the live demo: REST API, socket.io stream and dashboard (http://127.0.0.1:8080/)')
    .option('--port <n>', 'port (0 = any free port)', positiveInt('--port'), '8080')
    .option('--host <host>', 'interface to bind; anything but loopback needs a token', '127.0.0.1')
    .option('--token <token>', 'token required to start, change or cancel runs (default: env WATTSWAP_TOKEN)')
    .option('--speed <n>', 'default broadcast pace, intervals per second (0 = as fast as the engine)', nonNegativeNumber('--speed'), 4)
    .option('--max-runs <n>', 'most runs computing at once', positiveInt('--max-runs'), '2')
    .option('-c, --config <file>', 'base config (default: ./sim.config.json when present)')
    .option('--queue <redis-url>', 'report this distributed sweep queue (redis://HOST:PORT) in /metrics')
    .action(async (flags: ServeFlags) => setExit(await commandServe(flags, io, cwd)));
}

async function commandServe(flags: ServeFlags, io: Io, cwd: string): Promise<number> {
  const [{ startServer, ServerStartError }, { ConfigError }] = await Promise.all([import('../../outputs/server/index.ts'), import('../../sim/index.ts')]);
  let server;
  try {
    server = await startServer({
      port: Number(flags.port),
      host: flags.host,
      token: flags.token,
      speed: flags.speed,
      maxConcurrentRuns: Number(flags.maxRuns),
      config: flags.config,
      queue: flags.queue,
      cwd,
      logger: false,
    });
  } catch (e) {
    if (e instanceof ServerStartError || e instanceof ConfigError) {
      io.err(`wattswap serve: ${e.message}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  io.out(`wattswap serve: dashboard ${server.url}/ · API docs ${server.url}/docs · Ctrl-C stops`);
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return EXIT_OK;
}
