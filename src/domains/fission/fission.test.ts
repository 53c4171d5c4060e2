// Task fission on a real database: campaigns through the API, invites through the Telegram
// webhook and the worker (who counts, who does not, one inviter per invitee even when two race),
// suspicious bursts and their review, rewards after the hold period, voiding with revocation and
// the points clawback, the personal link, the poster PNG and its cache, and workspace isolation.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/support/app.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { withOurs } from './db.js';
import { arrive } from './invites.js';
import { fissionTestApp, fissionWorkspace, settle, type FissionWorld } from './test-world.js';

let t: TestApp;
beforeAll(async () => (t = await fissionTestApp()));
afterAll(() => t.close());

const ours = () => withOurs(t.database.db);
type Participant = { id: string; token: string; url: string; validInvites: number; inReview: number; rewards: Array<{ id: string; tier: number; status: string; couponCode: string | null }> };

async function participant(ws: FissionWorld, campaignId: string, contactId: string): Promise<Participant> {
  const id = (await ours().selectFrom('fission_participants').select('id').where('workspace_id', '=', ws.workspace.id).where('contact_id', '=', contactId).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()).id;
  return (await ws.client.get(`/api/v1/fission/campaigns/${campaignId}/participants/${id}`)).json().participant;
}

/** A participant who joined through the campaign's own source on Telegram (so they have a conversation). */
async function inviter(ws: FissionWorld, campaign: { id: string; entryLink: string | null }, userId: number, name: string) {
  const slugSource = new URL(campaign.entryLink!).searchParams.get('start')!;
  const contactId = await ws.telegram(userId, name, `/start ${slugSource}`);
  return { contactId, ...(await participant(ws, campaign.id, contactId)) };
}

const fissionMessages = (ws: FissionWorld, contactId: string) =>
  t.database.db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', (j) => j.onRef('c.workspace_id', '=', 'm.workspace_id').onRef('c.id', '=', 'm.conversation_id'))
    .select(['m.body'])
    .where('m.workspace_id', '=', ws.workspace.id)
    .where('c.contact_id', '=', contactId)
    .where('m.direction', '=', 'out')
    .where(({ ref }) => ref('m.content', '->>').key('automation' as never), '=', 'fission')
    .orderBy('m.created_at')
    .execute();

/** Makes held rewards due now and runs their jobs. */
async function passHoldPeriod(ws: FissionWorld) {
  await ours().updateTable('fission_rewards').set({ due_at: new Date(Date.now() - 1000) }).where('workspace_id', '=', ws.workspace.id).where('status', '=', 'held').execute();
  await t.database.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000) }).where('workspace_id', '=', ws.workspace.id).where('name', '=', 'fission.grant-reward').where('status', '=', 'queued').execute();
  // The job checks the reward's due_at, which moved; its payload names the reward only.
  await settle(t);
}

