// WeCom end to end: encrypted callbacks through the real /hooks route and the worker, refusals
// that store nothing, and outbound calls checked by a local fake WeCom (real HTTP on 127.0.0.1),
// token refresh on 42001 included. The autoreplies handler runs too, for the welcome message, and
// the channels domain's relation facts (customer profile, staff relationship, churn alert).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settler } from '../../../test/support/settle.js';
import { count, inboxWorld, makeDue, type InboxWorld } from '../../../test/support/channel-world.js';
import { signedInOwner } from '../../../test/support/app.js';
import { autorepliesHandler } from '../../domains/autoreplies/index.js';
import { channelRelations } from '../../domains/channels/index.js';
import { inboxJobs } from '../../domains/inbox/index.js';
import type { WecomCryptoKeys } from './crypto.js';
import { encryptedCallback, startFakeWecom, verificationQuery, type FakeWecom } from './fake-wecom.js';

/** The inbox world with a worker that also dispatches events to the autoreplies and relation handlers. */
async function wecomWorld() {
  const world = await inboxWorld({ PUBLIC_URL: 'https://renmai.example' });
  const relations = channelRelations(world.t.config);
  const settle = settler(world.t, [autorepliesHandler(world.t.config), relations.handler], [...inboxJobs(world.t.config), relations.job], { label: 'wecom' });
  return { ...world, settle };
}

let w: InboxWorld & { settle(): Promise<void> };
let wecom: FakeWecom;
beforeAll(async () => {
  w = await wecomWorld();
  wecom = await startFakeWecom();
});
afterAll(async () => {
  await wecom.close();
  await w.close();
});

const TOKEN = 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo';
const AES_KEY = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';

async function wecomWorkspace(name: string) {
  const owner = await signedInOwner(w.t, name);
  const ownerMember = await w.t.database.db.selectFrom('members').select('id').where('workspace_id', '=', owner.workspace.id).executeTakeFirstOrThrow();
  const res = await owner.client.post('/api/v1/channels', {
    type: 'wecom',
    name: 'WeCom',
    settings: { corpId: wecom.corpId, agentId: 1000002, apiBaseUrl: wecom.url, staff: [{ userId: 'zhangsan', memberId: ownerMember.id }] },
    secrets: { token: TOKEN, encodingAESKey: AES_KEY, secret: wecom.secret },
  });
  if (res.statusCode !== 201) throw new Error(`channel: ${res.statusCode} ${res.body}`);
  const keys: WecomCryptoKeys = { token: TOKEN, encodingAESKey: AES_KEY, receiveId: wecom.corpId };
  return { ...owner, memberId: ownerMember.id, channelId: res.json().channel.id as string, keys };
}
type Ws = Awaited<ReturnType<typeof wecomWorkspace>>;

