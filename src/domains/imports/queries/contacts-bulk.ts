// The import's set-based SQL over the contacts tables. Contacts, identities, tags and timeline
// belong to other domains, whose services write one contact at a time; an import writes
// thousands per transaction, so (DESIGN.md rule 5) it reads and writes them here in a few
// statements per batch: one SELECT over the batch's keys, one INSERT … SELECT from
// unnest(typed arrays) per table, one UPDATE … FROM for the matched contacts. It keeps the same
// invariants those services keep: E.164 phones, lower-cased e-mails, checked custom values (the
// row normaliser uses the contacts index for those), unique identities (ON CONFLICT DO NOTHING),
// tag assignments and timeline entries go through the contacts and timeline
// domains' set-based addTagsToContacts and recordTimelineEvents.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import type { FieldDefinition } from '../../contacts/index.js';
import type { ContactColumns } from '../normalise-row.js';
import type { DedupePolicy } from '../tables.js';

export const IMPORT_TAG_GROUP = '导入 Imported';

/** The workspace facts a row is read against. */
export async function loadLookup(db: Db, workspaceId: string) {
  const [workspace, fields, stages, owners] = await Promise.all([
    db.selectFrom('workspaces').select('default_region').where('id', '=', workspaceId).executeTakeFirstOrThrow(),
    db.selectFrom('custom_fields').select(['key', 'label', 'type', 'options', 'required']).where('workspace_id', '=', workspaceId).orderBy('position').execute(),
    db.selectFrom('stages').select(['id', 'name']).where('workspace_id', '=', workspaceId).execute(),
    db
      .selectFrom('members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.id', 'u.email'])
      .where('m.workspace_id', '=', workspaceId)
      .where('m.status', '=', 'active')
      .execute(),
  ]);
  return {
    defaultRegion: workspace.default_region,
    fields: fields as FieldDefinition[],
    stages: new Map(stages.map((s) => [s.name.toLowerCase(), s.id])),
    owners: new Map(owners.map((o) => [o.email.toLowerCase(), o.id])),
  };
}

export async function existingTagIds(db: Db, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('tags').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return rows.map((r) => r.id);
}

