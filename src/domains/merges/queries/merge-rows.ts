// A merge rewrites the rows of several domains (contacts, identities, tags, consents, staff
// relationships, timeline events, tasks, conversations and what they say of who wrote) in one transaction, and its undo puts them back
// exactly. This file is the one place that writes across those tables, so that the whole
// operation — and its snapshot — can be read and checked in one place.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';

/** Every contacts column a merge may change and an undo restores. */
const CONTACT_COLUMNS = [
  'name', 'avatar_url', 'gender', 'birthday', 'phone', 'email', 'company', 'title', 'city', 'region',
  'stage_id', 'owner_member_id', 'source_channel', 'source_code_id', 'referrer_contact_id', 'preferred_channel',
  'influence', 'custom', 'created_at', 'updated_at', 'last_active_at', 'deleted_at', 'merged_into_id',
] as const;

export interface MergeSnapshot {
  contacts: Array<Record<string, unknown>>;
  identities: Array<{ id: string; contact_id: string }>;
  tags: Array<Record<string, unknown>>;
  consents: Array<Record<string, unknown>>;
  staff: Array<Record<string, unknown>>;
  timeline: Array<{ id: string; contact_id: string }>;
  tasks: Array<{ id: string; contact_id: string }>;
  referrers: Array<{ id: string; referrer_contact_id: string }>;
  // Absent from merges recorded before conversations moved with their contact.
  conversations?: Array<{ id: string; contact_id: string }>;
  senders?: Array<{ id: string; sender_contact_id: string }>;
  participants?: Array<Record<string, unknown>>;
}

