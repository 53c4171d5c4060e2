// The import's set-based SQL over the contacts tables. Contacts, identities, tags and timeline
// belong to other domains, whose services write one contact at a time; an import writes
// thousands per transaction, so (DESIGN.md rule 5) it reads and writes them here in a few
// statements per batch: one SELECT over the batch's keys, one INSERT … SELECT per table from
// the batch sent as one text parameter (text-rows.ts) or as typed arrays, one UPDATE … FROM for the matched
// contacts. It keeps the same invariants those services keep: E.164 phones, lower-cased e-mails,
// checked custom values (the row normaliser uses the contacts index for those), unique
// identities (ON CONFLICT DO NOTHING); tag assignments and timeline entries go through the
// contacts and timeline domains' set-based addTagPairsToContacts and recordTimelineEventSet.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import type { FieldDefinition } from '../../contacts/index.js';
import type { ContactColumns } from '../normalise-row.js';
import type { DedupePolicy } from '../tables.js';
import { encodeRows, recordset } from './text-rows.js';

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

/**
 * Whether the planner's statistics of the tables an import's statements probe are outgrown
 * ("Run ANALYZE afterwards", PostgreSQL's advice for bulk loads, done as the load goes): when
 * contacts was never analysed, or the run may have created more than ten times the rows its
 * statistics count. Once the statistics describe real rows the planner scales them to the
 * table's current size, so a few refreshes are enough (4 for 10^6 rows into an empty database).
 * Without them, the first big import into a fresh database plans on the statistics of an empty
 * table, where every index on contacts that starts with workspace_id looks as good as
 * contacts_phone, and one of them turns each key probe into a scan of the workspace (measured: 45
 * rows/s after 40,000 rows; with a batch in flight beside it, 9,225 probes each walking its
 * 9,651 rows took 197 s).
 */
export async function statisticsOutgrown(db: Db, created: number) {
  const { rows } = await sql<{ reltuples: number }>`select reltuples from pg_class where oid = 'contacts'::regclass`.execute(db);
  const known = Number(rows[0]?.reltuples ?? -1);
  return known < 0 || created > 10 * known;
}

/**
 * Refreshes those statistics. Run on its own, not in a batch's transaction: statistics an
 * uncommitted ANALYZE wrote are invisible to the other connection's batch. (Run by a role that
 * does not own the tables, ANALYZE only warns and skips them.)
 */
