// Set-based changes to a chunk of contacts (ids already resolved within the actor's scope).
// Each returns the contacts it changed, with the value they had, for the events.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

/** Sets the stage or the owner of the live contacts among `ids` that differ from `value`. */
export const setReference = (db: Db, workspaceId: string, ids: readonly string[], column: 'stage_id' | 'owner_member_id', value: string | null) =>
  sql<{ id: string; before: string | null }>`
    update contacts c set ${sql.ref(column)} = ${value}, updated_at = now()
    from contacts old
    where c.workspace_id = ${workspaceId} and c.id = any(${[...ids]}::uuid[]) and c.deleted_at is null
      and c.${sql.ref(column)} is distinct from ${value}::uuid
      and old.workspace_id = c.workspace_id and old.id = c.id
    returning c.id, old.${sql.ref(column)} as before`.execute(db).then((r) => r.rows);

export const softDelete = (db: Db, workspaceId: string, ids: readonly string[]) =>
  sql<{ id: string }>`
    update contacts set deleted_at = now(), updated_at = now()
    where workspace_id = ${workspaceId} and id = any(${[...ids]}::uuid[]) and deleted_at is null
    returning id`.execute(db).then((r) => r.rows);

/** Only contacts deleted within the restore window, and never ones merged into another. */
export const restore = (db: Db, workspaceId: string, ids: readonly string[], days: number) =>
  sql<{ id: string }>`
    update contacts set deleted_at = null, updated_at = now()
    where workspace_id = ${workspaceId} and id = any(${[...ids]}::uuid[]) and merged_into_id is null
      and deleted_at > now() - make_interval(days => ${days})
    returning id`.execute(db).then((r) => r.rows);

/** Records the contacts `target` (a predicate on `contacts c`) selects as the job's targets; returns how many. */
export const resolveTargets = async (db: Db, workspaceId: string, jobId: string, target: Expression<SqlBool>) =>
  Number(
    (
      await sql`insert into contact_batch_targets (workspace_id, job_id, contact_id)
                select ${workspaceId}::uuid, ${jobId}::uuid, c.id from contacts c where ${target}`.execute(db)
    ).numAffectedRows ?? 0,
  );

/** The job's next `limit` targets after `after`, in id order. */
export const nextTargets = (db: Db, workspaceId: string, jobId: string, after: string | null, limit: number) =>
  db
    .selectFrom('contact_batch_targets')
    .select('contact_id')
    .where('workspace_id', '=', workspaceId)
    .where('job_id', '=', jobId)
    .$if(after !== null, (q) => q.where('contact_id', '>', after!))
    .orderBy('contact_id')
    .limit(limit)
    .execute()
    .then((rows) => rows.map((r) => r.contact_id));

export const dropTargets = (db: Db, workspaceId: string, jobId: string) =>
  db.deleteFrom('contact_batch_targets').where('workspace_id', '=', workspaceId).where('job_id', '=', jobId).execute();
