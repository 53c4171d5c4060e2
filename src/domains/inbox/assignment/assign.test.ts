// Automatic assignment on a real database: round-robin and least-busy among the team's online
// agents, the per-agent cap and the first-come queue served as capacity frees (a resolve, an
// agent coming online, a higher cap), transfers, permissions — and the race: several processes
// draining one team at once never give a conversation twice nor fill an agent past the cap.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTeam, signedInOwner } from '../../../../test/support/app.js';
import { deliver, inboxWorld, runJobs, textEvent, workspaceWithChannel, type InboxWorld } from '../../../../test/support/channel-world.js';
import { testDbKind } from '../../../../test/support/db.js';
import { openDatabase, type Db } from '../../../platform/db/connect.js';
import { createJobRegistry, createWorker } from '../../../platform/queue/index.js';
import { silentLogger } from '../../../platform/queue/test-support.js';
import { inboxJobs } from '../deps.js';
import { drainTeam } from './assign.js';
import { markConnected } from './presence.js';

let w: InboxWorld;
beforeAll(async () => (w = await inboxWorld()));
afterAll(() => w.close());

interface Settings {
  autoAssign?: boolean;
  mode?: 'round_robin' | 'least_busy';
  agentCap?: number | null;
}

/** A workspace whose channel is served by a team of `size` agents (online unless told), assigning as `settings` say. */
async function team(name: string, size: number, settings: Settings, options: { online?: number } = {}) {
  const ws = await workspaceWithChannel(w, name);
  const members = [];
  for (let i = 0; i < size; i++) members.push(await addMember(w.t, ws.workspace.id, 'agent'));
  members.sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
  const teamId = await createTeam(w.t, ws.workspace.id, members.map((m) => m.memberId));
  expect((await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { teamId })).statusCode).toBe(200);
  for (const m of members.slice(0, options.online ?? size)) await markConnected(w.t.database.db, { workspaceId: ws.workspace.id, memberId: m.memberId });
  const configure = (s: Settings) => ws.client.put(`/api/v1/inbox/teams/${teamId}/assignment`, { autoAssign: true, mode: 'round_robin', agentCap: null, ...s });
  expect((await configure(settings)).statusCode).toBe(200);
  const ids = members.map((m) => m.memberId);
  return { ...ws, teamId, members, ids, configure };
}

type Team = Awaited<ReturnType<typeof team>>;

/** A customer writes; the intake and the assignment it sets off run. Returns the conversation. */
async function arrive(x: Team, from: string) {
  expect((await deliver(w.t, x.channelId, [textEvent(from, `hi from ${from}`)])).statusCode).toBe(200);
  await runJobs(w.t);
  return conversation(x, from);
}

const conversation = (x: Team, from: string) =>
  w.t.database.db
    .selectFrom('conversations')
    .select(['id', 'assignee_member_id as assignee', 'status'])
    .where('workspace_id', '=', x.workspace.id)
    .where('thread_key', '=', from)
    .executeTakeFirstOrThrow();

describe('distribution', () => {
  it('round-robin: each online agent in turn, by member id', async () => {
    const x = await team('Round robin', 3, { mode: 'round_robin' });
    const got = [];
    for (let i = 0; i < 6; i++) got.push((await arrive(x, `rr${i}`)).assignee);
    expect(got).toEqual([...x.ids, ...x.ids]);
    const event = await w.t.database.db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', x.workspace.id).where('type', '=', 'inbox.conversation.assigned').orderBy('id').executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ reason: 'auto', actorMemberId: null, fromMemberId: null, toMemberId: x.ids[0] });
  });

  it('least-busy: the fewest open conversations, ties to whoever waited longest since an assignment', async () => {
    const x = await team('Least busy', 3, { autoAssign: false });
    const [a, b, c] = x.ids as [string, string, string];
    // Earlier load, by hand: a has two open conversations, c one, b none.
    for (const [from, to] of [['p1', a], ['p2', a], ['p3', c]] as const) {
      const conv = await arrive(x, from);
      await x.client.put(`/api/v1/conversations/${conv.id}/assignee`, { memberId: to });
    }
    await x.configure({ mode: 'least_busy' });
    const got = [];
    for (let i = 0; i < 4; i++) got.push((await arrive(x, `lb${i}`)).assignee);
    // b (0) → b and c tie at 1, c never had one → b (1, the others 2) → all at 2, a waited longest.
    expect(got).toEqual([b, c, b, a]);
  });

  it('skips agents who are away or offline, and members who may not reply', async () => {
    const x = await team('Away', 3, {}, { online: 2 });
    const b = x.ids[1];
    await (await x.members[0]!.login()).put('/api/v1/inbox/presence', { status: 'away' });
    const viewer = await addMember(w.t, x.workspace.id, 'viewer');
    await w.t.database.db.insertInto('team_members').values({ workspace_id: x.workspace.id, team_id: x.teamId, member_id: viewer.memberId }).execute();
    await markConnected(w.t.database.db, { workspaceId: x.workspace.id, memberId: viewer.memberId });
    // The first is away, the third offline, the viewer cannot reply: all to the second.
    for (let i = 0; i < 3; i++) expect((await arrive(x, `aw${i}`)).assignee).toBe(b);
  });
});

