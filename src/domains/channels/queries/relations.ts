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