describe('campaigns API', () => {
  it('creates a draft with tiers, activates it, refuses bad input and changes of tiers once started', async () => {
    const ws = await fissionWorkspace(t, 'FI api');
    const campaign = await ws.campaign({}, false);
    expect(campaign).toMatchObject({ status: 'draft', tiers: [{ tier: 1, goal: 2, rewardKind: 'points', points: 100 }, { tier: 2, goal: 3, rewardKind: 'coupon', couponsLeft: 0 }] });
    expect(campaign.entryLink).toMatch(/^https:\/\/t\.me\/acme_test_bot\?start=fc_[a-z0-9]{12}$/);
    expect((await ws.client.post(`/api/v1/fission/campaigns/${campaign.id}/coupons`, { tier: 2, codes: ['A1', 'A2', 'A1'] })).json()).toEqual({ added: 2 });
    expect((await ws.client.post(`/api/v1/fission/campaigns/${campaign.id}/coupons`, { tier: 1, codes: ['X'] })).json().code).toBe('validation_failed');
    const active = await ws.client.patch(`/api/v1/fission/campaigns/${campaign.id}`, { status: 'active' });
    expect(active.json().campaign).toMatchObject({ status: 'active', tiers: [{ couponsLeft: null }, { couponsLeft: 2 }] });
    const fixed = await ws.client.patch(`/api/v1/fission/campaigns/${campaign.id}`, { tiers: [{ goal: 1, rewardKind: 'custom', rewardName: 'Mug' }] });
    expect([fixed.statusCode, fixed.json().code]).toEqual([409, 'conflict']);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ tiers: [] }, 'tiers'],
      [{ tiers: [{ goal: 3, rewardKind: 'custom', rewardName: 'a' }, { goal: 2, rewardKind: 'custom', rewardName: 'b' }] }, 'tiers.1.goal'],
      [{ tiers: [{ goal: 3, rewardKind: 'points', rewardName: 'a' }] }, 'tiers.0.points'],
      [{ endsAt: new Date(Date.now() - 7_200_000).toISOString() }, 'endsAt'],
      [{ channelId: '00000000-0000-4000-8000-000000000000' }, 'channelId'],
      [{ posterLayout: { width: 300, height: 300, avatar: { x: 250, y: 0, size: 100 }, name: { x: 0, y: 0, size: 20, color: '#000000' }, qr: { x: 0, y: 0, size: 100 } } }, 'posterLayout.avatar'],
    ];
    for (const [body, path] of cases) {
      const res = await ws.client.post('/api/v1/fission/campaigns', { name: 'x', startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString(), channelId: ws.channelId, tiers: [{ goal: 1, rewardKind: 'custom', rewardName: 'Mug' }], ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
    }
  });

  it('another workspace’s campaign and participants are 404, and an agent may read but not write', async () => {
    const a = await fissionWorkspace(t, 'FI iso A');
    const b = await fissionWorkspace(t, 'FI iso B');
    const campaign = await b.campaign();
    const contactId = (await b.client.post('/api/v1/contacts', { name: 'B person' })).json().contact.id as string;
    const joined = await b.client.post(`/api/v1/fission/campaigns/${campaign.id}/participants`, { contactId });
    expect(joined.statusCode).toBe(201);
    const pid = joined.json().participant.id as string;
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { name: 'mine' }],
      ['DELETE', '', undefined],
      ['GET', '/participants', undefined],
      ['POST', '/participants', { contactId }],
      ['GET', `/participants/${pid}`, undefined],
      ['GET', `/participants/${pid}/poster.png`, undefined],
      ['GET', '/leaderboard', undefined],
      ['GET', '/review', undefined],
      ['GET', '/rewards', undefined],
      ['POST', '/coupons', { tier: 2, codes: ['Z'] }],
    ] as const) {
      const res = await a.client.request(method, `/api/v1/fission/campaigns/${campaign.id}${path}`, body);
      expect(res.statusCode, `${method} ${path}`).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    // A's own campaign with B's participant id.
    const mine = await a.campaign();
    expect((await a.client.get(`/api/v1/fission/campaigns/${mine.id}/participants/${pid}`)).statusCode).toBe(404);
    expect((await a.client.post(`/api/v1/fission/campaigns/${mine.id}/participants`, { contactId })).json().errors[0].path).toBe('contactId');
    expect((await a.client.get(`/api/v1/contacts/${contactId}/points`)).statusCode).toBe(404);
    expect((await a.client.get('/api/v1/fission/campaigns')).json().items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    const agent = await (await import('../../../test/support/app.js')).addMember(t, b.workspace.id, 'agent');
    const client = await agent.login();
    expect((await client.get(`/api/v1/fission/campaigns/${campaign.id}`)).statusCode).toBe(200);
    expect((await client.patch(`/api/v1/fission/campaigns/${campaign.id}`, { name: 'x' })).json().code).toBe('forbidden');
  });
});

