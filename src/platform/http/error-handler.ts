// Maps every failure to application/problem+json with a stable code. Unknown errors are logged
// in full and answered with a bare 500 that reveals nothing.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, toProblem, type FieldError } from './errors.js';

type ValidationItem = { instancePath: string; message?: string; keyword?: string; params?: Record<string, unknown> };

function fieldErrors(items: ValidationItem[], context: string | undefined): FieldError[] {
  return items.flatMap((item) => {
    const base = [context === 'body' ? '' : context, ...item.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.');
    const keys = item.keyword === 'unrecognized_keys' ? (item.params?.keys as string[] | undefined) : undefined;
    if (keys?.length) return keys.map((k) => ({ path: base ? `${base}.${k}` : k, message: 'Unknown field' }));
    return [{ path: base, message: item.message ?? 'Invalid value' }];
  });
}

export function toAppError(error: FastifyError): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    return new AppError('validation_failed', undefined, {
      details: { errors: fieldErrors(error.validation as ValidationItem[], error.validationContext) },
    });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', error.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type');
  }
  if (error instanceof SyntaxError && error.statusCode === 400) return new AppError('malformed_json', error.message);
  if (error.statusCode === 429) return new AppError('rate_limited');
  return new AppError('internal', undefined, { cause: error });
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  return reply
    .code(error.status)
    .type('application/problem+json')
    .send(toProblem(error, request.id, request.url.split('?')[0]));
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') request.log.error({ err: error }, 'unhandled error');
    else request.log.info({ code: appError.code }, appError.message);
    return sendProblem(request, reply, appError);
  });
}