export async function analyzeContactTables(db: Db) {
  await sql`analyze contacts, contact_tags, contact_identities`.execute(db);
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
 * contacts this import created in an earlier batch, and from which line (import_contacts); and
 * which keys, or matched contacts, earlier batches used on rows that matched existing contacts
 * (import_row_keys; skipped while the import has remembered none, as in a first import into a
 * workspace). Each is an index probe per key, whatever the size of the workspace.
 */
export async function matchKeys(tx: Db, workspaceId: string, importId: string, keys: readonly string[], rememberedKeys: boolean): Promise<KeyMatch[]> {
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
  // One index probe per key (the lateral subqueries with OFFSET 0 are not flattened): with
  // `= any(array)` the planner picks a sequential scan of the workspace's contacts for a batch
  // of 10^4 keys, a cost that grows with every batch the import adds. The keys go in index
  // order, so consecutive probes read neighbouring index pages.
  phones.sort();
  emails.sort();
  const { rows } = await sql<KeyMatch>`
    with matched as materialized (
      select 'phone:' || c.phone as key, c.id as contact_id, true as live
        from unnest(${phones}::text[]) as k(phone)
        cross join lateral (
          select c.id, c.phone from contacts c
          where c.workspace_id = ${workspaceId} and c.phone = k.phone and c.deleted_at is null and c.merged_into_id is null offset 0
        ) c
      union all
      select 'email:' || c.email, c.id, true
        from unnest(${emails}::text[]) as k(email)
        cross join lateral (
          select c.id, c.email from contacts c
          where c.workspace_id = ${workspaceId} and c.email = k.email and c.deleted_at is null and c.merged_into_id is null offset 0
        ) c
      union all
      select 'identity:' || i.channel_type || ':' || i.external_id, i.contact_id, i.live
        from unnest(${types}::text[], ${externalIds}::text[]) as k(channel_type, external_id)
        cross join lateral (
          select i.channel_type, i.external_id, i.contact_id, (c.deleted_at is null and c.merged_into_id is null) as live
          from contact_identities i
          join contacts c on c.workspace_id = i.workspace_id and c.id = i.contact_id
          where i.workspace_id = ${workspaceId} and i.channel_type = k.channel_type and i.external_id = k.external_id offset 0
        ) i
    )
    select 'contact' as kind, key, null::int as line, contact_id, live from matched
    union all
    select 'created', null, ic.line, ic.contact_id, true
      from (select distinct contact_id from matched) m
      cross join lateral (
        select ic.line, ic.contact_id from import_contacts ic
        where ic.workspace_id = ${workspaceId} and ic.import_id = ${importId} and ic.contact_id = m.contact_id offset 0
      ) ic
    ${
      rememberedKeys
        ? sql`union all
    select 'file', r.key, r.line, null, true
      from (select unnest(${keys as string[]}::text[]) as key union select 'contact:' || contact_id from matched) k
      cross join lateral (
        select r.key, r.line from import_row_keys r
        where r.workspace_id = ${workspaceId} and r.import_id = ${importId} and r.key = k.key offset 0
      ) r`
        : sql``
    }`.execute(tx);
  return rows;
}

/** A row's contact: the id it gets (new) or has (matched), and the row's values. */
export interface RowContact {
  id: string;
  row: { line: number; columns: ContactColumns; custom: Record<string, unknown> };
}

// The batch's contact rows as text (queries/text-rows.ts), in this order.
const contactFields = [
  ['id', 'uuid'], ['line', 'int'], ['name', 'text'], ['gender', 'text'], ['birthday', 'date'], ['phone', 'text'], ['email', 'text'],
  ['company', 'text'], ['title', 'text'], ['city', 'text'], ['region', 'text'], ['stage_id', 'uuid'], ['owner_member_id', 'uuid'],
  ['source_channel', 'text'], ['influence', 'int'], ['custom', 'jsonb'],
] as const;

function contactRows(rows: readonly RowContact[]) {
  return recordset(
    encodeRows(
      rows.map(({ id, row: { line, columns: c, custom } }) => [
        id, line, c.name, c.gender, c.birthday, c.phone, c.email, c.company, c.title, c.city, c.region, c.stage_id, c.owner_member_id,
        c.source_channel, c.influence, JSON.stringify(custom),
      ]),
    ),
    contactFields,
  );
}

/**
 * New contacts, and the import's record of them (import_contacts: contact → file line), in one
 * statement; a row without an owner gets `defaultOwner`. The batch travels as one text parameter
 * (queries/text-rows.ts): the server splits it several times faster than it parses the same rows
 * as JSON.
 */
export async function insertContacts(tx: Db, workspaceId: string, importId: string, rows: readonly RowContact[], defaultOwner: string | null) {
  if (!rows.length) return;
  await sql`
    with r as materialized (${contactRows(rows)}),
    created as (
      insert into contacts (workspace_id, id, name, gender, birthday, phone, email, company, title, city, region, stage_id,
        owner_member_id, source_channel, influence, custom)
      select ${workspaceId}, r.id, coalesce(r.name, ''), coalesce(r.gender, 'unknown'), r.birthday, r.phone, r.email, r.company,
        r.title, r.city, r.region, r.stage_id, coalesce(r.owner_member_id, ${defaultOwner}::uuid), r.source_channel, r.influence, r.custom
      from r
    )
    insert into import_contacts (workspace_id, import_id, contact_id, line)
    select ${workspaceId}, ${importId}, r.id, r.line from r`.execute(tx);
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
export async function updateContacts(tx: Db, workspaceId: string, policy: Exclude<DedupePolicy, 'skip'>, rows: readonly RowContact[]): Promise<string[]> {
  if (!rows.length) return [];
  const all = [...scalar, 'gender', 'custom'];
  const next = sql.raw(all.map((col) => `${nextValue(col, policy)} as ${col}`).join(', '));
  const current = sql.raw(all.map((col) => `c.${col}`).join(', '));
  const computed = sql.raw(all.map((col) => `n.${col}`).join(', '));
  const assign = sql.raw(all.map((col) => `${col} = n.${col}`).join(', '));
  const { rows: updated } = await sql<{ id: string }>`
    with n as (
      select c.id, ${next}
      from (${contactRows(rows)}) r
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
 * (made on first need), where an administrator can review, move or delete them; `beforeCreating`
 * runs first when some are (an import batch waits there for the batch before it to commit, which
 * may create the same tags).
 */
export async function resolveTags(tx: Db, workspaceId: string, names: readonly string[], beforeCreating?: () => Promise<unknown>): Promise<Map<string, string>> {
  const byLower = new Map<string, string>(); // lower-cased → as first written
  for (const n of names) if (!byLower.has(n.toLowerCase())) byLower.set(n.toLowerCase(), n);
  const found = new Map<string, string>();
  if (!byLower.size) return found;
  const select = () =>
    sql<{ name: string; id: string }>`
      select distinct on (lower(t.name)) lower(t.name) as name, t.id
      from tags t join tag_groups g on g.workspace_id = t.workspace_id and g.id = t.group_id
      where t.workspace_id = ${workspaceId} and lower(t.name) = any(${[...byLower.keys()]}::text[])
      order by lower(t.name), (g.name = ${IMPORT_TAG_GROUP}), g.position, t.created_at`.execute(tx);
  for (const r of (await select()).rows) found.set(r.name, r.id);
  const missing = [...byLower].filter(([lower]) => !found.has(lower)).map(([, name]) => name);
  if (!missing.length) return found;
  await beforeCreating?.();
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
