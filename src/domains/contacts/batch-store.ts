// Set-based changes to a chunk of contacts (ids already resolved within the actor's scope).
// Each returns the contacts it changed, with the value they had, for the events.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

export const setStage = (db: Db, workspaceId: string, ids: readonly string[], stageId: string | null) =>
  sql<{ id: string; before: string | null }>`
    update contacts c set stage_id = ${stageId}, updated_at = now()
    from contacts old
    where c.workspace_id = ${workspaceId} and c.id = any(${[...ids]}::uuid[]) and c.deleted_at is null
      and c.stage_id is distinct from ${stageId}::uuid
      and old.workspace_id = c.workspace_id and old.id = c.id
    returning c.id, old.stage_id as before`.execute(db).then((r) => r.rows);

export const setOwner = (db: Db, workspaceId: string, ids: readonly string[], ownerId: string | null) =>
  sql<{ id: string; before: string | null }>`
    update contacts c set owner_member_id = ${ownerId}, updated_at = now()
    from contacts old
    where c.workspace_id = ${workspaceId} and c.id = any(${[...ids]}::uuid[]) and c.deleted_at is null
      and c.owner_member_id is distinct from ${ownerId}::uuid
      and old.workspace_id = c.workspace_id and old.id = c.id
    returning c.id, old.owner_member_id as before`.execute(db).then((r) => r.rows);

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
