// What WhatsApp Cloud API, Messenger and Instagram share, being one Meta Graph API
// (https://developers.facebook.com/docs/graph-api/webhooks/getting-started): the GET verification
// request, the X-Hub-Signature-256 of every delivery, the versioned base URL, one call with a
// bearer token, and Graph's error answers mapped to ChannelError kinds and stable reasons.
// PROTOCOLS.md §3.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ChannelError, type ChannelErrorKind, type ChannelErrorReason, type HookAnswer, type InboundRequest, type OutboundMessage } from './adapter.js';
import { callProvider, jsonOf, retryAfterMs } from './http.js';

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v21.0';
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** The settings every Meta channel has: where the Graph API is (tests point it at a local fake) and which version. */
export const graphSettings = {
  apiBaseUrl: z.url({ protocol: /^https?$/ }).max(300).default(DEFAULT_GRAPH_URL),
  apiVersion: z.string().regex(/^v\d{1,3}\.\d{1,2}$/, 'a Graph API version like v21.0').default(DEFAULT_GRAPH_VERSION),
};

/** The secrets every Meta channel has. */
export const graphSecrets = {
  /** App settings → Basic → App secret: signs every delivery. */
  appSecret: z.string().trim().regex(/^[0-9a-f]{32}$/i, 'the App secret from App settings → Basic (32 hex digits)'),
  /** The Verify token typed in the app's webhook settings; Meta sends it back on the GET verification. */
  verifyToken: z.string().trim().min(8).max(200),
};

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The verification request: GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…, answered
 * with the challenge verbatim when the token matches; null (403) otherwise. The dotted names are
 * read from the raw query string.
 */
export function verificationAnswer(request: InboundRequest, verifyToken: string): HookAnswer | null {
  const query = new URLSearchParams(request.rawQuery);
  const challenge = query.get('hub.challenge');
  const token = query.get('hub.verify_token');
  if (query.get('hub.mode') !== 'subscribe' || !token || !challenge || challenge.length > 256) return null;
  return sameText(token, verifyToken) ? { status: 200, contentType: 'text/plain', body: challenge } : null;
}