describe('invites', () => {
  it('counts new friends arriving through the personal link, refuses self-invites and people known before, and tells the inviter', async () => {
    const ws = await fissionWorkspace(t, 'FI count');
    const campaign = await ws.campaign();
    const host = await inviter(ws, campaign, 7001, '王小明');
    expect(host).toMatchObject({ validInvites: 0, url: `https://crm.example.com/f/${host.token}` });
    expect(host.token).toMatch(/^[a-z0-9]{16}$/);
    // The personal link records the visit and sends the visitor to the bot with f_<token> (≤ 30 characters).
    const visit = await t.app.inject({ method: 'GET', url: `/f/${host.token}`, headers: { 'user-agent': 'Phone/1.0' }, remoteAddress: '198.51.100.7' });
    expect(visit.statusCode).toBe(302);
    expect(visit.headers.location).toBe(`https://t.me/acme_test_bot?start=f_${host.token}`);
    expect(`f_${host.token}`.length).toBeLessThanOrEqual(30);
    const visits = await ours().selectFrom('fission_visits').selectAll().where('workspace_id', '=', ws.workspace.id).execute();
    expect(visits).toHaveLength(1);
    expect(visits[0]!.ip_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(visits)).not.toContain('198.51.100.7');

    const friend = await ws.telegram(7002, 'Li', `/start f_${host.token}`);
    // Self-invite: the host follows their own link.
    await ws.telegram(7001, '王小明', `/start f_${host.token}`);
    // Known before: wrote to the bot first, then used the link.
    await ws.telegram(7003, 'Known', 'hello');
    await ws.telegram(7003, 'Known', `/start f_${host.token}`);
    // Known before: an imported contact arriving with the source.
    const imported = (await ws.client.post('/api/v1/contacts', { name: 'Imported' })).json().contact.id as string;
    await inTransaction(t.database.db, async (tx) => expect(await arrive(tx, t.config, ws.workspace.id, { contactId: imported, channelId: ws.channelId, source: `f_${host.token}`, at: new Date() })).toBe('not_new'));
    await inTransaction(t.database.db, async (tx) => expect(await arrive(tx, t.config, ws.workspace.id, { contactId: host.contactId, channelId: ws.channelId, source: `f_${host.token}`, at: new Date() })).toBe('self_invite'));

    expect((await participant(ws, campaign.id, host.contactId)).validInvites).toBe(1);
    const invites = await ours().selectFrom('fission_invites').select(['invitee_contact_id', 'status', 'ip_hash']).where('workspace_id', '=', ws.workspace.id).execute();
    expect(invites).toEqual([{ invitee_contact_id: friend, status: 'counted', ip_hash: visits[0]!.ip_hash }]);
    // The invitee joined too, and both got messages through the inbox's automatic path.
    expect((await participant(ws, campaign.id, friend)).validInvites).toBe(0);
    const told = (await fissionMessages(ws, host.contactId)).map((m) => m.body);
    expect(told[0]).toContain(`https://crm.example.com/f/${host.token}`);
    expect(told[1]).toContain('已邀请 1 人，再邀请 1 人可得「100 积分」');
    const board = (await ws.client.get(`/api/v1/fission/campaigns/${campaign.id}/leaderboard?limit=5`)).json().items;
    expect(board).toEqual([{ participantId: host.id, contactId: host.contactId, name: '王小明', validInvites: 1 }]);
    // Once the campaign has ended, a new friend counts nothing.
    expect((await ws.client.patch(`/api/v1/fission/campaigns/${campaign.id}`, { status: 'ended' })).json().campaign.status).toBe('ended');
    const late = await t.database.db.insertInto('contacts').values({ workspace_id: ws.workspace.id, name: 'Late', custom: '{}' }).returning(['id', 'created_at']).executeTakeFirstOrThrow();
    await inTransaction(t.database.db, async (tx) => expect(await arrive(tx, t.config, ws.workspace.id, { contactId: late.id, channelId: ws.channelId, source: `f_${host.token}`, at: late.created_at })).toBe('campaign_not_running'));
    expect((await ws.client.patch(`/api/v1/fission/campaigns/${campaign.id}`, { status: 'active' })).statusCode).toBe(409);
  });

  it('an invitee counts for one inviter only, also when two inviters race for the same people', async () => {
    const ws = await fissionWorkspace(t, 'FI race');
    const campaign = await ws.campaign();
    const one = await inviter(ws, campaign, 7101, 'One');
    const two = await inviter(ws, campaign, 7102, 'Two');
    const fresh = async (n: number) => {
      const rows = await t.database.db
        .insertInto('contacts')
        .values(Array.from({ length: n }, (_, i) => ({ workspace_id: ws.workspace.id, name: `Fresh ${i}`, custom: '{}' })))
        .returning(['id', 'created_at'])
        .execute();
      return rows;
    };
    const [first] = await fresh(1);
    const once = (token: string, c: { id: string; created_at: Date }) =>
      inTransaction(t.database.db, (tx) => arrive(tx, t.config, ws.workspace.id, { contactId: c.id, channelId: ws.channelId, source: `f_${token}`, at: c.created_at }));
    expect(await once(one.token, first!)).toBe('counted');
    expect(await once(two.token, first!)).toBe('already_invited');
    expect(await once(one.token, first!)).toBe('already_invited');

    const racing = await fresh(10);
    const outcomes = await Promise.all(racing.flatMap((c) => [once(one.token, c), once(two.token, c)]));
    expect(outcomes.filter((o) => o === 'counted')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'already_invited')).toHaveLength(10);
    const rows = await ours().selectFrom('fission_invites').select('invitee_contact_id').where('workspace_id', '=', ws.workspace.id).execute();
    expect(new Set(rows.map((r) => r.invitee_contact_id)).size).toBe(rows.length);
    expect(rows).toHaveLength(11);
    const [p1, p2] = [await participant(ws, campaign.id, one.contactId), await participant(ws, campaign.id, two.contactId)];
    expect(p1.validInvites + p2.validInvites).toBe(11);
  });

  it('a burst from one IP goes to review, counts nothing until approved, and a rejected one never counts', async () => {
    const ws = await fissionWorkspace(t, 'FI burst');
    const campaign = await ws.campaign({ burstCount: 3, burstMinutes: 10, holdDays: 1, tiers: [{ goal: 1, rewardKind: 'custom', rewardName: 'Mug' }] });
    const host = await inviter(ws, campaign, 7201, 'Host');
    const friends = [];
    for (let i = 0; i < 3; i++) {
      await t.app.inject({ method: 'GET', url: `/f/${host.token}`, remoteAddress: '203.0.113.9' });
      friends.push(await ws.telegram(7210 + i, `F${i}`, `/start f_${host.token}`));
    }
    // The first invite reached tier 1 before the burst showed; the reward, still on hold, is revoked.
    const after = await participant(ws, campaign.id, host.contactId);
    expect([after.validInvites, after.inReview]).toEqual([0, 3]);
    expect(after.rewards).toMatchObject([{ tier: 1, status: 'revoked' }]);
    const queue = (await ws.client.get(`/api/v1/fission/campaigns/${campaign.id}/review`)).json().items as Array<{ id: string; inviteeContactId: string }>;
    expect(queue.map((i) => i.inviteeContactId)).toEqual(friends);
    const approve = await ws.client.post(`/api/v1/fission/campaigns/${campaign.id}/review/${queue[0]!.id}`, { decision: 'approve' });
    expect(approve.json().invite.status).toBe('counted');
    expect((await ws.client.post(`/api/v1/fission/campaigns/${campaign.id}/review/${queue[1]!.id}`, { decision: 'reject' })).json().invite.status).toBe('rejected');
    expect((await ws.client.post(`/api/v1/fission/campaigns/${campaign.id}/review/${queue[1]!.id}`, { decision: 'approve' })).statusCode).toBe(409);
    const now = await participant(ws, campaign.id, host.contactId);
    expect([now.validInvites, now.inReview]).toEqual([1, 1]);
    expect(now.rewards).toMatchObject([{ tier: 1, status: 'held' }]);
    // After the hold period the custom reward waits for an admin, who marks it fulfilled.
    await passHoldPeriod(ws);
    expect((await participant(ws, campaign.id, host.contactId)).rewards).toMatchObject([{ tier: 1, status: 'awaiting_fulfilment' }]);
    const waiting = (await ws.client.get(`/api/v1/fission/campaigns/${campaign.id}/rewards`)).json().items;
    expect(waiting).toMatchObject([{ participantId: host.id, rewardName: 'Mug', status: 'awaiting_fulfilment' }]);
    expect((await ws.client.post(`/api/v1/fission/campaigns/${campaign.id}/rewards/${waiting[0].id}/fulfil`)).statusCode).toBe(204);
    expect((await participant(ws, campaign.id, host.contactId)).rewards[0]!.status).toBe('fulfilled');
  });
});

