// Group codes end to end on a real database: the API (validation, isolation, groups added while
// live), the public link moving to the next group as one fills or reaches its daily cap (also
// under concurrent scans), QR images served only through their code, and a linked group filled by
// the joins and leaves its inbox conversation reports, with the code's tags and per-group figures.
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, inboxWorld, textEvent, workspaceWithChannel, type InboxWorld } from '../../../test/support/channel-world.js';
import { settler } from '../../../test/support/settle.js';
import { inboxJobs } from '../inbox/index.js';
import { groupcodesHandler } from './on-events.js';
import { scanGroupCode } from './scan.js';

let w: InboxWorld;
let settle: () => Promise<void>;
beforeAll(async () => {
  w = await inboxWorld({ PUBLIC_URL: 'https://crm.example.com' });
  settle = settler(w.t, [groupcodesHandler], inboxJobs(w.t.config), { label: 'groupcodes' });
});
afterAll(() => w.close());

type Ws = Awaited<ReturnType<typeof workspaceWithChannel>>;
interface Group {
  id: string;
  name: string;
  filled: number;
  today: number;
  qrImageUrl: string | null;
}

async function createCode(ws: Ws, body: Record<string, unknown> = {}) {
  const res = await ws.client.post('/api/v1/group-codes', { name: 'VIP 群', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().groupCode as { id: string; slug: string; url: string };
}
async function addGroup(ws: Ws, codeId: string, body: Record<string, unknown>) {
  const res = await ws.client.post(`/api/v1/group-codes/${codeId}/groups`, { capacity: 200, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().groupCode.groups as Group[];
}
/** The group each of `n` scans (one after another) is given; null when every group was full. */
async function scans(ws: Ws, codeId: string, n: number) {
  const given: Array<string | null> = [];
  for (let i = 0; i < n; i++) given.push((await scanGroupCode(w.t.database.db, ws.workspace.id, codeId))!.group?.name ?? null);
  return given;
}

describe('group codes API', () => {
  it('creates a code, adds groups in order, refuses bad groups with the field, and hides other workspaces’ codes', async () => {
    const ws = await workspaceWithChannel(w, 'GC api');
    const code = await createCode(ws);
    expect(code.url).toBe(`https://crm.example.com/g/${code.slug}`);
    const png = (await QRCode.toBuffer('group qr')).toString('base64');
    const groups = await addGroup(ws, code.id, { name: 'A', joinUrl: 'https://t.me/+abcdef' });
    expect(groups.map((g) => g.name)).toEqual(['A']);
    const withImage = await addGroup(ws, code.id, { name: 'B', qrImage: png, expiresOn: '2099-01-01' });
    expect(withImage[1]).toMatchObject({ name: 'B', qrImageUrl: `https://crm.example.com/g/${code.slug}/qr/${withImage[1]!.id}`, filled: 0, today: 0 });
    const bad = async (body: Record<string, unknown>) => {
      const res = await ws.client.post(`/api/v1/group-codes/${code.id}/groups`, { name: 'X', capacity: 10, ...body });
      expect(res.statusCode).toBe(400);
      return res.json().errors.map((e: { path: string }) => e.path);
    };
    expect(await bad({})).toEqual(['joinUrl']);
    expect(await bad({ joinUrl: 'https://t.me/+x', qrImage: png })).toEqual(['joinUrl']);
    expect(await bad({ qrImage: Buffer.from('not an image at all').toString('base64') })).toEqual(['qrImage']);
    expect(await bad({ joinUrl: 'https://t.me/+x', conversationId: '00000000-0000-4000-8000-000000000000' })).toEqual(['conversationId']);
    expect(await bad({ joinUrl: 'javascript:alert(1)' })).toEqual(['joinUrl']);
    const other = await workspaceWithChannel(w, 'GC api other');
    expect((await other.client.get(`/api/v1/group-codes/${code.id}`)).statusCode).toBe(404);
    expect((await other.client.post(`/api/v1/group-codes/${code.id}/groups`, { name: 'X', capacity: 1, joinUrl: 'https://t.me/+x' })).statusCode).toBe(404);
    expect((await other.client.delete(`/api/v1/group-codes/${code.id}/groups/${groups[0]!.id}`)).statusCode).toBe(404);
    expect((await other.client.get('/api/v1/group-codes')).json().items).toEqual([]);
  });
});

describe('choosing a group', () => {
  it('moves on when a group is full or at its daily cap, takes a group added while live, and says so when all are full', async () => {
    const ws = await workspaceWithChannel(w, 'GC rotate');
    const code = await createCode(ws);
    await addGroup(ws, code.id, { name: 'A', joinUrl: 'https://t.me/+a', capacity: 3, members: 1 });
    await addGroup(ws, code.id, { name: 'B', joinUrl: 'https://t.me/+b', capacity: 100, dailyCap: 2 });
    await addGroup(ws, code.id, { name: 'Expired', joinUrl: 'https://t.me/+x', expiresOn: '2020-01-01' });
    expect(await scans(ws, code.id, 5)).toEqual(['A', 'A', 'B', 'B', null]);
    await addGroup(ws, code.id, { name: 'C', joinUrl: 'https://t.me/+c' });
    expect(await scans(ws, code.id, 1)).toEqual(['C']);
    const stats = (await ws.client.get(`/api/v1/group-codes/${code.id}/stats`)).json();
    const groups = (await ws.client.get(`/api/v1/group-codes/${code.id}`)).json().groupCode.groups as Group[];
    const id = (name: string) => groups.find((g) => g.name === name)!.id;
    expect(stats.rows.map((r: { groupId: string | null; scans: number }) => [r.groupId, r.scans]).sort()).toEqual(
      [
        [id('A'), 2],
        [id('B'), 2],
        [id('C'), 1],
        [null, 1],
      ].sort(),
    );
    expect(groups.map((g) => [g.name, g.filled, g.today])).toEqual([
      ['A', 3, 2],
      ['B', 2, 2],
      ['Expired', 0, 0],
      ['C', 1, 1],
    ]);
  });

  it('100 concurrent scans never overfill a group or pass a daily cap', async () => {
    const ws = await workspaceWithChannel(w, 'GC concurrent');
    const code = await createCode(ws);
    await addGroup(ws, code.id, { name: 'A', joinUrl: 'https://t.me/+a', capacity: 30 });
    await addGroup(ws, code.id, { name: 'B', joinUrl: 'https://t.me/+b', dailyCap: 50 });
    const all = await Promise.all(Array.from({ length: 100 }, () => scanGroupCode(w.t.database.db, ws.workspace.id, code.id)));
    const tally = all.reduce<Record<string, number>>((m, s) => ({ ...m, [s!.group?.name ?? 'none']: (m[s!.group?.name ?? 'none'] ?? 0) + 1 }), {});
    expect(tally).toEqual({ A: 30, B: 50, none: 20 });
  });
});

describe('the short link', () => {
  it('redirects to the invite link, shows a QR image through its own code only, and 404s unknown codes', async () => {
    const ws = await workspaceWithChannel(w, 'GC page');
    const code = await createCode(ws);
    const png = await QRCode.toBuffer('wechat group');
    await addGroup(ws, code.id, { name: 'Link', joinUrl: 'https://line.me/ti/g/abc', capacity: 1 });
    const [, withImage] = await addGroup(ws, code.id, { name: '福利群 <1>', qrImage: png.toString('base64') });
    const first = await w.t.app.inject({ method: 'GET', url: `/g/${code.slug}` });
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe('https://line.me/ti/g/abc');
    const page = await w.t.app.inject({ method: 'GET', url: `/g/${code.slug}`, headers: { 'accept-language': 'zh-CN' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<img src="/g/${code.slug}/qr/${withImage!.id}"`);
    expect(page.body).toContain('福利群 &#60;1&#62;');
    expect(page.headers['content-security-policy']).toContain("img-src 'self'");
    const image = await w.t.app.inject({ method: 'GET', url: `/g/${code.slug}/qr/${withImage!.id}` });
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(png)).toBe(true);
    const another = await createCode(ws, { name: 'Another' });
    expect((await w.t.app.inject({ method: 'GET', url: `/g/${another.slug}/qr/${withImage!.id}` })).statusCode).toBe(404);
    expect((await w.t.app.inject({ method: 'GET', url: '/g/zzzzzzzzzzzz' })).statusCode).toBe(404);
  });
});

describe('a group linked to its conversation', () => {
  it('is filled by the joins and leaves the channel reports, tags who joins, and counts them per day', async () => {
    const ws = await workspaceWithChannel(w, 'GC linked');
    const group = { id: 'g-vip', name: 'VIP 群' };
    // The group's conversation exists once someone writes in it.
    await deliver(w.t, ws.channelId, [{ ...textEvent('founder', 'welcome all'), group }]);
    await settle();
    const conversationId = (await ws.client.get('/api/v1/conversations')).json().items[0].id as string;
    const tagGroup = (await ws.client.post('/api/v1/tag-groups', { name: 'Groups' })).json().group.id as string;
    const tag = (await ws.client.post('/api/v1/tags', { groupId: tagGroup, name: 'In VIP' })).json().tag.id as string;
    const code = await createCode(ws, { tagIds: [tag] });
    await addGroup(ws, code.id, { name: 'VIP', joinUrl: 'https://t.me/+vip', capacity: 2, conversationId });
    await addGroup(ws, code.id, { name: 'Overflow', joinUrl: 'https://t.me/+more' });
    // Scans do not fill a linked group: its members do.
    expect(await scans(ws, code.id, 3)).toEqual(['VIP', 'VIP', 'VIP']);
    const member = (id: string, type: string) => ({ id: `${type}-${id}-${Date.now()}`, type, from: { id, name: id }, group });
    await deliver(w.t, ws.channelId, [member('ann', 'group_joined'), member('bob', 'group_joined'), member('bob', 'group_joined')]);
    await settle();
    expect(await scans(ws, code.id, 1)).toEqual(['Overflow']);
    await deliver(w.t, ws.channelId, [member('ann', 'group_left')]);
    await settle();
    expect(await scans(ws, code.id, 1)).toEqual(['VIP']);
    const contacts = (await ws.client.get('/api/v1/contacts?limit=50')).json().items as Array<{ name: string; id: string }>;
    const ann = contacts.find((c) => c.name === 'ann')!;
    expect((await ws.client.get(`/api/v1/contacts/${ann.id}`)).json().contact.tags.map((t: { id: string }) => t.id)).toEqual([tag]);
    const stats = (await ws.client.get(`/api/v1/group-codes/${code.id}/stats`)).json();
    const vip = stats.rows.filter((r: { groupId: string }) => r.groupId !== null).reduce((n: { joins: number; leaves: number }, r: { joins: number; leaves: number }) => ({ joins: n.joins + r.joins, leaves: n.leaves + r.leaves }), { joins: 0, leaves: 0 });
    expect(vip).toEqual({ joins: 2, leaves: 1 });
  });
});
