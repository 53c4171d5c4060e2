import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { afterNewestFirst } from '../../platform/http/pagination.js';

/**
 * Tasks with their contact and assignee names. `visible` is the caller's predicate over
 * `tasks t` and `contacts c` (tasks of contacts they see, or assigned to them).
 */
const tasks = (db: Db, workspaceId: string, visible: Expression<SqlBool>) =>
  db
    .selectFrom('tasks as t')
    .innerJoin('contacts as c', (j) => j.onRef('c.workspace_id', '=', 't.workspace_id').onRef('c.id', '=', 't.contact_id'))
    .leftJoin('members as m', (j) => j.onRef('m.workspace_id', '=', 't.workspace_id').onRef('m.id', '=', 't.assignee_member_id'))
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .select(['t.id', 't.contact_id', 'c.name as contact_name', 't.title', 't.notes', 't.due_at', 't.remind_at', 't.reminded_at', 't.status', 't.done_at'])
    .select(['t.assignee_member_id', 'u.name as assignee_name', 't.created_by', 't.created_at'])
    .where('t.workspace_id', '=', workspaceId)
    .where(visible);

export type TaskRow = Awaited<ReturnType<ReturnType<typeof tasks>['executeTakeFirstOrThrow']>>;

export interface TaskFilter {
  assigneeId?: string;
  status?: 'open' | 'done';
  contactId?: string;
  cursor?: string;
  limit: number;
}

/** Newest first (keyset on created_at, id). */
export const listTasks = (db: Db, workspaceId: string, visible: Expression<SqlBool>, f: TaskFilter) => {
  const after = afterNewestFirst('t.created_at', 't.id', f.cursor);
  return tasks(db, workspaceId, visible)
    .$if(Boolean(f.assigneeId), (q) => q.where('t.assignee_member_id', '=', f.assigneeId!))
    .$if(Boolean(f.status), (q) => q.where('t.status', '=', f.status!))
    .$if(Boolean(f.contactId), (q) => q.where('t.contact_id', '=', f.contactId!))
    .$if(Boolean(after), (q) => q.where(after!))
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(f.limit + 1)
    .execute();
};

export const findTask = (db: Db, workspaceId: string, visible: Expression<SqlBool>, id: string) => tasks(db, workspaceId, visible).where('t.id', '=', id).executeTakeFirst();

export const insertTask = (
  db: Db,
  workspaceId: string,
  task: { contactId: string; title: string; notes: string | null; dueAt: Date | null; remindAt: Date | null; assigneeId: string; createdBy: string | null },
) =>
  db
    .insertInto('tasks')
    .values({
      workspace_id: workspaceId,
      contact_id: task.contactId,
      title: task.title,
      notes: task.notes,
      due_at: task.dueAt,
      remind_at: task.remindAt,
      assignee_member_id: task.assigneeId,
      created_by: task.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export interface TaskPatch {
  title?: string;
  notes?: string | null;
  due_at?: Date | null;
  remind_at?: Date | null;
  assignee_member_id?: string;
  status?: 'open' | 'done';
}

/** A new reminder time re-arms the reminder; done stamps done_at, reopening clears it. */
export const updateTask = async (db: Db, workspaceId: string, id: string, patch: TaskPatch) => {
  if (Object.values(patch).every((v) => v === undefined)) return;
  await db
    .updateTable('tasks')
    .set({
      ...patch,
      ...(patch.remind_at !== undefined ? { reminded_at: null } : {}),
      ...(patch.status === 'done' ? { done_at: sql<Date>`coalesce(done_at, now())` } : patch.status === 'open' ? { done_at: null } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
};

export const deleteTask = (db: Db, workspaceId: string, id: string) => db.deleteFrom('tasks').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** Whether `memberId` is an active member of the workspace (a task's assignee must be). */
export const isActiveMember = async (db: Db, workspaceId: string, memberId: string) =>
  Boolean(await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', '=', memberId).where('status', '=', 'active').executeTakeFirst());
