// Whether an arrival is new to the workspace — the rule task fission and referral codes count
// invites by (an invitee counts only when the inviter brought someone not known before).
import type { Db } from '../../platform/db/connect.js';

/**
 * New to the workspace: the contact record was created by this very arrival — its created_at is
 * not earlier than the arrival event's occurred_at (the intake writes both with the same
 * transaction's now()) — and it is not deleted. So nobody known before (an imported or API
 * contact, someone who wrote, followed or left earlier) counts: their record predates the arrival.
 */
export const isNewcomer = async (db: Db, workspaceId: string, contactId: string, arrivedAt: Date) =>
  Boolean(
    await db
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', contactId)
      .where('deleted_at', 'is', null)
      .where('created_at', '>=', arrivedAt)
      .executeTakeFirst(),
  );
