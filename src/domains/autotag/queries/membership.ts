// Who meets a condition rule's condition, kept in tag_rule_members: evaluating the compiled
// definition (segments' compiler, over `contacts c`) and diffing it against the stored members,
// for the whole workspace (a build) or only some contacts (a change). Reads the contacts domain's
// tables, hence here.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import type { CompiledDefinition } from '../../segments/index.js';

export interface Transitions {
  entered: string[];
  left: string[];
}

/**
 * Makes the rule's members equal to what `compiled` matches — among `contactIds` when it was
 * compiled for them, else over the whole workspace — in one statement, and returns who entered
 * and who left.
 */
export async function diffMembers(db: Db, workspaceId: string, ruleId: string, compiled: CompiledDefinition, contactIds: readonly string[] | null): Promise<Transitions> {
  const { rows } = await wholeWorkspace(db, contactIds === null, () =>
    sql<{ change: 'entered' | 'left'; contact_id: string }>`
      ${changes(workspaceId, ruleId, compiled, contactIds)}
      select 'entered' as change, contact_id from entered union all select 'left', contact_id from gone`.execute(db),
  );
  return { entered: rows.filter((r) => r.change === 'entered').map((r) => r.contact_id), left: rows.filter((r) => r.change === 'left').map((r) => r.contact_id) };
}

/**
 * Runs a statement over a whole workspace's members with nested loops off. The planner's
 * estimates for a rule's members are far too low (a fresh table, or one a build has just filled,
 * has no statistics for them), and it joined them to the match with a nested loop: n², 50 s at
 * 30,000 contacts. Hash joins and hashed set operations are linear. The setting is put back
 * (`set local`: only this transaction ever sees it).
 */
async function wholeWorkspace<T>(db: Db, whole: boolean, work: () => Promise<T>): Promise<T> {
  if (!whole) return work();
  await sql`set local enable_nestloop = off`.execute(db);
  try {
    return await work();
  } finally {
    await sql`set local enable_nestloop = on`.execute(db);
  }
}

/** The statement's CTEs: who matches, who joins (match except members), who leaves (members except match). */
function changes(workspaceId: string, ruleId: string, compiled: CompiledDefinition, contactIds: readonly string[] | null) {
  const within = contactIds ? sql` and m.contact_id = any(${[...contactIds]}::uuid[])` : sql``;
  const members = sql`select m.contact_id from tag_rule_members m where m.workspace_id = ${workspaceId} and m.rule_id = ${ruleId}${within}`;
  return sql`
    with matched as materialized (select c.id from ${compiled.from} where ${compiled.where}),
    entered as (
      insert into tag_rule_members (workspace_id, rule_id, contact_id)
      select ${workspaceId}::uuid, ${ruleId}::uuid, x.id from (select id from matched except ${members}) x
      -- In key order: a backfill then walks the heap in order too (see nextMembers).
      order by x.id
      on conflict do nothing
      returning contact_id),
    -- Data-modifying CTEs run whether or not the final select reads them.
    gone as (
      delete from tag_rule_members d
      using (${members} except select id from matched) x
      where d.workspace_id = ${workspaceId} and d.rule_id = ${ruleId} and d.contact_id = x.contact_id
      returning d.contact_id)`;
}

/**
 * Makes the rule's members what `compiled` matches over the whole workspace (a build: no
 * transitions, nothing acts), writing only the difference; returns how many members it has.
 */
export async function syncMembers(db: Db, workspaceId: string, ruleId: string, compiled: CompiledDefinition): Promise<number> {
  const { rows } = await wholeWorkspace(db, true, () => sql<{ n: number }>`${changes(workspaceId, ruleId, compiled, null)} select count(*)::int as n from matched`.execute(db));
  return rows[0]!.n;
}

/** Drops deleted (or merged-away) contacts from every rule's members, acting on nothing. */
export const forgetContacts = (db: Db, workspaceId: string, contactIds: readonly string[]) =>
  sql`delete from tag_rule_members where workspace_id = ${workspaceId} and contact_id = any(${[...contactIds]}::uuid[])`.execute(db);

