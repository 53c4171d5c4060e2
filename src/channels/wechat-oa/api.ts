// The official account's server API (https://developers.weixin.qq.com/doc/offiaccount/): every
// call carries ?access_token=, answers HTTP 200 with {errcode, errmsg} on error, and the token
// comes from /cgi-bin/token with the AppID and AppSecret. Tokens are cached per (AppID, secret) in
// the shared cache (database-backed in the worker, so processes do not invalidate each other's:
// WeChat invalidates the previous token when a new one is issued); 40001 / 40014 / 42001 drop the
// token and retry the call once. The base URL is configurable (tests: a local fake). URLs carry
// the token, so errors name the host and the path only, never the URL.
import { ChannelError } from '../adapter.js';
import { errcodeError, WxApiError, type ErrcodeTable } from '../wx-api-error.js';
import { accessTokens, credentialKey, type AccessTokenCache } from '../access-token.js';
import { callProvider, errorForStatus } from '../http.js';

export const DEFAULT_BASE_URL = 'https://api.weixin.qq.com';

export interface OaApiContext {
  baseUrl: string;
  appId: string;
  secret: string;
  signal: AbortSignal;
  allowPrivateTargets: boolean;
  tokens?: AccessTokenCache;
}

// Global return codes: https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html
const KNOWN: ErrcodeTable = {
  [-1]: ['temporary', 'provider_unavailable', 'WeChat is busy'],
  // 40001 on a call with a token: "access_token invalid or not the latest" (another system fetched a new one).
  40001: ['auth', 'token_invalid', 'invalid credential (AppSecret or access token)'],
  40014: ['auth', 'token_expired', 'access token invalid'],
  42001: ['auth', 'token_expired', 'access token expired'],
  40013: ['auth', 'token_invalid', 'invalid AppID'],
  40125: ['auth', 'token_invalid', 'invalid AppSecret'],
  40164: ['auth', 'token_invalid', "this server's IP is not in the account's IP whitelist"],
  61004: ['auth', 'token_invalid', "this server's IP is not in the account's IP whitelist"],
  48001: ['auth', 'provider_error', 'the account may not call this API (customer-service messages need a verified account)'],
  45009: ['rate_limited', 'rate_limited', 'API daily quota reached'],
  // 45047: 20 customer-service messages in a row without an answer from the person; waiting does not help, the person must write.
  45047: ['permanent', 'rate_limited', 'too many messages to this person without an answer'],
  45015: ['permanent', 'outside_reply_window', 'the 48-hour customer-service window is over'],
  43004: ['permanent', 'recipient_blocked', 'the person does not follow the account'],
  40003: ['not_found', 'recipient_not_found', 'invalid openid'],
  40004: ['permanent', 'invalid_request', 'invalid media type'],
  40005: ['permanent', 'invalid_request', 'invalid file type'],
  40006: ['permanent', 'media_too_large', 'invalid file size'],
  40007: ['not_found', 'provider_error', 'invalid media_id (temporary media live 3 days)'],
  44002: ['permanent', 'invalid_request', 'empty request'],
  45002: ['permanent', 'invalid_request', 'content too long'],
  47001: ['permanent', 'invalid_request', 'request body is not valid'],
};

/** 40001 / 40014 / 42001: the token is not (any more) good; a new one may work. */
const EXPIRED = new Set([40001, 40014, 42001]);
export const isExpired = (error: unknown) => error instanceof WxApiError && EXPIRED.has(error.errcode);

/** Waiting time after a quota answer. */
const RATE_WAIT_MS = 60_000;

/** The error of an official account's errcode answer. */
export const oaError = (errcode: number, errmsg: string) => errcodeError({ name: 'WeChat', known: KNOWN, rateWaitMs: RATE_WAIT_MS }, errcode, errmsg);

type Json = Record<string, unknown>;

