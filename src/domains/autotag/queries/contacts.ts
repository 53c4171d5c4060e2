// Reads of other domains' tables that rules need: the contacts a tag change touched, what one rule
// run changed on each contact, the live contacts with their owners, names for the timeline, and
// the workspace's time zone (the calendar days of "in the last D days").
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';

/** The contacts a tag change (added, replaced or removed under `sourceRef`) touched. */
export async function contactsOfTagChange(db: Db, workspaceId: string, sourceRef: string): Promise<string[]> {
  const { rows } = await sql<{ contact_id: string }>`
    select contact_id from contact_tags where workspace_id = ${workspaceId} and source_ref = ${sourceRef}
    union
    select contact_id from contact_tag_removals where workspace_id = ${workspaceId} and source_ref = ${sourceRef}`.execute(db);
  return rows.map((r) => r.contact_id);
}

export interface Named {
  id: string;
  name: string | null;
  color: string | null;
}

export interface TagDelta {
  contact_id: string;
  added: Named[];
  removed: Named[];
}

/**
 * Per contact in id order, the tags a change (by its ref) added and took off (single-choice
 * replacements included), with their names as the timeline shows them.
 */
export async function tagDeltas(db: Db, workspaceId: string, sourceRef: string): Promise<TagDelta[]> {
  const { rows } = await sql<TagDelta>`
    select x.contact_id,
           coalesce(jsonb_agg(jsonb_build_object('id', x.tag_id, 'name', t.name, 'color', t.color) order by x.tag_id) filter (where x.added), '[]') as added,
           coalesce(jsonb_agg(jsonb_build_object('id', x.tag_id, 'name', t.name, 'color', t.color) order by x.tag_id) filter (where not x.added), '[]') as removed
    from (
      select contact_id, tag_id, true as added from contact_tags where workspace_id = ${workspaceId} and source_ref = ${sourceRef}
      union all
      select contact_id, tag_id, false from contact_tag_removals where workspace_id = ${workspaceId} and source_ref = ${sourceRef}
    ) x
    left join tags t on t.workspace_id = ${workspaceId} and t.id = x.tag_id
    group by x.contact_id
    order by x.contact_id`.execute(db);
  return rows;
}

export interface LiveContact {
  id: string;
  name: string;
  owner_member_id: string | null;
}

/** The live contacts among `ids`, with their names and owners. */
export async function liveContacts(db: Db, workspaceId: string, ids: readonly string[]): Promise<LiveContact[]> {
  if (!ids.length) return [];
  const { rows } = await sql<LiveContact>`
    select c.id, c.name, c.owner_member_id from contacts c
    where c.workspace_id = ${workspaceId} and c.id = any(${[...ids]}::uuid[]) and c.deleted_at is null
    order by c.id`.execute(db);
  return rows;
}

/** A stage by id, as the timeline shows it. */
export async function namedStage(db: Db, workspaceId: string, id: string): Promise<Named> {
  const { rows } = await sql<Named>`select id, name, color from stages where workspace_id = ${workspaceId} and id = ${id}`.execute(db);
  return rows[0] ?? { id, name: null, color: null };
}

/** Which of the ids are tags / stages of the workspace (rule validation). */
export async function existing(db: Db, workspaceId: string, table: 'tags' | 'stages', ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.selectFrom(table).select('id').where('workspace_id', '=', workspaceId).where('id', 'in', [...ids]).execute();
  return new Set(rows.map((r) => r.id));
}

/** The single-choice group of each tag that has one. */
export async function singleChoiceGroups(db: Db, workspaceId: string, tagIds: readonly string[]): Promise<Map<string, string>> {
  if (!tagIds.length) return new Map();
  const { rows } = await sql<{ id: string; group_id: string }>`
    select t.id, t.group_id from tags t join tag_groups g on g.workspace_id = t.workspace_id and g.id = t.group_id
    where t.workspace_id = ${workspaceId} and t.id = any(${[...tagIds]}::uuid[]) and g.single_choice`.execute(db);
  return new Map(rows.map((r) => [r.id, r.group_id]));
}

export const workspaceTimezone = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('workspaces').select('timezone').where('id', '=', workspaceId).executeTakeFirstOrThrow()).timezone;

/** Live contacts in the workspace (a build's size, inline or as a job). */
export async function countLiveContacts(db: Db, workspaceId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from contacts where workspace_id = ${workspaceId} and deleted_at is null`.execute(db);
  return Number(rows[0]!.n);
}
