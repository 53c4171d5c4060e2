// Live codes end to end on a real database: the API (validation, isolation), the scan-time choice
// of staff (each strategy, daily caps, backups, concurrency at a cap), the public link, the QR
// PNG, attribution from a Telegram /start through /hooks and the worker, and the daily stats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type TestApp } from '../../../test/support/app.js';
import { SECRET_HEADER, webhookSecretOf } from '../../channels/telegram/adapter.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { scanCode } from './scan.js';
import { liveCodeWorld, TOKEN, type LiveCodeWorld, type Ws } from './test-world.js';

let w: LiveCodeWorld;
let t: TestApp;
beforeAll(async () => {
  w = await liveCodeWorld();
  t = w.t;
});
afterAll(() => w.close());
const settle = () => w.settle();
const workspace = (name: string, members?: number) => w.workspace(name, members);
const createCode = (ws: Ws, body: Record<string, unknown>) => w.createCode(ws, body);

async function picks(ws: Ws, codeId: string, n: number) {
  const chosen: Array<string | null> = [];
  for (let i = 0; i < n; i++) chosen.push((await scanCode(t.database.db, ws.workspace.id, codeId))!.memberId);
  return chosen;
}
const tally = (ids: Array<string | null>) => ids.reduce<Record<string, number>>((m, id) => ({ ...m, [String(id)]: (m[String(id)] ?? 0) + 1 }), {});

describe('live codes API', () => {
  it('creates, reads, lists, changes and deletes a code; the slug is generated and url-safe', async () => {
    const ws = await workspace('LC crud');
    const created = await createCode(ws, { strategy: 'weighted', tagIds: [ws.tag], welcomeMessage: 'Hi!', backupStaff: [] });
    expect(created).toMatchObject({ name: 'Spring fair', strategy: 'weighted', tagIds: [ws.tag], welcomeMessage: 'Hi!', enabled: true });
    expect(created.slug).toMatch(/^[a-z0-9]{12}$/);
    expect(created.url).toBe(`https://crm.example.com/c/${created.slug}`);
    expect((await ws.client.get(`/api/v1/live-codes/${created.id}`)).json().liveCode.staff).toEqual(ws.staff.map((memberId) => ({ memberId, weight: 1, dailyCap: null, hours: null })));
    const patched = await ws.client.patch(`/api/v1/live-codes/${created.id}`, { landingUrl: 'https://acme.example/join?x=1', staff: [{ memberId: ws.staff[0], weight: 2, dailyCap: 5 }], backupStaff: [{ memberId: ws.staff[1] }] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().liveCode).toMatchObject({ channelId: null, landingUrl: 'https://acme.example/join?x=1', staff: [{ memberId: ws.staff[0], weight: 2, dailyCap: 5 }], backupStaff: [{ memberId: ws.staff[1], dailyCap: null }], slug: created.slug });
    const second = await createCode(ws, { name: 'Second' });
    const list = await ws.client.get('/api/v1/live-codes?limit=1');
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([second.id]);
    const next = await ws.client.get(`/api/v1/live-codes?limit=1&cursor=${list.json().nextCursor}`);
    expect(next.json()).toMatchObject({ items: [{ id: created.id }], nextCursor: null });
    expect((await ws.client.delete(`/api/v1/live-codes/${created.id}`)).statusCode).toBe(204);
    expect((await ws.client.get(`/api/v1/live-codes/${created.id}`)).statusCode).toBe(404);
  });

  it('refuses bad input with problem+json validation_failed and the field', async () => {
    const ws = await workspace('LC invalid', 1);
    const other = await workspace('LC invalid other', 1);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: '' }, 'name'],
      [{ channelId: null }, 'channelId'],
      [{ landingUrl: 'https://acme.example' }, 'channelId'],
      [{ landingUrl: 'ftp://acme.example', channelId: null }, 'landingUrl'],
      [{ channelId: other.channelId }, 'channelId'],
      [{ staff: [] }, 'staff'],
      [{ staff: [{ memberId: other.staff[0] }] }, 'staff.0.memberId'],
      [{ staff: [{ memberId: ws.staff[0], weight: 0 }] }, 'staff.0.weight'],
      [{ backupStaff: [{ memberId: ws.staff[0] }] }, 'backupStaff.0.memberId'],
      [{ tagIds: [other.tag] }, 'tagIds.0'],
      [{ strategy: 'random' }, 'strategy'],
    ];
    for (const [body, path] of cases) {
      const res = await ws.client.post('/api/v1/live-codes', { name: 'x', channelId: ws.channelId, staff: [{ memberId: ws.staff[0] }], ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('validation_failed');
      expect(res.json().errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
    }
  });

  it('another workspace’s code is 404 everywhere, and an agent may read but not write', async () => {
    const a = await workspace('LC iso A', 1);
    const b = await workspace('LC iso B', 1);
    const code = await createCode(b, {});
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['GET', '/qr.png'],
      ['GET', '/stats'],
    ] as const) {
      const res = await a.client.request(method, `/api/v1/live-codes/${code.id}${path}`, method === 'PATCH' ? { name: 'mine' } : undefined);
      expect(res.statusCode, `${method} ${path}`).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    expect((await a.client.get('/api/v1/live-codes')).json().items).toEqual([]);
    const agent = await addMember(t, b.workspace.id, 'agent');
    const client = await agent.login();
    expect((await client.get(`/api/v1/live-codes/${code.id}`)).statusCode).toBe(200);
    expect((await client.patch(`/api/v1/live-codes/${code.id}`, { name: 'x' })).json().code).toBe('forbidden');
  });
});