const post = (ws: Ws, c: { query: string; body: string }) => w.t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}?${c.query}`, payload: c.body, headers: { 'content-type': 'text/xml' } });

let n = 0;
const textXml = (from: string, text: string, msgId = `${7_000_000_000_000_000_000n + BigInt(++n)}`) =>
  `<xml><ToUserName><![CDATA[${wecom.corpId}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;

const contactXml = (changeType: string, customer: string, extra = '') =>
  `<xml><ToUserName><![CDATA[${wecom.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000) + ++n}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[${changeType}]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[${customer}]]></ExternalUserID>${extra}</xml>`;

const health = async (ws: Ws) => (await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health;

describe('WeCom callbacks', () => {
  it('answers URL verification with the decrypted echostr only, and refuses a wrong signature', async () => {
    const ws = await wecomWorkspace('WeCom verify');
    const ok = await w.t.app.inject({ method: 'GET', url: `/hooks/${ws.channelId}?${verificationQuery(ws.keys, '1288432023552776189')}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('1288432023552776189');
    const query = verificationQuery(ws.keys, '42').replace(/msg_signature=[0-9a-f]/, 'msg_signature=x');
    expect((await w.t.app.inject({ method: 'GET', url: `/hooks/${ws.channelId}?${query}` })).statusCode).toBe(403);
    expect(await health(ws)).toMatchObject({ refusedCount: 1 });
  });

  it('a member’s text creates contact, identity, conversation and message; ten deliveries store one', async () => {
    const ws = await wecomWorkspace('WeCom text');
    const callback = encryptedCallback(ws.keys, textXml('ChenJiaShun', '你好 <b>&amp;</b>', '4561255354251345929'), { agentId: '1000002' });
    for (let i = 0; i < 10; i++) {
      const res = await post(ws, callback);
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('');
    }
    await w.settle();
    expect(await count(w.t, 'inbound_events', ws.workspace.id)).toBe(1);
    expect(await count(w.t, 'messages', ws.workspace.id)).toBe(1);
    const conversation = (await ws.client.get('/api/v1/conversations')).json().items[0];
    expect(conversation.lastMessagePreview).toBe('你好 <b>&amp;</b>');
    const message = (await ws.client.get(`/api/v1/conversations/${conversation.id}/messages`)).json().items[0];
    // The id over 2^53 is kept exactly.
    expect(message).toMatchObject({ direction: 'in', kind: 'text', text: '你好 <b>&amp;</b>', providerMessageId: '4561255354251345929' });
    const contact = (await ws.client.get(`/api/v1/contacts/${conversation.contact.id}`)).json().contact;
    expect(contact.identities).toEqual([expect.objectContaining({ channelType: 'wecom', externalId: 'ChenJiaShun' })]);
  });

  it('refuses a tampered body, a wrong signature, another corp’s message and a stale timestamp: 401, nothing stored, counted', async () => {
    const ws = await wecomWorkspace('WeCom refuse');
    const good = encryptedCallback(ws.keys, textXml('lisi', 'hi'));
    const tampered = { ...good, body: good.body.replace(good.encrypt, `${good.encrypt.slice(0, 10)}${good.encrypt[10] === 'A' ? 'B' : 'A'}${good.encrypt.slice(11)}`) };
    const wrongSignature = { ...good, query: good.query.replace(/msg_signature=([0-9a-f]{40})/, (_m, s: string) => `msg_signature=${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`) };
    const otherCorp = encryptedCallback({ ...ws.keys, receiveId: 'ww1436e0e65a779aee' }, textXml('lisi', 'hi'));
    const stale = encryptedCallback(ws.keys, textXml('lisi', 'hi'), { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const future = encryptedCallback(ws.keys, textXml('lisi', 'hi'), { timestamp: Math.floor(Date.now() / 1000) + 301 });
    for (const bad of [tampered, wrongSignature, otherCorp, stale, future]) {
      const res = await post(ws, bad);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    }
    await w.settle();
    for (const table of ['inbound_events', 'messages', 'conversations', 'contacts'] as const) expect(await count(w.t, table, ws.workspace.id)).toBe(0);
    expect(await health(ws)).toMatchObject({ refusedCount: 5, lastEventAt: null });
    // The good one still goes through.
    expect((await post(ws, good)).statusCode).toBe(200);
  });

  it('a member’s image arrives by reference and is fetched from media/get', async () => {
    const ws = await wecomWorkspace('WeCom image');
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);
    wecom.media.set('MEDIA_1', { data: png, mimeType: 'image/png' });
    const xml = `<xml><ToUserName><![CDATA[${wecom.corpId}]]></ToUserName><FromUserName><![CDATA[wangwu]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[https://example.com/p.jpg]]></PicUrl><MediaId><![CDATA[MEDIA_1]]></MediaId><MsgId>9876543210987654321</MsgId><AgentID>1000002</AgentID></xml>`;
    expect((await post(ws, encryptedCallback(ws.keys, xml))).statusCode).toBe(200);
    await w.settle();
    const conversation = (await ws.client.get('/api/v1/conversations')).json().items[0];
    const [message] = (await ws.client.get(`/api/v1/conversations/${conversation.id}/messages`)).json().items;
    expect(message).toMatchObject({ kind: 'image', attachments: [expect.objectContaining({ mimeType: 'image/png', sizeBytes: png.length })] });
    const get = wecom.calls('media/get').at(-1)!;
    expect(get.query.get('media_id')).toBe('MEDIA_1');
  });
});

describe('WeCom outbound through the fake WeCom', () => {
  async function memberConversation(name: string) {
    const ws = await wecomWorkspace(name);
    await post(ws, encryptedCallback(ws.keys, textXml('zhaoliu', 'help')));
    await w.settle();
    const conversationId = (await ws.client.get('/api/v1/conversations')).json().items[0].id as string;
    const reply = async (text: string) => (await ws.client.post(`/api/v1/conversations/${conversationId}/messages`, { text })).json().message.id as string;
    const messageOf = async (id: string) => (await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items.find((m: { id: string }) => m.id === id);
    return { ...ws, conversationId, reply, messageOf };
  }

  it('sends a reply with message/send (token from gettoken, cached), then refreshes the token once on 42001', async () => {
    const ws = await memberConversation('WeCom send');
    const tokensBefore = wecom.calls('gettoken').length;
    const first = await ws.reply('第一条');
    await w.settle();
    const send = wecom.calls('message/send').at(-1)!;
    expect(send.method).toBe('POST');
    expect(send.json()).toMatchObject({ touser: 'zhaoliu', agentid: 1000002, msgtype: 'text', text: { content: '第一条' }, enable_duplicate_check: 1 });
    expect(send.query.get('access_token')).toMatch(/^fake-token-/);
    expect(await ws.messageOf(first)).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^fake-msgid-/) });

    const second = await ws.reply('第二条');
    await w.settle();
    // The cached token served the second send: no new gettoken.
    expect(wecom.calls('gettoken').length).toBeLessThanOrEqual(tokensBefore + 1);
    expect(await ws.messageOf(second)).toMatchObject({ status: 'sent' });

    wecom.expireTokenOnce();
    const gettokens = wecom.calls('gettoken').length;
    const sends = wecom.calls('message/send').length;
    const third = await ws.reply('第三条');
    await w.settle();
    expect(wecom.calls('gettoken').length).toBe(gettokens + 1);
    // The refused call and its retry with the new token, within one attempt.
    const [refused, retried] = wecom.calls('message/send').slice(sends);
    expect(refused!.query.get('access_token')).not.toBe(retried!.query.get('access_token'));
    expect(await ws.messageOf(third)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('retries on HTTP 5xx and on the frequency limit (45009), and dead-letters a recipient outside the app', async () => {
    const ws = await memberConversation('WeCom retry');
    wecom.failNext('message/send', { status: 502, body: 'bad gateway' });
    const id = await ws.reply('retry me');
    await w.settle();
    expect(await ws.messageOf(id)).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringContaining('HTTP 502') });
    await makeDue(w.t);
    wecom.failNext('message/send', { body: { errcode: 45009, errmsg: 'api freq out of limit' } });
    await w.settle();
    expect(await ws.messageOf(id)).toMatchObject({ status: 'queued', attempts: 2, lastError: expect.stringContaining('45009') });
    await makeDue(w.t);
    await w.t.database.db.updateTable('channels').set({ send_paused_until: null }).where('id', '=', ws.channelId).execute();
    await w.settle();
    expect(await ws.messageOf(id)).toMatchObject({ status: 'sent', attempts: 3 });

    wecom.failNext('message/send', { body: { errcode: 0, errmsg: 'ok', invaliduser: 'zhaoliu', msgid: '' } });
    const gone = await ws.reply('anyone there?');
    await w.settle();
    expect(await ws.messageOf(gone)).toMatchObject({ status: 'failed', errorReason: 'recipient_not_found', lastError: expect.stringContaining('visible range') });
  });

  it('uploads a file with media/upload and sends it by media_id', async () => {
    const ws = await memberConversation('WeCom file');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
    const boundary = '----renmaiwecomtest';
    const multipart = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="prices.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), pdf, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const uploaded = await ws.client.request('POST', '/api/v1/attachments', multipart, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(uploaded.statusCode).toBe(201);
    const res = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: 'the price list', attachmentIds: [uploaded.json().attachment.id] });
    expect(res.statusCode).toBe(202);
    await w.settle();
    const upload = wecom.calls('media/upload').at(-1)!;
    expect(upload.query.get('type')).toBe('file');
    expect(upload.body.toString('latin1')).toContain('filename="prices.pdf"');
    const sends = wecom.calls('message/send').slice(-2).map((r) => r.json());
    expect(sends).toEqual([expect.objectContaining({ msgtype: 'text' }), expect.objectContaining({ msgtype: 'file', file: { media_id: expect.stringMatching(/^fake-media-/) } })]);
  });
});

describe('WeCom test connection', () => {
  it('gets a token with the corp id and secret; a wrong secret is token_invalid', async () => {
    const ws = await wecomWorkspace('WeCom test');
    const ok = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`, {});
    expect(ok.statusCode).toBe(200);
    expect(JSON.stringify(ok.json())).toContain(wecom.corpId);
    await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { secrets: { secret: 'not the app secret' } });
    const bad = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`, {});
    expect(bad.statusCode).toBe(502);
    expect(bad.json()).toMatchObject({ reason: 'token_invalid' });
    expect(bad.body).not.toContain('not the app secret');
  });
});

describe('WeCom customer contact', () => {
  it('add_external_contact with State and WelcomeCode: a contact with the customer’s identity, the source kept, the welcome sent with the code', async () => {
    const ws = await wecomWorkspace('WeCom add');
    wecom.profiles.set('woAJ2GCAAAXtWyujaWJHDDGi0mAAAA', {
      external_contact: { external_userid: 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA', name: '李四', avatar: 'https://wework.qpic.cn/a.png', type: 1, gender: 1, unionid: 'ozynqsulJFCZ2z1aYeS8h-nuasdAAA' },
      follow_user: [{ userid: 'zhangsan', remark: '', createtime: 1700000000, state: 'live-code-7', add_way: 1 }],
      next_cursor: '',
    });
    await ws.client.put(`/api/v1/inbox/channel-settings/${ws.channelId}`, { welcomeMessage: '欢迎！' });
    const xml = contactXml('add_external_contact', 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA', '<State><![CDATA[live-code-7]]></State><WelcomeCode><![CDATA[WELCOMECODE-1]]></WelcomeCode>');
    expect((await post(ws, encryptedCallback(ws.keys, xml))).statusCode).toBe(200);
    await w.settle();
    const stored = await w.t.database.db.selectFrom('inbound_events').select(['kind', 'thread_key', 'event']).where('workspace_id', '=', ws.workspace.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ kind: 'friend_added', thread_key: 'external:woAJ2GCAAAXtWyujaWJHDDGi0mAAAA', event: { source: 'live-code-7', wecom: { changeType: 'add_external_contact', staffUserId: 'zhangsan' } } });
    const identities = await w.t.database.db.selectFrom('contact_identities').select(['contact_id', 'channel_type', 'external_id']).where('workspace_id', '=', ws.workspace.id).orderBy('channel_type').execute();
    expect(identities.map((i) => [i.channel_type, i.external_id])).toEqual([
      ['wechat_unionid', 'ozynqsulJFCZ2z1aYeS8h-nuasdAAA'],
      ['wecom', 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA'],
    ]);
    // The profile from externalcontact/get fills the contact; the member who added them is its staff, since WeCom's createtime.
    expect(wecom.calls('externalcontact/get').at(-1)!.query.get('external_userid')).toBe('woAJ2GCAAAXtWyujaWJHDDGi0mAAAA');
    const contact = (await ws.client.get(`/api/v1/contacts/${identities[0]!.contact_id}`)).json().contact;
    expect(contact).toMatchObject({ name: '李四', avatarUrl: 'https://wework.qpic.cn/a.png' });
    const staff = await w.t.database.db.selectFrom('staff_relationships').selectAll().where('workspace_id', '=', ws.workspace.id).execute();
    expect(staff).toEqual([expect.objectContaining({ contact_id: identities[0]!.contact_id, member_id: ws.memberId, channel_type: 'wecom', since: new Date(1700000000 * 1000), removed_by_contact_at: null })]);
    const relation = await w.t.database.db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', ws.workspace.id).where('type', '=', 'inbox.channel_relation.changed').executeTakeFirstOrThrow();
    expect(relation.payload).toMatchObject({ kind: 'friend_added', source: 'live-code-7' });
    const welcome = wecom.calls('externalcontact/send_welcome_msg').at(-1);
    expect(welcome?.json()).toEqual({ welcome_code: 'WELCOMECODE-1', text: { content: '欢迎！' } });
    const sent = await w.t.database.db.selectFrom('messages').select(['status', 'provider_message_id']).where('workspace_id', '=', ws.workspace.id).where('direction', '=', 'out').executeTakeFirstOrThrow();
    expect(sent.status).toBe('sent');
    // An agent's message to the customer has no welcome code: refused at once with a stable reason, nothing sent.
    const conversationId = (await ws.client.get('/api/v1/conversations')).json().items[0].id as string;
    const welcomes = wecom.calls('externalcontact/send_welcome_msg').length;
    const reply = (await ws.client.post(`/api/v1/conversations/${conversationId}/messages`, { text: 'hello?' })).json().message;
    await w.settle();
    const failed = (await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items.find((m: { id: string }) => m.id === reply.id);
    expect(failed).toMatchObject({ status: 'failed', errorReason: 'outside_reply_window' });
    expect(wecom.calls('externalcontact/send_welcome_msg')).toHaveLength(welcomes);
  });

  it('del_follow_user (the customer removed the member): friend_removed, the relationship ended, the churn tag, the member alerted once', async () => {
    const ws = await wecomWorkspace('WeCom churn');
    const group = (await ws.client.post('/api/v1/tag-groups', { name: '客户状态' })).json().group;
    const churnTag = (await ws.client.post('/api/v1/tags', { groupId: group.id, name: '已流失' })).json().tag;
    expect((await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { settings: { churnTagId: churnTag.id } })).statusCode).toBe(200);
    wecom.profiles.set('wmCHURN', { external_contact: { external_userid: 'wmCHURN', name: '王五' }, follow_user: [{ userid: 'zhangsan', createtime: 1700000100 }] });
    await post(ws, encryptedCallback(ws.keys, contactXml('add_external_contact', 'wmCHURN')));
    // A customer WeCom will not describe (84061) still has the relationship, since the event's time.
    await post(ws, encryptedCallback(ws.keys, contactXml('add_external_contact', 'wmUNKNOWN')));
    await w.settle();
    const unknown = await w.t.database.db
      .selectFrom('staff_relationships as s')
      .innerJoin('contact_identities as i', (j) => j.onRef('i.workspace_id', '=', 's.workspace_id').onRef('i.contact_id', '=', 's.contact_id'))
      .select(['s.member_id', 's.since'])
      .where('s.workspace_id', '=', ws.workspace.id)
      .where('i.external_id', '=', 'wmUNKNOWN')
      .executeTakeFirstOrThrow();
    expect(unknown.member_id).toBe(ws.memberId);
    const removal = encryptedCallback(ws.keys, contactXml('del_follow_user', 'wmCHURN'));
    await post(ws, removal);
    await post(ws, removal);
    await w.settle();
    const staff = await w.t.database.db.selectFrom('staff_relationships').selectAll().where('workspace_id', '=', ws.workspace.id).where('removed_by_contact_at', 'is not', null).executeTakeFirstOrThrow();
    expect(staff.removed_by_contact_at).toBeInstanceOf(Date);
    expect(staff.removed_by_staff_at).toBeNull();
    const bell = (await ws.client.get('/api/v1/notifications')).json().items;
    expect(bell).toEqual([expect.objectContaining({ kind: 'churn', title: '王五 removed zhangsan as a contact', link: `/contacts/${staff.contact_id}` })]);
    const contact = (await ws.client.get(`/api/v1/contacts/${staff.contact_id}`)).json().contact;
    expect(contact.tags.map((t: { name: string }) => t.name)).toEqual(['已流失']);
    const kinds = await w.t.database.db.selectFrom('inbound_events').select(['kind', 'thread_key']).where('workspace_id', '=', ws.workspace.id).orderBy('seq').execute();
    expect(kinds).toEqual([
      { kind: 'friend_added', thread_key: 'external:wmCHURN' },
      { kind: 'friend_added', thread_key: 'external:wmUNKNOWN' },
      { kind: 'friend_removed', thread_key: 'external:wmCHURN' },
    ]);
    expect(await count(w.t, 'contacts', ws.workspace.id)).toBe(2);
  });

  it('customer-group members joining and leaving (change_external_chat) are the participants of one group conversation', async () => {
    const ws = await wecomWorkspace('WeCom group');
    const chat = (detail: string, members: string[], version: string) =>
      `<xml><ToUserName><![CDATA[${wecom.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrGROUP1]]></ChatId><ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[${detail}]]></UpdateDetail><MemChangeCnt>${members.length}</MemChangeCnt><MemChangeList>${members.map((m) => `<Item><![CDATA[${m}]]></Item>`).join('')}</MemChangeList><CurMemVer>${version}</CurMemVer></xml>`;
    expect((await post(ws, encryptedCallback(ws.keys, chat('add_member', ['wmAAA', 'wmBBB'], 'v1')))).statusCode).toBe(200);
    expect((await post(ws, encryptedCallback(ws.keys, chat('del_member', ['wmAAA'], 'v2')))).statusCode).toBe(200);
    await w.settle();
    const conversations = (await ws.client.get('/api/v1/conversations')).json().items;
    expect(conversations).toHaveLength(1);
    const people = (await ws.client.get(`/api/v1/conversations/${conversations[0].id}/participants`)).json().items as Array<{ leftAt: string | null }>;
    expect(people).toHaveLength(2);
    expect(people.filter((p) => p.leftAt !== null)).toHaveLength(1);
    const identities = await w.t.database.db.selectFrom('contact_identities').select('external_id').where('workspace_id', '=', ws.workspace.id).orderBy('external_id').execute();
    expect(identities.map((i) => i.external_id)).toEqual(['wmAAA', 'wmBBB']);
  });
});
