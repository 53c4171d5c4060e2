// Staff relationships (which member is "friends" with the contact on which channel): written by
// the channels domain from the adapters' friend events, in the worker's transaction.
import type { Db } from '../../platform/db/connect.js';
import * as store from './staff-store.js';

export type { StaffRelationship } from './staff-store.js';

export const recordStaffRelationship = (db: Db, workspaceId: string, r: store.StaffRelationship & { since: Date }) => store.upsertRelationship(db, workspaceId, r);

/** True when this call ended it (a redelivered removal ends nothing more, so it alerts once). */
export const endStaffRelationship = (db: Db, workspaceId: string, r: store.StaffRelationship & { by: 'contact' | 'staff'; at: Date }) => store.markRemoved(db, workspaceId, r);

export async function staffRelationshipsOf(db: Db, workspaceId: string, contactId: string) {
  const rows = await store.relationshipsOf(db, workspaceId, contactId);
  return rows.map((r) => ({ memberId: r.member_id, channelType: r.channel_type, since: r.since, removedByContactAt: r.removed_by_contact_at, removedByStaffAt: r.removed_by_staff_at }));
}
