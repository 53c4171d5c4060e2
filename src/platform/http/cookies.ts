import type { FastifyReply } from 'fastify';
import { publicUrl, type Config } from '../../config.js';
import type { NewSession } from '../auth/sessions.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './authenticate.js';

export const secureCookies = (config: Config) => config.COOKIE_SECURE ?? publicUrl(config).startsWith('https:');

/** The session cookie is httpOnly; the CSRF cookie is readable so the console can echo it in a header. */
export function setSessionCookies(reply: FastifyReply, config: Config, session: NewSession) {
  const common = { path: '/', sameSite: 'lax' as const, secure: secureCookies(config), maxAge: config.SESSION_TTL_HOURS * 3600 };
  reply.setCookie(SESSION_COOKIE, session.token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
