import { Readable } from 'node:stream';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { AppError, invalid } from '../../platform/http/errors.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { getImport, importErrorsCsv, listImports, previewImport, startImport, uploadImport } from './service.js';

const tags = ['imports'];
const idParams = z.object({ id: z.string() });

const importSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  fileSize: z.number(),
  fileKind: z.enum(['csv', 'xlsx']),
  headers: z.array(z.string()),
  mapping: z.record(z.string(), z.string()).nullable(),
  policy: z.enum(['skip', 'fill_empty', 'overwrite', 'merge']),
  tagIds: z.array(z.string()),
  status: z.enum(['uploaded', 'queued', 'running', 'done', 'failed', 'cancelled']),
  jobId: z.string().nullable(),
  rowsTotal: z.number().nullable(),
  rowsDone: z.number(),
  rowsCreated: z.number(),
  rowsUpdated: z.number(),
  rowsSkipped: z.number(),
  rowsFailed: z.number(),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
const importResponse = z.object({ import: importSchema });

// A target: a contact field, identity.<channel type>, custom.<key>, or ignore (checked by the service).
const mapping = z.record(z.string().max(200), z.string().max(100)).refine((m) => Object.keys(m).length <= 500, 'At most 500 columns');
const previewBody = z.strictObject({ mapping });
const startBody = z.strictObject({
  mapping,
  policy: z.enum(['skip', 'fill_empty', 'overwrite', 'merge']).default('skip'),
  tagIds: z.array(z.uuid()).max(100).optional(),
});

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;
  // Registered here so the upload limit applies to this route only; JSON routes keep BODY_LIMIT_BYTES.
  await app.register(fastifyMultipart, { limits: { fileSize: config.IMPORT_MAX_BYTES, files: 1, fields: 10, parts: 11 } });

  app.post(
    '/imports',
    {
      schema: {
        tags,
        consumes: ['multipart/form-data'],
        description: 'Upload a CSV or an Excel .xlsx (field `file`; the first worksheet is read); answers with the header, the first rows and a suggested mapping.',
        response: {
          201: z.object({
            import: importSchema.extend({ sampleRows: z.array(z.array(z.string())), suggestedMapping: z.record(z.string(), z.string()), encoding: z.string() }),
          }),
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw invalid([{ path: 'file', message: 'Send the file as multipart/form-data in the field "file"' }]);
      const actor = actorOf(request);
      const part = await request.file().catch((error: unknown) => {
        throw new AppError('validation_failed', 'The upload could not be read', { cause: error });
      });
      if (!part || part.fieldname !== 'file') throw invalid([{ path: 'file', message: 'Send the CSV or .xlsx in the field "file"' }]);
      const created = await uploadImport(db, config, actor, { fileName: part.filename || 'import.csv', stream: part.file, truncated: () => part.file.truncated });
      return reply.code(201).send({ import: created });
    },
  );

  app.get('/imports', { schema: { tags, querystring: pageQuery, response: { 200: pageSchema(importSchema) } } }, async (request) =>
    listImports(db, actorOf(request), request.query),
  );

  app.get('/imports/:id', { schema: { tags, params: idParams, response: { 200: importResponse } } }, async (request) => ({
    import: await getImport(db, actorOf(request), request.params.id),
  }));

  app.post(
    '/imports/:id/preview',
    {
      schema: {
        tags,
        params: idParams,
        body: previewBody,
        response: {
          200: z.object({
            rows: z.array(z.object({ line: z.number(), values: z.record(z.string(), z.unknown()), errors: z.array(z.object({ column: z.string(), reason: z.string() })) })),
          }),
        },
      },
    },
    async (request) => previewImport(db, actorOf(request), request.params.id, request.body.mapping),
  );

  app.post(
    '/imports/:id/start',
    { schema: { tags, params: idParams, body: startBody, response: { 202: importResponse.extend({ jobId: z.string() }) } } },
    async (request, reply) => reply.code(202).send(await startImport(db, actorOf(request), request.params.id, request.body)),
  );

  app.get('/imports/:id/errors.csv', { schema: { tags, params: idParams, produces: ['text/csv'] } }, async (request, reply) => {
    const { fileName, chunks } = await importErrorsCsv(db, actorOf(request), request.params.id);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="import-errors.csv"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
      .send(Readable.from(chunks));
  });
};