describe('staff choice at scan time', () => {
  it('round robin goes around the pool in order, its cursor kept between scans', async () => {
    const ws = await workspace('LC rr');
    const code = await createCode(ws, { strategy: 'round_robin' });
    const [m1, m2, m3] = ws.staff;
    expect(await picks(ws, code.id, 7)).toEqual([m1, m2, m3, m1, m2, m3, m1]);
  });

  it('weighted gives picks in proportion to the weights, deterministically', async () => {
    const ws = await workspace('LC weighted', 2);
    const [heavy, light] = ws.staff;
    const code = await createCode(ws, { strategy: 'weighted', staff: [{ memberId: heavy, weight: 3 }, { memberId: light, weight: 1 }] });
    const chosen = await picks(ws, code.id, 8);
    expect(tally(chosen)).toEqual({ [heavy!]: 6, [light!]: 2 });
    // (picks + 1) / weight, ties by pool order: 1/3 < 1, 2/3 < 1, 1 = 1 (heavy first in the pool), then 4/3 > 1.
    expect(chosen.slice(0, 4)).toEqual([heavy, heavy, heavy, light]);
  });

  it('least loaded picks whoever has the fewest picks today', async () => {
    const ws = await workspace('LC least');
    const [m1, m2, m3] = ws.staff;
    const code = await createCode(ws, { strategy: 'least_loaded' });
    // m1 already had two picks today.
    const today = (await t.database.db.selectFrom('workspaces').select((eb) => eb.fn<string>('to_char', [eb.fn('timezone', [eb.ref('timezone'), eb.fn('now')]), eb.val('YYYY-MM-DD')]).as('d')).where('id', '=', ws.workspace.id).executeTakeFirstOrThrow()).d;
    await t.database.db.withTables<{ live_code_picks: { workspace_id: string; code_id: string; day: string; member_id: string; picks: number } }>().insertInto('live_code_picks').values({ workspace_id: ws.workspace.id, code_id: code.id, day: today, member_id: m1!, picks: 2 }).execute();
    expect(await picks(ws, code.id, 6)).toEqual([m2, m3, m2, m3, m1, m2]);
  });

  it('skips members at their daily cap, then uses backups, then answers no_staff_available', async () => {
    const ws = await workspace('LC caps', 3);
    const [m1, m2, backup] = ws.staff;
    const code = await createCode(ws, { strategy: 'round_robin', staff: [{ memberId: m1, dailyCap: 1 }, { memberId: m2, dailyCap: 2 }], backupStaff: [{ memberId: backup, dailyCap: 1 }] });
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await scanCode(t.database.db, ws.workspace.id, code.id));
    expect(results.map((r) => [r!.memberId, r!.outcome])).toEqual([
      [m1, 'staff'],
      [m2, 'staff'],
      [m2, 'staff'],
      [backup, 'backup'],
      [null, 'no_staff_available'],
      [null, 'no_staff_available'],
    ]);
  });

  it('concurrent scans at a cap of 1: exactly one gets the member (two at once, then ten at once on a fresh code)', async () => {
    const ws = await workspace('LC race', 1);
    for (const n of [2, 10]) {
      const code = await createCode(ws, { staff: [{ memberId: ws.staff[0], dailyCap: 1 }] });
      const all = await Promise.all(Array.from({ length: n }, () => scanCode(t.database.db, ws.workspace.id, code.id)));
      expect(all.filter((r) => r!.outcome === 'staff')).toHaveLength(1);
      expect(all.filter((r) => r!.outcome === 'no_staff_available')).toHaveLength(n - 1);
      const counted = await t.database.db.withTables<{ live_code_picks: { workspace_id: string; code_id: string; picks: number } }>().selectFrom('live_code_picks').select('picks').where('workspace_id', '=', ws.workspace.id).where('code_id', '=', code.id).execute();
      expect(counted).toEqual([{ picks: 1 }]);
    }
  });

  it('200 concurrent scans never exceed any cap: members, then backups, then nobody', async () => {
    const ws = await workspace('LC race 200', 3);
    const [m1, m2, backup] = ws.staff;
    const code = await createCode(ws, { strategy: 'least_loaded', staff: [{ memberId: m1, dailyCap: 7 }, { memberId: m2, dailyCap: 5 }], backupStaff: [{ memberId: backup, dailyCap: 3 }] });
    const all = await Promise.all(Array.from({ length: 200 }, () => scanCode(t.database.db, ws.workspace.id, code.id)));
    expect(tally(all.map((r) => r!.memberId))).toEqual({ [m1!]: 7, [m2!]: 5, [backup!]: 3, null: 185 });
    const stats = (await ws.client.get(`/api/v1/live-codes/${code.id}/stats`)).json().totals;
    expect(stats).toMatchObject({ scans: 200, noStaffAvailable: 185 });
  });

  it('concurrent scans of several codes (of two workspaces) written together keep each code’s caps and cursor', async () => {
    const [ws1, ws2] = [await workspace('LC race many', 2), await workspace('LC race many 2', 2)];
    const codes = [
      { ws: ws1, code: await createCode(ws1, { staff: ws1.staff.map((memberId) => ({ memberId, dailyCap: 4 })) }) },
      { ws: ws1, code: await createCode(ws1, { staff: [{ memberId: ws1.staff[0], dailyCap: 2 }] }) },
      { ws: ws2, code: await createCode(ws2, { staff: ws2.staff.map((memberId) => ({ memberId, dailyCap: 3 })) }) },
    ];
    const scans = codes.flatMap(({ ws, code }) => Array.from({ length: 20 }, () => ({ ws, code })));
    const all = await Promise.all(scans.map(({ ws, code }) => scanCode(t.database.db, ws.workspace.id, code.id)));
    const of = (i: number) => tally(all.filter((r) => r!.codeId === codes[i]!.code.id).map((r) => r!.memberId));
    expect(of(0)).toEqual({ [ws1.staff[0]!]: 4, [ws1.staff[1]!]: 4, null: 12 });
    expect(of(1)).toEqual({ [ws1.staff[0]!]: 2, null: 18 });
    expect(of(2)).toEqual({ [ws2.staff[0]!]: 3, [ws2.staff[1]!]: 3, null: 14 });
  });
});

