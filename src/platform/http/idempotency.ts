// `Idempotency-Key` on POST: the first response is stored and replayed for repeats of the same
// request; the same key with a different body is refused; a failed (5xx) attempt frees the key.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { claimIdempotencyKey, releaseIdempotencyKey, saveIdempotentResponse } from './idempotency-store.js';

const HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;

interface Claim {
  workspaceId: string;
  principal: string;
  key: string;
}

const claims = new WeakMap<FastifyRequest, Claim>();

export function registerIdempotency(app: FastifyInstance) {
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers[HEADER];
    const actor = request.actorOrNull;
    if (request.method !== 'POST' || typeof key !== 'string' || !actor) return;
    if (!KEY_FORMAT.test(key)) throw new AppError('validation_failed', 'Idempotency-Key must be 1–200 visible ASCII characters');
    const principal = actor.apiKeyId ? `key:${actor.apiKeyId}` : `member:${actor.memberId}`;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const earlier = await claimIdempotencyKey(app.ctx.db, actor.workspaceId, principal, key, requestHash);
    if (!earlier) {
      claims.set(request, { workspaceId: actor.workspaceId, principal, key });
      return;
    }
    if (earlier.request_hash !== requestHash) throw new AppError('idempotency_mismatch');
    if (earlier.status_code === null) throw new AppError('conflict', 'A request with this Idempotency-Key is still in progress');
    // The stored body is already the serialised response: skip the route's response schema.
    reply.header('idempotent-replayed', 'true').code(earlier.status_code).serializer(JSON.stringify);
    reply.type(earlier.status_code >= 400 ? 'application/problem+json' : 'application/json');
    return reply.send(earlier.response ?? undefined);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (!claim) return payload;
    claims.delete(request);
    if (reply.statusCode >= 500) {
      await releaseIdempotencyKey(app.ctx.db, claim.workspaceId, claim.principal, claim.key);
    } else {
      const body = typeof payload === 'string' && payload.length ? parseJson(payload) : undefined;
      await saveIdempotentResponse(app.ctx.db, claim.workspaceId, claim.principal, claim.key, reply.statusCode, body);
    }
    return payload;
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
