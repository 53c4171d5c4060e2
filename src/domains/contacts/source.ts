// A contact's source code (the live code that first brought them): set by the live codes domain's
// attribution, once — a contact who already has a source code keeps it.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';

/**
 * Sets `source_code_id` of a live contact that has none; true when this call set it (a
 * redelivered event sets nothing more). Emits `contacts.contact.updated` like any edit.
 */
export function setSourceCodeIfNone(db: Db, workspaceId: string, contactId: string, codeId: string, actorMemberId: string | null) {
  return inTransaction(db, async (tx) => {
    const set = await tx
      .updateTable('contacts')
      .set({ source_code_id: codeId, updated_at: sql<Date>`now()` })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', contactId)
      .where('source_code_id', 'is', null)
      .where('deleted_at', 'is', null)
      .where('merged_into_id', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!set) return false;
    await emit(tx, workspaceId, 'contacts.contact.updated', { contactId, fields: ['source_code_id'], actorMemberId });
    return true;
  });
}