const rowsJson = async <T>(db: Db, query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows;

/** Everything a merge of `ids` (survivor first) touches, as it is now. */
export async function captureSnapshot(db: Db, workspaceId: string, survivorId: string, mergedIds: string[]): Promise<MergeSnapshot> {
  const all = [survivorId, ...mergedIds];
  const [contacts, identities, tags, consents, staff, timeline, tasks, referrers, conversations, senders, participants] = await Promise.all([
    rowsJson<Record<string, unknown>>(db, sql`select to_jsonb(c) as row from contacts c where c.workspace_id = ${workspaceId} and c.id = any(${all}::uuid[])`),
    rowsJson<{ id: string; contact_id: string }>(db, sql`select id, contact_id from contact_identities where workspace_id = ${workspaceId} and contact_id = any(${mergedIds}::uuid[])`),
    rowsJson<Record<string, unknown>>(db, sql`select to_jsonb(t) as row from contact_tags t where t.workspace_id = ${workspaceId} and t.contact_id = any(${all}::uuid[])`),
    rowsJson<Record<string, unknown>>(db, sql`select to_jsonb(k) as row from contact_consents k where k.workspace_id = ${workspaceId} and k.contact_id = any(${all}::uuid[])`),
    rowsJson<Record<string, unknown>>(db, sql`select to_jsonb(s) as row from staff_relationships s where s.workspace_id = ${workspaceId} and s.contact_id = any(${all}::uuid[])`),
    rowsJson<{ id: string; contact_id: string }>(db, sql`select id, contact_id from timeline_events where workspace_id = ${workspaceId} and contact_id = any(${mergedIds}::uuid[])`),
    rowsJson<{ id: string; contact_id: string }>(db, sql`select id, contact_id from tasks where workspace_id = ${workspaceId} and contact_id = any(${mergedIds}::uuid[])`),
    rowsJson<{ id: string; referrer_contact_id: string }>(db, sql`select id, referrer_contact_id from contacts where workspace_id = ${workspaceId} and referrer_contact_id = any(${mergedIds}::uuid[])`),
    rowsJson<{ id: string; contact_id: string }>(db, sql`select id, contact_id from conversations where workspace_id = ${workspaceId} and contact_id = any(${mergedIds}::uuid[])`),
    rowsJson<{ id: string; sender_contact_id: string }>(db, sql`select id, sender_contact_id from messages where workspace_id = ${workspaceId} and sender_contact_id = any(${mergedIds}::uuid[])`),
    rowsJson<Record<string, unknown>>(db, sql`select to_jsonb(p) as row from conversation_participants p where p.workspace_id = ${workspaceId} and p.contact_id = any(${all}::uuid[])`),
  ]);
  const unwrap = (rows: Array<Record<string, unknown>>) => rows.map((r) => r.row as Record<string, unknown>);
  return {
    contacts: unwrap(contacts),
    identities,
    tags: unwrap(tags),
    consents: unwrap(consents),
    staff: unwrap(staff),
    timeline,
    tasks,
    referrers,
    conversations,
    senders,
    participants: unwrap(participants),
  };
}

/**
 * Moves everything of `mergedIds` onto the survivor: identities, tags (union, first source
 * kept), the latest consent per channel, staff relationships, timeline events, tasks,
 * referrals, conversations, messages' senders and group participation (one row per group);
 * writes the survivor's chosen values; retires the merged contacts.
 */
export async function applyMerge(tx: Db, workspaceId: string, survivorId: string, mergedIds: string[], survivor: Record<string, unknown>) {
  const ids = sql`${mergedIds}::uuid[]`;
  const all = [survivorId, ...mergedIds];
  await sql`update contacts c set ${sql.join(
    Object.keys(survivor).map((column) => sql`${sql.ref(column)} = r.${sql.ref(column)}`),
  )}, updated_at = now()
    from jsonb_populate_record(null::contacts, ${JSON.stringify(survivor)}::jsonb) r
    where c.workspace_id = ${workspaceId} and c.id = ${survivorId}`.execute(tx);
  await sql`update contact_identities set contact_id = ${survivorId} where workspace_id = ${workspaceId} and contact_id = any(${ids})`.execute(tx);
  await sql`insert into contact_tags (workspace_id, contact_id, tag_id, source, source_ref, added_by, added_at)
    select distinct on (tag_id) workspace_id, ${survivorId}::uuid, tag_id, source, source_ref, added_by, added_at
    from contact_tags where workspace_id = ${workspaceId} and contact_id = any(${ids}) order by tag_id, added_at
    on conflict do nothing`.execute(tx);
  await sql`delete from contact_tags where workspace_id = ${workspaceId} and contact_id = any(${ids})`.execute(tx);
  const latest = await sql<Record<string, unknown>>`select distinct on (channel_type) channel_type, status, at, how
    from contact_consents where workspace_id = ${workspaceId} and contact_id = any(${all}::uuid[]) order by channel_type, at desc`.execute(tx);
  await sql`delete from contact_consents where workspace_id = ${workspaceId} and contact_id = any(${all}::uuid[])`.execute(tx);
  if (latest.rows.length) {
    await sql`insert into contact_consents (workspace_id, contact_id, channel_type, status, at, how)
      select ${workspaceId}, ${survivorId}, r.channel_type, r.status, r.at, r.how
      from jsonb_populate_recordset(null::contact_consents, ${JSON.stringify(latest.rows)}::jsonb) r`.execute(tx);
  }
  await sql`insert into staff_relationships (workspace_id, contact_id, member_id, channel_type, since, removed_by_contact_at, removed_by_staff_at)
    select workspace_id, ${survivorId}::uuid, member_id, channel_type, since, removed_by_contact_at, removed_by_staff_at
    from staff_relationships where workspace_id = ${workspaceId} and contact_id = any(${ids})
    on conflict do nothing`.execute(tx);
  await sql`delete from staff_relationships where workspace_id = ${workspaceId} and contact_id = any(${ids})`.execute(tx);
  await sql`update timeline_events set contact_id = ${survivorId} where workspace_id = ${workspaceId} and contact_id = any(${ids})`.execute(tx);
  await sql`update tasks set contact_id = ${survivorId} where workspace_id = ${workspaceId} and contact_id = any(${ids})`.execute(tx);
  await sql`update contacts set referrer_contact_id = ${survivorId} where workspace_id = ${workspaceId} and referrer_contact_id = any(${ids})`.execute(tx);
  await sql`update conversations set contact_id = ${survivorId} where workspace_id = ${workspaceId} and contact_id = any(${ids})`.execute(tx);
  await sql`update messages set sender_contact_id = ${survivorId} where workspace_id = ${workspaceId} and sender_contact_id = any(${ids})`.execute(tx);
  // In a group both were in, one participant: the earliest join, every message, present if either is.
  await sql`insert into conversation_participants (workspace_id, conversation_id, contact_id, external_id, joined_at, left_at, last_message_at, message_count)
    select workspace_id, conversation_id, ${survivorId}::uuid, (array_agg(external_id order by last_message_at desc nulls last))[1], min(joined_at),
      case when bool_and(left_at is not null) then max(left_at) end, max(last_message_at), sum(message_count)
    from conversation_participants where workspace_id = ${workspaceId} and contact_id = any(${all}::uuid[])
    group by workspace_id, conversation_id
    on conflict (workspace_id, conversation_id, contact_id) do update set external_id = excluded.external_id, joined_at = excluded.joined_at,
      left_at = excluded.left_at, last_message_at = excluded.last_message_at, message_count = excluded.message_count`.execute(tx);
  await sql`delete from conversation_participants where workspace_id = ${workspaceId} and contact_id = any(${ids})`.execute(tx);
  await sql`update contacts set deleted_at = now(), merged_into_id = ${survivorId}, updated_at = now()
    where workspace_id = ${workspaceId} and id = any(${ids})`.execute(tx);
}

/** Puts every row the merge touched back as the snapshot recorded it. */
export async function restoreSnapshot(tx: Db, workspaceId: string, s: MergeSnapshot) {
  const all = s.contacts.map((c) => c.id as string);
  const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;
  await sql`update contacts c set ${sql.join(CONTACT_COLUMNS.map((column) => sql`${sql.ref(column)} = r.${sql.ref(column)}`))}
    from jsonb_populate_recordset(null::contacts, ${json(s.contacts)}) r
    where c.workspace_id = ${workspaceId} and c.id = r.id`.execute(tx);
  await sql`update contact_identities i set contact_id = r.contact_id
    from jsonb_to_recordset(${json(s.identities)}) r(id uuid, contact_id uuid) where i.workspace_id = ${workspaceId} and i.id = r.id`.execute(tx);
  for (const table of ['contact_tags', 'contact_consents', 'staff_relationships'] as const) {
    const rows = table === 'contact_tags' ? s.tags : table === 'contact_consents' ? s.consents : s.staff;
    await sql`delete from ${sql.table(table)} where workspace_id = ${workspaceId} and contact_id = any(${all}::uuid[])`.execute(tx);
    if (rows.length) await sql`insert into ${sql.table(table)} select * from jsonb_populate_recordset(null::${sql.table(table)}, ${json(rows)})`.execute(tx);
  }
  for (const table of ['timeline_events', 'tasks'] as const) {
    const rows = table === 'timeline_events' ? s.timeline : s.tasks;
    if (rows.length) {
      await sql`update ${sql.table(table)} t set contact_id = r.contact_id
        from jsonb_to_recordset(${json(rows)}) r(id uuid, contact_id uuid) where t.workspace_id = ${workspaceId} and t.id = r.id`.execute(tx);
    }
  }
  await sql`delete from conversation_participants where workspace_id = ${workspaceId} and contact_id = any(${all}::uuid[])`.execute(tx);
  if (s.participants?.length) {
    await sql`insert into conversation_participants select * from jsonb_populate_recordset(null::conversation_participants, ${json(s.participants)})`.execute(tx);
  }
  if (s.conversations?.length) {
    await sql`update conversations c set contact_id = r.contact_id
      from jsonb_to_recordset(${json(s.conversations)}) r(id uuid, contact_id uuid) where c.workspace_id = ${workspaceId} and c.id = r.id`.execute(tx);
  }
  if (s.senders?.length) {
    await sql`update messages m set sender_contact_id = r.sender_contact_id
      from jsonb_to_recordset(${json(s.senders)}) r(id uuid, sender_contact_id uuid) where m.workspace_id = ${workspaceId} and m.id = r.id`.execute(tx);
  }
  if (s.referrers.length) {
    await sql`update contacts c set referrer_contact_id = r.referrer_contact_id
      from jsonb_to_recordset(${json(s.referrers)}) r(id uuid, referrer_contact_id uuid) where c.workspace_id = ${workspaceId} and c.id = r.id`.execute(tx);
  }
}
