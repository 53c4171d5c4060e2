// The inbox over the realtime socket, against the real server (real TCP, the `ws` client):
// inbound messages, typing, assignment, status and read events reach exactly the members who
// may see the conversation; two server instances on one database share events; presence follows
// sockets. Events are awaited with timeouts; "never received" is checked after a later event
// that was committed after the one that must not arrive (notices arrive in commit order).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTeam } from '../../../../test/support/app.js';
import { deliver, inboxWorld, runJobs, SECRET, textEvent, workspaceWithChannel, type InboxWorld } from '../../../../test/support/channel-world.js';
import { testDbKind } from '../../../../test/support/db.js';
import { buildApp } from '../../../app.js';
import { openDatabase, type DatabaseHandle } from '../../../platform/db/connect.js';
import { createLogger } from '../../../platform/log/logger.js';
import { openSocket, sessionCookie, type TestSocket } from '../../../platform/realtime/test-client.js';
import { touchConnected } from '../assignment/presence.js';
import { sweepAssignments } from '../assignment/sweep.js';

let w: InboxWorld;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  w = await inboxWorld();
  await w.t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  await w.close();
});

async function socketFor(app: FastifyInstance, user: { email: string; password: string }) {
  const socket = await openSocket(app, { cookie: await sessionCookie(app, user.email, user.password) });
  sockets.push(socket);
  await socket.next('ready');
  return socket;
}

const ofConversation = (id: string) => (d: Record<string, unknown>) => d.conversationId === id;
const conversationsIn = (s: TestSocket) => new Set(s.events.map((e) => e.data.conversationId).filter(Boolean));

/** A workspace with two channels served by two teams, an agent in each, and everyone's socket. */
async function twoTeams(name: string) {
  const ws = await workspaceWithChannel(w, name);
  const a = await addMember(w.t, ws.workspace.id, 'agent');
  const b = await addMember(w.t, ws.workspace.id, 'agent');
  const teamA = await createTeam(w.t, ws.workspace.id, [a.memberId]);
  const teamB = await createTeam(w.t, ws.workspace.id, [b.memberId]);
  await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { teamId: teamA });
  const channelB = (await ws.client.post('/api/v1/channels', { type: 'api', name: 'Second', settings: { url: w.provider.url }, secrets: { secret: SECRET }, teamId: teamB })).json().channel.id as string;
  return { ...ws, a, b, teamA, teamB, channelA: ws.channelId, channelB, sockets: { owner: await socketFor(w.t.app, ws.user), a: await socketFor(w.t.app, a.user), b: await socketFor(w.t.app, b.user) } };
}

async function receive(channelId: string, from: string, text: string) {
  expect((await deliver(w.t, channelId, [textEvent(from, text)])).statusCode).toBe(200);
  await runJobs(w.t);
}

