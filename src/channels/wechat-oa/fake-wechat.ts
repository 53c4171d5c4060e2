// A fake WeChat official-account API for tests, on test/support/fake-api.ts (real HTTP on
// 127.0.0.1): token, message/custom/send, media/upload, media/get, user/info and qrcode/create with WeChat's
// answers (HTTP 200 with errcode), every request recorded. It can fail the next calls of a route,
// expire the current token once (42001), and builds callbacks as WeChat posts them, plain or safe.
import { randomBytes } from 'node:crypto';
import { startFakeApi, type FakeApi, type FakeRequest } from '../../../test/support/fake-api.js';
import { encryptMessage, signature, type WecomCryptoKeys } from '../wecom/crypto.js';
import { plainSignature } from './adapter.js';

export interface FakeWechat {
  api: FakeApi;
  url: string;
  appId: string;
  secret: string;
  /** Requests to one API path under /cgi-bin/ (e.g. 'message/custom/send'). */
  calls(path: string): Array<FakeRequest & { query: URLSearchParams }>;
  /** The next call with the current token answers 42001, and the token stops working. */
  expireTokenOnce(): void;
  media: Map<string, { data: Buffer; mimeType: string }>;
  unionids: Map<string, string>;
  close(): Promise<void>;
}

const ok = (extra: Record<string, unknown> = {}) => ({ errcode: 0, errmsg: 'ok', ...extra });
const queryOf = (req: FakeRequest) => new URL(req.path, 'http://fake').searchParams;

export async function startFakeWechat(appId = 'wx1234567890abcdef', secret = 'fake-app-secret'): Promise<FakeWechat> {
  const api = await startFakeApi();
  const media = new Map<string, { data: Buffer; mimeType: string }>();
  const unionids = new Map<string, string>();
  let tokens = 0;
  let current = '';
  let expireOnce = false;
  let n = 0;

  api.on('GET', '/cgi-bin/token', (req) => {
    const q = queryOf(req);
    if (q.get('grant_type') !== 'client_credential' || q.get('appid') !== appId || q.get('secret') !== secret) return { body: { errcode: 40001, errmsg: 'invalid credential' } };
    current = `fake-oa-token-${++tokens}`;
    return { body: { access_token: current, expires_in: 7200 } };
  });
  /** The answer for a call with a token that is not (any more) good, or undefined. */
  const refused = (req: FakeRequest) => {
    const token = queryOf(req).get('access_token');
    if (!token || token !== current) return { body: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' } };
    if (expireOnce) {
      expireOnce = false;
      current = '';
      return { body: { errcode: 42001, errmsg: 'access_token expired' } };
    }
    return undefined;
  };
  api.on('POST', '/cgi-bin/message/custom/send', (req) => refused(req) ?? { body: ok() });
  api.on('POST', '/cgi-bin/media/upload', (req) => refused(req) ?? { body: { type: queryOf(req).get('type'), media_id: `fake-oa-media-${++n}`, created_at: Math.floor(Date.now() / 1000) } });
  api.on('GET', '/cgi-bin/media/get', (req) => {
    const file = media.get(queryOf(req).get('media_id') ?? '');
    return refused(req) ?? (file ? { headers: { 'content-type': file.mimeType }, body: file.data } : { headers: { 'content-type': 'text/plain' }, body: { errcode: 40007, errmsg: 'invalid media_id' } });
  });
  api.on('POST', '/cgi-bin/qrcode/create', (req) => {
    const scene = (req.json() as { action_info?: { scene?: { scene_str?: string } } }).action_info?.scene?.scene_str ?? '';
    if (!scene || scene.length > 64) return refused(req) ?? { body: { errcode: 40097, errmsg: 'invalid args' } };
    return refused(req) ?? { body: { ticket: `fake-ticket-${++n}`, url: `http://weixin.qq.com/q/fake-${scene}` } };
  });
  api.on('GET', '/cgi-bin/user/info', (req) => {
    const openid = queryOf(req).get('openid') ?? '';
    const unionid = unionids.get(openid);
    return refused(req) ?? { body: { subscribe: 1, openid, ...(unionid ? { unionid } : {}), subscribe_scene: 'ADD_SCENE_QR_CODE' } };
  });

  return {
    api,
    url: api.url,
    appId,
    secret,
    calls: (path) => api.requests(`/cgi-bin/${path}`).map((r) => Object.assign(r, { query: queryOf(r) })),
    expireTokenOnce: () => void (expireOnce = true),
    media,
    unionids,
    close: () => api.close(),
  };
}

const stamp = (o: { timestamp?: number }) => String(o.timestamp ?? Math.floor(Date.now() / 1000));
const nonceOf = (o: { nonce?: string }) => o.nonce ?? String(randomBytes(4).readUInt32BE(0));

/** A plain-mode callback: the three-item signature in the query, the XML as the body. */
export function plainCallback(token: string, xml: string, o: { timestamp?: number; nonce?: string } = {}) {
  const timestamp = stamp(o);
  const nonce = nonceOf(o);
  return { query: `signature=${plainSignature(token, timestamp, nonce)}&timestamp=${timestamp}&nonce=${nonce}&openid=o`, body: xml };
}

/** A safe-mode callback: encrypt_type=aes, msg_signature over Encrypt (and the plain signature, as WeChat sends both). */
export function safeCallback(keys: WecomCryptoKeys, xml: string, o: { timestamp?: number; nonce?: string } = {}) {
  const timestamp = stamp(o);
  const nonce = nonceOf(o);
  const encrypt = encryptMessage(keys, xml);
  return {
    query: `signature=${plainSignature(keys.token, timestamp, nonce)}&timestamp=${timestamp}&nonce=${nonce}&openid=o&encrypt_type=aes&msg_signature=${signature(keys.token, timestamp, nonce, encrypt)}`,
    body: `<xml><ToUserName><![CDATA[gh_0000fake]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
    encrypt,
  };
}
