// The OpenAPI 3.1 document is generated from the routes' Zod schemas: JSON at /api/openapi.json,
// browsable at /api/docs.
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export async function registerOpenApi(app: FastifyInstance, version: string) {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Renmai API',
        version,
        description:
          'Renmai social CRM. Authenticate with `Authorization: Bearer <API key>` or the console session cookie ' +
          '(mutating requests then need the `X-CSRF-Token` header). Errors are `application/problem+json` with a stable `code`. ' +
          'POST accepts an `Idempotency-Key` header. Lists use `?cursor=&limit=` and return `nextCursor`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key created in the console or with `renmai create-api-key`.' },
          session: { type: 'apiKey', in: 'cookie', name: 'renmai_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas registered with an id (recursive ones, like a segment definition's group) become components.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
