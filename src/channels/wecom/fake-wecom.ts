// A fake WeCom for tests: a real HTTP server on 127.0.0.1 speaking the calls the adapter makes
// (gettoken, message/send, media/upload, media/get, externalcontact/get, send_welcome_msg,
// add_contact_way) with
// WeCom's answers (HTTP 200 with errcode), recording every request. It can be told to fail the
// next calls (any status or errcode), or to expire the current token once (42001), and it builds
// signed, encrypted callbacks as WeCom posts them.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptMessage, signature, type WecomCryptoKeys } from './crypto.js';
import { callbackEnvelope } from '../wx-xml.js';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
  json(): Record<string, unknown>;
}

export interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface FakeWecom {
  url: string;
  corpId: string;
  secret: string;
  received: FakeRequest[];
  /** Requests to one API path (e.g. 'message/send'). */
  calls(path: string): FakeRequest[];
  /** Answers the next calls to `path` with these, in order. */
  failNext(path: string, ...answers: Scripted[]): void;
  /** The next call with the current token answers 42001 (expired), and the token stops working. */
  expireTokenOnce(): void;
  profiles: Map<string, Record<string, unknown>>;
  media: Map<string, { data: Buffer; mimeType: string }>;
  close(): Promise<void>;
}

const ok = (extra: Record<string, unknown> = {}) => ({ errcode: 0, errmsg: 'ok', ...extra });

export async function startFakeWecom(corpId = 'ww0000fake0000corp', secret = 'fake-app-secret'): Promise<FakeWecom> {
  const received: FakeRequest[] = [];
  const scripts = new Map<string, Scripted[]>();
  const profiles = new Map<string, Record<string, unknown>>();
  const media = new Map<string, { data: Buffer; mimeType: string }>();
  const usedWelcomeCodes = new Set<string>();
  let tokens = 0;
  let current = '';
  let expireOnce = false;
  let n = 0;

  function answer(path: string, query: URLSearchParams, body: Buffer): Scripted {
    const scripted = scripts.get(path)?.shift();
    if (scripted) return scripted;
    if (path === 'gettoken') {
      if (query.get('corpid') !== corpId || query.get('corpsecret') !== secret) return { body: { errcode: 40001, errmsg: 'invalid credential' } };
      current = `fake-token-${++tokens}`;
      return { body: ok({ access_token: current, expires_in: 7200 }) };
    }
    const token = query.get('access_token');
    if (!token || token !== current) return { body: { errcode: 40014, errmsg: 'invalid access_token' } };
    if (expireOnce) {
      expireOnce = false;
      current = '';
      return { body: { errcode: 42001, errmsg: 'access_token expired' } };
    }
    switch (path) {
      case 'message/send':
        return { body: ok({ invaliduser: '', msgid: `fake-msgid-${++n}` }) };
      case 'media/upload':
        return { body: ok({ type: query.get('type'), media_id: `fake-media-${++n}`, created_at: String(Math.floor(Date.now() / 1000)) }) };
      case 'media/get': {
        const file = media.get(query.get('media_id') ?? '');
        return file ? { headers: { 'content-type': file.mimeType, 'content-disposition': `attachment; filename="${query.get('media_id')}.bin"` }, body: file.data } : { body: { errcode: 40007, errmsg: 'invalid media_id' } };
      }
      case 'externalcontact/get': {
        const profile = profiles.get(query.get('external_userid') ?? '');
        return profile ? { body: ok(profile) } : { body: { errcode: 84061, errmsg: 'not external contact' } };
      }
      case 'externalcontact/send_welcome_msg': {
        const code = String((JSON.parse(body.toString('utf8')) as { welcome_code?: string }).welcome_code);
        if (usedWelcomeCodes.has(code)) return { body: { errcode: 41051, errmsg: 'externaluser has started chatting' } };
        usedWelcomeCodes.add(code);
        return { body: ok() };
      }
      case 'externalcontact/add_contact_way': {
        const way = JSON.parse(body.toString('utf8')) as { state?: string; user?: string[] };
        if (!way.user?.length || (way.state ?? '').length > 30) return { body: { errcode: 40058, errmsg: 'invalid parameter' } };
        return { body: ok({ config_id: `fake-way-${++n}`, qr_code: `https://wework.qpic.cn/fake-way-${n}.png` }) };
      }
      default:
        return { status: 404, body: { errcode: 404, errmsg: 'unknown path' } };
    }
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const path = url.pathname.replace(/^\/cgi-bin\//, '');
      const body = Buffer.concat(chunks);
      received.push({ method: req.method ?? '', path, query: url.searchParams, body, json: () => JSON.parse(body.toString('utf8')) as Record<string, unknown> });
      const a = answer(path, url.searchParams, body);
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
      res.end(Buffer.isBuffer(a.body) ? a.body : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    corpId,
    secret,
    received,
    calls: (path) => received.filter((r) => r.path === path),
    failNext: (path, ...answers) => scripts.set(path, [...(scripts.get(path) ?? []), ...answers]),
    expireTokenOnce: () => void (expireOnce = true),
    profiles,
    media,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** A callback as WeCom posts it: the query string and the encrypted XML body for `xml`. */
export function encryptedCallback(keys: WecomCryptoKeys, xml: string, o: { timestamp?: number; nonce?: string; agentId?: string } = {}) {
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const encrypt = encryptMessage(keys, xml);
  const query = `msg_signature=${signature(keys.token, timestamp, nonce, encrypt)}&timestamp=${timestamp}&nonce=${nonce}`;
  return { query, body: callbackEnvelope({ toUserName: keys.receiveId, encrypt, agentId: o.agentId }), encrypt, timestamp, nonce };
}

/** The URL-verification GET's query for a plaintext echo. */
export function verificationQuery(keys: WecomCryptoKeys, echo: string, o: { timestamp?: number; nonce?: string } = {}) {
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? '1597212914';
  const echostr = encryptMessage(keys, echo);
  return `msg_signature=${signature(keys.token, timestamp, nonce, echostr)}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`;
}
