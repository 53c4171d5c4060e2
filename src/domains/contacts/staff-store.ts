// SQL of staff relationships: which member is "friends" with a contact on which channel, since
// when, and whether either side ended it (filled from the channel adapters' friend events).
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

export interface StaffRelationship {
  contactId: string;
  memberId: string;
  channelType: string;
}

/** Started (again): `since` set, an earlier removal cleared. */
export const upsertRelationship = (db: Db, workspaceId: string, r: StaffRelationship & { since: Date }) =>
  db
    .insertInto('staff_relationships')
    .values({ workspace_id: workspaceId, contact_id: r.contactId, member_id: r.memberId, channel_type: r.channelType, since: r.since })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'contact_id', 'member_id', 'channel_type']).doUpdateSet({ since: sql<Date>`excluded.since`, removed_by_contact_at: null, removed_by_staff_at: null }),
    )
    .execute();

/** Ended by one side; true when this call ended it (not already ended that way). */
export async function markRemoved(db: Db, workspaceId: string, r: StaffRelationship & { by: 'contact' | 'staff'; at: Date }): Promise<boolean> {
  const column = r.by === 'contact' ? 'removed_by_contact_at' : 'removed_by_staff_at';
  const inserted = await db
    .insertInto('staff_relationships')
    .values({ workspace_id: workspaceId, contact_id: r.contactId, member_id: r.memberId, channel_type: r.channelType, [column]: r.at })
    .onConflict((oc) => oc.columns(['workspace_id', 'contact_id', 'member_id', 'channel_type']).doUpdateSet({ [column]: r.at }).where(`staff_relationships.${column}`, 'is', null))
    .returning('contact_id')
    .executeTakeFirst();
  return Boolean(inserted);
}

export const relationshipsOf = (db: Db, workspaceId: string, contactId: string) =>
  db
    .selectFrom('staff_relationships')
    .select(['member_id', 'channel_type', 'since', 'removed_by_contact_at', 'removed_by_staff_at'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('since')
    .execute();
