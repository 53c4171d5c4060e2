// A note's @mentions become notifications of the members named, through the real outbox event
// the inbox records and the handler as the worker runs it; a deactivated member gets none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../platform/db/transaction.js';
import { handleEvents, type DomainEvent, type EventType } from '../../platform/events/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { addMember } from '../../../test/support/app.js';
import { deliver, inboxWorld, runJobs, textEvent, workspaceWithChannel, type InboxWorld } from '../../../test/support/channel-world.js';
import { mentionsHandler } from './on-mentions.js';

let w: InboxWorld;
beforeAll(async () => (w = await inboxWorld()));
afterAll(() => w.close());

const db = () => w.t.database.db;

async function mentionEvents(workspaceId: string): Promise<DomainEvent[]> {
  const rows = await db().selectFrom('outbox_events').select(['id', 'type', 'payload', 'occurred_at']).where('workspace_id', '=', workspaceId).where('type', '=', 'inbox.member.mentioned').orderBy('id').execute();
  return rows.map((e) => ({ id: Number(e.id), workspaceId, type: e.type as EventType, payload: e.payload, occurredAt: e.occurred_at.toISOString() }));
}

const handle = (event: DomainEvent) => inTransaction(db(), (tx) => handleEvents(mentionsHandler, { tx, logger: silentLogger, attempt: 1 }, [event]));

describe('mention notifications', () => {
  it('each member named in a note finds a notification linking to the conversation; a deactivated one does not', async () => {
    const ws = await workspaceWithChannel(w, 'Mentions');
    await deliver(w.t, ws.channelId, [textEvent({ id: 'u-m1', name: '韩梅梅' }, 'where is my parcel?')]);
    await runJobs(w.t);
    const conversationId = (await ws.client.get('/api/v1/conversations')).json().items[0].id as string;
    const agent = await addMember(w.t, ws.workspace.id, 'agent');
    const leaver = await addMember(w.t, ws.workspace.id, 'agent');
    const bystander = await addMember(w.t, ws.workspace.id, 'agent');
    const res = await ws.client.post(`/api/v1/conversations/${conversationId}/notes`, { text: '@agent please call her back', mentions: [agent.memberId, leaver.memberId] });
    expect(res.statusCode).toBe(201);
    await db().updateTable('members').set({ status: 'deactivated' }).where('workspace_id', '=', ws.workspace.id).where('id', '=', leaver.memberId).execute();

    const [event] = await mentionEvents(ws.workspace.id);
    await handle(event!);

    const agentClient = await agent.login();
    const list = (await agentClient.get('/api/v1/notifications')).json().items;
    expect(list).toEqual([expect.objectContaining({ kind: 'mention', title: 'Mentioned in a conversation with 韩梅梅', body: '@agent please call her back', link: `/inbox/${conversationId}`, readAt: null })]);
    expect((await agentClient.get('/api/v1/notifications/unread-count')).json()).toEqual({ count: 1 });
    expect((await (await bystander.login()).get('/api/v1/notifications')).json().items).toEqual([]);
    const forLeaver = await db().selectFrom('notifications').select('id').where('workspace_id', '=', ws.workspace.id).where('member_id', '=', leaver.memberId).execute();
    expect(forLeaver).toEqual([]);
  });

  it('a member id of another workspace in the payload notifies nobody there', async () => {
    const a = await workspaceWithChannel(w, 'Mentions A');
    const b = await workspaceWithChannel(w, 'Mentions B');
    const outsider = await addMember(w.t, b.workspace.id, 'agent');
    await handle({ id: 0, workspaceId: a.workspace.id, type: 'inbox.member.mentioned', payload: { memberIds: [outsider.memberId], title: 'x', excerpt: 'y', link: '/inbox/z' }, occurredAt: new Date().toISOString() });
    const rows = await db().selectFrom('notifications').select('id').where('member_id', '=', outsider.memberId).execute();
    expect(rows).toEqual([]);
  });
});
