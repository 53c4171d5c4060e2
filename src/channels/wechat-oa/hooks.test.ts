// Official account end to end: plain and safe callbacks through the real /hooks route and the
// worker, refusals that store nothing, a QR follow's scene on inbox.channel_relation.changed,
// and outbound customer-service messages checked by a local fake WeChat API (real HTTP on
// 127.0.0.1): token refresh on 42001, 5xx retried, 45015 outside the window, image upload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settler } from '../../../test/support/settle.js';
import { count, inboxWorld, makeDue, type InboxWorld } from '../../../test/support/channel-world.js';
import { signedInOwner } from '../../../test/support/app.js';
import { channelRelations } from '../../domains/channels/index.js';
import { inboxJobs } from '../../domains/inbox/index.js';
import type { WecomCryptoKeys } from '../wecom/crypto.js';
import { plainSignature } from './adapter.js';
import { plainCallback, safeCallback, startFakeWechat, type FakeWechat } from './fake-wechat.js';

async function oaWorld() {
  const world = await inboxWorld({ PUBLIC_URL: 'https://renmai.example' });
  const relations = channelRelations(world.t.config);
  const settle = settler(world.t, [relations.handler], [...inboxJobs(world.t.config), relations.job], { label: 'wechat_oa' });
  return { ...world, settle };
}

let w: InboxWorld & { settle(): Promise<void> };
let wechat: FakeWechat;
beforeAll(async () => {
  w = await oaWorld();
  wechat = await startFakeWechat();
});
afterAll(async () => {
  await wechat.close();
  await w.close();
});

const TOKEN = 'renmaiOaToken1';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

async function oaWorkspace(name: string, encryption: 'safe' | 'plain' = 'safe') {
  const owner = await signedInOwner(w.t, name);
  const res = await owner.client.post('/api/v1/channels', {
    type: 'wechat_oa',
    name: '公众号',
    settings: { appId: wechat.appId, encryption, apiBaseUrl: wechat.url },
    secrets: { token: TOKEN, encodingAESKey: AES_KEY, appSecret: wechat.secret },
  });
  if (res.statusCode !== 201) throw new Error(`channel: ${res.statusCode} ${res.body}`);
  const keys: WecomCryptoKeys = { token: TOKEN, encodingAESKey: AES_KEY, receiveId: wechat.appId };
  return { ...owner, channelId: res.json().channel.id as string, keys };
}
type Ws = Awaited<ReturnType<typeof oaWorkspace>>;

