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
  const within = contactIds ? sql` and m.contact_id = any(${[...contactIds]}::uuid[])` : sql``;
  const { rows } = await sql<{ change: 'entered' | 'left'; contact_id: string }>`
    with matched as materialized (select c.id from ${compiled.from} where ${compiled.where}),
    entered as (
      insert into tag_rule_members (workspace_id, rule_id, contact_id)
      select ${workspaceId}::uuid, ${ruleId}::uuid, x.id from matched x
      on conflict do nothing
      returning contact_id),
    gone as (
      delete from tag_rule_members m
      where m.workspace_id = ${workspaceId} and m.rule_id = ${ruleId}${within}
        and not exists (select 1 from matched x where x.id = m.contact_id)
      returning m.contact_id)
    select 'entered' as change, contact_id from entered union all select 'left', contact_id from gone`.execute(db);
  return { entered: rows.filter((r) => r.change === 'entered').map((r) => r.contact_id), left: rows.filter((r) => r.change === 'left').map((r) => r.contact_id) };
}

/**
 * Makes the rule's members what `compiled` matches over the whole workspace (a build: no
 * transitions, nothing acts), writing only the difference; returns how many members it has.
 */
export async function syncMembers(db: Db, workspaceId: string, ruleId: string, compiled: CompiledDefinition): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with matched as materialized (select c.id from ${compiled.from} where ${compiled.where}),
    entered as (
      insert into tag_rule_members (workspace_id, rule_id, contact_id)
      select ${workspaceId}::uuid, ${ruleId}::uuid, x.id from matched x
      where not exists (select 1 from tag_rule_members m where m.workspace_id = ${workspaceId} and m.rule_id = ${ruleId} and m.contact_id = x.id)
      on conflict do nothing
      returning 1),
    -- Data-modifying CTEs run whether or not the final select reads them.
    gone as (
      delete from tag_rule_members m
      where m.workspace_id = ${workspaceId} and m.rule_id = ${ruleId} and not exists (select 1 from matched x where x.id = m.contact_id)
      returning 1)
    select count(*)::int as n from matched`.execute(db);
  return rows[0]!.n;
}

/** Drops deleted (or merged-away) contacts from every rule's members, acting on nothing. */
export const forgetContacts = (db: Db, workspaceId: string, contactIds: readonly string[]) =>
  sql`delete from tag_rule_members where workspace_id = ${workspaceId} and contact_id = any(${[...contactIds]}::uuid[])`.execute(db);

/** Records a backfill's targets: what `compiled` matches (an event rule's "did it"); returns how many. */
export async function recordTargets(db: Db, workspaceId: string, jobId: string, compiled: CompiledDefinition): Promise<number> {
  const result = await sql`
    insert into tag_rule_targets (workspace_id, job_id, contact_id)
    select ${workspaceId}::uuid, ${jobId}::uuid, c.id from ${compiled.from} where ${compiled.where}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** How many live contacts a condition rule's backfill walks: its members (`true`) or the others (`false`). */
export async function countMembers(db: Db, workspaceId: string, ruleId: string, members: boolean): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from contacts c
    where c.workspace_id = ${workspaceId} and c.deleted_at is null
      and ${members ? sql`` : sql`not`} exists (select 1 from tag_rule_members m where m.workspace_id = c.workspace_id and m.rule_id = ${ruleId} and m.contact_id = c.id)`.execute(db);
  return Number(rows[0]!.n);
}

/** The next live contacts after `after` in id order that are (or are not) the rule's members. */
export async function nextMembers(db: Db, workspaceId: string, ruleId: string, members: boolean, after: string | null, limit: number): Promise<string[]> {
  const { rows } = members
    ? await sql<{ id: string }>`
        select m.contact_id as id from tag_rule_members m
        join contacts c on c.workspace_id = m.workspace_id and c.id = m.contact_id and c.deleted_at is null
        where m.workspace_id = ${workspaceId} and m.rule_id = ${ruleId}${after ? sql` and m.contact_id > ${after}` : sql``}
        order by m.contact_id limit ${limit}`.execute(db)
    : await sql<{ id: string }>`
        select c.id from contacts c
        where c.workspace_id = ${workspaceId} and c.deleted_at is null${after ? sql` and c.id > ${after}` : sql``}
          and not exists (select 1 from tag_rule_members m where m.workspace_id = c.workspace_id and m.rule_id = ${ruleId} and m.contact_id = c.id)
        order by c.id limit ${limit}`.execute(db);
  return rows.map((r) => r.id);
}

/** Whether the contact meets the compiled definition (compiled for it). */
export async function meets(db: Db, compiled: CompiledDefinition): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`select c.id from ${compiled.from} where ${compiled.where} limit 1`.execute(db);
  return rows.length > 0;
}