describe('caps and the queue', () => {
  it('queues past the cap and serves the queue first-come as capacity frees', async () => {
    const x = await team('Queue', 2, { mode: 'round_robin', agentCap: 1 }, { online: 1 });
    const [first, second] = x.ids as [string, string];
    const c1 = await arrive(x, 'q1');
    expect(c1.assignee).toBe(first);
    const c2 = await arrive(x, 'q2');
    const c3 = await arrive(x, 'q3');
    const c4 = await arrive(x, 'q4');
    expect([c2, c3, c4].map((c) => c.assignee)).toEqual([null, null, null]);
    const stats = (await x.client.get(`/api/v1/inbox/teams/${x.teamId}/assignment`)).json().assignment;
    expect(stats).toMatchObject({ autoAssign: true, mode: 'round_robin', agentCap: 1, queue: { waiting: 3 } });
    expect(stats.agents.find((g: { memberId: string }) => g.memberId === first)).toMatchObject({ status: 'online', openConversations: 1, atCap: true });
    // An agent comes online: the longest-waiting conversation is theirs.
    await markConnected(w.t.database.db, { workspaceId: x.workspace.id, memberId: second });
    await runJobs(w.t);
    expect((await conversation(x, 'q2')).assignee).toBe(second);
    expect((await conversation(x, 'q3')).assignee).toBeNull();
    // An agent resolves one: the next in line.
    await (await x.members[0]!.login()).post(`/api/v1/conversations/${c1.id}/status`, { status: 'resolved' });
    await runJobs(w.t);
    expect((await conversation(x, 'q3')).assignee).toBe(first);
    expect((await conversation(x, 'q4')).assignee).toBeNull();
    // The cap is raised: the rest.
    await x.configure({ mode: 'round_robin', agentCap: 2 });
    await runJobs(w.t);
    expect((await conversation(x, 'q4')).assignee).not.toBeNull();
    expect((await x.client.get(`/api/v1/inbox/teams/${x.teamId}/assignment`)).json().assignment.queue).toEqual({ waiting: 0, oldestWaitingSince: null });
  });

  it('an answered conversation leaves the queue; an unassigned one joins it again', async () => {
    const x = await team('Answered', 1, { agentCap: 1 });
    const [agent] = x.ids as [string];
    const c1 = await arrive(x, 'an1');
    const c2 = await arrive(x, 'an2');
    expect([c1.assignee, c2.assignee]).toEqual([agent, null]);
    // Someone answers the waiting customer without taking the conversation: nobody waits now.
    await x.client.post(`/api/v1/conversations/${c2.id}/messages`, { text: 'we are on it' });
    await x.client.post(`/api/v1/conversations/${c1.id}/status`, { status: 'resolved' });
    await runJobs(w.t);
    expect((await conversation(x, 'an2')).assignee).toBeNull();
    // The customer writes again: waiting, and the agent has room.
    expect((await arrive(x, 'an2')).assignee).toBe(agent);
    // Unassigned by hand, it is offered again (and taken again: the agent is the only one).
    await x.client.put(`/api/v1/conversations/${c2.id}/assignee`, { memberId: null });
    await runJobs(w.t);
    expect((await conversation(x, 'an2')).assignee).toBe(agent);
  });
});

