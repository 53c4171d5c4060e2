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

/** POSTs `body` and returns the parsed JSON answer (or null for an empty one); throws ChannelError. */
export async function postJson(target: string, body: string, options: PostOptions): Promise<unknown> {
  const url = new URL(target);
  await assertPublicTarget(url, options.allowPrivateTargets);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body,
      redirect: 'manual',
      headers: { 'content-type': 'application/json', ...options.headers },
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(TIMEOUT_MS)]),
    });
  } catch (error) {
    // Refused, reset, timed out: the provider may be back later. The cause keeps no headers.
    throw new ChannelError('temporary', `No answer from ${url.host}`, { cause: error });
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw errorForStatus(res.status, url.host, res.headers.get('retry-after'));
  if (!text.trim()) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ChannelError('permanent', `${url.host} answered with a body that is not JSON`);
  }
}
