// WeCom's server API (https://developer.work.weixin.qq.com/document/path/90664): every call carries
// ?access_token=, answers HTTP 200 with {errcode, errmsg, …} even on error, and the token comes
// from gettoken with the corp id and the app's secret (doc 91039). Tokens are cached per
// (corp id, secret) in the shared cache; 40014 / 42001 drop the token and retry the call once.
// The base URL is configurable (tests: a local fake WeCom). URLs carry the token, so errors name
// the host and the path only, never the URL.
import { ChannelError } from '../adapter.js';
import { errcodeError, WxApiError, type ErrcodeTable } from '../wx-api-error.js';
import { accessTokens, credentialKey, type AccessTokenCache } from '../access-token.js';
import { errorForStatus } from '../http.js';
import { assertPublicTarget } from '../net-guard.js';

export const DEFAULT_BASE_URL = 'https://qyapi.weixin.qq.com';
const TIMEOUT_MS = 15_000;

export interface WecomApiContext {
  baseUrl: string;
  corpId: string;
  secret: string;
  signal: AbortSignal;
  allowPrivateTargets: boolean;
  tokens?: AccessTokenCache;
}

/** 40014 / 42001: the access token is invalid or expired; a new one may work. */
const EXPIRED = new Set([40014, 42001]);

// errcode → kind, stable reason, text. Global codes: https://developer.work.weixin.qq.com/document/path/90313
const KNOWN: ErrcodeTable = {
  [-1]: ['temporary', 'provider_unavailable', 'WeCom is busy'],
  40014: ['auth', 'token_expired', 'access token invalid'],
  42001: ['auth', 'token_expired', 'access token expired'],
  40001: ['auth', 'token_invalid', 'invalid app secret'],
  40013: ['auth', 'token_invalid', 'invalid corp id'],
  41004: ['auth', 'token_invalid', 'app secret missing'],
  60020: ['auth', 'token_invalid', "this server's IP is not in the app's trusted IPs"],
  48001: ['auth', 'provider_error', 'the app may not call this API'],
  48002: ['auth', 'provider_error', 'the app has no permission for this API'],
  45009: ['rate_limited', 'rate_limited', 'WeCom API frequency limit'],
  45033: ['rate_limited', 'rate_limited', 'WeCom API concurrency limit'],
  40003: ['not_found', 'recipient_not_found', 'not a member of the corp'],
  60111: ['not_found', 'recipient_not_found', 'not a member of the corp'],
  81013: ['not_found', 'recipient_not_found', "outside the app's visible range"],
  40096: ['not_found', 'recipient_not_found', 'unknown external contact'],
  84061: ['not_found', 'recipient_not_found', 'no contact relationship with this customer'],
  41051: ['permanent', 'outside_reply_window', 'welcome code already used, or the customer has started chatting'],
  40058: ['permanent', 'invalid_request', 'invalid request parameter'],
  45002: ['permanent', 'invalid_request', 'content too long'],
};

/** Waiting time after a frequency-limit answer: WeCom counts per minute. */
const RATE_WAIT_MS = 60_000;

/** The error of a WeCom errcode answer (41051 and the other errcodes callers act on are in `errcode`). */
export const wecomError = (errcode: number, errmsg: string) => errcodeError({ name: 'WeCom', known: KNOWN, rateWaitMs: RATE_WAIT_MS }, errcode, errmsg);

type Json = Record<string, unknown>;

interface Call {
  method: 'GET' | 'POST';
  query?: Record<string, string>;
  json?: unknown;
  form?: FormData;
}

