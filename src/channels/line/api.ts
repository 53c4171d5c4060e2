// Calling the Messaging API (https://developers.line.biz/en/reference/messaging-api/): a bearer
// channel access token, JSON in and out, errors as {"message", "details"} with the HTTP status.
import { ChannelError } from '../adapter.js';
import { callProvider, jsonOf, retryAfterMs } from '../http.js';
import { errorBody } from './payloads.js';

export const DEFAULT_API_URL = 'https://api.line.me';
export const DEFAULT_DATA_URL = 'https://api-data.line.me';

export interface LineApi {
  baseUrl: string;
  accessToken: string;
  signal: AbortSignal;
  allowPrivateTargets: boolean;
}

export const urlOf = (baseUrl: string, path: string) => `${baseUrl.replace(/\/+$/, '')}${path}`;

/** The ChannelError for a refused call, from the status and LINE's message. */
export function lineError(path: string, status: number, message: string | undefined, retryAfter: string | null): ChannelError {
  const said = `LINE ${path}: ${(message ?? `HTTP ${status}`).slice(0, 300)}`;
  const text = (message ?? '').toLowerCase();
  // "You have reached your monthly limit.": the quota, not the rate; no use retrying today.
  if (status === 429 && text.includes('monthly limit')) return new ChannelError('permanent', said, { reason: 'quota_exceeded' });
  if (status === 429) return new ChannelError('rate_limited', said, { retryAfterMs: retryAfterMs(retryAfter) });
  if (status >= 500) return new ChannelError('temporary', said, { retryAfterMs: retryAfterMs(retryAfter) });
  if (status === 401) return new ChannelError('auth', said, { reason: 'token_invalid' });
  if (status === 403) return new ChannelError('auth', said, { reason: 'provider_error' });
  if (status === 404) return new ChannelError('not_found', said, { reason: 'recipient_not_found' });
  if (status === 400) return new ChannelError('permanent', said, { reason: 'invalid_request' });
  return new ChannelError('permanent', said);
}

export interface LineAnswer {
  status: number;
  json: unknown;
  headers: Headers;
}

/** One call; returns the answer for 2xx (and for the statuses in `accept`), throws ChannelError otherwise. */
export async function callLine(api: LineApi, method: 'GET' | 'POST', path: string, body?: unknown, o: { headers?: Record<string, string>; accept?: number[] } = {}): Promise<LineAnswer> {
  const res = await callProvider(
    urlOf(api.baseUrl, path),
    { method, headers: { authorization: `Bearer ${api.accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...o.headers }, body: body === undefined ? undefined : JSON.stringify(body) },
    { signal: api.signal, allowPrivateTargets: api.allowPrivateTargets },
  );
  if (!res.ok && !o.accept?.includes(res.status)) {
    let message: string | undefined;
    try {
      message = errorBody.safeParse(jsonOf(res)).data?.message;
    } catch {
      message = undefined;
    }
    throw lineError(path.replace(/\/[UCR][0-9a-f]{32}\b/g, '/…'), res.status, message, res.headers.get('retry-after'));
  }
  return { status: res.status, json: res.ok ? jsonOf(res) : null, headers: res.headers };
}