describe('transfer', () => {
  it('to a team (its queue, its agents) or to an agent; problem+json for what does not exist', async () => {
    const x = await team('Transfer', 1, { autoAssign: false });
    const other = await addMember(w.t, x.workspace.id, 'agent');
    const otherTeam = await createTeam(w.t, x.workspace.id, [other.memberId]);
    await markConnected(w.t.database.db, { workspaceId: x.workspace.id, memberId: other.memberId });
    await x.client.put(`/api/v1/inbox/teams/${otherTeam}/assignment`, { autoAssign: true, mode: 'least_busy', agentCap: null });
    const conv = await arrive(x, 't1');
    expect(conv.assignee).toBeNull();
    const toTeam = await x.client.post(`/api/v1/conversations/${conv.id}/transfer`, { teamId: otherTeam });
    expect(toTeam.json().conversation).toMatchObject({ teamId: otherTeam, assigneeId: null });
    await runJobs(w.t);
    expect((await conversation(x, 't1')).assignee).toBe(other.memberId);
    // The new team's agent sees it, though the channel is not their team's.
    expect((await (await other.login()).get(`/api/v1/conversations/${conv.id}`)).statusCode).toBe(200);
    const toAgent = await x.client.post(`/api/v1/conversations/${conv.id}/transfer`, { memberId: x.ids[0] });
    expect(toAgent.json().conversation).toMatchObject({ teamId: otherTeam, assigneeId: x.ids[0] });
    const transferred = await w.t.database.db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', x.workspace.id).where('type', '=', 'inbox.conversation.transferred').orderBy('id').execute();
    expect(transferred.map((e) => e.payload)).toMatchObject([
      { fromTeamId: x.teamId, toTeamId: otherTeam, fromMemberId: null, toMemberId: null },
      { fromTeamId: otherTeam, toTeamId: otherTeam, fromMemberId: other.memberId, toMemberId: x.ids[0] },
    ]);
    const none = '00000000-0000-4000-8000-000000000000';
    const empty = await x.client.post(`/api/v1/conversations/${conv.id}/transfer`, {});
    expect([empty.statusCode, empty.json().code]).toEqual([400, 'validation_failed']);
    expect((await x.client.post(`/api/v1/conversations/${conv.id}/transfer`, { teamId: none })).json().code).toBe('not_found');
    expect((await x.client.post(`/api/v1/conversations/${conv.id}/transfer`, { memberId: none })).statusCode).toBe(404);
    expect((await x.client.post(`/api/v1/conversations/${none}/transfer`, { teamId: otherTeam })).statusCode).toBe(404);
  });
});

describe('permissions and workspaces', () => {
  it('agents read team settings but only inbox:manage changes them; another workspace’s team is 404', async () => {
    const x = await team('Perms', 1, {});
    const agent = await x.members[0]!.login();
    expect((await agent.get(`/api/v1/inbox/teams/${x.teamId}/assignment`)).statusCode).toBe(200);
    const refused = await agent.put(`/api/v1/inbox/teams/${x.teamId}/assignment`, { autoAssign: false, mode: 'round_robin', agentCap: null });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'forbidden']);
    const bad = await x.client.put(`/api/v1/inbox/teams/${x.teamId}/assignment`, { autoAssign: true, mode: 'random', agentCap: 0 });
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['agentCap', 'mode']);
    const stranger = await signedInOwner(w.t, 'Stranger');
    expect((await stranger.client.get(`/api/v1/inbox/teams/${x.teamId}/assignment`)).statusCode).toBe(404);
    expect((await stranger.client.put(`/api/v1/inbox/teams/${x.teamId}/assignment`, { autoAssign: false, mode: 'round_robin', agentCap: null })).statusCode).toBe(404);
    const conv = await arrive(x, 'perm');
    expect((await x.client.post(`/api/v1/conversations/${conv.id}/transfer`, { teamId: (await createTeam(w.t, stranger.workspace.id, [])) })).statusCode).toBe(404);
    expect((await stranger.client.get(`/api/v1/inbox/presence?teamId=${x.teamId}`)).json().items).toEqual([]);
  });
});