const post = (ws: Ws, c: { query: string; body: string }) => w.t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}?${c.query}`, payload: c.body, headers: { 'content-type': 'text/xml' } });

let n = 0;
const now = () => Math.floor(Date.now() / 1000);
const textXml = (from: string, text: string, msgId = `${7_000_000_000_000_000_000n + BigInt(++n)}`) =>
  `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId></xml>`;
const eventXml = (from: string, event: string, extra = '') =>
  `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${now() + ++n}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event>${extra}</xml>`;

const health = async (ws: Ws) => (await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health;

describe('official-account callbacks', () => {
  it('answers server verification with echostr verbatim, and refuses a wrong signature', async () => {
    const ws = await oaWorkspace('OA verify');
    const t = String(now());
    const echostr = '5732109428537812+/=';
    const query = (s: string) => `signature=${s}&timestamp=${t}&nonce=777&echostr=${encodeURIComponent(echostr)}`;
    const ok = await w.t.app.inject({ method: 'GET', url: `/hooks/${ws.channelId}?${query(plainSignature(TOKEN, t, '777'))}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe(echostr);
    expect((await w.t.app.inject({ method: 'GET', url: `/hooks/${ws.channelId}?${query('0'.repeat(40))}` })).statusCode).toBe(403);
  });

  it('a plain-mode text creates contact, identity, conversation and message; ten deliveries store one; WeChat gets "success"', async () => {
    const ws = await oaWorkspace('OA plain', 'plain');
    const callback = plainCallback(TOKEN, textXml('oPlainUser1', '你好 <b>&amp;</b>', '6054768590064713728'));
    for (let i = 0; i < 10; i++) {
      const res = await post(ws, callback);
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('success');
    }
    await w.settle();
    expect(await count(w.t, 'inbound_events', ws.workspace.id)).toBe(1);
    expect(await count(w.t, 'messages', ws.workspace.id)).toBe(1);
    const conversation = (await ws.client.get('/api/v1/conversations')).json().items[0];
    const message = (await ws.client.get(`/api/v1/conversations/${conversation.id}/messages`)).json().items[0];
    expect(message).toMatchObject({ direction: 'in', kind: 'text', text: '你好 <b>&amp;</b>', providerMessageId: '6054768590064713728' });
    const contact = (await ws.client.get(`/api/v1/contacts/${conversation.contact.id}`)).json().contact;
    expect(contact.identities).toEqual([expect.objectContaining({ channelType: 'wechat_openid', externalId: 'oPlainUser1' })]);
  });

  it('a safe-mode text and image: stored once, the image fetched from media/get', async () => {
    const ws = await oaWorkspace('OA safe');
    const callback = safeCallback(ws.keys, textXml('oSafeUser1', '加密的'));
    for (let i = 0; i < 10; i++) expect((await post(ws, callback)).body).toBe('success');
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);
    wechat.media.set('OA_MEDIA_1', { data: png, mimeType: 'image/png' });
    const image = `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oSafeUser1]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/x]]></PicUrl><MediaId><![CDATA[OA_MEDIA_1]]></MediaId><MsgId>9876543210987654321</MsgId></xml>`;
    expect((await post(ws, safeCallback(ws.keys, image))).statusCode).toBe(200);
    await w.settle();
    expect(await count(w.t, 'messages', ws.workspace.id)).toBe(2);
    const conversation = (await ws.client.get('/api/v1/conversations')).json().items[0];
    const items = (await ws.client.get(`/api/v1/conversations/${conversation.id}/messages`)).json().items as Array<Record<string, unknown>>;
    expect(items.find((m) => m.kind === 'text')).toMatchObject({ text: '加密的' });
    expect(items.find((m) => m.kind === 'image')).toMatchObject({ providerMessageId: '9876543210987654321', attachments: [expect.objectContaining({ mimeType: 'image/png', sizeBytes: png.length })] });
    expect(wechat.calls('media/get').at(-1)!.query.get('media_id')).toBe('OA_MEDIA_1');
  });

  it('a video: media/get answers its video_url, which is downloaded without the token', async () => {
    const ws = await oaWorkspace('OA video');
    const mp4 = Buffer.concat([Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'), Buffer.alloc(64, 3)]);
    wechat.api.on('GET', '/videos/v1.mp4', { headers: { 'content-type': 'video/mp4' }, body: mp4 });
    wechat.media.set('OA_VIDEO_1', { data: Buffer.from(JSON.stringify({ video_url: `${wechat.url}/videos/v1.mp4` })), mimeType: 'text/plain' });
    const video = `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oVideo1]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[video]]></MsgType><MediaId><![CDATA[OA_VIDEO_1]]></MediaId><ThumbMediaId><![CDATA[T1]]></ThumbMediaId><MsgId>1234567890123456789</MsgId></xml>`;
    expect((await post(ws, safeCallback(ws.keys, video))).statusCode).toBe(200);
    await w.settle();
    const conversation = (await ws.client.get('/api/v1/conversations')).json().items[0];
    const [message] = (await ws.client.get(`/api/v1/conversations/${conversation.id}/messages`)).json().items;
    expect(message).toMatchObject({ kind: 'video', attachments: [expect.objectContaining({ mimeType: 'video/mp4', sizeBytes: mp4.length })] });
    expect(wechat.api.requests('/videos/v1.mp4').at(-1)!.path).not.toContain('access_token');
  });

  it('refuses a tampered body, a wrong signature, another AppID, a stale timestamp and plaintext on a safe channel: 401, nothing stored', async () => {
    const ws = await oaWorkspace('OA refuse');
    const good = safeCallback(ws.keys, textXml('oBad', 'hi'));
    const tampered = { ...good, body: good.body.replace(good.encrypt, `${good.encrypt.slice(0, 10)}${good.encrypt[10] === 'A' ? 'B' : 'A'}${good.encrypt.slice(11)}`) };
    const wrongSignature = { ...good, query: good.query.replace(/msg_signature=([0-9a-f]{40})/, (_m, s: string) => `msg_signature=${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`) };
    const otherApp = safeCallback({ ...ws.keys, receiveId: 'wxb11529c136998cb6' }, textXml('oBad', 'hi'));
    const stale = safeCallback(ws.keys, textXml('oBad', 'hi'), { timestamp: now() - 301 });
    const plain = plainCallback(TOKEN, textXml('oBad', 'hi'));
    for (const bad of [tampered, wrongSignature, otherApp, stale, plain]) {
      const res = await post(ws, bad);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    }
    await w.settle();
    for (const table of ['inbound_events', 'messages', 'conversations', 'contacts'] as const) expect(await count(w.t, table, ws.workspace.id)).toBe(0);
    expect(await health(ws)).toMatchObject({ refusedCount: 5, lastEventAt: null });
    expect((await post(ws, good)).statusCode).toBe(200);
  });

  it('a qrscene_ subscribe is a follow with the scene as source; a SCAN too; the unionid from user/info joins the contact', async () => {
    const ws = await oaWorkspace('OA qr');
    wechat.unionids.set('oQrUser1', 'oUnion-qr-1');
    expect((await post(ws, safeCallback(ws.keys, eventXml('oQrUser1', 'subscribe', '<EventKey><![CDATA[qrscene_ch_7f3a]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>')))).statusCode).toBe(200);
    expect((await post(ws, safeCallback(ws.keys, eventXml('oQrUser1', 'SCAN', '<EventKey><![CDATA[poster_9]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>')))).statusCode).toBe(200);
    expect((await post(ws, safeCallback(ws.keys, eventXml('oQrUser1', 'unsubscribe')))).statusCode).toBe(200);
    await w.settle();
    const relations = await w.t.database.db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', ws.workspace.id).where('type', '=', 'inbox.channel_relation.changed').orderBy('id').execute();
    expect(relations.map((r) => r.payload)).toEqual([
      expect.objectContaining({ kind: 'follow', source: 'ch_7f3a' }),
      expect.objectContaining({ kind: 'follow', source: 'poster_9' }),
      expect.not.objectContaining({ source: expect.anything() }),
    ]);
    expect((relations[2]!.payload as { kind: string }).kind).toBe('unfollow');
    const identities = await w.t.database.db.selectFrom('contact_identities').select(['channel_type', 'external_id']).where('workspace_id', '=', ws.workspace.id).orderBy('channel_type').execute();
    expect(identities.map((i) => [i.channel_type, i.external_id])).toEqual([
      ['wechat_openid', 'oQrUser1'],
      ['wechat_unionid', 'oUnion-qr-1'],
    ]);
    expect(await count(w.t, 'contacts', ws.workspace.id)).toBe(1);
  });
});

