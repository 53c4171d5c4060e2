// SQL of group codes, their groups, scan counters and joins. Every query is scoped to its
// workspace, except the public link's lookup by slug (the slug is the only thing it has).
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { withOurs } from './db.js';
import type { QrImageType } from './tables.js';

/** The picks key of scans no group could take (every group full or capped). */
export const NO_GROUP = '00000000-0000-0000-0000-000000000000';

const codeColumns = ['id', 'name', 'slug', 'tag_ids', 'enabled', 'created_at', 'updated_at'] as const;
export type CodeRow = Awaited<ReturnType<typeof findCode>> & object;

export interface CodeValues {
  name: string;
  tagIds: string[];
  enabled: boolean;
}
const codeValues = (v: CodeValues) => ({ name: v.name, tag_ids: v.tagIds, enabled: v.enabled });

export const findCode = (db: Db, workspaceId: string, id: string) =>
  withOurs(db).selectFrom('group_codes').select(codeColumns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

/** The public link's code: enabled, by slug alone (slugs are random; a clash across workspaces finds none). */
export async function findPublicCode(db: Db, slug: string) {
  const rows = await withOurs(db).selectFrom('group_codes').select(['workspace_id', 'id']).where('slug', '=', slug).where('enabled', '=', true).limit(2).execute();
  return rows.length === 1 ? rows[0] : undefined;
}

export const listCodes = (db: Db, workspaceId: string, after: Expression<SqlBool> | undefined, limit: number) =>
  withOurs(db)
    .selectFrom('group_codes')
    .select(codeColumns)
    .where('workspace_id', '=', workspaceId)
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();

export const insertCode = (db: Db, workspaceId: string, slug: string, v: CodeValues, createdBy: string) =>
  withOurs(db)
    .insertInto('group_codes')
    .values({ workspace_id: workspaceId, slug, created_by: createdBy, ...codeValues(v) })
    .onConflict((oc) => oc.columns(['workspace_id', 'slug']).doNothing())
    .returning(codeColumns)
    .executeTakeFirst();

export const updateCode = (db: Db, workspaceId: string, id: string, v: CodeValues) =>
  withOurs(db)
    .updateTable('group_codes')
    .set({ ...codeValues(v), updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(codeColumns)
    .executeTakeFirst();

export const deleteCode = (db: Db, workspaceId: string, id: string) => withOurs(db).deleteFrom('group_codes').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** The workspace's local date. */
export const todayOf = async (db: Db, workspaceId: string) =>
  (await sql<{ today: string }>`select (now() at time zone timezone)::date::text as today from workspaces where id = ${workspaceId}`.execute(db)).rows[0]!.today;

/**
 * The codes' groups in order with how full they are: `filled` = members + (the conversation's
 * joins − leaves, or every scan the group was given), and `today` = scans given on `day`.
 */
export const groupsWithFill = (db: Db, workspaceId: string, codeIds: readonly string[], day: string) =>
  codeIds.length
    ? withOurs(db)
        .selectFrom('group_code_groups as g')
        .select([
          'g.id',
          'g.code_id',
          'g.position',
          'g.name',
          'g.join_url',
          sql<boolean>`g.qr_image is not null`.as('has_qr_image'),
          'g.expires_on',
          'g.capacity',
          'g.daily_cap',
          'g.members',
          'g.conversation_id',
          'g.enabled',
          sql<number>`coalesce((select p.picks from group_code_picks p where p.workspace_id = g.workspace_id and p.code_id = g.code_id and p.day = ${day}::date and p.group_id = g.id), 0)::int`.as('today'),
          sql<number>`(g.members + case when g.conversation_id is not null
            then (select count(*) from group_code_joins j where j.workspace_id = g.workspace_id and j.group_id = g.id and j.left_on is null)
            else coalesce((select sum(p.picks) from group_code_picks p where p.workspace_id = g.workspace_id and p.group_id = g.id), 0) end)::int`.as('filled'),
        ])
        .where('g.workspace_id', '=', workspaceId)
        .where('g.code_id', 'in', codeIds)
        .orderBy('g.code_id')
        .orderBy('g.position')
        .orderBy('g.created_at')
        .execute()
    : Promise.resolve([]);
export type GroupRow = Awaited<ReturnType<typeof groupsWithFill>>[number];

export interface GroupValues {
  name: string;
  position: number;
  joinUrl: string | null;
  qrImage: { data: Buffer; type: QrImageType } | null;
  expiresOn: string | null;
  capacity: number;
  dailyCap: number | null;
  members: number;
  conversationId: string | null;
  enabled: boolean;
}
const groupValues = (v: GroupValues) => ({
  name: v.name,
  position: v.position,
  join_url: v.joinUrl,
  qr_image: v.qrImage?.data ?? null,
  qr_image_type: v.qrImage?.type ?? null,
  expires_on: v.expiresOn,
  capacity: v.capacity,
  daily_cap: v.dailyCap,
  members: v.members,
  conversation_id: v.conversationId,
  enabled: v.enabled,
});

export const insertGroup = async (db: Db, workspaceId: string, codeId: string, v: GroupValues) =>
  (await withOurs(db).insertInto('group_code_groups').values({ workspace_id: workspaceId, code_id: codeId, ...groupValues(v) }).returning('id').executeTakeFirstOrThrow()).id;

/** A group's stored values (the QR image too, for a patch that keeps it). */
export const findGroup = (db: Db, workspaceId: string, codeId: string, groupId: string) =>
  withOurs(db).selectFrom('group_code_groups').selectAll().where('workspace_id', '=', workspaceId).where('code_id', '=', codeId).where('id', '=', groupId).executeTakeFirst();

export const updateGroup = (db: Db, workspaceId: string, groupId: string, v: GroupValues) =>
  withOurs(db).updateTable('group_code_groups').set(groupValues(v)).where('workspace_id', '=', workspaceId).where('id', '=', groupId).execute();

export const deleteGroup = (db: Db, workspaceId: string, groupId: string) => withOurs(db).deleteFrom('group_code_groups').where('workspace_id', '=', workspaceId).where('id', '=', groupId).execute();

export const nextPosition = async (db: Db, workspaceId: string, codeId: string) =>
  (
    await withOurs(db)
      .selectFrom('group_code_groups')
      .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as('next'))
      .where('workspace_id', '=', workspaceId)
      .where('code_id', '=', codeId)
      .executeTakeFirstOrThrow()
  ).next;

/** Locks the code's row for a scan group and reads today's date and the workspace's language. */
export const lockForScan = (db: Db, workspaceId: string, codeId: string) =>
  withOurs(db)
    .selectFrom('group_codes as c')
    .innerJoin('workspaces as w', 'w.id', 'c.workspace_id')
    .select(['c.id', 'c.slug', 'w.locale', sql<string>`(now() at time zone w.timezone)::date::text`.as('today')])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.id', '=', codeId)
    .where('c.enabled', '=', true)
    .forNoKeyUpdate('c')
    .executeTakeFirst();

/** Adds a scan group's picks per group (NO_GROUP for the scans no group took). */
export async function addPicks(db: Db, workspaceId: string, codeId: string, day: string, picks: ReadonlyMap<string, number>) {
  await withOurs(db)
    .insertInto('group_code_picks')
    .values([...picks].map(([groupId, n]) => ({ workspace_id: workspaceId, code_id: codeId, day, group_id: groupId, picks: n })))
    .onConflict((oc) => oc.columns(['workspace_id', 'code_id', 'day', 'group_id']).doUpdateSet({ picks: sql<number>`group_code_picks.picks + excluded.picks` }))
    .execute();
}

/** A group's QR image, for the public page: only through its own code's slug. */
export const publicQrImage = (db: Db, slug: string, groupId: string) =>
  withOurs(db)
    .selectFrom('group_code_groups as g')
    .innerJoin('group_codes as c', (j) => j.onRef('c.workspace_id', '=', 'g.workspace_id').onRef('c.id', '=', 'g.code_id'))
    .select(['g.qr_image', 'g.qr_image_type'])
    .where('c.slug', '=', slug)
    .where('c.enabled', '=', true)
    .where('g.id', '=', groupId)
    .where('g.qr_image', 'is not', null)
    .executeTakeFirst();

/** The groups (and their codes' tags) whose inbox conversation this is. */
export const groupsOfConversation = (db: Db, workspaceId: string, conversationId: string) =>
  withOurs(db)
    .selectFrom('group_code_groups as g')
    .innerJoin('group_codes as c', (j) => j.onRef('c.workspace_id', '=', 'g.workspace_id').onRef('c.id', '=', 'g.code_id'))
    .select(['g.id', 'g.code_id', 'c.tag_ids'])
    .where('g.workspace_id', '=', workspaceId)
    .where('g.conversation_id', '=', conversationId)
    .execute();

const localDay = (workspaceId: string) => sql<string>`(select (now() at time zone timezone)::date from workspaces where id = ${workspaceId})`;

/** Joined (again): true when the contact was not a member of the group already. */
export const recordJoin = async (db: Db, workspaceId: string, g: { groupId: string; codeId: string; contactId: string }) =>
  Boolean(
    await withOurs(db)
      .insertInto('group_code_joins')
      .values({ workspace_id: workspaceId, group_id: g.groupId, code_id: g.codeId, contact_id: g.contactId, joined_on: localDay(workspaceId) })
      .onConflict((oc) => oc.columns(['workspace_id', 'group_id', 'contact_id']).doUpdateSet({ left_on: null, joined_on: localDay(workspaceId) }).where('group_code_joins.left_on', 'is not', null))
      .returning('contact_id')
      .executeTakeFirst(),
  );

export const recordLeave = (db: Db, workspaceId: string, groupId: string, contactId: string) =>
  withOurs(db)
    .updateTable('group_code_joins')
    .set({ left_on: localDay(workspaceId) })
    .where('workspace_id', '=', workspaceId)
    .where('group_id', '=', groupId)
    .where('contact_id', '=', contactId)
    .where('left_on', 'is', null)
    .execute();

/** Per group and local day: scans given, joins and leaves (days without any left out). */
export const dailyStats = (db: Db, workspaceId: string, codeId: string, from: string, to: string) =>
  sql<{ day: string; group_id: string | null; scans: number; joins: number; leaves: number }>`
    select day::text, nullif(group_id, ${NO_GROUP}::uuid) as group_id, sum(scans)::int as scans, sum(joins)::int as joins, sum(leaves)::int as leaves
    from (
      select day, group_id, picks as scans, 0 as joins, 0 as leaves from group_code_picks
      where workspace_id = ${workspaceId} and code_id = ${codeId} and day between ${from}::date and ${to}::date
      union all
      select joined_on, group_id, 0, 1, 0 from group_code_joins
      where workspace_id = ${workspaceId} and code_id = ${codeId} and joined_on between ${from}::date and ${to}::date
      union all
      select left_on, group_id, 0, 0, 1 from group_code_joins
      where workspace_id = ${workspaceId} and code_id = ${codeId} and left_on between ${from}::date and ${to}::date
    ) f
    group by day, group_id
    order by day, group_id`
    .execute(db)
    .then((r) => r.rows);
