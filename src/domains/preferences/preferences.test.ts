// Preferences checked by hand: interest scores from tags and interactions (weights, fading,
// the lookback window, the top five) and the busiest hour per channel, first by the full
// recompute, then kept current by the handler after a message and a tag change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type Client, type TestApp } from '../../../test/support/app.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { handleEvents, type DomainEvent, type EventType } from '../../platform/events/index.js';
import { runJobNow } from '../../platform/queue/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { preferencesJob } from './job.js';
import { preferencesHandler } from './on-events.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const db = () => t.database.db;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
/** `days` ago at hh:15 in Shanghai (UTC+8, the workspace's default time zone). */
const atShanghaiHour = (days: number, hour: number) => {
  const d = new Date(Date.now() - days * DAY);
  d.setUTCHours((hour + 24 - 8) % 24, 15, 0, 0);
  return d.toISOString();
};

async function record(client: Client, contactId: string, body: object) {
  const res = await client.post(`/api/v1/contacts/${contactId}/timeline`, body);
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
}
const message = (channel: string, direction: 'in' | 'out', occurredAt: string, category?: string) => ({
  type: 'message',
  props: { channel, direction, body: '你好', ...(category ? { extra: { category } } : {}) },
  occurredAt,
});

async function runJob(workspaceId: string, jobId: string) {
  if (!(await runJobNow(db(), silentLogger, preferencesJob, workspaceId, jobId))) throw new Error('job not queued');
  expect((await db().selectFrom('jobs').select('status').where('id', '=', jobId).executeTakeFirstOrThrow()).status).toBe('done');
}

