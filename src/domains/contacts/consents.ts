// Consent per channel: the latest state, when and how it was given or withdrawn.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { requireContactRow } from './contacts.js';
import * as store from './contacts-store.js';
import type { ChannelType } from './tables.js';

export async function setConsent(db: Db, actor: Actor, contactId: string, channelType: ChannelType, input: { status: 'opt_in' | 'opt_out'; how: string }) {
  requireAccess(actor, 'contacts:write');
  return inTransaction(db, async (tx) => {
    await requireContactRow(tx, actor, contactId, true);
    const { before, after } = await store.upsertConsent(tx, actor.workspaceId, contactId, channelType, input);
    await store.touchContact(tx, actor.workspaceId, contactId);
    await recordAudit(tx, actor, {
      action: 'contact.consent_set',
      entityType: 'contact',
      entityId: contactId,
      before: before ? { channelType, status: before.status, how: before.how } : null,
      after: { channelType, status: after.status, how: after.how },
    });
    await emit(tx, actor.workspaceId, 'contacts.consent.changed', {
      contactId,
      channelType,
      status: after.status,
      previousStatus: before?.status ?? null,
      how: after.how,
      actorMemberId: actor.memberId,
    });
    return { channelType: after.channel_type, status: after.status, at: after.at, how: after.how };
  });
}

/** True when the contact's latest consent for `channelType` is opt_out (sends on such channels are refused). */
export async function hasOptedOut(db: Db, workspaceId: string, contactId: string, channelType: string): Promise<boolean> {
  const consents = await store.consentsOf(db, workspaceId, contactId);
  return consents.some((c) => c.channel_type === channelType && c.status === 'opt_out');
}
