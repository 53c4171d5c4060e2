import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { contactFilterSchema } from './filter.js';
import { exportFile, startExport } from './export.js';

const tags = ['contacts'];

export const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;
  const exportDir = join(config.DATA_DIR, 'exports');

  app.post(
    '/contacts/export',
        {
      schema: {
        tags,
        body: z.strictObject({ filter: contactFilterSchema, columns: z.array(z.string().max(60)).max(100).optional() }),
        response: { 202: z.object({ jobId: z.string() }) },
      },
    },
    async (request, reply) => reply.code(202).send(await startExport(db, actorOf(request), request.body, exportDir)),
  );

  app.get('/contacts/exports/:id/download', { schema: { tags, params: z.object({ id: z.uuid() }) } }, async (request, reply) => {
    const path = await exportFile(db, actorOf(request), request.params.id);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="contacts-${request.params.id.slice(0, 8)}.csv"`)
      .send(createReadStream(path));
  });
};
