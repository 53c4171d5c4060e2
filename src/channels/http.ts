// One outbound HTTP call with the failure mapping every adapter shares: how an HTTP answer
// becomes a ChannelError kind, and how long a provider asked us to wait (Retry-After).
import { ChannelError } from './adapter.js';
import { assertPublicTarget } from './net-guard.js';

const TIMEOUT_MS = 15_000;

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The ChannelError for a non-2xx answer. */
export function errorForStatus(status: number, host: string, retryAfter: string | null): ChannelError {
  const wait = retryAfterMs(retryAfter);
  const what = `HTTP ${status} from ${host}`;
  if (status === 429) return new ChannelError('rate_limited', what, { retryAfterMs: wait });
  if (status >= 500) return new ChannelError('temporary', what, { retryAfterMs: wait });
  if (status === 401 || status === 403) return new ChannelError('auth', what);
  if (status === 404 || status === 410) return new ChannelError('not_found', what);
  if (status >= 300 && status < 400) return new ChannelError('permanent', `${what}: redirects are not followed`);
  return new ChannelError('permanent', what);
}

export interface PostOptions {
  headers: Record<string, string>;
  signal: AbortSignal;
  allowPrivateTargets: boolean;
}

export interface CallOptions {
  signal: AbortSignal;
  allowPrivateTargets: boolean;
  /** Default 15 s. */
  timeoutMs?: number;
}

/** A provider's answer, whatever its status: adapters whose errors live in the body (Telegram, LINE) read it themselves. */
export interface ProviderAnswer {
  status: number;
  ok: boolean;
  headers: Headers;
  text: string;
  host: string;
}

/**
 * One request to a provider through the SSRF guard, redirects not followed, with a time limit.
 * Throws ChannelError only when there is no answer (temporary) or the target is refused; any
 * HTTP status comes back as a ProviderAnswer.
 */
export async function callProvider(target: string | URL, init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string | FormData }, options: CallOptions): Promise<ProviderAnswer> {
  const url = new URL(target);
  await assertPublicTarget(url, options.allowPrivateTargets);
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      body: init.body,
      redirect: 'manual',
      headers: init.headers,
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS)]),
    });
  } catch (error) {
    // Refused, reset, timed out: the provider may be back later. The cause keeps no headers.
    throw new ChannelError('temporary', `No answer from ${url.host}`, { cause: error });
  }
  const text = await res.text().catch(() => '');
  return { status: res.status, ok: res.ok, headers: res.headers, text, host: url.host };
}

/** The answer's JSON (null for an empty body); a body that is not JSON is a permanent error. */
export function jsonOf(answer: ProviderAnswer): unknown {
  if (!answer.text.trim()) return null;
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    throw new ChannelError('permanent', `${answer.host} answered with a body that is not JSON`);
  }
}

/** POSTs `body` and returns the parsed JSON answer (or null for an empty one); throws ChannelError. */
export async function postJson(target: string, body: string, options: PostOptions): Promise<unknown> {
  const answer = await callProvider(target, { method: 'POST', body, headers: { 'content-type': 'application/json', ...options.headers } }, options);
  if (!answer.ok) throw errorForStatus(answer.status, answer.host, answer.headers.get('retry-after'));
  return jsonOf(answer);
}