async function request(ctx: WecomApiContext, path: string, call: Call): Promise<Json> {
  const url = new URL(`${ctx.baseUrl.replace(/\/+$/, '')}/cgi-bin/${path}`);
  for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
  await assertPublicTarget(url, ctx.allowPrivateTargets);
  const where = `${url.host}/cgi-bin/${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: call.method,
      redirect: 'manual',
      ...(call.json !== undefined ? { body: JSON.stringify(call.json), headers: { 'content-type': 'application/json' } } : {}),
      ...(call.form ? { body: call.form } : {}),
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(TIMEOUT_MS)]),
    });
  } catch (error) {
    throw new ChannelError('temporary', `No answer from ${where}`, { cause: error });
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw errorForStatus(res.status, where, res.headers.get('retry-after'));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ChannelError('permanent', `${where} answered with a body that is not JSON`);
  }
  if (!body || typeof body !== 'object') throw new ChannelError('permanent', `${where} answered with a body that is not an object`);
  const { errcode, errmsg } = body as { errcode?: unknown; errmsg?: unknown };
  if (typeof errcode === 'number' && errcode !== 0) throw wecomError(errcode, typeof errmsg === 'string' ? errmsg : '');
  return body as Json;
}

/** gettoken: a new access token for the app (doc 91039). */
export async function issueToken(ctx: WecomApiContext) {
  const answer = await request(ctx, 'gettoken', { method: 'GET', query: { corpid: ctx.corpId, corpsecret: ctx.secret } });
  const token = answer.access_token;
  if (typeof token !== 'string' || !token) throw new ChannelError('permanent', 'gettoken answered without access_token');
  return { token, expiresInSeconds: typeof answer.expires_in === 'number' ? answer.expires_in : 7200 };
}

export const isExpired = (error: unknown) => error instanceof WxApiError && EXPIRED.has(error.errcode);

/** Calls `path` with the app's cached token; refreshes it and retries once when WeCom says it expired. */
export function callWithToken(ctx: WecomApiContext, path: string, call: Call): Promise<Json> {
  const tokens = ctx.tokens ?? accessTokens;
  const key = credentialKey('wecom', ctx.corpId, ctx.secret);
  return tokens.withToken(key, () => issueToken(ctx), (token) => request(ctx, path, { ...call, query: { ...call.query, access_token: token } }), isExpired);
}

export type MediaType = 'image' | 'voice' | 'video' | 'file';

/** media/upload: a temporary media id (3 days) for a file (doc 90253). */
export async function uploadMedia(ctx: WecomApiContext, type: MediaType, file: { fileName: string; mimeType: string; data: Buffer }): Promise<string> {
  const form = new FormData();
  form.append('media', new Blob([new Uint8Array(file.data)], { type: file.mimeType }), file.fileName);
  const answer = await callWithToken(ctx, 'media/upload', { method: 'POST', query: { type }, form });
  if (typeof answer.media_id !== 'string') throw new ChannelError('permanent', 'media/upload answered without media_id');
  return answer.media_id;
}

/** message/send (doc 90236): an application message to members; the answer's msgid. */
export async function sendAppMessage(ctx: WecomApiContext, body: Json): Promise<{ msgid: string; invalidUser: string }> {
  const answer = await callWithToken(ctx, 'message/send', { method: 'POST', json: body });
  return { msgid: typeof answer.msgid === 'string' ? answer.msgid : '', invalidUser: typeof answer.invaliduser === 'string' ? answer.invaliduser : '' };
}

/** externalcontact/get (doc 92114): a customer's profile and the members who added them. */
export const getExternalContact = (ctx: WecomApiContext, externalUserId: string) => callWithToken(ctx, 'externalcontact/get', { method: 'GET', query: { external_userid: externalUserId } });

/** externalcontact/send_welcome_msg (doc 92137): within 20 s of the add event, once per code. */
export const sendWelcomeMessage = (ctx: WecomApiContext, body: Json) => callWithToken(ctx, 'externalcontact/send_welcome_msg', { method: 'POST', json: body });

/** 联系我 (doc 92228): a QR code of several members whose adds carry `state`. */
export const addContactWay = (ctx: WecomApiContext, body: Json) => callWithToken(ctx, 'externalcontact/add_contact_way', { method: 'POST', json: body });
