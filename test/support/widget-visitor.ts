// A widget visitor for the tests, over the real HTTP stack (inject) and a real websocket: the
// calls the widget's script makes, from an origin the test chooses. Also how a test sets up a
// widget channel (the console's way: POST /api/v1/channels).
import type { FastifyInstance } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import { openSocket, type TestSocket } from '../../src/platform/realtime/test-client.js';
import type { Client } from './app.js';

export const SITE = 'https://shop.example';
export const IDENTITY_SECRET = 'the site’s identity secret, long enough';

/** Creates a widget channel allowing SITE; settings merge over the defaults given here. */
export async function createWidgetChannel(owner: Client, settings: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const res = await owner.post('/api/v1/channels', {
    type: 'widget',
    name: `Widget ${Math.random().toString(36).slice(2, 8)}`,
    settings: { allowedOrigins: [SITE], greeting: { en: 'Hello! How can we help?', 'zh-CN': '您好！有什么可以帮您？' }, ...settings },
    secrets: { identitySecret: IDENTITY_SECRET },
    ...extra,
  });
  if (res.statusCode !== 201) throw new Error(`widget channel: ${res.statusCode} ${res.body}`);
  return res.json().channel.id as string;
}

export class Visitor {
  token = '';
  visitorId = '';
  constructor(
    private readonly app: FastifyInstance,
    readonly channelId: string,
    readonly origin = SITE,
  ) {}

  request(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method,
      url: `/widget/v1/channels/${this.channelId}${path}`,
      headers: { origin: this.origin, ...(this.token ? { 'x-renmai-visitor': this.token } : {}), ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  }

  /** Starts (or, holding a token, resumes) the session; throws unless 200. */
  async start(identity: { userId?: string; userHash?: string } = {}) {
    const res = await this.request('POST', '/session', { ...(this.token ? { token: this.token } : {}), ...identity });
    if (res.statusCode !== 200) throw new Error(`session: ${res.statusCode} ${res.body}`);
    const session = res.json().session;
    this.token = session.token;
    this.visitorId = session.visitorId;
    return session as { visitorId: string; verified: boolean; conversationId: string | null; unread: number; online: boolean; prechatDone: boolean; emailLeft: boolean };
  }

  say(text: string, clientMessageId = `c${Math.random().toString(36).slice(2)}`) {
    return this.request('POST', '/messages', { clientMessageId, text });
  }

  async messages() {
    const res = await this.request('GET', '/messages?limit=200');
    if (res.statusCode !== 200) throw new Error(`messages: ${res.statusCode} ${res.body}`);
    return res.json() as { conversationId: string | null; items: Array<{ id: string; direction: string; kind: string; text: string | null; attachments: Array<{ id: string; mimeType: string }> }> };
  }

  /** The visitor's websocket (the app must be listening), opened with a fresh ticket as the widget does. */
  async socket(origin = this.origin): Promise<TestSocket> {
    const res = await this.request('POST', '/socket-ticket');
    if (res.statusCode !== 200) throw new Error(`socket ticket: ${res.statusCode} ${res.body}`);
    return openSocket(this.app, { origin }, `/widget/v1/socket?token=${encodeURIComponent(res.json().ticket)}`);
  }
}
