// Follow-up tasks on contacts. A member sees the tasks of contacts they can see, and the tasks
// assigned to them; the assignee is an active member of the workspace.
import { sql, type SqlBool } from 'kysely';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { notFound } from '../../platform/http/errors.js';
import { toPage } from '../../platform/http/pagination.js';
import { requireVisibleContact, visibleContact } from '../contacts/index.js';
import * as store from './tasks-store.js';

const visibleTask = (actor: Actor) => sql<SqlBool>`(${visibleContact(actor, 'c')} or (c.deleted_at is null and t.assignee_member_id = ${actor.memberId}))`;

const toTask = (r: store.TaskRow) => ({
  id: r.id,
  title: r.title,
  notes: r.notes,
  dueAt: r.due_at,
  remindAt: r.remind_at,
  remindedAt: r.reminded_at,
  status: r.status,
  doneAt: r.done_at,
  contactId: r.contact_id,
  contact: { id: r.contact_id, name: r.contact_name },
  assigneeId: r.assignee_member_id,
  assignee: { id: r.assignee_member_id, name: r.assignee_name ?? '' },
  createdBy: r.created_by,
  createdAt: r.created_at,
});
export type Task = ReturnType<typeof toTask>;

export async function listTasks(db: Db, actor: Actor, filter: { assignee?: string; status?: 'open' | 'done'; contactId?: string; cursor?: string; limit: number }) {
  requireAccess(actor, 'contacts:read');
  const assigneeId = filter.assignee === 'me' ? actor.memberId : filter.assignee;
  const rows = await store.listTasks(db, actor.workspaceId, visibleTask(actor), { ...filter, assigneeId });
  return toPage(rows, filter.limit, (r) => [r.created_at.toISOString(), r.id], toTask);
}

async function requireAssignee(db: Db, workspaceId: string, memberId: string) {
  if (!(await store.isActiveMember(db, workspaceId, memberId))) throw notFound('Member');
}

export async function createTask(
  db: Db,
  actor: Actor,
  contactId: string,
  input: { title: string; notes?: string | null; dueAt?: Date | null; remindAt?: Date | null; assigneeId?: string },
) {
  requireAccess(actor, 'contacts:write');
  return inTransaction(db, async (tx) => {
    await requireVisibleContact(tx, actor, contactId);
    const assigneeId = input.assigneeId ?? actor.memberId;
    await requireAssignee(tx, actor.workspaceId, assigneeId);
    const { id } = await store.insertTask(tx, actor.workspaceId, {
      contactId,
      title: input.title,
      notes: input.notes ?? null,
      dueAt: input.dueAt ?? null,
      remindAt: input.remindAt ?? null,
      assigneeId,
      createdBy: actor.memberId,
    });
    return toTask((await store.findTask(tx, actor.workspaceId, sql<SqlBool>`true`, id))!);
  });
}

export async function updateTask(
  db: Db,
  actor: Actor,
  id: string,
  patch: { title?: string; notes?: string | null; dueAt?: Date | null; remindAt?: Date | null; assigneeId?: string; status?: 'open' | 'done' },
) {
  requireAccess(actor, 'contacts:write');
  return inTransaction(db, async (tx) => {
    if (!(await store.findTask(tx, actor.workspaceId, visibleTask(actor), id))) throw notFound('Task');
    if (patch.assigneeId) await requireAssignee(tx, actor.workspaceId, patch.assigneeId);
    await store.updateTask(tx, actor.workspaceId, id, {
      title: patch.title,
      notes: patch.notes,
      due_at: patch.dueAt,
      remind_at: patch.remindAt,
      assignee_member_id: patch.assigneeId,
      status: patch.status,
    });
    return toTask((await store.findTask(tx, actor.workspaceId, sql<SqlBool>`true`, id))!);
  });
}

export async function deleteTask(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'contacts:write');
  await inTransaction(db, async (tx) => {
    if (!(await store.findTask(tx, actor.workspaceId, visibleTask(actor), id))) throw notFound('Task');
    await store.deleteTask(tx, actor.workspaceId, id);
  });
}