/** Serialises imports within a workspace batch by batch, so two never create the same person at once. */
export async function lockWorkspaceImports(tx: Db, workspaceId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`renmai.import:${workspaceId}`}, 0))`.execute(tx);
}

export interface KeyMatch {
  /**
   * 'contact': a contact holds the key; 'file': an earlier batch of this import applied a row
   * that matched an existing contact with the key (line); 'created': an earlier batch of this
   * import created the contact (contact_id) from a row (line).
   */
  kind: 'file' | 'contact' | 'created';
  key: string;
  line: number | null;
  contact_id: string | null;
  live: boolean;
}

/**
 * One statement for a batch: the contacts holding any of its keys (live ones by phone or e-mail,
 * through contacts_phone / contacts_email; any holder of an identity, through
 * contact_identities_key, since identities are unique even on deleted contacts); which of those
 * contacts this import created in an earlier batch (their `imported` timeline entry, written in
 * that batch's transaction, names the import and the line — read through
 * timeline_events_contact, from the import's start); and which keys, or matched contacts,
 * earlier batches used on rows that matched existing contacts (import_row_keys).
 */
export async function matchKeys(tx: Db, workspaceId: string, importId: string, since: Date, keys: readonly string[]): Promise<KeyMatch[]> {
  if (!keys.length) return [];
  const phones: string[] = [];
  const emails: string[] = [];
  const types: string[] = [];
  const externalIds: string[] = [];
  for (const k of keys) {
    if (k.startsWith('phone:')) phones.push(k.slice(6));
    else if (k.startsWith('email:')) emails.push(k.slice(6));
    else if (k.startsWith('identity:')) {
      const rest = k.slice(9);
      const colon = rest.indexOf(':');
      types.push(rest.slice(0, colon));
      externalIds.push(rest.slice(colon + 1));
    }
  }
  const { rows } = await sql<KeyMatch>`
    with matched as (
      select 'phone:' || c.phone as key, c.id as contact_id, true as live
        from contacts c
        where c.workspace_id = ${workspaceId} and c.phone = any(${phones}::text[]) and c.deleted_at is null and c.merged_into_id is null
      union all
      select 'email:' || c.email, c.id, true
        from contacts c
        where c.workspace_id = ${workspaceId} and c.email = any(${emails}::text[]) and c.deleted_at is null and c.merged_into_id is null
      union all
      select 'identity:' || i.channel_type || ':' || i.external_id, i.contact_id, (c.deleted_at is null and c.merged_into_id is null)
        from unnest(${types}::text[], ${externalIds}::text[]) as k(channel_type, external_id)
        join contact_identities i on i.workspace_id = ${workspaceId} and i.channel_type = k.channel_type and i.external_id = k.external_id
        join contacts c on c.workspace_id = i.workspace_id and c.id = i.contact_id
    )
    select 'contact' as kind, key, null::int as line, contact_id, live from matched
    union all
    select 'created', null, (e.props->>'line')::int, e.contact_id, true
      from timeline_events e
      where e.workspace_id = ${workspaceId} and e.contact_id in (select contact_id from matched) and e.occurred_at >= ${since}
        and e.type = 'imported' and e.props->>'importId' = ${importId} and e.props->>'action' = 'created'
    union all
    select 'file', k.key, k.line, null, true
      from import_row_keys k
      where k.workspace_id = ${workspaceId} and k.import_id = ${importId}
        and (k.key = any(${keys as string[]}::text[]) or k.key in (select 'contact:' || contact_id from matched))`.execute(tx);
  return rows;
}

export interface NewContact {
  id: string;
  columns: ContactColumns;
  custom: Record<string, unknown>;
}

const recordColumns = sql.raw(`id uuid, name text, gender text, birthday date, phone text, email text, company text, title text, city text,
  region text, stage_id uuid, owner_member_id uuid, source_channel text, influence int, custom jsonb`);

const asRecords = (rows: NewContact[]) => JSON.stringify(rows.map((r) => ({ id: r.id, ...r.columns, custom: r.custom })));

const contactColumns = ['name', 'gender', 'birthday', 'phone', 'email', 'company', 'title', 'city', 'region', 'stage_id', 'owner_member_id', 'source_channel', 'influence'] as const;
const contactTypes: Record<(typeof contactColumns)[number], string> = {
  name: 'text', gender: 'text', birthday: 'date', phone: 'text', email: 'text', company: 'text', title: 'text', city: 'text', region: 'text',
  stage_id: 'uuid', owner_member_id: 'uuid', source_channel: 'text', influence: 'int',
};

/** New contacts in one INSERT … SELECT FROM unnest(one typed array per column). */
export async function insertContacts(tx: Db, workspaceId: string, rows: NewContact[]) {
  if (!rows.length) return;
  const arrays = contactColumns.map((col) => sql`${rows.map((r) => r.columns[col])}::${sql.raw(contactTypes[col])}[]`);
  await sql`
    insert into contacts (workspace_id, id, name, gender, birthday, phone, email, company, title, city, region, stage_id,
      owner_member_id, source_channel, influence, custom)
    select ${workspaceId}, r.id, coalesce(r.name, ''), coalesce(r.gender, 'unknown'), r.birthday, r.phone, r.email, r.company,
      r.title, r.city, r.region, r.stage_id, r.owner_member_id, r.source_channel, r.influence, r.custom
    from unnest(${rows.map((r) => r.id)}::uuid[], ${sql.join(arrays)}, ${rows.map((r) => JSON.stringify(r.custom))}::jsonb[])
      as r(id, ${sql.raw(contactColumns.join(', '))}, custom)`.execute(tx);
}

const scalar = ['name', 'birthday', 'phone', 'email', 'company', 'title', 'city', 'region', 'stage_id', 'owner_member_id', 'source_channel', 'influence'] as const;
const textColumns = new Set(['name', 'phone', 'email', 'company', 'title', 'city', 'region', 'source_channel']);

/** The value a column takes under the policy: the file's (overwrite) or the contact's unless empty. */
function nextValue(column: string, policy: Exclude<DedupePolicy, 'skip'>) {
  if (column === 'gender') {
    return policy === 'overwrite' ? `coalesce(r.gender, c.gender)` : `case when c.gender = 'unknown' then coalesce(r.gender, c.gender) else c.gender end`;
  }
  if (column === 'custom') return policy === 'overwrite' ? `c.custom || coalesce(r.custom, '{}')` : `coalesce(r.custom, '{}') || c.custom`;
  if (column === 'name') return policy === 'overwrite' ? `coalesce(r.name, c.name)` : `coalesce(nullif(c.name, ''), r.name, '')`;
  if (policy === 'overwrite') return `coalesce(r.${column}, c.${column})`;
  return textColumns.has(column) ? `coalesce(nullif(c.${column}, ''), r.${column})` : `coalesce(c.${column}, r.${column})`;
}

/**
 * Applies the policy to matched contacts in one UPDATE … FROM; only contacts whose values
 * actually change are written (and returned), so a re-run reports them as skipped.
 */
export async function updateContacts(tx: Db, workspaceId: string, policy: Exclude<DedupePolicy, 'skip'>, rows: NewContact[]): Promise<string[]> {
  if (!rows.length) return [];
  const all = [...scalar, 'gender', 'custom'];
  const next = sql.raw(all.map((col) => `${nextValue(col, policy)} as ${col}`).join(', '));
  const current = sql.raw(all.map((col) => `c.${col}`).join(', '));
  const computed = sql.raw(all.map((col) => `n.${col}`).join(', '));
  const assign = sql.raw(all.map((col) => `${col} = n.${col}`).join(', '));
  const { rows: updated } = await sql<{ id: string }>`
    with n as (
      select c.id, ${next}
      from jsonb_to_recordset(${asRecords(rows)}::jsonb) as r(${recordColumns})
      join contacts c on c.workspace_id = ${workspaceId} and c.id = r.id
    )
    update contacts c set ${assign}, updated_at = now()
    from n
    where c.workspace_id = ${workspaceId} and c.id = n.id and (${current}) is distinct from (${computed})
    returning c.id`.execute(tx);
  return updated.map((r) => r.id);
}

export async function insertIdentities(tx: Db, workspaceId: string, rows: Array<{ contact_id: string; channel_type: string; external_id: string }>): Promise<string[]> {
  if (!rows.length) return [];
  const { rows: added } = await sql<{ contact_id: string }>`
    insert into contact_identities (workspace_id, contact_id, channel_type, external_id)
    select ${workspaceId}, r.contact_id, r.channel_type, r.external_id
    from unnest(${rows.map((r) => r.contact_id)}::uuid[], ${rows.map((r) => r.channel_type)}::text[], ${rows.map((r) => r.external_id)}::text[])
      as r(contact_id, channel_type, external_id)
    on conflict do nothing
    returning contact_id`.execute(tx);
  return added.map((r) => r.contact_id);
}

/**
 * Tag ids by lower-cased name. Names no tag has yet are created in the "导入 Imported" group
 * (made on first need), where an administrator can review, move or delete them.
 */
export async function resolveTags(tx: Db, workspaceId: string, names: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(names.map((n) => n.toLowerCase()))];
  const found = new Map<string, string>();
  if (!wanted.length) return found;
  const select = () =>
    sql<{ name: string; id: string }>`
      select distinct on (lower(t.name)) lower(t.name) as name, t.id
      from tags t join tag_groups g on g.workspace_id = t.workspace_id and g.id = t.group_id
      where t.workspace_id = ${workspaceId} and lower(t.name) = any(${wanted}::text[])
      order by lower(t.name), (g.name = ${IMPORT_TAG_GROUP}), g.position, t.created_at`.execute(tx);
  for (const r of (await select()).rows) found.set(r.name, r.id);
  const missing = names.filter((n, i) => !found.has(n.toLowerCase()) && names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) === i);
  if (!missing.length) return found;
  await sql`
    insert into tag_groups (workspace_id, name, position)
    select ${workspaceId}, ${IMPORT_TAG_GROUP}, coalesce(max(position) + 1, 0) from tag_groups where workspace_id = ${workspaceId}
    on conflict (workspace_id, lower(name)) do nothing`.execute(tx);
  await sql`
    insert into tags (workspace_id, id, group_id, name)
    select ${workspaceId}, n.id, g.id, n.name
    from jsonb_to_recordset(${JSON.stringify(missing.map((name) => ({ id: randomUUID(), name })))}::jsonb) as n(id uuid, name text)
    cross join (select id from tag_groups where workspace_id = ${workspaceId} and lower(name) = lower(${IMPORT_TAG_GROUP})) g
    on conflict (workspace_id, group_id, lower(name)) do nothing`.execute(tx);
  for (const r of (await select()).rows) found.set(r.name, r.id);
  return found;
}

/** Of these contacts, those without any tag (fill_empty tags only those). */
export async function untaggedContacts(tx: Db, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const { rows } = await sql<{ id: string }>`
    select c.id from unnest(${[...ids]}::uuid[]) as c(id)
    where not exists (select 1 from contact_tags t where t.workspace_id = ${workspaceId} and t.contact_id = c.id)`.execute(tx);
  return rows.map((r) => r.id);
}

/** Of these contacts, those holding a tag this import assigned (its id is the assignments' source_ref). */
export async function taggedBy(tx: Db, workspaceId: string, importId: string, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const { rows } = await sql<{ contact_id: string }>`
    select distinct contact_id from contact_tags
    where workspace_id = ${workspaceId} and source_ref = ${importId} and contact_id = any(${[...ids]}::uuid[])`.execute(tx);
  return rows.map((r) => r.contact_id);
}
