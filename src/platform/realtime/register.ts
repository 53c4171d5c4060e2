// Wires realtime into the HTTP app: the websocket plugin, this process's hub, the LISTEN that
// feeds it, and the members' socket at GET /api/v1/realtime. The upgrade request goes through
// the same onRequest authentication as any API request (session cookie or API key: 401/403
// before any upgrade); a cookie-authenticated upgrade must also come from the console's own
// origin, since browsers send cookies with cross-site websocket handshakes and apply no CORS.
import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { publicUrl } from '../../config.js';
import { SESSION_COOKIE } from '../http/authenticate.js';
import { AppError } from '../http/errors.js';
import { attachSocket } from './attach.js';
import { agentSubscriber, type AgentExtension, type Credential, type MemberRef } from './agent-socket.js';
import { createHub, type Hub } from './hub.js';
import { startListener } from './listener.js';
import { protocol } from './protocol.js';

// Client messages are small (typing, ping); anything bigger is not ours.
const MAX_CLIENT_MESSAGE_BYTES = 4096;
const MESSAGE_BURST = 20;
const MESSAGES_PER_SECOND = 5;
// How often an open socket re-checks its credentials and reloads what its member may see.
const REFRESH_MS = 60_000;

function originAllowed(request: FastifyRequest, ownOrigin: string): boolean {
  const origin = request.headers.origin;
  // Browsers always send Origin on a websocket handshake; a client without one is not a browser
  // that could be made to use someone's cookie.
  if (origin === undefined) return true;
  if (origin === ownOrigin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function credentialOf(request: FastifyRequest): Credential {
  const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer ? { apiKey: bearer } : { session: request.cookies[SESSION_COOKIE]! };
}

/** Counts a member's session sockets on this process and tells the presence hooks. */
function presenceTracker(app: FastifyInstance, extensions: readonly AgentExtension[]) {
  const { db, logger } = app.ctx;
  const counts = new Map<string, { ref: MemberRef; sockets: number }>();
  const hooks = extensions.flatMap((x) => (x.presence ? [x.presence] : []));
  const timers = hooks.map((hook) => {
    const timer = setInterval(() => {
      const refs = [...counts.values()].map((c) => c.ref);
      if (refs.length) hook.alive(db, refs).catch((err: unknown) => logger.warn({ err }, 'realtime: presence heartbeat failed'));
    }, hook.everyMs);
    timer.unref();
    return timer;
  });
  return {
    async opened(ref: MemberRef) {
      const key = `${ref.workspaceId}:${ref.memberId}`;
      const entry = counts.get(key) ?? { ref, sockets: 0 };
      entry.sockets += 1;
      counts.set(key, entry);
      for (const hook of hooks) await hook.opened(db, ref);
    },
    closed(ref: MemberRef) {
      const key = `${ref.workspaceId}:${ref.memberId}`;
      const entry = counts.get(key);
      if (entry && --entry.sockets <= 0) counts.delete(key);
    },
    stop: () => timers.forEach(clearInterval),
  };
}

export interface Realtime {
  hub: Hub;
}

declare module 'fastify' {
  interface FastifyInstance {
    realtime: Realtime;
  }
}

export async function registerRealtime(app: FastifyInstance, agents: readonly AgentExtension[]): Promise<Realtime> {
  const { db, database, config, logger } = app.ctx;
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES } });
  // An upgrade refused by authentication (an onRequest hook that ran before the plugin's own) is
  // answered, but its socket was handed over by Node's HTTP server and nobody else will end it.
  app.addHook('onResponse', async (request) => {
    if (!request.ws && request.headers.upgrade?.toLowerCase() === 'websocket') request.raw.socket?.destroy();
  });
  const heartbeatMs = config.REALTIME_HEARTBEAT_SECONDS * 1000;
  const hub = createHub({
    logger,
    heartbeatMs,
    refreshMs: REFRESH_MS,
    limits: { maxBufferedBytes: config.REALTIME_MAX_BUFFER_BYTES, messageBurst: MESSAGE_BURST, messagesPerSecond: MESSAGES_PER_SECOND },
  });
  const listener = await startListener({ db, handle: database, logger, canaryMs: heartbeatMs, onNotice: hub.dispatch, onResync: hub.resync });
  const presence = presenceTracker(app, agents);
  app.addHook('onClose', async () => {
    hub.stop();
    presence.stop();
    await listener.stop();
  });

  const ownOrigin = new URL(publicUrl(config)).origin;
  app.route({
    method: 'GET',
    url: '/api/v1/realtime',
    schema: { tags: ['realtime'], summary: 'Realtime events (websocket)', description: [protocol, ...agents.flatMap((x) => (x.describe ? [x.describe] : []))].join('\n\n') },
    preValidation: async (request) => {
      if (request.session && !originAllowed(request, ownOrigin)) throw new AppError('forbidden', 'This origin may not open a socket with the session cookie');
    },
    handler: async () => {
      throw new AppError('validation_failed', 'Open this URL as a websocket (Connection: Upgrade, Upgrade: websocket)');
    },
    wsHandler: async (socket: WebSocket, request) => {
      const actor = request.actorOrNull!;
      const ref = { workspaceId: actor.workspaceId, memberId: actor.memberId };
      // People count as present through the console; an integration's API-key socket does not.
      const counted = Boolean(request.session);
      const subscriber = () => agentSubscriber({ db, actor, credential: credentialOf(request), extensions: agents, onClose: () => counted && presence.closed(ref) });
      const ready = () => ({ type: 'ready', data: { workspaceId: actor.workspaceId, memberId: actor.memberId, heartbeatSeconds: config.REALTIME_HEARTBEAT_SECONDS } });
      // Gone while its subscriber loaded: nothing attached, nobody counted.
      if ((await attachSocket(hub, socket, subscriber, ready)) && counted) await presence.opened(ref);
    },
  });
  const realtime: Realtime = { hub };
  app.decorate('realtime', realtime);
  return realtime;
}
