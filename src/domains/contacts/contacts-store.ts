// SQL for contacts, their identities and consents. Reads join the stage and the owner's name
// (members → users) so a list page is one query, plus one for the page's tags.
import { sql, type Expression, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { ChannelType, ContactsTable, CustomValues, Gender } from './tables.js';

/** The columns a contact write may set (snake_case, as stored). */
export interface ContactColumns {
  name?: string;
  avatar_url?: string | null;
  gender?: Gender;
  birthday?: string | null;
  phone?: string | null;
  email?: string | null;
  company?: string | null;
  title?: string | null;
  city?: string | null;
  region?: string | null;
  stage_id?: string | null;
  owner_member_id?: string | null;
  source_channel?: string | null;
  referrer_contact_id?: string | null;
  preferred_channel?: string | null;
  influence?: number | null;
}

export const workspaceRegion = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('workspaces').select('default_region').where('id', '=', workspaceId).executeTakeFirstOrThrow()).default_region;

export const stageExists = async (db: Db, workspaceId: string, id: string) =>
  Boolean(await db.selectFrom('stages').select('id').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst());

export const memberExists = async (db: Db, workspaceId: string, id: string) =>
  Boolean(await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst());

type ContactRecord = Selectable<ContactsTable>;

/**
 * Contacts (or the rows of `source`, a subquery over contacts aliased `c`) joined with their stage
 * and owner's name; callers add the predicate and order.
 */
export const contactRows = (db: Db, workspaceId: string, source = sql<ContactRecord>`contacts`.as('c')) =>
  db
    .selectFrom(source)
    .leftJoin('stages as s', (j) => j.onRef('s.workspace_id', '=', 'c.workspace_id').onRef('s.id', '=', 'c.stage_id'))
    .leftJoin('members as m', (j) => j.onRef('m.workspace_id', '=', 'c.workspace_id').onRef('m.id', '=', 'c.owner_member_id'))
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .selectAll('c')
    .select(['s.name as stage_name', 's.color as stage_color', 'u.name as owner_name'])
    .where('c.workspace_id', '=', workspaceId);

export type ContactRow = Awaited<ReturnType<ReturnType<typeof contactRows>['executeTakeFirstOrThrow']>>;

/** One contact matching `where` (a visibility predicate on `c`), optionally locked for update. */
export const findContact = (db: Db, workspaceId: string, id: string, where: Expression<SqlBool>, lock = false) =>
  contactRows(db, workspaceId)
    .where('c.id', '=', id)
    .where(where)
    .$if(lock, (q) => q.forUpdate('c'))
    .executeTakeFirst();

export const insertContact = (db: Db, workspaceId: string, values: ContactColumns & { custom: CustomValues }) =>
  db
    .insertInto('contacts')
    .values({ ...values, workspace_id: workspaceId, custom: JSON.stringify(values.custom) })
    .returning('id')
    .executeTakeFirstOrThrow();

/**
 * Sets columns, merges `customSet` into custom and drops `customRemove` keys, in SQL so two
 * writers of different keys never overwrite each other. Always bumps updated_at.
 */
