// Calling the SMS API (dysmsapi, version 2017-05-25): an RPC call is a form POST of the action's
// parameters and the common ones, signed (signature.ts); the answer is JSON with a Code — "OK", or
// an error code, with HTTP 200 for business errors (isv.*) and 4xx/5xx for the gateway's
// (SignatureDoesNotMatch, Throttling). https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ChannelError, type ChannelErrorKind, type ChannelErrorReason } from '../adapter.js';
import { callProvider, jsonOf, retryAfterMs } from '../http.js';
import { rpcSignature } from './signature.js';

export const DEFAULT_API_URL = 'https://dysmsapi.aliyuncs.com';
export const VERSION = '2017-05-25';

export interface AliyunApi {
  baseUrl: string;
  accessKeyId: string;
  accessKeySecret: string;
  regionId: string;
  signal: AbortSignal;
  allowPrivateTargets: boolean;
}

export const answer = z.object({ Code: z.string(), Message: z.string().optional(), RequestId: z.string().optional() }).passthrough();
export type AliyunAnswer = z.infer<typeof answer>;

/** Aliyun error code → [kind, reason]. Frequency control (1 a minute, 5 an hour per number) passes: retried after a minute. */
const codes: Record<string, [ChannelErrorKind, ChannelErrorReason]> = {
  'isv.BUSINESS_LIMIT_CONTROL': ['rate_limited', 'rate_limited'],
  Throttling: ['rate_limited', 'rate_limited'],
  'Throttling.User': ['rate_limited', 'rate_limited'],
  'isv.DAY_LIMIT_CONTROL': ['permanent', 'quota_exceeded'],
  'isv.AMOUNT_NOT_ENOUGH': ['permanent', 'quota_exceeded'],
  'isv.MOBILE_NUMBER_ILLEGAL': ['permanent', 'recipient_not_found'],
  'isv.MOBILE_COUNT_OVER_LIMIT': ['permanent', 'invalid_request'],
  'isv.TEMPLATE_MISSING_PARAMETERS': ['permanent', 'invalid_request'],
  'isv.TEMPLATE_PARAMS_ILLEGAL': ['permanent', 'invalid_request'],
  'isv.SMS_TEMPLATE_ILLEGAL': ['permanent', 'invalid_request'],
  'isv.SMS_SIGNATURE_ILLEGAL': ['permanent', 'invalid_request'],
  'isv.INVALID_PARAMETERS': ['permanent', 'invalid_request'],
  'isv.PARAM_LENGTH_LIMIT': ['permanent', 'invalid_request'],
  'isv.BLACK_KEY_CONTROL_LIMIT': ['permanent', 'invalid_request'],
  SignatureDoesNotMatch: ['auth', 'token_invalid'],
  'InvalidAccessKeyId.NotFound': ['auth', 'token_invalid'],
  'InvalidAccessKeyId.Inactive': ['auth', 'token_invalid'],
  'isv.ACCOUNT_NOT_EXISTS': ['auth', 'token_invalid'],
  'isv.ACCOUNT_ABNORMAL': ['auth', 'token_invalid'],
  'isp.RAM_PERMISSION_DENY': ['auth', 'provider_error'],
  'isp.SYSTEM_ERROR': ['temporary', 'provider_unavailable'],
  ServiceUnavailable: ['temporary', 'provider_unavailable'],
};
const MINUTE = 60_000;

/** The ChannelError for a refused call, from the HTTP status and Aliyun's Code. */
export function aliyunError(action: string, status: number, code: string | undefined, message: string | undefined, retryAfter: string | null = null): ChannelError {
  const said = `Aliyun ${action}: ${code ?? `HTTP ${status}`}${message ? ` — ${message.slice(0, 300)}` : ''}`;
  const known = code === undefined ? undefined : codes[code];
  if (known) return new ChannelError(known[0], said, { reason: known[1], ...(known[0] === 'rate_limited' ? { retryAfterMs: retryAfterMs(retryAfter) ?? MINUTE } : {}) });
  if (status === 429) return new ChannelError('rate_limited', said, { retryAfterMs: retryAfterMs(retryAfter) });
  if (status >= 500) return new ChannelError('temporary', said, { retryAfterMs: retryAfterMs(retryAfter) });
  if (status === 401 || status === 403) return new ChannelError('auth', said, { reason: 'token_invalid' });
  return new ChannelError('permanent', said, { reason: status === 400 ? 'invalid_request' : 'provider_error' });
}

/** The signed parameters of one call: the action's, the common ones, and Signature. */
export function signedParams(api: Pick<AliyunApi, 'accessKeyId' | 'accessKeySecret' | 'regionId'>, action: string, params: Record<string, string>, now = new Date(), nonce: string = randomUUID()): Record<string, string> {
  const all: Record<string, string> = {
    ...params,
    Action: action,
    Version: VERSION,
    RegionId: api.regionId,
    Format: 'JSON',
    AccessKeyId: api.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    // A new nonce per attempt: Aliyun refuses a reused one (SignatureNonceUsed).
    SignatureNonce: nonce,
    Timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  return { ...all, Signature: rpcSignature(api.accessKeySecret, 'POST', all) };
}

/** One call; the answer when its Code is OK, a ChannelError otherwise. */
export async function callAliyun(api: AliyunApi, action: string, params: Record<string, string>): Promise<AliyunAnswer> {
  const res = await callProvider(
    `${api.baseUrl.replace(/\/+$/, '')}/`,
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(signedParams(api, action, params)).toString() },
    { signal: api.signal, allowPrivateTargets: api.allowPrivateTargets },
  );
  let parsed: AliyunAnswer | undefined;
  try {
    parsed = answer.safeParse(jsonOf(res)).data;
  } catch {
    parsed = undefined;
  }
  if (res.ok && parsed?.Code === 'OK') return parsed;
  throw aliyunError(action, res.status, parsed?.Code, parsed?.Message, res.headers.get('retry-after'));
}
