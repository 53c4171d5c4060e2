// Live codes' rules on a real database, through the public link and the API: staff hours,
// special periods, exclusive mode (the staff cookie), and the stats beyond scans — leaves, net
// adds, orders and a stage reached by each day's arrivals — with their CSV.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { liveCodeWorld, type LiveCodeWorld, type Ws } from './test-world.js';

let w: LiveCodeWorld;
beforeAll(async () => (w = await liveCodeWorld()));
afterAll(() => w.close());

/** Opens the short link (with the cookie header given) and answers the member chosen and the staff cookie set. */
async function open(slug: string, cookie?: string) {
  const res = await w.t.app.inject({ method: 'GET', url: `/c/${slug}`, headers: cookie ? { cookie } : {} });
  expect(res.statusCode).toBe(302);
  const set = res.cookies.find((c) => c.name.startsWith('renmai_staff_'));
  return { cookie: set && `${set.name}=${set.value}`, memberId: set?.value, attributes: set };
}

const outcomes = async (ws: Ws) =>
  (await sql<{ outcome: string }>`select outcome from live_code_scans where workspace_id = ${ws.workspace.id} order by id`.execute(w.t.database.db)).rows.map((r) => r.outcome);

/** The workspace's local date and minutes past midnight now. */
async function localNow(ws: Ws) {
  const { rows } = await sql<{ today: string; minutes: number; dow: number }>`
    select (now() at time zone timezone)::date::text as today, extract(hour from now() at time zone timezone)::int * 60 + extract(minute from now() at time zone timezone)::int as minutes,
      extract(dow from now() at time zone timezone)::int as dow
    from workspaces where id = ${ws.workspace.id}`.execute(w.t.database.db);
  return rows[0]!;
}
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

describe('exclusive mode', () => {
  it('sends a returning browser back to its staff member even past their cap; other codes keep rotating', async () => {
    const ws = await w.workspace('LC exclusive', 2);
    const [a, b] = ws.staff as [string, string];
    const exclusive = await w.createCode(ws, { exclusive: true, staff: [{ memberId: a, dailyCap: 1 }, { memberId: b }] });
    const first = await open(exclusive.slug);
    expect(first.memberId).toBe(a);
    expect(first.attributes).toMatchObject({ path: '/c', httpOnly: true, sameSite: 'Lax' });
    expect((await open(exclusive.slug)).memberId).toBe(b);
    // A is at their cap of one, and still gets their returning visitor.
    expect((await open(exclusive.slug, first.cookie)).memberId).toBe(a);
    expect(await outcomes(ws)).toEqual(['staff', 'staff', 'returning']);
    // A rotating code ignores the cookie: A is capped there too, so B.
    const rotating = await w.createCode(ws, { staff: [{ memberId: a, dailyCap: 1 }, { memberId: b }] });
    await open(rotating.slug);
    expect((await open(rotating.slug, first.cookie)).memberId).toBe(b);
    // A forged cookie naming someone outside the code is ignored.
    expect((await open(exclusive.slug, `${first.cookie!.split('=')[0]}=${ws.memberId}`)).memberId).toBe(b);
  });
});

