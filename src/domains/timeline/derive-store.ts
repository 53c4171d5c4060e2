// SQL that derives timeline entries from domain events, set-based and idempotent: each entry's id
// is a hash of what it records (event or change ref, contact, type), so a redelivered event
// inserts nothing, and a merge that moves entries to another contact keeps them unique.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

export interface Derivation {
  eventId: number;
  type: string;
  occurredAt: Date;
  actorMemberId: string | null;
}

const stage = (workspaceId: string, id: string | null) =>
  sql`(select jsonb_build_object('id', s.id, 'name', s.name, 'color', s.color) from stages s where s.workspace_id = ${workspaceId} and s.id = ${id}::uuid)`;
const member = (workspaceId: string, id: string | null) =>
  sql`(select jsonb_build_object('id', m.id, 'name', u.name) from members m join users u on u.id = m.user_id where m.workspace_id = ${workspaceId} and m.id = ${id}::uuid)`;

/** One entry per existing contact of `contactIds`, with the same props for each. */
export const insertForContacts = (db: Db, workspaceId: string, contactIds: readonly string[], d: Derivation, props: RawBuilder<unknown>) =>
  sql`insert into timeline_events (workspace_id, id, contact_id, type, occurred_at, actor_member_id, props, source_event)
      select c.workspace_id, md5('event:' || ${d.eventId}::text || ':' || c.id::text || ':' || ${d.type}::text)::uuid, c.id, ${d.type}::text,
             ${d.occurredAt}::timestamptz, ${d.actorMemberId}::uuid, ${props}, ${d.eventId}::bigint
      from contacts c where c.workspace_id = ${workspaceId} and c.id = any(${[...contactIds]}::uuid[])
      on conflict do nothing`.execute(db);

export const props = {
  json: (value: Record<string, unknown>) => sql`${JSON.stringify(value)}::jsonb`,
  stageChange: (workspaceId: string, from: string | null, to: string | null) =>
    sql`jsonb_build_object('from', ${stage(workspaceId, from)}, 'to', ${stage(workspaceId, to)})`,
  ownerChange: (workspaceId: string, from: string | null, to: string | null) =>
    sql`jsonb_build_object('from', ${member(workspaceId, from)}, 'to', ${member(workspaceId, to)})`,
  merged: (workspaceId: string, mergeId: string, mergedIds: readonly string[]) =>
    sql`jsonb_build_object('mergeId', ${mergeId}::text, 'merged', coalesce((
          select jsonb_agg(jsonb_build_object('id', mc.id, 'name', mc.name) order by mc.name, mc.id) from contacts mc
          where mc.workspace_id = ${workspaceId} and mc.id = any(${[...mergedIds]}::uuid[])), '[]'::jsonb))`,
};

/**
 * tags_added: one entry per contact that a change (by its source_ref) tagged, listing its tags;
 * only the named contacts when the event names them (a ref shared by an import's batches or a
 * batch job's chunks). Events before 2026-12 may not name them.
 */
export const insertTagsAdded = (db: Db, workspaceId: string, sourceRef: string, contactIds: readonly string[] | null, source: string, d: Derivation) =>
  sql`insert into timeline_events (workspace_id, id, contact_id, type, occurred_at, actor_member_id, props, source_event)
      select ct.workspace_id, md5('tags:' || ${sourceRef}::text || ':' || ct.contact_id::text || ':tags_added')::uuid, ct.contact_id, 'tags_added',
             ${d.occurredAt}::timestamptz, ${d.actorMemberId}::uuid,
             jsonb_build_object('source', ${source}::text, 'tags', jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name, 'color', t.color) order by t.name, t.id)),
             ${d.eventId}::bigint
      from contact_tags ct
      join tags t on t.workspace_id = ct.workspace_id and t.id = ct.tag_id
      where ct.workspace_id = ${workspaceId} and ct.source_ref = ${sourceRef}
        ${contactIds ? sql`and ct.contact_id = any(${[...contactIds]}::uuid[])` : sql``}
      group by ct.workspace_id, ct.contact_id
      on conflict do nothing`.execute(db);

/** tags_removed: one entry per contact that a change took tags off (incl. single-choice replacements); only the named contacts when the event names them. */
export const insertTagsRemoved = (db: Db, workspaceId: string, sourceRef: string, contactIds: readonly string[] | null, source: string, d: Derivation) =>
  sql`insert into timeline_events (workspace_id, id, contact_id, type, occurred_at, actor_member_id, props, source_event)
      select r.workspace_id, md5('tags:' || ${sourceRef}::text || ':' || r.contact_id::text || ':tags_removed')::uuid, r.contact_id, 'tags_removed',
             ${d.occurredAt}::timestamptz, ${d.actorMemberId}::uuid,
             jsonb_build_object('source', ${source}::text, 'tags', jsonb_agg(jsonb_build_object('id', r.tag_id, 'name', t.name, 'color', t.color) order by t.name, r.tag_id)),
             ${d.eventId}::bigint
      from contact_tag_removals r
      left join tags t on t.workspace_id = r.workspace_id and t.id = r.tag_id
      where r.workspace_id = ${workspaceId} and r.source_ref = ${sourceRef}
        ${contactIds ? sql`and r.contact_id = any(${[...contactIds]}::uuid[])` : sql``}
      group by r.workspace_id, r.contact_id
      on conflict do nothing`.execute(db);
