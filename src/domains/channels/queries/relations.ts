// Reads of other domains' tables for relation facts (read-only, named here: STYLE.md §12): the
// stored inbound event a relation change came from (inbox), and who acts for the channel.
import type { Db } from '../../../platform/db/connect.js';

/** The event as the adapter's parse() returned it; undefined when gone. */
export async function storedRelationEvent(db: Db, workspaceId: string, channelId: string, providerEventId: string) {
  const row = await db
    .selectFrom('inbound_events')
    .select('event')
    .where('workspace_id', '=', workspaceId)
    .where('channel_id', '=', channelId)
    .where('provider_event_id', '=', providerEventId)
    .executeTakeFirst();
  return row?.event as Record<string, unknown> | undefined;
}

/** The member who set the channel up, else the workspace's first owner (as the inbox's intake acts). */
export async function channelActor(db: Db, workspaceId: string, createdBy: string | null): Promise<string> {
  if (createdBy) return createdBy;
  const owner = await db
    .selectFrom('members as m')
    .innerJoin('roles as r', (j) => j.onRef('r.workspace_id', '=', 'm.workspace_id').onRef('r.id', '=', 'm.role_id'))
    .select('m.id')
    .where('m.workspace_id', '=', workspaceId)
    .where('r.key', '=', 'owner')
    .orderBy('m.created_at')
    .executeTakeFirstOrThrow();
  return owner.id;
}