/** `sha256=<lowercase hex HMAC-SHA256(app secret, raw body)>`, the X-Hub-Signature-256 header. */
export const signatureOf = (appSecret: string, body: Buffer | string) => `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;

/** The header against the exact raw bytes, compared in constant time. */
export function signatureMatches(appSecret: string, body: Buffer | string, given: string | undefined): boolean {
  const hex = /^sha256=([0-9a-f]{64})$/i.exec(given?.trim() ?? '')?.[1];
  if (!hex) return false;
  return timingSafeEqual(Buffer.from(hex, 'hex'), createHmac('sha256', appSecret).update(body).digest());
}

/** Unix seconds (WhatsApp's strings) or milliseconds (Messenger's numbers) as a Date. */
export const dateOf = (t: string | number, unit: 's' | 'ms') => new Date(Number(t) * (unit === 's' ? 1000 : 1));

/**
 * When the customer last wrote, as the message being answered carries it (`receivedAt` in the
 * replyContext parse() gives every inbound message); undefined when this is no answer.
 */
export function lastInboundAt(message: OutboundMessage): number | undefined {
  const at = message.inReplyTo?.replyContext.receivedAt;
  return typeof at === 'number' ? at : undefined;
}

/** Meta's standard messaging window: 24 hours after the customer's last message. */
export const STANDARD_WINDOW_MS = 24 * 3600_000;

export const outsideWindow = (what: string) => new ChannelError('permanent', `${what}: the customer last wrote more than the reply window ago`, { reason: 'outside_reply_window' });

const graphErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_data: z.object({ details: z.string().optional() }).passthrough().optional(),
  }),
});
export type GraphErrorBody = z.infer<typeof graphErrorBody>['error'];

const RATE_LIMITS = new Set([4, 17, 32, 613, 80007, 130429, 131048, 131056]);
const TEMPORARY = new Set([1, 2, 131000, 131016, 133004]);
const UNREACHABLE = new Set([131026, 131030]);
const OUTSIDE_WINDOW_SUBCODES = new Set([2018278, 2018065]);

/**
 * How long Meta asks us to wait: Retry-After when given, else the largest
 * `estimated_time_to_regain_access` (minutes) of X-Business-Use-Case-Usage.
 */
export function graphWaitMs(headers: Headers | undefined): number | undefined {
  const header = retryAfterMs(headers?.get('retry-after') ?? null);
  if (header !== undefined) return header;
  const usage = headers?.get('x-business-use-case-usage');
  if (!usage) return undefined;
  try {
    const minutes = Object.values(JSON.parse(usage) as Record<string, Array<{ estimated_time_to_regain_access?: number }>>)
      .flat()
      .map((u) => u.estimated_time_to_regain_access ?? 0);
    const most = Math.max(0, ...minutes);
    return most > 0 ? most * 60_000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ChannelError for a Graph error answer (https://developers.facebook.com/docs/graph-api/guides/error-handling,
 * WhatsApp https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes,
 * Messenger https://developers.facebook.com/docs/messenger-platform/error-codes).
 */
export function graphError(what: string, status: number, error: GraphErrorBody | undefined, headers?: Headers): ChannelError {
  const code = error?.code;
  const sub = error?.error_subcode;
  const detail = error?.error_data?.details;
  const said = `${what}: ${[code !== undefined ? `(#${code}${sub ? `/${sub}` : ''})` : `HTTP ${status}`, error?.message, detail].filter(Boolean).join(' ').slice(0, 300)}`;
  const fail = (kind: ChannelErrorKind, reason?: ChannelErrorReason) => new ChannelError(kind, said, { reason, ...(kind === 'rate_limited' || kind === 'temporary' ? { retryAfterMs: graphWaitMs(headers) } : {}) });
  const text = `${error?.message ?? ''} ${detail ?? ''}`.toLowerCase();
  // 190: the access token is invalid; subcode 463 (or the message) says it expired.
  if (code === 190) return fail('auth', sub === 463 || text.includes('expired') ? 'token_expired' : 'token_invalid');
  if (code === 102) return fail('auth', 'token_invalid');
  if (code !== undefined && RATE_LIMITS.has(code)) return fail('rate_limited');
  if (code !== undefined && TEMPORARY.has(code)) return fail('temporary');
  // 131047 re-engagement (WhatsApp); 10 with 2018278 "sent outside of allowed window" (Messenger, Instagram).
  if (code === 131047 || (code === 10 && ((sub !== undefined && OUTSIDE_WINDOW_SUBCODES.has(sub)) || text.includes('outside of allowed window')))) return fail('permanent', 'outside_reply_window');
  // 551: "This person isn't available right now" — blocked the page, or gone.
  if (code === 551) return fail('permanent', 'recipient_blocked');
  if ((code !== undefined && UNREACHABLE.has(code)) || (code === 100 && sub === 2018001)) return fail('not_found', 'recipient_not_found');
  if (code === 131052 || code === 131053 || code === 100 || code === 131009 || code === 131008 || code === 131051 || (code !== undefined && code >= 132000 && code < 133000)) {
    return fail('permanent', text.includes('too large') || text.includes('size') ? 'media_too_large' : 'invalid_request');
  }
  if (code === 10 || (code !== undefined && code >= 200 && code < 300)) return fail('auth', 'provider_error');
  if (status === 429) return fail('rate_limited');
  if (status >= 500) return fail('temporary');
  if (status === 401) return fail('auth', 'token_invalid');
  return fail('permanent');
}

/** One Graph API channel's address and credentials for a call. */
export interface GraphApi {
  baseUrl: string;
  version: string;
  accessToken: string;
  signal: AbortSignal;
  allowPrivateTargets: boolean;
}

export const graphUrl = (api: Pick<GraphApi, 'baseUrl' | 'version'>, path: string) => `${api.baseUrl.replace(/\/+$/, '')}/${api.version}${path}`;

/**
 * One call: JSON (or a form) out with the bearer token, the JSON answer back; a refused call
 * throws graphError's ChannelError. `what` names the call in errors (never the token or an id).
 */
export async function callGraph(api: GraphApi, what: string, method: 'GET' | 'POST', path: string, body?: Record<string, unknown> | FormData): Promise<unknown> {
  const form = body instanceof FormData;
  const res = await callProvider(
    graphUrl(api, path),
    {
      method,
      headers: { authorization: `Bearer ${api.accessToken}`, ...(body === undefined || form ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    },
    { signal: api.signal, allowPrivateTargets: api.allowPrivateTargets, timeoutMs: form ? 60_000 : undefined },
  );
  if (res.ok) return jsonOf(res);
  let error: GraphErrorBody | undefined;
  try {
    error = graphErrorBody.safeParse(jsonOf(res)).data?.error;
  } catch {
    error = undefined;
  }
  throw graphError(what, res.status, error, res.headers);
}
