// The Fastify instance with Renmai's HTTP conventions; domains add their routes to it.
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerAuthentication } from './authenticate.js';
import type { AppContext } from './context.js';
import { registerErrorHandler } from './error-handler.js';
import { registerIdempotency } from './idempotency.js';

const REQUEST_ID = /^[\w.:-]{1,64}$/;

export async function createServer(ctx: AppContext): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.BODY_LIMIT_BYTES,
    trustProxy: ctx.config.TRUST_PROXY,
    // Accept a caller's request id (from a proxy) when it is sane; otherwise mint one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.decorate('ctx', ctx);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandler(app);
  // An empty body sent as JSON (curl -H 'content-type: application/json' -X POST) means "no body",
  // not malformed JSON; anything else goes through Fastify's prototype-poisoning-safe parser.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    (body as string).trim() === '' ? done(null, undefined) : parseJson(request, body as string, done),
  );
  await app.register(fastifyCookie);
  registerAuthentication(app);
  registerIdempotency(app);
  return app;
}
