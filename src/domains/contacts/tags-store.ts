// SQL for tag groups, tags and the tags on contacts. Tagging works on sets: one statement tags
// one contact or 200,000, respecting single-choice groups.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { TagSource } from './tables.js';

/** Group list size is capped at creation; the settings page shows every group with its tags. */
export const listTagGroups = (db: Db, workspaceId: string, cap: number) =>
  db
    .selectFrom('tag_groups')
    .select(['id', 'name', 'single_choice', 'position', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .orderBy('id')
    .limit(cap)
    .execute();

/** The workspace's tags; `groupIds` or `ids` narrow them. */
export const listTags = (db: Db, workspaceId: string, filter: { groupIds?: readonly string[]; ids?: readonly string[] } = {}) =>
  db
    .selectFrom('tags as t')
    .select(['t.id', 't.group_id', 't.name', 't.color', 't.created_at'])
    .where('t.workspace_id', '=', workspaceId)
    .$if(Boolean(filter.groupIds), (q) => q.where('t.group_id', 'in', [...filter.groupIds!]))
    .$if(Boolean(filter.ids), (q) => q.where('t.id', 'in', [...filter.ids!]))
    .orderBy('t.created_at')
    .orderBy('t.id')
    .execute();

/**
 * How many contacts matching `visible` (a predicate on `contacts c`: the caller's scope) carry each
 * tag — all tags in one pass over the tag sets, or only `tagIds` through the sets' GIN index.
 */
export async function countContactsByTag(db: Db, workspaceId: string, visible: Expression<SqlBool>, tagIds?: readonly string[]) {
  const { rows } = await sql<{ tag_id: string; n: number }>`
    select t.tag_id, count(*)::int as n
    from contact_tag_sets ts
    join contacts c on c.workspace_id = ts.workspace_id and c.id = ts.contact_id
    cross join lateral unnest(ts.tag_ids) as t(tag_id)
    where ts.workspace_id = ${workspaceId} and ${visible} ${tagIds ? sql`and ts.tag_ids && ${sql.val([...tagIds])}::uuid[]` : sql``}
    group by t.tag_id`.execute(db);
  return new Map(rows.map((r) => [r.tag_id, r.n]));
}

export const findTagGroup = (db: Db, workspaceId: string, id: string) =>
  db
    .selectFrom('tag_groups')
    .select(['id', 'name', 'single_choice', 'position', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();

export const countTagGroups = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('tag_groups').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n;

export const insertTagGroup = (db: Db, workspaceId: string, group: { name: string; singleChoice: boolean }) =>
  db
    .insertInto('tag_groups')
    .values({
      workspace_id: workspaceId,
      name: group.name,
      single_choice: group.singleChoice,
      position: sql<number>`(select coalesce(max(position), -1) + 1 from tag_groups where workspace_id = ${workspaceId})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateTagGroup = (db: Db, workspaceId: string, id: string, patch: { name?: string; single_choice?: boolean }) =>
  db.updateTable('tag_groups').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const deleteTagGroup = (db: Db, workspaceId: string, id: string) =>
  db.deleteFrom('tag_groups').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** Whether some contact carries more than one tag of the group (blocks making it single-choice). */
export const groupHasMultiTagged = async (db: Db, workspaceId: string, groupId: string) => {
  const { rows } = await sql<{ found: boolean }>`
    select exists (
      select 1 from contact_tags ct
      join tags t on t.workspace_id = ct.workspace_id and t.id = ct.tag_id
      where ct.workspace_id = ${workspaceId} and t.group_id = ${groupId}
      group by ct.contact_id having count(*) > 1
    ) as found`.execute(db);
  return Boolean(rows[0]?.found);
};

export const findTag = (db: Db, workspaceId: string, id: string) =>
  db.selectFrom('tags').select(['id', 'group_id', 'name', 'color', 'created_at']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const insertTag = (db: Db, workspaceId: string, tag: { groupId: string; name: string; color?: string }) =>
  db
    .insertInto('tags')
    .values({ workspace_id: workspaceId, group_id: tag.groupId, name: tag.name, ...(tag.color ? { color: tag.color } : {}) })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateTag = (db: Db, workspaceId: string, id: string, patch: { name?: string; color?: string }) =>
  db.updateTable('tags').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const deleteTag = (db: Db, workspaceId: string, id: string) => db.deleteFrom('tags').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** The requested tags that exist, with their group's single-choice flag, in request order. */
export const tagsWithGroups = async (db: Db, workspaceId: string, tagIds: readonly string[]) =>
  tagIds.length
    ? (
        await sql<{ id: string; name: string; group_id: string; single_choice: boolean }>`
          select t.id, t.name, t.group_id, g.single_choice
          from unnest(${[...tagIds]}::uuid[]) with ordinality as r(id, ord)
          join tags t on t.workspace_id = ${workspaceId} and t.id = r.id
          join tag_groups g on g.workspace_id = t.workspace_id and g.id = t.group_id
          order by r.ord`.execute(db)
      ).rows
    : [];

/** The tags on one contact, with how and when each came. */
export const listContactTags = (db: Db, workspaceId: string, contactId: string) =>
  db
    .selectFrom('contact_tags as ct')
    .innerJoin('tags as t', (j) => j.onRef('t.workspace_id', '=', 'ct.workspace_id').onRef('t.id', '=', 'ct.tag_id'))
    .select(['t.id', 't.name', 't.color', 't.group_id', 'ct.source', 'ct.added_by', 'ct.added_at'])
    .where('ct.workspace_id', '=', workspaceId)
    .where('ct.contact_id', '=', contactId)
    .orderBy('ct.added_at')
    .orderBy('t.id')
    .execute();

/**
 * A set of contacts: explicit ids, or a query selecting one column of contact ids of the same
 * workspace (a filter evaluated inside the statement, so 200,000 ids never travel).
 */
export type ContactSet = { contactIds: readonly string[] } | { query: Expression<unknown> | RawBuilder<unknown> };

/** Live contacts of the workspace in `set`, as a predicate on `contacts c`. */
const inSet = (set: ContactSet) => ('contactIds' in set ? sql`c.id = any(${[...set.contactIds]}::uuid[])` : sql`c.id in (${set.query})`);

/**
 * Locks the live contacts of the set in id order, so two changes to one single-choice group on
 * the same contacts run one after the other (the second then sees and replaces the first's tag).
 */
export const lockContacts = (db: Db, workspaceId: string, set: ContactSet) =>
  sql`select count(*) from (select c.id from contacts c
        where c.workspace_id = ${workspaceId} and c.deleted_at is null and ${inSet(set)}
        order by c.id for no key update) locked`.execute(db);

type TagChange = { source: TagSource; sourceRef: string; memberId: string | null };

/**
 * Adds the (contact, tag) pairs that `pairs` selects — columns contact_id, tag_id, group_id,
 * single_choice, live contacts only — in one statement. For a single-choice tag the contact's other
 * tag of that group is removed and logged in contact_tag_removals under the ref. Existing
 * assignments keep their source. Returns how many assignments were added and replaced, and the
 * contacts that changed (events name them, so readers need not look the ref up).
 */
async function applyTagPairs(db: Db, workspaceId: string, pairs: RawBuilder<unknown>, change: TagChange) {
  const { rows } = await sql<{ added: number; replaced: number; contact_ids: string[] }>`
    with pair as (${pairs}),
    replaced as (
      delete from contact_tags ct
      using pair p, tags other
      where p.single_choice and ct.workspace_id = ${workspaceId} and ct.contact_id = p.contact_id and ct.tag_id <> p.tag_id
        and other.workspace_id = ct.workspace_id and other.id = ct.tag_id and other.group_id = p.group_id
      returning ct.contact_id, ct.tag_id
    ),
    logged as (
      insert into contact_tag_removals (workspace_id, source_ref, contact_id, tag_id, removed_by)
      select ${workspaceId}::uuid, ${change.sourceRef}, r.contact_id, r.tag_id, ${change.memberId}::uuid from replaced r
      on conflict do nothing
    ),
    added as (
      insert into contact_tags (workspace_id, contact_id, tag_id, source, source_ref, added_by)
      select ${workspaceId}::uuid, p.contact_id, p.tag_id, ${change.source}, ${change.sourceRef}, ${change.memberId}::uuid
      from pair p
      on conflict do nothing
      returning contact_id
    )
    select (select count(*) from added)::int as added, (select count(*) from replaced)::int as replaced,
           array(select contact_id from added union select contact_id from replaced) as contact_ids`.execute(db);
  return { added: Number(rows[0]?.added ?? 0), replaced: Number(rows[0]?.replaced ?? 0), contactIds: rows[0]?.contact_ids ?? [] };
}

/** Adds `tagIds` (existing tags; one per single-choice group) to every live contact of the set. */
export const insertTagsForSet = (db: Db, workspaceId: string, set: ContactSet, tagIds: readonly string[], change: TagChange) =>
  applyTagPairs(
    db,
    workspaceId,
    sql`select c.id as contact_id, t.id as tag_id, t.group_id, g.single_choice
        from contacts c
        cross join tags t
        join tag_groups g on g.workspace_id = t.workspace_id and g.id = t.group_id
        where c.workspace_id = ${workspaceId} and c.deleted_at is null and ${inSet(set)}
          and t.workspace_id = ${workspaceId} and t.id = any(${[...tagIds]}::uuid[])`,
    change,
  );

/**
 * Adds (contact, tag) pairs — pairs[i] = (contactIds[i], tagIds[i]) — each contact its own tags
 * (an import's rows). The caller has kept one tag per single-choice group per contact.
 */
export const insertTagPairs = (db: Db, workspaceId: string, pairs: { contactIds: readonly string[]; tagIds: readonly string[] }, change: TagChange) =>
  applyTagPairs(
    db,
    workspaceId,
    sql`select p.contact_id, p.tag_id, t.group_id, g.single_choice
        from unnest(${[...pairs.contactIds]}::uuid[], ${[...pairs.tagIds]}::uuid[]) as p(contact_id, tag_id)
        join contacts c on c.workspace_id = ${workspaceId} and c.id = p.contact_id and c.deleted_at is null
        join tags t on t.workspace_id = ${workspaceId} and t.id = p.tag_id
        join tag_groups g on g.workspace_id = t.workspace_id and g.id = t.group_id`,
    change,
  );

/** Removes `tagIds` from every live contact of the set, logging each removal under the ref; returns how many, and the contacts. */
export async function deleteTagsForSet(db: Db, workspaceId: string, set: ContactSet, tagIds: readonly string[], change: { sourceRef: string; memberId: string | null }) {
  const { rows } = await sql<{ removed: number; contact_ids: string[] }>`
    with removed as (
      delete from contact_tags ct
      using contacts c
      where ct.workspace_id = ${workspaceId} and c.workspace_id = ct.workspace_id and c.id = ct.contact_id
        and c.deleted_at is null and ${inSet(set)} and ct.tag_id = any(${[...tagIds]}::uuid[])
      returning ct.contact_id, ct.tag_id
    ),
    logged as (
      insert into contact_tag_removals (workspace_id, source_ref, contact_id, tag_id, removed_by)
      select ${workspaceId}::uuid, ${change.sourceRef}, r.contact_id, r.tag_id, ${change.memberId}::uuid from removed r
      on conflict do nothing
    )
    select count(*)::int as removed, array(select distinct contact_id from removed) as contact_ids from removed`.execute(db);
  return { removed: Number(rows[0]?.removed ?? 0), contactIds: rows[0]?.contact_ids ?? [] };
}