describe('conversation events', () => {
  it('push inbound messages to those who see the conversation and never to another team', async () => {
    const x = await twoTeams('Push');
    await receive(x.channelA, 'alice', 'hello A');
    const inA = await x.sockets.a.next('message.created', (d) => d.direction === 'in');
    expect(inA.data).toMatchObject({ kind: 'text', status: 'received', preview: 'hello A', inboundCount: 1, authorId: null });
    const convA = inA.data.conversationId as string;
    await x.sockets.owner.next('message.created', ofConversation(convA));
    await receive(x.channelB, 'bob', 'hello B');
    const convB = (await x.sockets.b.next('message.created')).data.conversationId as string;
    await receive(x.channelA, 'alice', 'again A');
    await x.sockets.a.next('message.created', (d) => d.preview === 'again A');
    await x.sockets.owner.next('message.created', (d) => d.preview === 'again A');
    expect(conversationsIn(x.sockets.a)).toEqual(new Set([convA]));
    expect(conversationsIn(x.sockets.b)).toEqual(new Set([convB]));
    // What the push names, the API serves to that member.
    const agent = await x.a.login();
    expect((await agent.get(`/api/v1/conversations/${convA}`)).statusCode).toBe(200);
    expect((await agent.get(`/api/v1/conversations/${convB}`)).statusCode).toBe(404);
  });

  it('carry typing, replies, notes, assignment, removal, status and reads', async () => {
    const x = await twoTeams('Flow');
    await receive(x.channelA, 'carol', 'help');
    const conv = (await x.sockets.a.next('message.created')).data.conversationId as string;
    // Typing: from an agent who sees it, to the others who do; refused for one who does not.
    x.sockets.a.send({ type: 'typing', conversationId: conv, typing: true });
    expect((await x.sockets.owner.next('typing', ofConversation(conv))).data).toEqual({ conversationId: conv, memberId: x.a.memberId, typing: true });
    x.sockets.b.send({ type: 'typing', conversationId: conv, typing: true });
    expect((await x.sockets.b.next('error', (d) => d.for === 'typing')).data.code).toBe('not_found');
    x.sockets.a.send({ type: 'typing', conversationId: 'nope', typing: true });
    expect((await x.sockets.a.next('error', (d) => d.for === 'typing')).data.code).toBe('validation_failed');
    // A reply and a note.
    const agent = await x.a.login();
    expect((await agent.post(`/api/v1/conversations/${conv}/messages`, { text: 'on it' })).statusCode).toBe(202);
    await x.sockets.owner.next('message.created', (d) => d.direction === 'out' && d.status === 'queued' && d.authorId === x.a.memberId);
    await runJobs(w.t);
    await x.sockets.a.next('message.status_changed', (d) => d.status === 'sent');
    await agent.post(`/api/v1/conversations/${conv}/notes`, { text: 'VIP' });
    await x.sockets.owner.next('message.created', (d) => d.direction === 'note');
    // Assigned to the agent, then to the owner: the agent (scope own) loses sight of it.
    await x.client.put(`/api/v1/conversations/${conv}/assignee`, { memberId: x.a.memberId });
    expect((await x.sockets.a.next('conversation.assigned', ofConversation(conv))).data).toMatchObject({ assigneeId: x.a.memberId, previousAssigneeId: null, reason: 'manual', actorId: x.memberId });
    await x.client.put(`/api/v1/conversations/${conv}/assignee`, { memberId: x.memberId });
    await x.sockets.a.next('conversation.removed', ofConversation(conv));
    expect(x.sockets.a.events.filter((e) => e.type === 'conversation.assigned')).toHaveLength(1);
    await x.sockets.owner.next('conversation.assigned', (d) => d.assigneeId === x.memberId);
    // Status and labels.
    await x.client.post(`/api/v1/conversations/${conv}/status`, { status: 'resolved' });
    expect((await x.sockets.owner.next('conversation.status_changed', ofConversation(conv))).data).toMatchObject({ status: 'resolved', previousStatus: 'open', reason: 'member' });
    await x.client.put(`/api/v1/conversations/${conv}/labels`, { labels: ['vip'] });
    await x.sockets.owner.next('conversation.labels_changed', (d) => (d.labels as string[])[0] === 'vip');
    // A read reaches the reader's own sockets only, with their totals.
    const second = await socketFor(w.t.app, x.user);
    await x.client.post(`/api/v1/conversations/${conv}/read`);
    expect((await second.next('conversation.read', ofConversation(conv))).data.unread).toEqual({ conversations: 0, messages: 0, mine: { conversations: 0, messages: 0 } });
    // A later conversation the agent does see: by its event, the ones above would have come.
    await receive(x.channelA, 'erin', 'later');
    await x.sockets.a.next('message.created', (d) => d.preview === 'later');
    expect(x.sockets.a.events.some((e) => ['conversation.read', 'conversation.status_changed', 'conversation.labels_changed'].includes(e.type))).toBe(false);
  });
});

