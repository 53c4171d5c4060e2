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

/** Rebuilds the rule's members over the whole workspace (no transitions: a build acts on nothing); returns how many. */
export async function rebuildMembers(db: Db, workspaceId: string, ruleId: string, compiled: CompiledDefinition): Promise<number> {
  await sql`delete from tag_rule_members where workspace_id = ${workspaceId} and rule_id = ${ruleId}`.execute(db);
  const result = await sql`
    insert into tag_rule_members (workspace_id, rule_id, contact_id)
    select ${workspaceId}::uuid, ${ruleId}::uuid, c.id from ${compiled.from} where ${compiled.where}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Drops deleted (or merged-away) contacts from every rule's members, acting on nothing. */
export const forgetContacts = (db: Db, workspaceId: string, contactIds: readonly string[]) =>
  sql`delete from tag_rule_members where workspace_id = ${workspaceId} and contact_id = any(${[...contactIds]}::uuid[])`.execute(db);

/** Records a backfill's targets: the rule's members (`true`), the live contacts outside them (`false`), or what `compiled` matches. */
export async function recordTargets(db: Db, workspaceId: string, jobId: string, ruleId: string, source: CompiledDefinition | 'members' | 'non_members'): Promise<number> {
  const select =
    source === 'members'
      ? sql`select ${workspaceId}::uuid, ${jobId}::uuid, m.contact_id from tag_rule_members m
            join contacts c on c.workspace_id = m.workspace_id and c.id = m.contact_id and c.deleted_at is null
            where m.workspace_id = ${workspaceId} and m.rule_id = ${ruleId}`
      : source === 'non_members'
        ? sql`select ${workspaceId}::uuid, ${jobId}::uuid, c.id from contacts c
              where c.workspace_id = ${workspaceId} and c.deleted_at is null
                and not exists (select 1 from tag_rule_members m where m.workspace_id = c.workspace_id and m.rule_id = ${ruleId} and m.contact_id = c.id)`
        : sql`select ${workspaceId}::uuid, ${jobId}::uuid, c.id from ${source.from} where ${source.where}`;
  const result = await sql`insert into tag_rule_targets (workspace_id, job_id, contact_id) ${select}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Whether the contact meets the compiled definition (compiled for it). */
export async function meets(db: Db, compiled: CompiledDefinition): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`select c.id from ${compiled.from} where ${compiled.where} limit 1`.execute(db);
  return rows.length > 0;
}