export const updateContact = (
  db: Db,
  workspaceId: string,
  id: string,
  values: ContactColumns,
  custom: { set: CustomValues; remove: string[] } = { set: {}, remove: [] },
) =>
  db
    .updateTable('contacts')
    .set({
      ...values,
      updated_at: sql<Date>`now()`,
      ...(Object.keys(custom.set).length || custom.remove.length
        ? {
            custom: sql<string>`(custom || ${JSON.stringify(custom.set)}::jsonb) - array[${sql.join(
              ['', ...custom.remove].map((k) => sql`${k}::text`),
            )}]`,
          }
        : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();

export const touchContact = (db: Db, workspaceId: string, id: string) =>
  db.updateTable('contacts').set({ updated_at: sql<Date>`now()` }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const setDeleted = (db: Db, workspaceId: string, id: string, deleted: boolean) =>
  db
    .updateTable('contacts')
    .set({ deleted_at: deleted ? sql<Date>`now()` : null, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();

/** Tags of the given contacts, in one query (for a page or a single contact). */
export const tagsOf = (db: Db, workspaceId: string, contactIds: readonly string[]) =>
  contactIds.length
    ? db
        .selectFrom('contact_tags as ct')
        .innerJoin('tags as t', (j) => j.onRef('t.workspace_id', '=', 'ct.workspace_id').onRef('t.id', '=', 'ct.tag_id'))
        .innerJoin('tag_groups as g', (j) => j.onRef('g.workspace_id', '=', 't.workspace_id').onRef('g.id', '=', 't.group_id'))
        .select(['ct.contact_id', 't.id', 't.name', 't.color', 't.group_id'])
        .where('ct.workspace_id', '=', workspaceId)
        .where('ct.contact_id', 'in', [...contactIds])
        .orderBy('g.position')
        .orderBy('t.name')
        .orderBy('t.id')
        .execute()
    : Promise.resolve([]);

export const identitiesOf = (db: Db, workspaceId: string, contactId: string) =>
  db
    .selectFrom('contact_identities')
    .select(['id', 'channel_type', 'external_id', 'display_name', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export const consentsOf = (db: Db, workspaceId: string, contactId: string) =>
  db
    .selectFrom('contact_consents')
    .select(['channel_type', 'status', 'at', 'how'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('channel_type')
    .execute();

/**
 * Inserts identities; a (channel type, external id) already held by any contact is skipped, not
 * an error, so the caller can name the holder. The unique index decides between concurrent writers.
 */
export const insertIdentities = (
  db: Db,
  workspaceId: string,
  contactId: string,
  identities: ReadonlyArray<{ channelType: ChannelType; externalId: string; displayName?: string | null }>,
) =>
  identities.length
    ? db
        .insertInto('contact_identities')
        .values(
          identities.map((i) => ({
            workspace_id: workspaceId,
            contact_id: contactId,
            channel_type: i.channelType,
            external_id: i.externalId,
            display_name: i.displayName ?? null,
          })),
        )
        .onConflict((oc) => oc.columns(['workspace_id', 'channel_type', 'external_id']).doNothing())
        .returning(['id', 'channel_type', 'external_id', 'display_name', 'created_at'])
        .execute()
    : Promise.resolve([]);

/** Who holds each of these identities now. */
export const identityHolders = (db: Db, workspaceId: string, keys: ReadonlyArray<{ channelType: ChannelType; externalId: string }>) =>
  db
    .selectFrom('contact_identities')
    .select(['contact_id', 'channel_type', 'external_id'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('channel_type', '=', k.channelType), eb('external_id', '=', k.externalId)]))))
    .execute();

export const deleteIdentity = async (db: Db, workspaceId: string, contactId: string, identityId: string) =>
  db
    .deleteFrom('contact_identities')
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('id', '=', identityId)
    .returning(['channel_type', 'external_id'])
    .executeTakeFirst();

/** The consent before the change (if any) and after it. */
export const upsertConsent = async (db: Db, workspaceId: string, contactId: string, channelType: string, consent: { status: 'opt_in' | 'opt_out'; how: string }) => {
  const before = await db
    .selectFrom('contact_consents')
    .select(['status', 'how', 'at'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('channel_type', '=', channelType)
    .executeTakeFirst();
  const after = await db
    .insertInto('contact_consents')
    .values({ workspace_id: workspaceId, contact_id: contactId, channel_type: channelType, status: consent.status, how: consent.how })
    .onConflict((oc) => oc.columns(['workspace_id', 'contact_id', 'channel_type']).doUpdateSet({ status: consent.status, how: consent.how, at: sql<Date>`now()` }))
    .returning(['channel_type', 'status', 'at', 'how'])
    .executeTakeFirstOrThrow();
  return { before, after };
};

/** A page of contacts matching `where`, in the sort's order after the cursor; limit + 1 rows. */
export const searchContactRows = (
  db: Db,
  workspaceId: string,
  page: { where: Expression<SqlBool>; order: Expression<unknown>; sortValue: RawBuilder<string | null>; after?: Expression<SqlBool>; limit: number },
) =>
  contactRows(db, workspaceId)
    .select(page.sortValue.as('sort_value'))
    .where(page.where)
    .$if(Boolean(page.after), (q) => q.where(page.after!))
    .orderBy(page.order)
    .limit(page.limit + 1)
    .execute();

/**
 * As searchContactRows, over only the first `size` live contacts of the workspace in the page's
 * order (after its cursor): the form that walks the sort's index and stops after `size` rows
 * whatever the planner estimates the filter keeps (it cannot estimate a custom field range).
 * Fewer than limit + 1 rows means the window did not hold the whole page.
 */
export const searchContactWindow = (
  db: Db,
  workspaceId: string,
  page: Parameters<typeof searchContactRows>[2] & { size: number },
) => {
  const window = sql<ContactRecord>`(select c.* from contacts c
    where c.workspace_id = ${workspaceId} and c.deleted_at is null ${page.after ? sql`and ${page.after}` : sql``}
    order by ${page.order} limit ${page.size})`;
  return contactRows(db, workspaceId, window.as('c'))
    .select(page.sortValue.as('sort_value'))
    .where(page.where)
    .orderBy(page.order)
    .limit(page.limit + 1)
    .execute();
};

export const countContactRows = async (db: Db, workspaceId: string, where: Expression<SqlBool>) =>
  (
    await db
      .selectFrom('contacts as c')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('c.workspace_id', '=', workspaceId)
      .where(where)
      .executeTakeFirstOrThrow()
  ).n;