/** Runs due inbox jobs on `db` until none is left (a second process's worker). */
async function runJobsOn(db: Db) {
  const worker = createWorker({ db, logger: silentLogger, registry: createJobRegistry(inboxJobs(w.t.config)), concurrency: 4, pollMs: 50 });
  for (let i = 0; i < 200 && (await worker.runOnce()) > 0; i++);
}

describe('the race', () => {
  it('processes draining two teams of the same agents at once give each conversation once and fill no agent past the cap', async () => {
    const x = await team('Race', 3, { autoAssign: false, agentCap: 4 });
    const db = w.t.database.db;
    // The same three agents serve a second team: its queue competes for their places.
    const twin = await createTeam(w.t, x.workspace.id, x.ids);
    // 15 customers waiting in each team, oldest first.
    const { id: contact } = await db.insertInto('contacts').values({ workspace_id: x.workspace.id, name: 'c', custom: '{}' }).returning('id').executeTakeFirstOrThrow();
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 30; i++) {
      await db
        .insertInto('conversations')
        .values({ workspace_id: x.workspace.id, channel_id: x.channelId, contact_id: contact, thread_key: `r${i}`, recipient_id: 'r', team_id: i % 2 ? twin : x.teamId, waiting_since: new Date(base + i * 1000), last_message_at: new Date() })
        .execute();
    }
    const settings = { autoAssign: true, mode: 'least_busy', agentCap: 4 };
    await x.client.put(`/api/v1/inbox/teams/${twin}/assignment`, settings);
    await x.client.put(`/api/v1/inbox/teams/${x.teamId}/assignment`, settings);
    // Two processes (a second pool on a server; on PGlite the one in-process database), each
    // draining both teams several times at once, beside the drain jobs the settings queued.
    const second = testDbKind === 'postgres' ? await openDatabase({ url: w.t.database.url!, poolSize: 4 }) : w.t.database;
    try {
      const drains = Array.from({ length: 12 }, (_, i) => drainTeam(i % 2 ? second.db : db, x.workspace.id, i % 4 < 2 ? x.teamId : twin));
      await Promise.all([...drains, runJobsOn(db), runJobsOn(second.db)]);
    } finally {
      if (second !== w.t.database) await second.close();
    }
    const rows = await db.selectFrom('conversations').select(['team_id', 'assignee_member_id']).where('workspace_id', '=', x.workspace.id).orderBy('waiting_since').execute();
    const load = new Map<string, number>();
    for (const r of rows) if (r.assignee_member_id) load.set(r.assignee_member_id, (load.get(r.assignee_member_id) ?? 0) + 1);
    expect([...load.values()]).toEqual([4, 4, 4]);
    // First come, first served within each team: the assigned ones are the head of its queue.
    for (const t of [x.teamId, twin]) {
      const given = rows.filter((r) => r.team_id === t).map((r) => r.assignee_member_id !== null);
      expect(given).toEqual([...given].sort((p, q) => Number(q) - Number(p)));
    }
    // Each given once: one assignment event per assigned conversation.
    const events = await sql<{ n: number; conversations: number }>`
      select count(*) as n, count(distinct payload->>'conversationId') as conversations from outbox_events
      where workspace_id = ${x.workspace.id} and type = 'inbox.conversation.assigned'`.execute(db);
    expect(events.rows[0]).toEqual({ n: 12, conversations: 12 });
  });

  it('concurrent arrivals through two workers keep to round-robin and the cap', async () => {
    const x = await team('Arrivals', 3, { mode: 'round_robin', agentCap: 2 });
    const second = testDbKind === 'postgres' ? await openDatabase({ url: w.t.database.url!, poolSize: 4 }) : w.t.database;
    try {
      const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => deliver(w.t, x.channelId, [textEvent(`ca${i}`, 'hello')])));
      expect(statuses.every((s) => s.statusCode === 200)).toBe(true);
      await Promise.all([runJobsOn(w.t.database.db), runJobsOn(second.db)]);
    } finally {
      if (second !== w.t.database) await second.close();
    }
    const rows = await w.t.database.db.selectFrom('conversations').select(['assignee_member_id']).where('workspace_id', '=', x.workspace.id).execute();
    const counts = x.ids.map((id) => rows.filter((r) => r.assignee_member_id === id).length);
    expect(counts).toEqual([2, 2, 2]);
    expect(rows.filter((r) => r.assignee_member_id === null)).toHaveLength(4);
  });
});
