/** The dashboard: its static files at /, and uPlot from node_modules at /vendor/. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { SERVER_ERROR_CODES } from '../schemas.ts';
import { HttpError, type RouteContext } from './context.ts';

const require = createRequire(import.meta.url);

function vendorFiles(): Record<string, { body: Buffer; type: string }> {
  const uplotDir = dirname(require.resolve('uplot/package.json'));
  return {
    'uPlot.iife.min.js': { body: readFileSync(join(uplotDir, 'dist', 'uPlot.iife.min.js')), type: 'text/javascript; charset=utf-8' },
    'uPlot.min.css': { body: readFileSync(join(uplotDir, 'dist', 'uPlot.min.css')), type: 'text/css; charset=utf-8' },
  };
}

export async function dashboardRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const vendor = vendorFiles();
  app.get('/vendor/:file', { schema: { hide: true } }, async (req, reply) => {
    const f = vendor[(req.params as { file: string }).file];
    if (!f) throw new HttpError(404, SERVER_ERROR_CODES.notFound, 'no such vendor file');
    return reply.type(f.type).header('cache-control', 'public, max-age=3600').send(f.body);
  });
  await app.register(fastifyStatic, {
    root: resolve(ctx.dashboardDir),
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
  });
}
