// Serves the built console (web/dist) and falls back to its index.html for client-side routes.
// API and webhook paths that match nothing get a problem+json 404 instead.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';
import { sendProblem } from './error-handler.js';

export const CONSOLE_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export async function registerConsole(app: FastifyInstance) {
  const built = existsSync(`${CONSOLE_DIR}/index.html`);
  // wildcard: files are looked up per request, so a rebuilt console is served without a restart.
  if (built) await app.register(fastifyStatic, { root: CONSOLE_DIR, wildcard: true, index: false });

  app.setNotFoundHandler({ preHandler: undefined }, (request, reply) => {
    const path = request.url.split('?')[0]!;
    const isPage = request.method === 'GET' && !/^\/(api|hooks)(\/|$)/.test(path);
    if (!isPage) return sendProblem(request, reply, new AppError('not_found', `No route ${request.method} ${path}`));
    if (!built) return reply.type('text/plain').send('The console is not built yet: run `npm run build:web`.');
    return reply.type('text/html').sendFile('index.html');
  });
}