describe('rewards, voiding and clawback', () => {
  it('a removal within the void window lowers the progress and revokes the reward still on hold', async () => {
    const ws = await fissionWorkspace(t, 'FI void');
    const campaign = await ws.campaign({ holdDays: 3, voidDays: 7 });
    const host = await inviter(ws, campaign, 7301, 'Host');
    const a = await ws.telegram(7302, 'A', `/start f_${host.token}`);
    await ws.telegram(7303, 'B', `/start f_${host.token}`);
    const reached = await participant(ws, campaign.id, host.contactId);
    expect(reached.validInvites).toBe(2);
    expect(reached.rewards).toMatchObject([{ tier: 1, status: 'held' }]);
    await ws.leave(a);
    const dropped = await participant(ws, campaign.id, host.contactId);
    expect(dropped.validInvites).toBe(1);
    expect(dropped.rewards).toMatchObject([{ tier: 1, status: 'revoked' }]);
    expect((await ours().selectFrom('fission_invites').select('status').where('workspace_id', '=', ws.workspace.id).where('invitee_contact_id', '=', a).executeTakeFirstOrThrow()).status).toBe('voided');
    // When the hold period would have ended, nothing is granted.
    await passHoldPeriod(ws);
    expect((await participant(ws, campaign.id, host.contactId)).rewards[0]!.status).toBe('revoked');
    expect((await ws.client.get(`/api/v1/contacts/${host.contactId}/points`)).json()).toEqual({ balance: 0, entries: [] });
    expect((await fissionMessages(ws, host.contactId)).at(-1)!.body).toContain('有效邀请为 1 人');
    // A new friend brings the tier back: held again, then granted after the hold period.
    await ws.telegram(7304, 'C', `/start f_${host.token}`);
    expect((await participant(ws, campaign.id, host.contactId)).rewards).toMatchObject([{ tier: 1, status: 'held' }]);
    await passHoldPeriod(ws);
    expect((await participant(ws, campaign.id, host.contactId)).rewards).toMatchObject([{ tier: 1, status: 'granted' }]);
  });

  it('grants points and a coupon after the hold period, each code once; a later removal reverses the points in the ledger', async () => {
    const ws = await fissionWorkspace(t, 'FI clawback');
    const campaign = await ws.campaign({ holdDays: 1, voidDays: 30 });
    await ws.client.post(`/api/v1/fission/campaigns/${campaign.id}/coupons`, { tier: 2, codes: ['ONLY-ONE'] });
    const host = await inviter(ws, campaign, 7401, 'Host');
    const other = await inviter(ws, campaign, 7402, 'Other');
    const friends = [];
    for (let i = 0; i < 3; i++) friends.push(await ws.telegram(7410 + i, `H${i}`, `/start f_${host.token}`));
    for (let i = 0; i < 3; i++) await ws.telegram(7420 + i, `O${i}`, `/start f_${other.token}`);
    expect((await participant(ws, campaign.id, host.contactId)).rewards.map((r) => r.status)).toEqual(['held', 'held']);
    await passHoldPeriod(ws);
    const granted = await participant(ws, campaign.id, host.contactId);
    const otherNow = await participant(ws, campaign.id, other.contactId);
    // One code, two winners of tier 2: one gets it, the other waits for an admin.
    const tier2 = [granted.rewards[1]!, otherNow.rewards[1]!];
    expect(tier2.filter((r) => r.couponCode === 'ONLY-ONE')).toHaveLength(1);
    expect(tier2.map((r) => r.status).sort()).toEqual(['awaiting_fulfilment', 'granted']);
    expect(granted.rewards[0]).toMatchObject({ tier: 1, status: 'granted' });
    expect((await ws.client.get(`/api/v1/contacts/${host.contactId}/points`)).json().balance).toBe(100);

    // Two friends leave: progress 1 < 2, the granted points are clawed back by a reversal row.
    await ws.leave(friends[0]!);
    await ws.leave(friends[1]!);
    const after = await participant(ws, campaign.id, host.contactId);
    expect(after.validInvites).toBe(1);
    expect(after.rewards[0]).toMatchObject({ tier: 1, status: 'revoked' });
    const points = (await ws.client.get(`/api/v1/contacts/${host.contactId}/points`)).json();
    expect(points.balance).toBe(0);
    expect(points.entries).toHaveLength(2);
    const [reversal, creditRow] = points.entries;
    expect(creditRow).toMatchObject({ delta: 100, reversalOf: null });
    expect(reversal).toMatchObject({ delta: -100, reversalOf: creditRow.id });
    // A coupon already handed out stays with them (it was claimed).
    expect(after.rewards[1]!.status).toBe(granted.rewards[1]!.status === 'granted' ? 'granted' : 'revoked');
    // A removal after the void window changes nothing.
    await ours().updateTable('fission_invites').set({ created_at: new Date(Date.now() - 31 * 86_400_000) }).where('workspace_id', '=', ws.workspace.id).where('invitee_contact_id', '=', friends[2]!).execute();
    await ws.leave(friends[2]!);
    expect((await participant(ws, campaign.id, host.contactId)).validInvites).toBe(1);
  });
});

