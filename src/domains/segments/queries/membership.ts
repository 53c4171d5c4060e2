// Reads and writes of membership that join the contacts domain's tables: evaluating a compiled
// definition into segment_members (a full build or a set of changed contacts), counting and
// listing members within an actor's data scope, and finding the contacts a tag change touched.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Db } from '../../../platform/db/connect.js';
import { inTransaction } from '../../../platform/db/transaction.js';
import { visibleContact } from '../../contacts/index.js';
import type { CompiledDefinition } from './compile.js';

export interface MembershipChange {
  entered: string[];
  left: string[];
}

/**
 * Makes the segment's members equal to what `compiled` matches — over the whole workspace, or
 * only among `contactIds` when the definition was compiled for them — in one statement: the
 * matches, the inserts of newcomers and the deletes of leavers. Returns who entered and left
 * (`withIds`), or only how many.
 *
 * Newcomers are the matches EXCEPT the members, leavers the members EXCEPT the matches: hashed set
 * operations, linear whatever the planner guesses. The planner has no statistics for a fresh
 * segment's members (nor for a just-filled one), and a NOT EXISTS against the materialised match
 * could become a nested loop over both: quadratic (the auto-tag twin of this statement took 17-55 s
 * at 30,000 contacts that way).
 */
export async function applyMembership(db: Db, workspaceId: string, segmentId: string, compiled: CompiledDefinition, contactIds: readonly string[] | null, withIds: boolean) {
  const within = contactIds ? sql` and m.contact_id = any(${[...contactIds]}::uuid[])` : sql``;
  const members = sql`select m.contact_id from segment_members m where m.workspace_id = ${workspaceId} and m.segment_id = ${segmentId}${within}`;
  const changes = sql`
    with matched as materialized (select c.id from ${compiled.from} where ${compiled.where}),
    entered as (
      insert into segment_members (workspace_id, segment_id, contact_id)
      select ${workspaceId}::uuid, ${segmentId}::uuid, x.id from (select id from matched except ${members}) x
      on conflict do nothing
      returning contact_id),
    gone as (
      delete from segment_members d
      using (${members} except select id from matched) x
      where d.workspace_id = ${workspaceId} and d.segment_id = ${segmentId} and d.contact_id = x.contact_id
      returning d.contact_id)`;
  if (withIds) {
    const { rows } = await sql<{ change: 'entered' | 'left'; contact_id: string }>`${changes}
      select 'entered' as change, contact_id from entered union all select 'left', contact_id from gone`.execute(db);
    return { entered: rows.filter((r) => r.change === 'entered').map((r) => r.contact_id), left: rows.filter((r) => r.change === 'left').map((r) => r.contact_id) };
  }
  const { rows } = await sql<{ entered: number; left: number }>`${changes}
    select (select count(*) from entered)::int as entered, (select count(*) from gone)::int as left`.execute(db);
  return { entered: rows[0]!.entered, left: rows[0]!.left };
}

/**
 * Memory for one evaluation over a whole workspace: a behaviour condition hashes one row per
 * contact with events in its window (~300,000 at 10^6 contacts, ~40 MB); at the default 4 MB the
 * aggregate spills to disk in batches. Transaction-local.
 */
export const evaluationMemory = (tx: Db) => sql`set local work_mem = '64MB'`.execute(tx);

/** How many contacts a compiled definition matches (compiled with the actor: only those they see). */
export async function countMatches(db: Db, compiled: CompiledDefinition): Promise<number> {
  return inTransaction(db, async (tx) => {
    await evaluationMemory(tx);
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${compiled.from} where ${compiled.where}`.execute(tx);
    return Number(rows[0]!.n);
  });
}

/** Exact member counts of segments, counting only live contacts the actor sees. */
export async function visibleMemberCounts(db: Db, actor: Actor, segmentIds: readonly string[]): Promise<Map<string, number>> {
  if (!segmentIds.length) return new Map();
  const { rows } = await sql<{ segment_id: string; n: string }>`
    select m.segment_id, count(*) as n from segment_members m
    join contacts c on c.workspace_id = m.workspace_id and c.id = m.contact_id
    where m.workspace_id = ${actor.workspaceId} and m.segment_id = any(${[...segmentIds]}::uuid[]) and ${visibleContact(actor)}
    group by m.segment_id`.execute(db);
  return new Map(rows.map((r) => [r.segment_id, Number(r.n)]));
}

export interface MemberRow {
  contact_id: string;
  entered_at: Date;
  name: string;
  avatar_url: string | null;
  phone: string | null;
  email: string | null;
  company: string | null;
  owner_member_id: string | null;
}

/** A page of members the actor sees, newest first, after the (entered_at, contact_id) keyset. */
export async function memberPage(db: Db, actor: Actor, segmentId: string, after: Expression<SqlBool> | undefined, limit: number) {
  const { rows } = await sql<MemberRow>`
    select m.contact_id, m.entered_at, c.name, c.avatar_url, c.phone, c.email, c.company, c.owner_member_id
    from segment_members m
    join contacts c on c.workspace_id = m.workspace_id and c.id = m.contact_id
    where m.workspace_id = ${actor.workspaceId} and m.segment_id = ${segmentId} and ${visibleContact(actor)}
      ${after ? sql`and ${after}` : sql``}
    order by m.entered_at desc, m.contact_id desc
    limit ${limit + 1}`.execute(db);
  return rows;
}

/** The segments a contact is in, by name. */
export async function segmentsOfContact(db: Db, workspaceId: string, contactId: string) {
  const { rows } = await sql<{ id: string; name: string; kind: 'dynamic' | 'static'; entered_at: Date }>`
    select s.id, s.name, s.kind, m.entered_at from segment_members m
    join segments s on s.workspace_id = m.workspace_id and s.id = m.segment_id
    where m.workspace_id = ${workspaceId} and m.contact_id = ${contactId}
    order by lower(s.name), s.id`.execute(db);
  return rows;
}

/** The contacts a tag change (added, replaced or removed under `sourceRef`) touched. */
export async function contactsOfTagChange(db: Db, workspaceId: string, sourceRef: string, added: boolean): Promise<string[]> {
  const { rows } = await sql<{ contact_id: string }>`
    ${added ? sql`select contact_id from contact_tags where workspace_id = ${workspaceId} and source_ref = ${sourceRef} union ` : sql``}
    select contact_id from contact_tag_removals where workspace_id = ${workspaceId} and source_ref = ${sourceRef}`.execute(db);
  return rows.map((r) => r.contact_id);
}

/** Live contacts in the workspace (the build's progress total). */
export async function liveContacts(db: Db, workspaceId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from contacts where workspace_id = ${workspaceId} and deleted_at is null`.execute(db);
  return Number(rows[0]!.n);
}
