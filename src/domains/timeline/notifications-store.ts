import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { afterNewestFirst } from '../../platform/http/pagination.js';

const columns = ['id', 'kind', 'title', 'body', 'link', 'read_at', 'created_at'] as const;

export const listNotifications = (db: Db, workspaceId: string, memberId: string, f: { unread?: boolean; cursor?: string; limit: number }) => {
  const after = afterNewestFirst('created_at', 'id', f.cursor);
  return db
    .selectFrom('notifications')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .where('member_id', '=', memberId)
    .$if(Boolean(f.unread), (q) => q.where('read_at', 'is', null))
    .$if(Boolean(after), (q) => q.where(after!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
};

export type NotificationRow = Awaited<ReturnType<typeof listNotifications>>[number];

export const countUnread = async (db: Db, workspaceId: string, memberId: string) =>
  Number(
    (
      await db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('member_id', '=', memberId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Marks one of the member's notifications read (keeping the first read time); undefined if not theirs. */
export const markRead = (db: Db, workspaceId: string, memberId: string, id: string) =>
  db
    .updateTable('notifications')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('workspace_id', '=', workspaceId)
    .where('member_id', '=', memberId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();

export const markAllRead = async (db: Db, workspaceId: string, memberId: string) =>
  Number(
    (
      await db
        .updateTable('notifications')
        .set({ read_at: sql<Date>`now()` })
        .where('workspace_id', '=', workspaceId)
        .where('member_id', '=', memberId)
        .where('read_at', 'is', null)
        .executeTakeFirst()
    ).numUpdatedRows,
  );

/**
 * The reminder sweep, across workspaces (it walks the global tasks_reminders_due index): claims
 * up to `batch` due reminders of open tasks (SKIP LOCKED, so concurrent sweeps in several workers
 * take disjoint rows), marks them reminded and inserts one notification per task for its
 * assignee, all in one statement — a reminder is never sent twice. Tasks of deleted contacts are
 * marked but not notified.
 */
export async function sweepDueReminders(db: Db, batch: number) {
  const { rows } = await sql<{ marked: number; notified: number }>`
    with due as (
      select t.workspace_id, t.id from tasks t
      where t.remind_at <= now() and t.reminded_at is null and t.status = 'open' and t.remind_at is not null
      order by t.remind_at
      limit ${batch}
      for update skip locked
    ),
    marked as (
      update tasks t set reminded_at = now()
      from due
      where t.workspace_id = due.workspace_id and t.id = due.id and t.reminded_at is null
      returning t.workspace_id, t.id, t.contact_id, t.title, t.due_at, t.assignee_member_id
    ),
    notified as (
      insert into notifications (workspace_id, member_id, kind, title, body, link)
      select m.workspace_id, m.assignee_member_id, 'task_reminder', m.title, c.name, '/contacts/' || m.contact_id
      from marked m
      join contacts c on c.workspace_id = m.workspace_id and c.id = m.contact_id
      where c.deleted_at is null
      returning 1
    )
    select (select count(*) from marked)::int as marked, (select count(*) from notified)::int as notified`.execute(db);
  return { marked: Number(rows[0]?.marked ?? 0), notified: Number(rows[0]?.notified ?? 0) };
}

/** One notification of `kind` for each of these members still active in the workspace. */
export const insertNotifications = (db: Db, workspaceId: string, memberIds: string[], n: { kind: string; title: string; body: string | null; link: string | null }) =>
  db
    .insertInto('notifications')
    .columns(['workspace_id', 'member_id', 'kind', 'title', 'body', 'link'])
    .expression((eb) =>
      eb
        .selectFrom('members')
        .select([
          'workspace_id',
          'id',
          sql<string>`${n.kind}::text`.as('kind'),
          sql<string>`${n.title}::text`.as('title'),
          sql<string | null>`${n.body}::text`.as('body'),
          sql<string | null>`${n.link}::text`.as('link'),
        ])
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', memberIds)
        .where('status', '=', 'active'),
    )
    .returning(['id', 'member_id'])
    .execute();

/** One `mention` notification for each of these members still active in the workspace. */
export const insertMentionNotifications = (db: Db, workspaceId: string, memberIds: string[], n: { title: string; body: string | null; link: string | null }) =>
  insertNotifications(db, workspaceId, memberIds, { kind: 'mention', ...n });
