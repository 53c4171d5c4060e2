// The visitor's websocket, GET /widget/v1/socket?token=<ticket>: a minute-long ticket authenticates it
// and the handshake's Origin must be one of the channel's allowed origins (browsers apply no CORS
// to websockets). Its subscriber admits only the visitor's own conversation (visitor-events.ts).
// A visitor who has not written yet has no conversation: the first message notice of an unknown
// conversation on their channel is looked up once per process (threads.ts) to find out whose it is.
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Db } from '../../platform/db/connect.js';
import { AppError, invalid } from '../../platform/http/errors.js';
import { attachSocket, type Connection, type Subscriber } from '../../platform/realtime/index.js';
import type { Keyring } from '../channels/index.js';
import { widgetChannel } from './channel.js';
import { originAllowed } from './origin.js';
import { channelKey, conversationKey } from '../inbox/index.js';
import * as q from './queries/conversation.js';
import { visitorTyping } from './service.js';
import { createThreadIndex, type ThreadIndex } from './threads.js';
import { readToken, type Visitor } from './token.js';
import { conversationOfNotice, visitorEvent } from './visitor-events.js';

const REFRESH_CACHE_MS = 30_000;

const typingMessage = z.object({ type: z.literal('typing'), typing: z.boolean() });

interface SocketHooks {
  /** Whether the visitor's channel still takes visitors (checked every refresh). */
  channelLive(channelId: string): Promise<boolean>;
  /** The visitor's conversation has just become known to this socket. */
  conversationKnown(visitor: Visitor): void;
}

function visitorSubscriber(app: FastifyInstance, hooks: SocketHooks, threads: ThreadIndex, visitor: Visitor, conversationId: string | null) {
  const { db } = app.ctx;
  let conversation = conversationId;
  let connection: Connection | undefined;
  const learn = (id: string) => {
    conversation = id;
    connection?.rekey();
    hooks.conversationKnown(visitor);
  };
  const subscriber: Subscriber = {
    workspaceId: visitor.workspaceId,
    select(notice) {
      const named = conversationOfNotice(notice);
      if (!named) return undefined;
      if (conversation) return named.id === conversation ? visitorEvent(notice) : undefined;
      if (named.ch !== visitor.channelId || notice.e.type !== 'message.created') return undefined;
      const known = threads.known(named.id);
      if (known !== undefined) {
        if (known !== visitor.visitorId) return undefined;
        learn(named.id);
        return visitorEvent(notice);
      }
      // Whose is it? Asked once per conversation in this process; the event follows if it is ours.
      void threads.lookup(visitor.workspaceId, named.id).then((thread) => {
        if (thread !== visitor.visitorId || conversation) return;
        learn(named.id);
        const event = visitorEvent(notice);
        if (event) connection?.send(event);
      });
      return undefined;
    },
    async receive(message) {
      const parsed = typingMessage.safeParse(message);
      if (!parsed.success) throw invalid([{ path: 'type', message: 'Visitors send { "type": "typing", "typing": true | false }' }]);
      await visitorTyping(db, visitor, conversation, parsed.data.typing);
    },
    // The channel disabled, deleted or no longer a widget: the visitor is let go.
    refresh: () => hooks.channelLive(visitor.channelId),
    closed() {},
    keys: () => [conversation ? conversationKey(conversation) : channelKey(visitor.channelId)],
  };
  return { subscriber, bind: (c: Connection | undefined) => (connection = c) };
}

/** Whether a channel still takes visitors, asked once per channel per refresh round however many sockets it has. */
function liveCheck(db: Db, keyring: Keyring) {
  const recent = new Map<string, { at: number; live: Promise<boolean> }>();
  return (channelId: string) => {
    const now = Date.now();
    const known = recent.get(channelId);
    if (known && now - known.at < REFRESH_CACHE_MS) return known.live;
    const live = widgetChannel(db, keyring, channelId).then(
      () => true,
      (error: unknown) => (error instanceof AppError && error.code === 'not_found' ? false : Promise.reject(error)),
    );
    if (recent.size > 10_000) recent.clear();
    recent.set(channelId, { at: now, live });
    return live;
  };
}

/** `settle`: what to do once a visitor's conversation is known (their typed profile onto the contact). */
export function registerVisitorSocket(app: FastifyInstance, keyring: Keyring, settle: (visitor: Visitor) => Promise<void>) {
  const { db, config } = app.ctx;
  const threads = createThreadIndex(db);
  const hooks: SocketHooks = {
    channelLive: liveCheck(db, keyring),
    conversationKnown: (visitor) => void settle(visitor).catch((error: unknown) => app.log.warn({ err: error }, 'widget: profile not settled')),
  };
  app.route({
    method: 'GET',
    url: '/widget/v1/socket',
    config: { access: 'public' },
    schema: { tags: ['widget'], summary: 'A widget visitor’s realtime events (websocket)', querystring: z.object({ token: z.string().max(2000) }) },
    preValidation: async (request) => {
      const token = (request.query as { token?: string }).token;
      const visitor = token ? readToken(keyring, token, 'socket') : undefined;
      if (!visitor) throw new AppError('unauthenticated', 'Open the socket with a fresh ticket (POST /widget/v1/channels/{id}/socket-ticket)', { details: { reason: 'visitor_token_invalid' } });
      const channel = await widgetChannel(db, keyring, visitor.channelId);
      if (channel.workspaceId !== visitor.workspaceId) throw new AppError('unauthenticated', 'Open the socket with a visitor token', { details: { reason: 'visitor_token_invalid' } });
      if (!originAllowed(channel.settings.allowedOrigins, request.headers.origin)) throw new AppError('forbidden', 'This site may not use this widget', { details: { reason: 'origin_not_allowed' } });
      (request as unknown as { visitor: Visitor }).visitor = visitor;
    },
    handler: async () => {
      throw new AppError('validation_failed', 'Open this URL as a websocket');
    },
    wsHandler: async (socket: WebSocket, request) => {
      const { visitor } = request as unknown as { visitor: Visitor };
      let conversationId: string | null = null;
      let bind: (c: Connection | undefined) => void = () => undefined;
      const make = async () => {
        conversationId = (await q.conversationOf(db, visitor.workspaceId, visitor.channelId, visitor.visitorId))?.id ?? null;
        const made = visitorSubscriber(app, hooks, threads, visitor, conversationId);
        bind = made.bind;
        return made.subscriber;
      };
      const ready = () => ({ type: 'ready', data: { visitorId: visitor.visitorId, conversationId, heartbeatSeconds: config.REALTIME_HEARTBEAT_SECONDS } });
      // (Awaited first: `bind` is the one `make` set.)
      const connection = await attachSocket(app.realtime.hub, socket, make, ready);
      bind(connection);
      if (connection && conversationId) hooks.conversationKnown(visitor);
    },
  });
}