describe('the poster', () => {
  it('is a PNG of the layout’s size with the background, cached until the look changes; the public page serves it too', async () => {
    const ws = await fissionWorkspace(t, 'FI poster');
    const campaign = await ws.campaign();
    const host = await inviter(ws, campaign, 7501, '张伟');
    const url = `/api/v1/fission/campaigns/${campaign.id}/participants/${host.id}/poster.png`;
    const first = await ws.client.get(url);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/png');
    const png = first.rawPayload;
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([750, 1334]);
    const decoded = await loadImage(png);
    expect([decoded.width, decoded.height]).toEqual([750, 1334]);
    // Cached: the same bytes again, and the public route gives them too.
    expect((await ws.client.get(url)).rawPayload.equals(png)).toBe(true);
    const pub = await t.app.inject({ method: 'GET', url: `/f/${host.token}/poster.png` });
    expect(pub.rawPayload.equals(png)).toBe(true);

    // A new background (a blue 100×100 PNG) is a new poster version, drawn over the whole poster.
    const bg = createCanvas(100, 100);
    const ctx = bg.getContext('2d');
    ctx.fillStyle = '#0000ff';
    ctx.fillRect(0, 0, 100, 100);
    const boundary = 'renmai-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bg.png"\r\nContent-Type: image/png\r\n\r\n`),
      await bg.encode('png'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const key = (await ws.client.post('/api/v1/api-keys', { name: 'poster', scopes: ['fission:read', 'fission:write'] })).json().secret as string;
    const put = (payload: Buffer) =>
      t.app.inject({ method: 'PUT', url: `/api/v1/fission/campaigns/${campaign.id}/background`, payload, headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` } });
    const upload = await put(body);
    expect(upload.statusCode, upload.body).toBe(200);
    expect(upload.json().campaign).toMatchObject({ hasBackground: true, posterVersion: 2 });
    const second = (await ws.client.get(url)).rawPayload;
    expect(second.equals(png)).toBe(false);
    const pixel = createCanvas(750, 1334).getContext('2d');
    pixel.drawImage(await loadImage(second), 0, 0);
    expect([...pixel.getImageData(10, 10, 1, 1).data]).toEqual([0, 0, 255, 255]);
    const text = await put(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`));
    expect([text.statusCode, text.json().code]).toEqual([415, 'unsupported_media_type']);
  });

  it('shows the avatar fetched through the download guard, and the initial when it cannot be fetched', async () => {
    const red = createCanvas(64, 64);
    const rctx = red.getContext('2d');
    rctx.fillStyle = '#ff0000';
    rctx.fillRect(0, 0, 64, 64);
    const avatar = await red.encode('png');
    const server = createServer((req, res) => (req.url === '/avatar.png' ? res.writeHead(200, { 'content-type': 'image/png' }).end(avatar) : res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ws = await fissionWorkspace(t, 'FI avatar');
      const campaign = await ws.campaign();
      const host = await inviter(ws, campaign, 7701, 'Avatar');
      const centre = async () => {
        const png = (await ws.client.get(`/api/v1/fission/campaigns/${campaign.id}/participants/${host.id}/poster.png`)).rawPayload;
        const ctx = createCanvas(750, 1334).getContext('2d');
        ctx.drawImage(await loadImage(png), 0, 0);
        return [...ctx.getImageData(40 + 70, 1120 + 70, 1, 1).data];
      };
      expect((await ws.client.patch(`/api/v1/contacts/${host.contactId}`, { avatarUrl: `${base}/avatar.png` })).statusCode).toBe(200);
      expect(await centre()).toEqual([255, 0, 0, 255]);
      await ws.client.patch(`/api/v1/contacts/${host.contactId}`, { avatarUrl: `${base}/gone.png` });
      const fallback = await centre();
      expect(fallback).not.toEqual([255, 0, 0, 255]);
      expect(fallback[3]).toBe(255);
    } finally {
      server.close();
    }
  });

  it('the page shows progress and rules in the visitor’s language; a draft or unknown token is 404', async () => {
    const ws = await fissionWorkspace(t, 'FI page');
    const campaign = await ws.campaign();
    const host = await inviter(ws, campaign, 7601, 'Host');
    await ws.telegram(7602, 'A', `/start f_${host.token}`);
    const zh = await t.app.inject({ method: 'GET', url: `/f/${host.token}/page`, headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('已邀请好友：1 人');
    expect(zh.body).toContain('邀请 2 人：100 积分');
    expect(zh.body).toContain(`src="/f/${host.token}/poster.png"`);
    const en = await t.app.inject({ method: 'GET', url: `/f/${host.token}/page`, headers: { 'accept-language': 'en-US' } });
    expect(en.body).toContain('Friends invited: 1');
    expect(en.body).toContain('Invite friends who are new to us.');
    expect((await t.app.inject({ method: 'GET', url: '/f/zzzzzzzzzzzzzzzz' })).statusCode).toBe(404);
    const draft = await ws.campaign({}, false);
    const contactId = (await ws.client.post('/api/v1/contacts', { name: 'D' })).json().contact.id as string;
    const p = (await ws.client.post(`/api/v1/fission/campaigns/${draft.id}/participants`, { contactId })).json().participant;
    expect((await t.app.inject({ method: 'GET', url: `/f/${p.token}` })).statusCode).toBe(404);
  });
});