describe('the short link', () => {
  it('redirects to the Telegram deep link, records the scan without the IP, and 404s an unknown or disabled code', async () => {
    const ws = await workspace('LC link', 1);
    const code = await createCode(ws, {});
    const res = await t.app.inject({ method: 'GET', url: `/c/${code.slug}`, headers: { 'user-agent': 'Phone/1.0' } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`https://t.me/acme_test_bot?start=${code.slug}`);
    const scans = await t.database.db.selectFrom('live_code_scans' as never).selectAll().where('workspace_id' as never, '=', ws.workspace.id as never).execute();
    expect(scans).toEqual([expect.objectContaining({ member_id: ws.staff[0], outcome: 'staff', user_agent_hash: expect.stringMatching(/^[0-9a-f]{32}$/) })]);
    expect(JSON.stringify(scans)).not.toContain('127.0.0.1');
    expect((await t.app.inject({ method: 'GET', url: '/c/zzzzzzzzzzzz' })).statusCode).toBe(404);
    await ws.client.patch(`/api/v1/live-codes/${code.id}`, { enabled: false });
    const disabled = await t.app.inject({ method: 'GET', url: `/c/${code.slug}`, headers: { 'accept-language': 'en' } });
    expect(disabled.statusCode).toBe(404);
    expect(disabled.body).toContain('no longer in use');
  });

  it('sends a landing page’s visitors on with renmai_code, and shows other channels’ visitors a page naming the staff member', async () => {
    const ws = await workspace('LC landing', 1);
    const landing = await createCode(ws, { channelId: null, landingUrl: 'https://acme.example/join?from=qr' });
    const res = await t.app.inject({ method: 'GET', url: `/c/${landing.slug}` });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`https://acme.example/join?from=qr&renmai_code=${landing.slug}`);
    const api = await ws.client.post('/api/v1/channels', { type: 'api', name: 'Web app', settings: { url: 'https://example.com/hook' }, secrets: { secret: 'a channel secret of some length' } });
    const page = await createCode(ws, { channelId: api.json().channel.id });
    const name = (await t.database.db.selectFrom('members').innerJoin('users', 'users.id', 'members.user_id').select('users.name').where('members.id', '=', ws.staff[0]!).executeTakeFirstOrThrow()).name;
    const zh = await t.app.inject({ method: 'GET', url: `/c/${page.slug}`, headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-type']).toContain('text/html');
    expect(zh.body).toContain(`为您服务的是：${name}`);
    expect(zh.body).toContain('Web app');
    const en = await t.app.inject({ method: 'GET', url: `/c/${page.slug}`, headers: { 'accept-language': 'en-US' } });
    expect(en.body).toContain(`You will be talking with ${name}.`);
  });
});

describe('QR code', () => {
  it('is a PNG of the asked size', async () => {
    const ws = await workspace('LC qr', 1);
    const code = await createCode(ws, {});
    for (const size of [256, 512, 1024]) {
      const res = await ws.client.get(`/api/v1/live-codes/${code.id}/qr.png?size=${size}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      const png = res.rawPayload;
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    expect((await ws.client.get(`/api/v1/live-codes/${code.id}/qr.png?size=300`)).json().code).toBe('validation_failed');
  });
});

const zero = { scans: 0, noStaffAvailable: 0, adds: 0, attributed: 0, left: 0, net: 0, ordered: 0, reachedStage: 0 };

describe('attribution and stats', () => {
  it('a Telegram /start <slug> sets the contact’s source code and tags once, even when delivered again; stats count the day', async () => {
    const ws = await workspace('LC attribution', 1);
    const code = await createCode(ws, { tagIds: [ws.tag] });
    await t.app.inject({ method: 'GET', url: `/c/${code.slug}` });
    const body = JSON.stringify({
      update_id: 90_001,
      message: { message_id: 1, from: { id: 555001, is_bot: false, first_name: '小红' }, chat: { id: 555001, type: 'private', first_name: '小红' }, date: Math.floor(Date.now() / 1000), text: `/start ${code.slug}`, entities: [{ offset: 0, length: 6, type: 'bot_command' }] },
    });
    const hook = await t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: body, headers: { 'content-type': 'application/json', [SECRET_HEADER]: webhookSecretOf(TOKEN, ws.channelId) } });
    expect(hook.statusCode).toBe(200);
    await settle();
    const contacts = (await ws.client.get('/api/v1/contacts')).json().items as Array<{ id: string }>;
    expect(contacts).toHaveLength(1);
    const contactId = contacts[0]!.id;
    const contact = (await ws.client.get(`/api/v1/contacts/${contactId}`)).json().contact;
    expect(contact.source.codeId).toBe(code.id);
    expect(contact.tags.map((tag: { id: string }) => tag.id)).toEqual([ws.tag]);
    // The same arrival again (a redelivered event): nothing more.
    await inTransaction(t.database.db, (tx) => emit(tx, ws.workspace.id, 'inbox.channel_relation.changed', { contactId, channelId: ws.channelId, kind: 'follow', providerEventId: 'again', source: code.slug }));
    await settle();
    const tagRows = await t.database.db.selectFrom('contact_tags').select(['tag_id', 'source']).where('workspace_id', '=', ws.workspace.id).execute();
    expect(tagRows).toEqual([{ tag_id: ws.tag, source: 'code' }]);
    const stats = (await ws.client.get(`/api/v1/live-codes/${code.id}/stats`)).json();
    expect(stats.days).toHaveLength(30);
    expect(stats.totals).toEqual({ ...zero, scans: 1, adds: 1, attributed: 1, net: 1 });
    expect(stats.days.at(-1)).toMatchObject({ day: stats.to, scans: 1, adds: 1 });
  });

  it('an emitted friend_added with the code as source attributes; a contact with a source keeps it; stats are zero-filled per day', async () => {
    const ws = await workspace('LC emitted', 1);
    const first = await createCode(ws, { name: 'First', tagIds: [ws.tag] });
    const second = await createCode(ws, { name: 'Second' });
    const contactId = (await ws.client.post('/api/v1/contacts', { name: 'Wang' })).json().contact.id as string;
    const arrive = (slug: string, kind = 'friend_added') =>
      inTransaction(t.database.db, (tx) => emit(tx, ws.workspace.id, 'inbox.channel_relation.changed', { contactId, channelId: ws.channelId, kind, providerEventId: `${slug}:${kind}`, source: slug }));
    await arrive(first.slug, 'unfollow');
    await settle();
    expect((await ws.client.get(`/api/v1/contacts/${contactId}`)).json().contact.source.codeId).toBeNull();
    await arrive(first.slug);
    await arrive(first.slug);
    await arrive(second.slug);
    await settle();
    expect((await ws.client.get(`/api/v1/contacts/${contactId}`)).json().contact.source.codeId).toBe(first.id);
    const stats = async (id: string) => (await ws.client.get(`/api/v1/live-codes/${id}/stats?from=2026-01-01&to=2026-01-03`)).json();
    expect((await stats(first.id)).days).toEqual(['2026-01-01', '2026-01-02', '2026-01-03'].map((day) => ({ day, ...zero })));
    const today = async (id: string) => (await ws.client.get(`/api/v1/live-codes/${id}/stats`)).json().totals;
    expect(await today(first.id)).toEqual({ ...zero, adds: 1, attributed: 1, net: 1 });
    expect(await today(second.id)).toEqual({ ...zero, adds: 1, net: 1 });
    expect((await ws.client.get(`/api/v1/live-codes/${first.id}/stats?from=2026-02-01&to=2026-01-01`)).json().code).toBe('validation_failed');
  });
});