describe('two server instances on one database', () => {
  it('a message processed by one instance reaches a socket on the other', async () => {
    const x = await twoTeams('Cluster');
    // A second process: its own connection pool and LISTEN on a server; on PGlite (one
    // in-process database) a second app over the same handle.
    const database: DatabaseHandle = testDbKind === 'postgres' ? await openDatabase({ url: w.t.database.url!, poolSize: 2 }) : w.t.database;
    const second = await buildApp({ db: database.db, database, config: w.t.config, logger: createLogger('silent') });
    await second.listen({ port: 0, host: '127.0.0.1' });
    try {
      const there = await socketFor(second, x.a.user);
      await receive(x.channelA, 'dave', 'across processes');
      expect((await there.next('message.created', (d) => d.preview === 'across processes')).data.direction).toBe('in');
      // And back: a change made through the second instance reaches the first's sockets.
      const conv = (await there.next('message.created')).data.conversationId as string;
      const cookie = await sessionCookie(second, x.user.email, x.user.password);
      const csrf = cookie.match(/renmai_csrf=([^;]+)/)![1]!;
      await second.inject({ method: 'PUT', url: `/api/v1/conversations/${conv}/assignee`, headers: { cookie, 'x-csrf-token': csrf }, payload: { memberId: x.a.memberId } });
      await x.sockets.a.next('conversation.assigned', ofConversation(conv));
      await there.close();
    } finally {
      await second.close();
      if (database !== w.t.database) await database.close();
    }
  });
});

describe('presence', () => {
  it('follows console sockets: online on connect, away by choice, offline after the timeout without a socket', async () => {
    const ws = await workspaceWithChannel(w, 'Presence');
    const owner = await socketFor(w.t.app, ws.user);
    const agent = await addMember(w.t, ws.workspace.id, 'agent');
    const agentClient = await agent.login();
    const statusOf = async () => (await ws.client.get('/api/v1/inbox/presence')).json().items.find((p: { memberId: string }) => p.memberId === agent.memberId);
    expect(await statusOf()).toMatchObject({ status: 'offline', chosenStatus: 'online', openConversations: 0 });
    // An API key's socket is an integration, not a person at the console.
    const key = (await agentClient.post('/api/v1/api-keys', { name: 'bot', scopes: ['inbox:read'] })).json().secret as string;
    sockets.push(await openSocket(w.t.app, { authorization: `Bearer ${key}` }));
    const mine = await socketFor(w.t.app, agent.user);
    await owner.next('presence.changed', (d) => d.memberId === agent.memberId && d.status === 'online');
    expect((await statusOf()).status).toBe('online');
    expect((await agentClient.put('/api/v1/inbox/presence', { status: 'away' })).json().presence).toMatchObject({ status: 'away', chosenStatus: 'away' });
    await owner.next('presence.changed', (d) => d.memberId === agent.memberId && d.status === 'away');
    // Not touched for longer than the timeout (a process paused): the worker's sweep says offline...
    const quiet = () => w.t.database.db.updateTable('agent_presence').set({ last_seen_at: new Date(Date.now() - 3_600_000) }).where('member_id', '=', agent.memberId).execute();
    const offline = (n: number) => owner.next('presence.changed', (d) => d.memberId === agent.memberId && d.status === 'offline' && owner.events.filter((e) => e.type === 'presence.changed' && e.data.status === 'offline').length >= n);
    await quiet();
    await sweepAssignments(w.t.database.db, w.t.config.PRESENCE_TIMEOUT_SECONDS);
    await offline(1);
    // ...and the next touch of the process still holding the socket brings them back.
    await touchConnected(w.t.database.db, [{ workspaceId: ws.workspace.id, memberId: agent.memberId }]);
    await owner.next('presence.changed', (d) => d.memberId === agent.memberId && d.status === 'away' && owner.events.filter((e) => e.type === 'presence.changed' && e.data.status === 'away').length >= 2);
    // The socket closes; without another one, the timeout passes.
    await mine.close();
    await quiet();
    await sweepAssignments(w.t.database.db, w.t.config.PRESENCE_TIMEOUT_SECONDS);
    await offline(2);
    expect(await statusOf()).toMatchObject({ status: 'offline', chosenStatus: 'away' });
    expect((await agentClient.put('/api/v1/inbox/presence', { status: 'busy' })).statusCode).toBe(400);
  });
});
