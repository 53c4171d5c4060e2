import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

const views = (db: Db, workspaceId: string) =>
  db
    .selectFrom('saved_views as v')
    .innerJoin('members as m', (j) => j.onRef('m.workspace_id', '=', 'v.workspace_id').onRef('m.id', '=', 'v.owner_member_id'))
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['v.id', 'v.owner_member_id', 'u.name as owner_name', 'v.name', 'v.filter', 'v.sort', 'v.columns', 'v.shared', 'v.created_at'])
    .where('v.workspace_id', '=', workspaceId);

/** The member's own views and everyone's shared ones, mine first, then by name. */
export const listViews = (db: Db, workspaceId: string, memberId: string, cap: number) =>
  views(db, workspaceId)
    .where((eb) => eb.or([eb('v.owner_member_id', '=', memberId), eb('v.shared', '=', true)]))
    .orderBy(sql`v.owner_member_id = ${memberId}`, 'desc')
    .orderBy(sql`lower(v.name)`)
    .orderBy('v.id')
    .limit(cap)
    .execute();

/** A view the member may see (own or shared). */
export const findView = (db: Db, workspaceId: string, memberId: string, id: string) =>
  views(db, workspaceId)
    .where('v.id', '=', id)
    .where((eb) => eb.or([eb('v.owner_member_id', '=', memberId), eb('v.shared', '=', true)]))
    .executeTakeFirst();

export const countOwnViews = async (db: Db, workspaceId: string, memberId: string) =>
  (
    await db
      .selectFrom('saved_views')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('owner_member_id', '=', memberId)
      .executeTakeFirstOrThrow()
  ).n;

export interface ViewColumns {
  name?: string;
  filter?: Record<string, unknown>;
  sort?: Record<string, unknown> | null;
  columns?: string[];
  shared?: boolean;
}

const encode = (v: ViewColumns) => ({
  ...(v.name !== undefined ? { name: v.name } : {}),
  ...(v.filter !== undefined ? { filter: JSON.stringify(v.filter) } : {}),
  ...(v.sort !== undefined ? { sort: v.sort === null ? null : JSON.stringify(v.sort) } : {}),
  ...(v.columns !== undefined ? { columns: v.columns } : {}),
  ...(v.shared !== undefined ? { shared: v.shared } : {}),
});

export const insertView = (db: Db, workspaceId: string, memberId: string, v: Required<Pick<ViewColumns, 'name' | 'filter'>> & ViewColumns) =>
  db
    .insertInto('saved_views')
    .values({ workspace_id: workspaceId, owner_member_id: memberId, name: v.name, filter: JSON.stringify(v.filter), ...encode(v) })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateView = (db: Db, workspaceId: string, id: string, v: ViewColumns) =>
  db.updateTable('saved_views').set(encode(v)).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const deleteView = (db: Db, workspaceId: string, id: string) =>
  db.deleteFrom('saved_views').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
