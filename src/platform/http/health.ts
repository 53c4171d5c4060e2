import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { pendingMigrations } from '../db/migrate.js';

/** `/healthz`: the process answers. `/readyz`: the database answers and every migration is applied. */
export async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    try {
      await sql`select 1`.execute(app.ctx.db);
      const pending = await pendingMigrations(app.ctx.db);
      if (pending.length) return reply.code(503).send({ status: 'migrations pending', pending });
      return { status: 'ready' };
    } catch (err) {
      request.log.warn({ err }, 'not ready');
      return reply.code(503).send({ status: 'database unavailable' });
    }
  });
}