async function deliverNew(workspaceId: string, afterId: number) {
  const rows = await db().selectFrom('outbox_events').select(['id', 'type', 'payload', 'occurred_at']).where('workspace_id', '=', workspaceId).where('id', '>', afterId).orderBy('id').execute();
  for (const e of rows) {
    const event: DomainEvent = { id: Number(e.id), workspaceId, type: e.type as EventType, payload: e.payload, occurredAt: e.occurred_at.toISOString() };
    if (!preferencesHandler.events.includes(event.type)) continue;
    await inTransaction(db(), (tx) => handleEvents(preferencesHandler, { tx, logger: silentLogger, attempt: 1 }, [event]));
  }
}
const lastEventId = async (workspaceId: string) =>
  Number((await db().selectFrom('outbox_events').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', workspaceId).executeTakeFirst())?.id ?? 0);

describe('contact preferences', () => {
  it('interests and active hours, by hand', async () => {
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const contact = (await db().insertInto('contacts').values({ workspace_id: ws, name: 'Pan', owner_member_id: w.memberId, custom: '{}' }).returning('id').executeTakeFirstOrThrow()).id;
    const interestGroup = (await w.client.post('/api/v1/tag-groups', { name: '兴趣' })).json().group.id;
    const otherGroup = (await w.client.post('/api/v1/tag-groups', { name: '来源' })).json().group.id;
    const beauty = (await w.client.post('/api/v1/tags', { groupId: interestGroup, name: '美妆' })).json().tag.id;
    const baby = (await w.client.post('/api/v1/tags', { groupId: interestGroup, name: '母婴' })).json().tag.id;
    const fair = (await w.client.post('/api/v1/tags', { groupId: otherGroup, name: '展会' })).json().tag.id;
    expect((await w.client.post(`/api/v1/contacts/${contact}/tags`, { tagIds: [beauty, fair] })).statusCode).toBeLessThan(300);

    // Signals (weight × 0.5^(age / 90 days)):
    await record(w.client, contact, { type: 'order', props: { orderId: 'A1', amount: 99, currency: 'CNY', items: [{ name: '面霜', quantity: 1, category: '护肤' }] }, occurredAt: ago(0) }); // 护肤 3
    await record(w.client, contact, { type: 'order', props: { orderId: 'A2', amount: 59, currency: 'CNY', extra: { category: '母婴' } }, occurredAt: ago(90) }); //     母婴 3 × ½ = 1.5
    await record(w.client, contact, { type: 'form_submission', props: { formName: '问卷', fields: { interests: ['护肤', '彩妆'] } }, occurredAt: ago(0) }); //   护肤 +2, 彩妆 2
    const skincareAt = atShanghaiHour(1, 20);
    const travelAt = atShanghaiHour(2, 20);
    await record(w.client, contact, message('wechat', 'in', skincareAt, '护肤')); //                                                                         护肤 +1 × fade(~1 day)
    await record(w.client, contact, message('wechat', 'in', travelAt, '旅行')); //                                                                           旅行 1 × fade(~2 days)
    await record(w.client, contact, message('wechat', 'in', atShanghaiHour(90, 20), ' 露营 ')); //                                                           露营 ½ (6th: dropped)
    await record(w.client, contact, message('wechat', 'in', atShanghaiHour(3, 9)));
    await record(w.client, contact, message('sms', 'in', atShanghaiHour(4, 12)));
    for (let i = 0; i < 5; i++) await record(w.client, contact, message('wechat', 'out', atShanghaiHour(i, 10))); // ours, not theirs
    await record(w.client, contact, message('wechat', 'in', atShanghaiHour(400, 8), '过期')); //                                                             outside 365 days
    // Tags: 美妆 5 (an interest group); 展会 is not (its group is not an interest group).

    const saved = await w.client.patch('/api/v1/preferences/settings', { interestTagGroupIds: [interestGroup] });
    expect(saved.statusCode).toBe(200);
    await runJob(ws, saved.json().jobId);

    const prefs = (await w.client.get(`/api/v1/contacts/${contact}/preferences`)).json();
    expect(prefs.interests.map((i: { category: string; rank: number }) => [i.rank, i.category])).toEqual([
      [1, '护肤'],
      [2, '美妆'],
      [3, '彩妆'],
      [4, '母婴'],
      [5, '旅行'],
    ]);
    const scores = prefs.interests.map((i: { score: number }) => i.score);
    const fade = (at: string) => 0.5 ** ((Date.now() - Date.parse(at)) / DAY / 90);
    [3 + 2 + fade(skincareAt), 5, 2, 1.5, fade(travelAt)].forEach((expected, i) => expect(scores[i]).toBeCloseTo(expected, 2));

    // wechat (theirs): 20h ×3 (incl. the one 90 days ago), 9h ×1 → 20; sms: 12h.
    expect(prefs.activeHours.map(({ byHour, computedAt: _at, ...rest }: { byHour: number[]; computedAt: string }) => ({ ...rest, nonZero: byHour.flatMap((n, h) => (n ? [[h, n]] : [])) }))).toEqual([
      { channel: 'wechat', hour: 20, hourMessages: 3, messages: 4, nonZero: [[9, 1], [20, 3]] },
      { channel: 'sms', hour: 12, hourMessages: 1, messages: 1, nonZero: [[12, 1]] },
    ]);

    // Three more messages at 9h: the handler moves the wechat hour to 9 (4 against 3).
    let from = await lastEventId(ws);
    for (let i = 0; i < 3; i++) await record(w.client, contact, message('wechat', 'in', atShanghaiHour(5 + i, 9)));
    await deliverNew(ws, from);
    const wechat = (await w.client.get(`/api/v1/contacts/${contact}/preferences`)).json().activeHours[0];
    expect(wechat).toMatchObject({ channel: 'wechat', hour: 9, hourMessages: 4, messages: 7 });

    // Tagged 母婴 (interest group): 1.5 + 5 = 6.5, now first.
    from = await lastEventId(ws);
    await w.client.post(`/api/v1/contacts/${contact}/tags`, { tagIds: [baby] });
    await deliverNew(ws, from);
    const after = (await w.client.get(`/api/v1/contacts/${contact}/preferences`)).json().interests;
    expect(after.map((i: { category: string }) => i.category)).toEqual(['母婴', '护肤', '美妆', '彩妆', '旅行']);
    expect(after[0].score).toBeCloseTo(6.5, 2);
  });

  it('validation, permissions, scope and other workspaces', async () => {
    const w = await signedInOwner(t);
    const other = await signedInOwner(t, 'Other');
    const ws = w.workspace.id;
    const agent = await (await addMember(t, ws, 'agent')).login();
    const contact = (await db().insertInto('contacts').values({ workspace_id: ws, name: 'Owned by owner', owner_member_id: w.memberId, custom: '{}' }).returning('id').executeTakeFirstOrThrow()).id;
    const otherGroup = (await other.client.post('/api/v1/tag-groups', { name: 'theirs' })).json().group.id;

    const bad = await w.client.patch('/api/v1/preferences/settings', { lookbackDays: 0, halfLifeDays: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['halfLifeDays', 'lookbackDays']);
    expect((await w.client.patch('/api/v1/preferences/settings', { interestTagGroupIds: [otherGroup] })).statusCode).toBe(404);
    expect((await agent.patch('/api/v1/preferences/settings', { lookbackDays: 30 })).statusCode).toBe(403);
    expect((await agent.post('/api/v1/preferences/recompute')).statusCode).toBe(403);
    expect((await agent.get('/api/v1/preferences/settings')).statusCode).toBe(200);
    expect((await agent.get(`/api/v1/contacts/${contact}/preferences`)).statusCode).toBe(404);
    expect((await other.client.get(`/api/v1/contacts/${contact}/preferences`)).statusCode).toBe(404);
    expect((await w.client.get(`/api/v1/contacts/${contact}/preferences`)).json()).toEqual({ contactId: contact, interests: [], activeHours: [] });
    expect((await w.client.post('/api/v1/preferences/recompute')).statusCode).toBe(202);
  });
});

describe('the daily schedule', () => {
  it('queues one recompute per workspace per local day, none once today’s has run', async () => {
    const { enqueueDailyPreferences } = await import('./job.js');
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const jobs = () => db().selectFrom('jobs').select(['dedupe_key']).where('workspace_id', '=', ws).where('name', '=', 'preferences.recompute').execute();
    await enqueueDailyPreferences(db(), 0);
    await enqueueDailyPreferences(db(), 0);
    expect(await jobs()).toEqual([{ dedupe_key: expect.stringMatching(/^preferences\.recompute:daily:\d{4}-\d{2}-\d{2}$/) }]);
    const jobId = (await db().selectFrom('jobs').select('id').where('workspace_id', '=', ws).where('name', '=', 'preferences.recompute').executeTakeFirstOrThrow()).id;
    await runJob(ws, jobId);
    await db().deleteFrom('jobs').where('workspace_id', '=', ws).execute();
    await enqueueDailyPreferences(db(), 0);
    expect(await jobs()).toEqual([]);
  });
});