describe('official-account customer-service messages through the fake WeChat', () => {
  async function conversation(name: string, from: string) {
    const ws = await oaWorkspace(name);
    await post(ws, safeCallback(ws.keys, textXml(from, 'help')));
    await w.settle();
    const conversationId = (await ws.client.get('/api/v1/conversations')).json().items[0].id as string;
    const reply = async (text: string) => (await ws.client.post(`/api/v1/conversations/${conversationId}/messages`, { text })).json().message.id as string;
    const messageOf = async (id: string) => (await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items.find((m: { id: string }) => m.id === id);
    return { ...ws, conversationId, reply, messageOf };
  }

  it('sends text with message/custom/send (token cached), and refreshes the token once on 42001', async () => {
    const ws = await conversation('OA send', 'oSend1');
    const first = await ws.reply('第一条');
    await w.settle();
    const send = wechat.calls('message/custom/send').at(-1)!;
    expect(send.json()).toEqual({ touser: 'oSend1', msgtype: 'text', text: { content: '第一条' } });
    expect(send.query.get('access_token')).toMatch(/^fake-oa-token-/);
    expect(await ws.messageOf(first)).toMatchObject({ status: 'sent' });
    const token = wechat.calls('token');
    expect(token.at(-1)!.query.get('appid')).toBe(wechat.appId);

    wechat.expireTokenOnce();
    const tokens = wechat.calls('token').length;
    const sends = wechat.calls('message/custom/send').length;
    const second = await ws.reply('第二条');
    await w.settle();
    expect(wechat.calls('token').length).toBe(tokens + 1);
    const [refused, retried] = wechat.calls('message/custom/send').slice(sends);
    expect(refused!.query.get('access_token')).not.toBe(retried!.query.get('access_token'));
    expect(await ws.messageOf(second)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('retries on HTTP 5xx; 45015 fails at once as outside_reply_window, 43004 as recipient_blocked, 45047 as rate_limited without retrying', async () => {
    const ws = await conversation('OA retry', 'oRetry1');
    wechat.api.failNext('POST', '/cgi-bin/message/custom/send', { status: 502, body: 'bad gateway' });
    const id = await ws.reply('retry me');
    await w.settle();
    expect(await ws.messageOf(id)).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringContaining('HTTP 502') });
    await makeDue(w.t);
    await w.settle();
    expect(await ws.messageOf(id)).toMatchObject({ status: 'sent', attempts: 2 });

    wechat.api.failNext('POST', '/cgi-bin/message/custom/send', { body: { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' } });
    const late = await ws.reply('too late');
    await w.settle();
    expect(await ws.messageOf(late)).toMatchObject({ status: 'failed', errorReason: 'outside_reply_window', lastError: expect.stringContaining('45015') });

    wechat.api.failNext('POST', '/cgi-bin/message/custom/send', { body: { errcode: 43004, errmsg: 'require subscribe' } });
    const gone = await ws.reply('still there?');
    await w.settle();
    expect(await ws.messageOf(gone)).toMatchObject({ status: 'failed', errorReason: 'recipient_blocked' });

    wechat.api.failNext('POST', '/cgi-bin/message/custom/send', { body: { errcode: 45047, errmsg: 'out of response count limit' } });
    const many = await ws.reply('one more');
    await w.settle();
    expect(await ws.messageOf(many)).toMatchObject({ status: 'failed', attempts: 1, errorReason: 'rate_limited' });
  });

  it('the inbox refuses a reply 48 hours after the person last wrote, before anything is queued', async () => {
    const ws = await conversation('OA window', 'oWindow1');
    await w.t.database.db.updateTable('conversations').set({ last_inbound_at: new Date(Date.now() - 48 * 3600 * 1000 - 60_000) }).where('workspace_id', '=', ws.workspace.id).execute();
    const sends = wechat.calls('message/custom/send').length;
    const res = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: 'hello?' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ reason: 'outside_reply_window' });
    await w.settle();
    expect(wechat.calls('message/custom/send')).toHaveLength(sends);
  });

  it('uploads an image with media/upload and sends it by media_id after the text', async () => {
    const ws = await conversation('OA image', 'oImage1');
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 2)]);
    const boundary = '----renmaioatest';
    const multipart = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`), png, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const uploaded = await ws.client.request('POST', '/api/v1/attachments', multipart, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(uploaded.statusCode).toBe(201);
    const res = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { kind: 'image', text: '看图', attachmentIds: [uploaded.json().attachment.id] });
    expect(res.statusCode).toBe(202);
    await w.settle();
    const upload = wechat.calls('media/upload').at(-1)!;
    expect(upload.query.get('type')).toBe('image');
    expect(upload.body.toString('latin1')).toContain('name="media"; filename="photo.png"');
    expect(wechat.calls('message/custom/send').slice(-2).map((r) => r.json())).toEqual([
      { touser: 'oImage1', msgtype: 'text', text: { content: '看图' } },
      { touser: 'oImage1', msgtype: 'image', image: { media_id: expect.stringMatching(/^fake-oa-media-/) } },
    ]);
  });
});

describe('official-account test connection', () => {
  it('gets an access token with the AppID and AppSecret; a wrong secret is token_invalid and not echoed', async () => {
    const ws = await oaWorkspace('OA test');
    const ok = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`, {});
    expect(ok.statusCode).toBe(200);
    expect(JSON.stringify(ok.json())).toContain(wechat.appId);
    await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { secrets: { appSecret: 'not the app secret' } });
    const bad = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`, {});
    expect(bad.statusCode).toBe(502);
    expect(bad.json()).toMatchObject({ reason: 'token_invalid' });
    expect(bad.body).not.toContain('not the app secret');
  });
});
