// Per-channel visibility through the API: an agent of team A sees the conversations of team A's
// channels (and of channels without a team) and nothing of team B's — in the list, a
// conversation, its messages, search, unread counts and reads; owners see everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTeam } from '../../../test/support/app.js';
import { deliver, inboxWorld, runJobs, SECRET, textEvent, workspaceWithChannel, type InboxWorld } from '../../../test/support/channel-world.js';

let w: InboxWorld;
beforeAll(async () => (w = await inboxWorld()));
afterAll(() => w.close());

describe('per-channel visibility', () => {
  it('an agent of team A never sees team B’s conversations, anywhere', async () => {
    const ws = await workspaceWithChannel(w, 'Teams');
    const a = await addMember(w.t, ws.workspace.id, 'agent');
    const b = await addMember(w.t, ws.workspace.id, 'agent');
    const nobody = await addMember(w.t, ws.workspace.id, 'agent');
    const teamA = await createTeam(w.t, ws.workspace.id, [a.memberId]);
    const teamB = await createTeam(w.t, ws.workspace.id, [b.memberId]);
    const channel = async (name: string, teamId: string | null) =>
      (await ws.client.post('/api/v1/channels', { type: 'api', name, settings: { url: w.provider.url }, secrets: { secret: SECRET }, teamId })).json().channel.id as string;
    const channelA = await channel('A', teamA);
    const channelB = await channel('B', teamB);
    // The first channel has no team: the whole workspace's.
    for (const [ch, who] of [[channelA, 'ann'], [channelB, 'ben'], [ws.channelId, 'all']] as const) await deliver(w.t, ch, [textEvent(who, `refund please, ${who}`)]);
    await runJobs(w.t);
    const all = (await ws.client.get('/api/v1/conversations')).json().items as Array<{ id: string; channelId: string }>;
    const idOf = (ch: string) => all.find((c) => c.channelId === ch)!.id;
    const [convA, convB, convAll] = [idOf(channelA), idOf(channelB), idOf(ws.channelId)];

    const agent = await a.login();
    const ids = async (path: string) => (await agent.get(path)).json().items.map((i: { id: string; conversationId?: string }) => i.conversationId ?? i.id).sort();
    expect(await ids('/api/v1/conversations')).toEqual([convA, convAll].sort());
    expect(await ids(`/api/v1/conversations?channelId=${channelB}`)).toEqual([]);
    expect(await ids('/api/v1/inbox/search?q=refund')).toEqual([convA, convAll].sort());
    expect((await agent.get('/api/v1/inbox/unread')).json()).toMatchObject({ conversations: 2, messages: 2 });
    for (const path of [`/conversations/${convB}`, `/conversations/${convB}/messages`]) expect((await agent.get(`/api/v1${path}`)).statusCode).toBe(404);
    for (const [path, body] of [['read', {}], ['notes', { text: 'x' }], ['messages', { text: 'x' }], ['transfer', { teamId: teamA }]] as const) {
      expect((await agent.post(`/api/v1/conversations/${convB}/${path}`, body)).statusCode, path).toBe(404);
    }
    // Without a team, only the workspace's own channel; the owner sees all three.
    const loner = await nobody.login();
    expect((await loner.get('/api/v1/conversations')).json().items.map((c: { id: string }) => c.id)).toEqual([convAll]);
    expect(all).toHaveLength(3);
    // Assigned to the agent, a conversation of another team is theirs to see, and no longer
    // team B's agent's (their data scope is their own conversations).
    await ws.client.put(`/api/v1/conversations/${convB}/assignee`, { memberId: a.memberId });
    expect((await agent.get(`/api/v1/conversations/${convB}`)).statusCode).toBe(200);
    expect((await (await b.login()).get(`/api/v1/conversations/${convB}`)).statusCode).toBe(404);
  });
});
