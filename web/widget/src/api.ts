// The widget's HTTP calls to /widget/v1/channels/{id}/… (cross-origin, no cookies): the visitor's
// token rides in X-Renmai-Visitor. Errors carry the problem+json code and reason.
import type { Lang } from './i18n';

export interface PrechatField {
  key: string;
  kind: 'name' | 'email' | 'phone' | 'text';
  label: Partial<Record<Lang, string>>;
  required: boolean;
}

export interface WidgetConfig {
  colors: { primary: string; text: string };
  greeting: Partial<Record<Lang, string>>;
  offlineMessage: Partial<Record<Lang, string>>;
  prechat: { enabled: boolean; fields: PrechatField[] };
  maxAttachmentBytes: number;
  online: boolean;
}

export interface Session {
  token: string;
  visitorId: string;
  conversationId: string | null;
  unread: number;
  online: boolean;
  prechatDone: boolean;
  emailLeft: boolean;
}

export interface Attachment {
  id: string;
  fileName: string;
  mimeType: string;
}

export interface Message {
  id: string;
  direction: 'in' | 'out';
  kind: string;
  text: string | null;
  createdAt: string;
  /** The widget's own id of a visitor's message (its optimistic copy is dropped when this arrives). */
  clientMessageId: string | null;
  attachments: Attachment[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string | undefined,
  ) {
    super(`${status} ${code}`);
  }
}

export function createApi(base: string, channelId: string) {
  let token = '';
  const root = `${base}/widget/v1/channels/${encodeURIComponent(channelId)}`;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown | FormData): Promise<T> {
    const headers: Record<string, string> = token ? { 'x-renmai-visitor': token } : {};
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(root + path, { method, headers, body: payload, credentials: 'omit', mode: 'cors' });
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as { code?: string; reason?: string };
      throw new ApiError(res.status, problem.code ?? 'unknown', problem.reason);
    }
    return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
  }

  return {
    setToken: (t: string) => (token = t),
    /** The socket's URL with a fresh minute-long ticket (the token itself never goes in a URL). */
    socketUrl: () => call<{ ticket: string }>('POST', '/socket-ticket').then((r) => `${base.replace(/^http/, 'ws')}/widget/v1/socket?token=${encodeURIComponent(r.ticket)}`),
    config: () => call<{ config: WidgetConfig }>('GET', '/config').then((r) => r.config),
    session: (body: { token?: string; userId?: string; userHash?: string }) => call<{ session: Session }>('POST', '/session', body).then((r) => r.session),
    prechat: (answers: Record<string, string>) => call<void>('POST', '/prechat', { answers }),
    email: (email: string) => call<void>('POST', '/email', { email }),
    send: (clientMessageId: string, text: string) => call<{ duplicate: boolean }>('POST', '/messages', { clientMessageId, text }),
    upload(clientMessageId: string, file: File) {
      const form = new FormData();
      form.append('clientMessageId', clientMessageId);
      form.append('file', file);
      return call<{ duplicate: boolean }>('POST', '/attachments', form);
    },
    messages: () => call<{ items: Message[] }>('GET', '/messages?limit=100').then((r) => r.items),
    read: () => call<{ unread: number }>('POST', '/read'),
    /** A file of the conversation as a blob: URL (the token cannot ride in an <img src>). */
    async fileUrl(id: string) {
      const res = await fetch(`${root}/attachments/${encodeURIComponent(id)}`, { headers: { 'x-renmai-visitor': token }, credentials: 'omit' });
      if (!res.ok) throw new ApiError(res.status, 'file', undefined);
      return URL.createObjectURL(await res.blob());
    },
  };
}
export type Api = ReturnType<typeof createApi>;
