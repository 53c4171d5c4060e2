import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { deliverDueReminders } from './notifications.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const db = () => t.database.db;
const insertContact = async (workspaceId: string, ownerId: string | null, name = 'Wang Fang') =>
  (await db().insertInto('contacts').values({ workspace_id: workspaceId, name, owner_member_id: ownerId, custom: '{}' }).returning('id').executeTakeFirstOrThrow()).id;
const past = () => new Date(Date.now() - 60_000).toISOString();

const notificationsOf = (workspaceId: string, memberId?: string) =>
  db()
    .selectFrom('notifications')
    .select(['member_id', 'kind', 'title', 'body', 'link'])
    .where('workspace_id', '=', workspaceId)
    .$if(Boolean(memberId), (q) => q.where('member_id', '=', memberId!))
    .execute();

describe('tasks', () => {
  it('creates, filters, completes, reassigns and deletes', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    const contact = await insertContact(w.workspace.id, w.memberId);
    const created = await w.client.post(`/api/v1/contacts/${contact}/tasks`, { title: 'Call back', notes: 'About the quote', dueAt: '2026-12-01T10:00:00.000Z' });
    expect(created.statusCode).toBe(201);
    const task = created.json().task;
    expect(task).toMatchObject({
      title: 'Call back',
      notes: 'About the quote',
      dueAt: '2026-12-01T10:00:00.000Z',
      remindAt: null,
      status: 'open',
      contactId: contact,
      contact: { id: contact, name: 'Wang Fang' },
      assigneeId: w.memberId,
      assignee: { id: w.memberId, name: w.user.name },
      createdBy: w.memberId,
    });
    const forAgent = (await w.client.post(`/api/v1/contacts/${contact}/tasks`, { title: 'Visit', assigneeId: agent.memberId })).json().task;

    const ids = async (query: string) => (await w.client.get(`/api/v1/tasks${query}`)).json().items.map((x: { id: string }) => x.id);
    expect(await ids('')).toEqual([forAgent.id, task.id]);
    expect(await ids('?assignee=me')).toEqual([task.id]);
    expect(await ids(`?assignee=${agent.memberId}&contactId=${contact}`)).toEqual([forAgent.id]);

    const done = await w.client.patch(`/api/v1/tasks/${task.id}`, { status: 'done' });
    expect(done.json().task).toMatchObject({ status: 'done', doneAt: expect.any(String) });
    expect(await ids('?status=open')).toEqual([forAgent.id]);
    expect((await w.client.patch(`/api/v1/tasks/${task.id}`, { status: 'open' })).json().task.doneAt).toBeNull();

    const outsider = await signedInOwner(t, 'Elsewhere');
    const bad = await w.client.patch(`/api/v1/tasks/${task.id}`, { assigneeId: outsider.memberId });
    expect(bad.statusCode).toBe(404);
    expect((await w.client.post(`/api/v1/contacts/${contact}/tasks`, { title: 'x', assigneeId: outsider.memberId })).statusCode).toBe(404);
    expect((await w.client.post(`/api/v1/contacts/${contact}/tasks`, { title: '' })).json().errors[0].path).toBe('title');

    expect((await w.client.delete(`/api/v1/tasks/${task.id}`)).statusCode).toBe(204);
    expect((await w.client.delete(`/api/v1/tasks/${task.id}`)).statusCode).toBe(404);
  });

  it('an agent sees tasks of their contacts and tasks assigned to them, and gets 404 for the rest', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    const client = await agent.login();
    const theirs = await insertContact(w.workspace.id, w.memberId);
    const ownerTask = (await w.client.post(`/api/v1/contacts/${theirs}/tasks`, { title: 'Owner only' })).json().task.id;
    const assigned = (await w.client.post(`/api/v1/contacts/${theirs}/tasks`, { title: 'For the agent', assigneeId: agent.memberId })).json().task.id;

    expect((await client.post(`/api/v1/contacts/${theirs}/tasks`, { title: 'x' })).statusCode).toBe(404);
    expect((await client.patch(`/api/v1/tasks/${ownerTask}`, { title: 'x' })).statusCode).toBe(404);
    expect((await client.delete(`/api/v1/tasks/${ownerTask}`)).statusCode).toBe(404);
    expect((await client.get('/api/v1/tasks')).json().items.map((x: { id: string }) => x.id)).toEqual([assigned]);
    expect((await client.patch(`/api/v1/tasks/${assigned}`, { status: 'done' })).statusCode).toBe(200);
  });
});