export const urlOf = (ctx: Pick<OaApiContext, 'baseUrl'>, path: string, query: Record<string, string> = {}) => {
  const url = new URL(`${ctx.baseUrl.replace(/\/+$/, '')}/cgi-bin/${path}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
};

/** The errcode error of a small JSON answer, or undefined (errcode 0 or absent). */
export function errorOf(json: unknown): WxApiError | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const { errcode, errmsg } = json as { errcode?: unknown; errmsg?: unknown };
  return typeof errcode === 'number' && errcode !== 0 ? oaError(errcode, typeof errmsg === 'string' ? errmsg : '') : undefined;
}

async function request(ctx: OaApiContext, path: string, call: { query?: Record<string, string>; json?: unknown; form?: FormData }): Promise<Json> {
  const url = urlOf(ctx, path, call.query);
  const where = `${url.host}/cgi-bin/${path}`;
  const body = call.json !== undefined ? JSON.stringify(call.json) : call.form;
  // WeChat reads the JSON as UTF-8; ensure_ascii-style escapes would be sent as-is, so the text goes raw.
  const answer = await callProvider(url, { method: body === undefined ? 'GET' : 'POST', body, headers: call.json !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : undefined }, ctx);
  if (!answer.ok) throw errorForStatus(answer.status, where, answer.headers.get('retry-after'));
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    throw new ChannelError('permanent', `${where} answered with a body that is not JSON`);
  }
  if (!json || typeof json !== 'object') throw new ChannelError('permanent', `${where} answered with a body that is not an object`);
  const error = errorOf(json);
  if (error) throw error;
  return json as Json;
}

/** /cgi-bin/token: a new access token (doc: Basic_Information/Get_access_token). */
export async function issueToken(ctx: OaApiContext) {
  const answer = await request(ctx, 'token', { query: { grant_type: 'client_credential', appid: ctx.appId, secret: ctx.secret } });
  const token = answer.access_token;
  if (typeof token !== 'string' || !token) throw new ChannelError('permanent', 'token answered without access_token');
  return { token, expiresInSeconds: typeof answer.expires_in === 'number' ? answer.expires_in : 7200 };
}

export const tokenKey = (ctx: Pick<OaApiContext, 'appId' | 'secret'>) => credentialKey('wechat_oa', ctx.appId, ctx.secret);

/** Runs `call` with the account's cached token; refreshes it and retries once when WeChat says it is not good. */
export function withToken<T>(ctx: OaApiContext, call: (token: string) => Promise<T>): Promise<T> {
  return (ctx.tokens ?? accessTokens).withToken(tokenKey(ctx), () => issueToken(ctx), call, isExpired);
}

export const callWithToken = (ctx: OaApiContext, path: string, call: { query?: Record<string, string>; json?: unknown; form?: FormData }) =>
  withToken(ctx, (token) => request(ctx, path, { ...call, query: { ...call.query, access_token: token } }));

/** media/upload: a temporary media id (3 days) for an image (doc: Asset_Management/New_temporary_materials). */
export async function uploadImage(ctx: OaApiContext, file: { fileName: string; mimeType: string; data: Buffer }): Promise<string> {
  const form = new FormData();
  form.append('media', new Blob([new Uint8Array(file.data)], { type: file.mimeType }), file.fileName);
  const answer = await callWithToken(ctx, 'media/upload', { query: { type: 'image' }, form });
  if (typeof answer.media_id !== 'string') throw new ChannelError('permanent', 'media/upload answered without media_id');
  return answer.media_id;
}

/** message/custom/send: one customer-service message (doc: Message_Management/Service_Center_messages). */
export const sendCustom = (ctx: OaApiContext, body: Json) => callWithToken(ctx, 'message/custom/send', { json: body });

/** user/info: a follower's unionid (when the account is bound to an Open Platform account) and subscribe facts. */
export const userInfo = (ctx: OaApiContext, openid: string) => callWithToken(ctx, 'user/info', { query: { openid, lang: 'zh_CN' } });

/** A permanent parametric QR code (QR_LIMIT_STR_SCENE, ≤ 100,000 an account): subscribe / SCAN events carry the scene. */
export const createSceneQr = (ctx: OaApiContext, scene: string) =>
  callWithToken(ctx, 'qrcode/create', { json: { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: scene } } } });
