// What the HTTP layer knows about each request, and the dependencies routes reach through `app.ctx`.
import type {} from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Actor } from '../auth/actor.js';
import type { DatabaseHandle, Db } from '../db/connect.js';

export interface AppContext {
  db: Db;
  database: DatabaseHandle;
  config: Config;
  logger: Logger;
}

export interface SessionInfo {
  id: string;
  userId: string;
  csrfToken: string;
  activeWorkspaceId: string | null;
}

/**
 * Who may call a route: `public` (anyone), `user` (a signed-in person, workspace optional),
 * `member` (the default: a member of a workspace, by session or API key).
 */
export type RouteAccess = 'public' | 'user' | 'member';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    session: SessionInfo | null;
    actorOrNull: Actor | null;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}