/** Records a backfill's targets: what `compiled` matches (an event rule's "did it"); returns how many. */
export async function recordTargets(db: Db, workspaceId: string, jobId: string, compiled: CompiledDefinition): Promise<number> {
  const result = await sql`
    insert into tag_rule_targets (workspace_id, job_id, contact_id)
    select ${workspaceId}::uuid, ${jobId}::uuid, c.id from ${compiled.from} where ${compiled.where}
    order by c.id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * How many contacts a condition rule's backfill walks: its members as they stand (`true`; the walk
 * reads them all, see nextMembers), or the live contacts outside them (`false`). Counted from the
 * members' key and the contacts' partial indexes, with only the few deleted contacts joined to
 * the members, so no plan joins every member to contacts.
 */
export async function countMembers(db: Db, workspaceId: string, ruleId: string, members: boolean): Promise<number> {
  const { rows } = await sql<{ members: string; dead: string; live: string }>`
    select (select count(*) from tag_rule_members m where m.workspace_id = ${workspaceId} and m.rule_id = ${ruleId}) as members,
           (select count(*) from contacts c join tag_rule_members m on m.workspace_id = c.workspace_id and m.rule_id = ${ruleId} and m.contact_id = c.id
            where c.workspace_id = ${workspaceId} and c.deleted_at is not null) as dead,
           (select count(*) from contacts c where c.workspace_id = ${workspaceId} and c.deleted_at is null) as live`.execute(db);
  const r = rows[0]!;
  return members ? Number(r.members) : Number(r.live) - (Number(r.members) - Number(r.dead));
}

/** One step of a walk in id order: the contacts to act on, and the last id it looked at (null: nothing left). */
export interface WalkStep {
  ids: string[];
  through: string | null;
  /** Whether the walk may go on after `through`. */
  more: boolean;
}

/**
 * Statistics for a table a backfill has just filled (a rule's members, a job's targets), taken
 * before its walk. Without them the planner expects a handful of rows and reads each step as a
 * bitmap scan of every row after `after` and a sort (quadratic over the walk: 0.8 s a step halfway
 * through 670,000 members at 10^6 contacts) instead of the first `limit` rows of the key.
 */
export const analyzeWalked = (db: Db, table: 'tag_rule_members' | 'tag_rule_targets') => sql`analyze ${sql.table(table)}`.execute(db);

/**
 * The rule's next `limit` members after `after` in id order. Members are read from their
 * primary key alone: a deleted contact leaves them with its delete event, and tagging skips any
 * that has not yet. (Joining contacts to check cost a heap read per member: 0.9 s per 10,000 at
 * 10^6 contacts.) Not yet vacuumed, each member is checked in the heap, which holds them in key
 * order as a build inserts them.
 */
export async function nextMembers(db: Db, workspaceId: string, ruleId: string, after: string | null, limit: number): Promise<WalkStep> {
  const { rows } = await sql<{ id: string }>`
    select m.contact_id as id from tag_rule_members m
    where m.workspace_id = ${workspaceId} and m.rule_id = ${ruleId}${after ? sql` and m.contact_id > ${after}` : sql``}
    order by m.contact_id limit ${limit}`.execute(db);
  const ids = rows.map((r) => r.id);
  return { ids, through: ids.at(-1) ?? null, more: ids.length === limit };
}

/**
 * The live contacts that are not the rule's members among the next `limit` live contacts after
 * `after` in id order: that span of contacts except the members within the same id range, both
 * read in id order from their primary keys. (An anti-join of contacts to every member, as NOT
 * EXISTS may plan, reads all the members for each step: quadratic over the walk.)
 */
export async function nextNonMembers(db: Db, workspaceId: string, ruleId: string, after: string | null, limit: number): Promise<WalkStep> {
  const { rows } = await sql<{ id: string | null; through: string | null; examined: number }>`
    with span as materialized (
      select c.id from contacts c
      where c.workspace_id = ${workspaceId} and c.deleted_at is null${after ? sql` and c.id > ${after}` : sql``}
      order by c.id limit ${limit}),
    -- (uuid has no max() before PostgreSQL 16.)
    bounds as (select (select id from span order by id desc limit 1) as through, (select count(*)::int from span) as examined),
    outside as (
      select id from span
      except
      select m.contact_id from tag_rule_members m
      where m.workspace_id = ${workspaceId} and m.rule_id = ${ruleId}${after ? sql` and m.contact_id > ${after}` : sql``}
        and m.contact_id <= (select through from bounds))
    select o.id, b.through, b.examined from bounds b left join outside o on true
    order by o.id`.execute(db);
  const first = rows[0]!;
  return { ids: rows.flatMap((r) => (r.id ? [r.id] : [])), through: first.through, more: first.examined === limit };
}

/** Whether the contact meets the compiled definition (compiled for it). */
export async function meets(db: Db, compiled: CompiledDefinition): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`select c.id from ${compiled.from} where ${compiled.where} limit 1`.execute(db);
  return rows.length > 0;
}