describe('reminders and notifications', () => {
  it('a due reminder becomes exactly one notification for the assignee; never for a done or future task', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    const contact = await insertContact(w.workspace.id, w.memberId, 'Zhao Lei');
    const due = (await w.client.post(`/api/v1/contacts/${contact}/tasks`, { title: 'Send the offer', remindAt: past(), assigneeId: agent.memberId })).json().task;
    const doneTask = (await w.client.post(`/api/v1/contacts/${contact}/tasks`, { title: 'Done already', remindAt: past() })).json().task;
    await w.client.patch(`/api/v1/tasks/${doneTask.id}`, { status: 'done' });
    await w.client.post(`/api/v1/contacts/${contact}/tasks`, { title: 'Later', remindAt: new Date(Date.now() + 3_600_000).toISOString() });

    await deliverDueReminders(db());
    await deliverDueReminders(db());
    expect(await notificationsOf(w.workspace.id)).toEqual([
      { member_id: agent.memberId, kind: 'task_reminder', title: 'Send the offer', body: 'Zhao Lei', link: `/contacts/${contact}` },
    ]);

    // A new reminder time re-arms the reminder.
    await w.client.patch(`/api/v1/tasks/${due.id}`, { remindAt: past() });
    await deliverDueReminders(db());
    expect(await notificationsOf(w.workspace.id, agent.memberId)).toHaveLength(2);
  });

  it('two concurrent sweeps send each reminder once', async () => {
    const w = await signedInOwner(t);
    const contact = await insertContact(w.workspace.id, w.memberId);
    await sql`insert into tasks (workspace_id, contact_id, title, remind_at, assignee_member_id)
              select ${w.workspace.id}::uuid, ${contact}::uuid, 'task ' || i, now() - interval '1 minute', ${w.memberId}::uuid
              from generate_series(1, 60) i`.execute(db());
    const sent = await Promise.all([deliverDueReminders(db(), 7), deliverDueReminders(db(), 7), deliverDueReminders(db(), 11)]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(60);
    const rows = await notificationsOf(w.workspace.id);
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.title)).size).toBe(60);
  });

  it('each member reads and marks only their own notifications', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    const client = await agent.login();
    const ws = w.workspace.id;
    const inserted = await db()
      .insertInto('notifications')
      .values([
        { workspace_id: ws, member_id: w.memberId, kind: 'task_reminder', title: 'one', link: '/contacts/x' },
        { workspace_id: ws, member_id: w.memberId, kind: 'task_reminder', title: 'two' },
        { workspace_id: ws, member_id: agent.memberId, kind: 'task_reminder', title: 'agent' },
      ])
      .returning(['id', 'title'])
      .execute();
    const [one, , agentOne] = inserted;
    expect((await w.client.get('/api/v1/notifications/unread-count')).json()).toEqual({ count: 2 });
    const list = (await w.client.get('/api/v1/notifications')).json();
    expect(list.items.map((n: { title: string }) => n.title).sort()).toEqual(['one', 'two']);
    expect(list.items.find((n: { title: string }) => n.title === 'one')).toEqual({
      id: one!.id,
      kind: 'task_reminder',
      title: 'one',
      body: null,
      link: '/contacts/x',
      readAt: null,
      createdAt: expect.any(String),
    });

    const read = await w.client.post(`/api/v1/notifications/${one!.id}/read`);
    expect(read.json().notification.readAt).toEqual(expect.any(String));
    expect((await w.client.get('/api/v1/notifications?unread=true')).json().items.map((n: { title: string }) => n.title)).toEqual(['two']);
    expect((await w.client.post(`/api/v1/notifications/${agentOne!.id}/read`)).statusCode).toBe(404);
    expect((await w.client.post('/api/v1/notifications/read-all')).json()).toEqual({ updated: 1 });
    expect((await w.client.get('/api/v1/notifications/unread-count')).json()).toEqual({ count: 0 });
    expect((await client.get('/api/v1/notifications/unread-count')).json()).toEqual({ count: 1 });
  });
});
