// Calling Twilio's REST API (https://www.twilio.com/docs/usage/api): HTTP Basic with the Account
// SID and auth token, form-encoded requests, JSON answers; errors are
// {"code": 21211, "message": "…", "more_info": "…", "status": 400}. Twilio's error codes
// (https://www.twilio.com/docs/api/errors) become kinds and stable reasons through one table,
// used for refused sends and for the ErrorCode of failed status callbacks alike.
import { z } from 'zod';
import { ChannelError, type ChannelErrorKind, type ChannelErrorReason } from '../adapter.js';
import { callProvider, jsonOf, retryAfterMs } from '../http.js';

export const DEFAULT_API_URL = 'https://api.twilio.com';

export interface TwilioApi {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  signal: AbortSignal;
  allowPrivateTargets: boolean;
}

const errorBody = z.object({ code: z.number().optional(), message: z.string().optional() });

/** Twilio error code → [kind, reason, what it means]. */
const codes: Record<number, [ChannelErrorKind, ChannelErrorReason, string]> = {
  20003: ['auth', 'token_invalid', 'authentication failed'],
  20404: ['not_found', 'recipient_not_found', 'resource not found'],
  20429: ['rate_limited', 'rate_limited', 'too many requests'],
  21211: ['permanent', 'invalid_request', "the 'To' number is not a valid phone number"],
  21408: ['permanent', 'invalid_request', 'sending to this region is not enabled'],
  21606: ['permanent', 'invalid_request', "the 'From' number cannot send SMS"],
  21610: ['permanent', 'recipient_opted_out', 'the recipient replied STOP (unsubscribed)'],
  21612: ['permanent', 'recipient_not_found', "the 'To' number cannot be reached from this 'From'"],
  21614: ['permanent', 'recipient_not_found', "the 'To' number is not a mobile number"],
  21617: ['permanent', 'invalid_request', 'the body is longer than 1,600 characters'],
  30001: ['rate_limited', 'rate_limited', 'queue overflow'],
  30003: ['permanent', 'recipient_not_found', 'unreachable destination handset'],
  30004: ['permanent', 'recipient_blocked', 'message blocked'],
  30005: ['permanent', 'recipient_not_found', 'unknown destination handset'],
  30006: ['permanent', 'recipient_not_found', 'landline or unreachable carrier'],
  30007: ['permanent', 'provider_error', 'filtered by the carrier'],
  30008: ['temporary', 'provider_unavailable', 'unknown error'],
};

/** The kind and stable reason of a Twilio error code (and the HTTP status when the code is unknown). */
export function twilioError(code: number | undefined, status: number, message: string | undefined, retryAfter: string | null = null): ChannelError {
  const known = code === undefined ? undefined : codes[code];
  const said = `Twilio${code ? ` ${code}` : ''}: ${(message ?? known?.[2] ?? `HTTP ${status}`).slice(0, 300)}`;
  const wait = retryAfterMs(retryAfter);
  if (status === 429) return new ChannelError('rate_limited', said, { retryAfterMs: wait });
  if (status >= 500) return new ChannelError('temporary', said, { retryAfterMs: wait });
  if (known) return new ChannelError(known[0], said, { reason: known[1], retryAfterMs: wait });
  if (status === 401 || status === 403) return new ChannelError('auth', said, { reason: 'token_invalid' });
  if (status === 404) return new ChannelError('not_found', said);
  if (status === 400) return new ChannelError('permanent', said, { reason: 'invalid_request' });
  return new ChannelError('permanent', said);
}

const urlOf = (api: TwilioApi, path: string) => `${api.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(api.accountSid)}${path}`;

/** One call; the JSON answer of a 2xx, a ChannelError otherwise. */
export async function callTwilio(api: TwilioApi, method: 'GET' | 'POST', path: string, form?: URLSearchParams): Promise<unknown> {
  const res = await callProvider(
    urlOf(api, path),
    {
      method,
      headers: { authorization: `Basic ${Buffer.from(`${api.accountSid}:${api.authToken}`).toString('base64')}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form?.toString(),
    },
    { signal: api.signal, allowPrivateTargets: api.allowPrivateTargets },
  );
  if (res.ok) return jsonOf(res);
  let body: z.infer<typeof errorBody> | undefined;
  try {
    body = errorBody.safeParse(jsonOf(res)).data;
  } catch {
    body = undefined;
  }
  throw twilioError(body?.code, res.status, body?.message, res.headers.get('retry-after'));
}

/** The stable reason of an ErrorCode in a status callback. */
export const reasonOfCode = (code: number | undefined) => twilioError(code, 0, undefined).reason;
