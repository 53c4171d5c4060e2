// Layer moves with the contact they concern (name, owner), for the trigger rules: the moves of one
// source (a recompute job, an event), a page at a time in id order. Moves of contacts deleted
// since are left out.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import type { Layer } from '../layers.js';
import type { ChangeReason } from '../tables.js';

export interface Move {
  id: string;
  contact_id: string;
  contact_name: string;
  owner_member_id: string | null;
  from_layer: Layer;
  to_layer: Layer;
  reason: ChangeReason;
  changed_at: Date;
}

export async function movesOf(db: Db, workspaceId: string, source: { sourceRef: string } | { changeIds: readonly string[] }, after: string | null, limit: number) {
  const which = 'sourceRef' in source ? sql`ch.source_ref = ${source.sourceRef}` : sql`ch.id = any(${[...source.changeIds]}::uuid[])`;
  const { rows } = await sql<Move>`
    select ch.id, ch.contact_id, c.name as contact_name, c.owner_member_id, ch.from_layer, ch.to_layer, ch.reason, ch.changed_at
    from rfm_layer_changes ch
    join contacts c on c.workspace_id = ch.workspace_id and c.id = ch.contact_id
    where ch.workspace_id = ${workspaceId} and ${which} and c.deleted_at is null
      ${after ? sql`and ch.id > ${after}::uuid` : sql``}
    order by ch.id
    limit ${limit}`.execute(db);
  return rows;
}
