// Resolves who is calling (session cookie or bearer API key), enforces CSRF on cookie-authenticated
// writes, and applies each route's access level before the body is even read.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.js';
import { actorForApiKey } from '../auth/api-keys.js';
import { actorForSession, findSession } from '../auth/sessions.js';
import { AppError } from './errors.js';

export const SESSION_COOKIE = 'renmai_session';
export const CSRF_COOKIE = 'renmai_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function registerAuthentication(app: FastifyInstance) {
  app.decorateRequest('session', null);
  app.decorateRequest('actorOrNull', null);

  app.addHook('onRequest', async (request) => {
    // API routes require a member unless they say otherwise; docs, health and the console are public.
    const access = request.routeOptions.config?.access ?? (request.url.startsWith('/api/v1/') ? 'member' : 'public');
    const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (bearer) {
      request.actorOrNull = await actorForApiKey(app.ctx.db, bearer, request.id);
      if (!request.actorOrNull && access !== 'public') throw new AppError('unauthenticated', 'Invalid, expired or revoked API key');
    } else if (access !== 'public') {
      // Public routes (login, webhooks, the widget, survey pages) never act as the console's user,
      // so its cookie is not read there: a signed-in agent can still post to them without a CSRF token.
      const token = request.cookies[SESSION_COOKIE];
      request.session = token ? await findSession(app.ctx.db, token) : null;
      if (request.session) {
        if (!SAFE_METHODS.has(request.method)) {
          const sent = request.headers[CSRF_HEADER];
          if (typeof sent !== 'string' || !sameToken(sent, request.session.csrfToken)) throw new AppError('csrf_failed');
        }
        request.actorOrNull = await actorForSession(app.ctx.db, request.session, request.id);
      }
    }
    if (access === 'public') return;
    if (access === 'user' && !request.session) throw new AppError('unauthenticated');
    if (access === 'member' && !request.actorOrNull) {
      throw request.session ? new AppError('forbidden', 'Choose or create a workspace first') : new AppError('unauthenticated');
    }
  });
}

/** The calling member; only on routes whose access is `member` (the default). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actorOrNull) throw new AppError('unauthenticated');
  return request.actorOrNull;
}

export function sessionOf(request: FastifyRequest) {
  if (!request.session) throw new AppError('unauthenticated');
  return request.session;
}