describe('staff hours and special periods', () => {
  it('a member off shift is not chosen; on shift they are', async () => {
    const ws = await w.workspace('LC hours', 2);
    const [a, b] = ws.staff as [string, string];
    const now = await localNow(ws);
    // A works one hour, twelve hours from now, every day; B at all hours.
    const away = (now.minutes + 12 * 60) % (24 * 60);
    const shift = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: hhmm(Math.min(away, 22 * 60)), close: hhmm(Math.min(away, 22 * 60) + 60) }));
    const code = await w.createCode(ws, { staff: [{ memberId: a, hours: shift }, { memberId: b }] });
    expect([await open(code.slug), await open(code.slug), await open(code.slug)].map((s) => s.memberId)).toEqual([b, b, b]);
    const allDay = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '24:00' }));
    expect((await ws.client.patch(`/api/v1/live-codes/${code.id}`, { staff: [{ memberId: a, hours: allDay }, { memberId: b }] })).statusCode).toBe(200);
    expect((await open(code.slug)).memberId).toBe(a);
  });

  it('on a period’s day its staff take the scans; periods may not overlap and name the workspace’s members', async () => {
    const ws = await w.workspace('LC periods', 3);
    const [a, b, c] = ws.staff as [string, string, string];
    const { today } = await localNow(ws);
    const code = await w.createCode(ws, { staff: [{ memberId: a }, { memberId: b }], periods: [{ name: '店庆', from: today, to: today, staff: [{ memberId: c, dailyCap: 2 }] }] });
    expect([await open(code.slug), await open(code.slug)].map((s) => s.memberId)).toEqual([c, c]);
    // C is at the period's cap and there are no backups: nobody (the visitor still goes on).
    expect((await open(code.slug)).memberId).toBeUndefined();
    const other = await w.workspace('LC periods other', 1);
    /** The fields a code with these periods is refused for. */
    const refused = async (periods: Array<{ name: string; from: string; to: string; member: string }>) => {
      const res = await ws.client.post('/api/v1/live-codes', { name: 'Bad', channelId: ws.channelId, staff: [{ memberId: a }], periods: periods.map(({ member, ...p }) => ({ ...p, staff: [{ memberId: member }] })) });
      expect(res.statusCode).toBe(400);
      return res.json().errors.map((e: { path: string }) => e.path).sort();
    };
    const one = { name: 'One', from: '2026-10-01', to: '2026-10-07', member: other.staff[0]! };
    const two = { name: 'Two', from: '2026-10-05', to: '2026-10-09', member: b };
    // The schema's own checks come first (a period ending before it starts)…
    expect(await refused([one, two, { name: 'Three', from: '2026-10-12', to: '2026-10-11', member: b }])).toEqual(['periods.2.to']);
    // …then the workspace's: another workspace's member, overlapping periods.
    expect(await refused([one, two])).toEqual(['periods.0.staff.0.memberId', 'periods.1.from']);
  });
});

describe('stats beyond scans', () => {
  it('counts leaves and net adds by day, and the orders and stage each day’s arrivals reached since; CSV has the same rows', async () => {
    const ws = await w.workspace('LC stats', 1);
    const code = await w.createCode(ws, {});
    const contact = async (name: string) => (await ws.client.post('/api/v1/contacts', { name })).json().contact.id as string;
    const [stays, buys, leaves] = [await contact('Stays'), await contact('Buys'), await contact('Leaves')];
    const relation = (contactId: string, kind: string, source?: string) =>
      inTransaction(w.t.database.db, (tx) => emit(tx, ws.workspace.id, 'inbox.channel_relation.changed', { contactId, channelId: ws.channelId, kind, providerEventId: `${contactId}:${kind}`, ...(source ? { source } : {}) }));
    for (const id of [stays, buys, leaves]) await relation(id, 'friend_added', code.slug);
    await w.settle();
    await relation(leaves, 'friend_removed');
    const order = await ws.client.post(`/api/v1/contacts/${buys}/timeline`, { type: 'order', props: { orderId: 'A-1', amount: 99, currency: 'CNY' } });
    expect(order.statusCode, order.body).toBe(201);
    const stage = (await ws.client.get('/api/v1/stages')).json().items.at(-2).id as string;
    expect((await ws.client.patch(`/api/v1/contacts/${stays}`, { stageId: stage })).statusCode).toBe(200);
    await w.settle();
    const stats = (await ws.client.get(`/api/v1/live-codes/${code.id}/stats?stageId=${stage}`)).json();
    expect(stats.totals).toEqual({ scans: 0, noStaffAvailable: 0, adds: 3, attributed: 3, left: 1, net: 2, ordered: 1, reachedStage: 1 });
    const csv = await ws.client.get(`/api/v1/live-codes/${code.id}/stats.csv?stageId=${stage}`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('day,scans,noStaffAvailable,adds,attributed,left,net,ordered,reachedStage');
    expect(lines).toHaveLength(31);
    expect(lines.at(-1)).toBe(`${stats.to},0,0,3,3,1,2,1,1`);
    // Another workspace cannot read the code's figures.
    const other = await w.workspace('LC stats other', 1);
    expect((await other.client.get(`/api/v1/live-codes/${code.id}/stats.csv`)).statusCode).toBe(404);
  });
});
