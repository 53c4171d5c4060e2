// SQL of canned responses: the workspace's and each member's own. Scoped to the workspace; a
// member sees the workspace's and their own personal ones.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { withOurs } from './db.js';

const columns = ['id', 'scope', 'owner_member_id', 'shortcut', 'title', 'body', 'created_at', 'updated_at'] as const;

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const visibleTo = (db: Db, workspaceId: string, memberId: string) =>
  withOurs(db)
    .selectFrom('canned_responses')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('scope', '=', 'workspace'), eb('owner_member_id', '=', memberId)]));

/** By shortcut, then id; `q` matches shortcut, title or body. */
export const listCanned = (db: Db, workspaceId: string, memberId: string, f: { q?: string; after?: { shortcut: string; id: string }; limit: number }) =>
  visibleTo(db, workspaceId, memberId)
    .$if(Boolean(f.q), (q) =>
      q.where((eb) => eb.or([eb('shortcut', 'ilike', likePattern(f.q!)), eb('title', 'ilike', likePattern(f.q!)), eb('body', 'ilike', likePattern(f.q!))])),
    )
    .$if(f.after !== undefined, (q) => q.where(sql<boolean>`(shortcut, id) > (${f.after!.shortcut}, ${f.after!.id})`))
    .orderBy('shortcut')
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();

export const findCanned = (db: Db, workspaceId: string, memberId: string, id: string) => visibleTo(db, workspaceId, memberId).where('id', '=', id).executeTakeFirst();

export interface CannedValues {
  shortcut: string;
  title: string;
  body: string;
}

/** Undefined when the shortcut is taken in that scope. */
export const insertCanned = (db: Db, workspaceId: string, v: CannedValues & { scope: 'workspace' | 'personal'; ownerMemberId: string | null; createdBy: string }) =>
  withOurs(db)
    .insertInto('canned_responses')
    .values({ workspace_id: workspaceId, scope: v.scope, owner_member_id: v.ownerMemberId, shortcut: v.shortcut, title: v.title, body: v.body, created_by: v.createdBy })
    .onConflict((oc) => oc.doNothing())
    .returning(columns)
    .executeTakeFirst();

export const updateCanned = (db: Db, workspaceId: string, id: string, v: CannedValues) =>
  withOurs(db)
    .updateTable('canned_responses')
    .set({ shortcut: v.shortcut, title: v.title, body: v.body, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();

export const deleteCanned = (db: Db, workspaceId: string, id: string) =>
  withOurs(db).deleteFrom('canned_responses').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** Whether another response of the same scope (and owner) has the shortcut. */
export const shortcutTaken = async (db: Db, workspaceId: string, v: { scope: 'workspace' | 'personal'; ownerMemberId: string | null; shortcut: string; exceptId: string }) =>
  Boolean(
    await withOurs(db)
      .selectFrom('canned_responses')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('scope', '=', v.scope)
      .where('shortcut', '=', v.shortcut)
      .where('id', '<>', v.exceptId)
      .$if(v.ownerMemberId !== null, (q) => q.where('owner_member_id', '=', v.ownerMemberId!))
      .executeTakeFirst(),
  );
