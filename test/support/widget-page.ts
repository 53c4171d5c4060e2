// The live-chat widget as a site embeds it, for browser tests: a host page served from its own
// origin (another port than Renmai's, so every call is cross-origin, as on a customer's site)
// with the one-line snippet, a member's API session from Node for the agent's side, and the
// widget's elements as Playwright locators (they pierce its open shadow root).
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import type { TestServer } from './server.js';

export interface WidgetHost {
  /** The host page's origin: allow it on the channel. */
  origin: string;
  /** The page embedding the widget of `channelId`; `attrs` become data-* attributes of the script (lang, user-id, user-hash). */
  pageUrl(channelId: string, attrs?: Record<string, string>): string;
  close(): Promise<void>;
}

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export async function startWidgetHost(renmaiUrl: string): Promise<WidgetHost> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const channel = url.searchParams.get('channel') ?? '';
    const attrs = [...url.searchParams].filter(([k]) => k !== 'channel').map(([k, v]) => ` data-${k.replace(/[^a-z-]/g, '')}="${escapeAttr(v)}"`).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Shop</title><style>button { color: red !important; background: yellow !important; }</style></head><body><h1>A shop</h1>
<script src="${renmaiUrl}/widget.js" data-channel="${escapeAttr(channel)}"${attrs} async></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    origin,
    pageUrl: (channelId, attrs = {}) => `${origin}/?${new URLSearchParams({ channel: channelId, ...attrs })}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A member's session against the real server from Node (cookies and CSRF token kept). */
export async function memberApi(server: TestServer, login = server.login) {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) });
  if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const csrf = cookies.find((c) => c.startsWith('renmai_csrf='))?.split('=')[1] ?? '';
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { cookie: cookies.join('; '), 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${await r.text()}`);
    return (r.status === 204 ? undefined : await r.json()) as T;
  }
  return { get: <T>(path: string) => call<T>('GET', path), post: <T>(path: string, body?: unknown) => call<T>('POST', path, body), cookies };
}
export type MemberApi = Awaited<ReturnType<typeof memberApi>>;

export const IDENTITY_SECRET = 'the site’s identity secret, long enough';

/** A widget channel allowing the host's origin, with IDENTITY_SECRET for verified visitors. */
export async function createWidgetChannelFor(api: MemberApi, origin: string, settings: Record<string, unknown> = {}) {
  const { channel } = await api.post<{ channel: { id: string } }>('/channels', {
    type: 'widget',
    name: `Site chat ${Date.now()}`,
    settings: { allowedOrigins: [origin], greeting: { en: 'Hello! How can we help?', 'zh-CN': '您好！有什么可以帮您？' }, ...settings },
    secrets: { identitySecret: IDENTITY_SECRET },
  });
  return channel.id;
}

/** The widget's parts on a page. */
export function widgetOn(page: Page) {
  const id = (testId: string) => page.getByTestId(testId);
  return {
    launcher: id('renmai-launcher'),
    panel: id('renmai-panel'),
    unread: id('renmai-unread'),
    greeting: id('renmai-greeting'),
    offline: id('renmai-offline'),
    input: id('renmai-input'),
    messages: id('renmai-messages'),
    message: (direction: 'in' | 'out', text: string) => page.locator(`[data-testid="renmai-message"][data-direction="${direction}"]`, { hasText: text }),
    async say(text: string) {
      await id('renmai-input').fill(text);
      await id('renmai-send').click();
    },
  };
}
