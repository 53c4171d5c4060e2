// Channel identities of a contact. One contact per (channel type, external id) in a workspace:
// the unique index decides between concurrent writers, and the loser gets 409 naming the holder.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { notFound } from '../../platform/http/errors.js';
import { refuseHeldIdentities, requireContactRow, toIdentity, type IdentityInput } from './contacts.js';
import * as store from './contacts-store.js';

export async function addIdentity(db: Db, actor: Actor, contactId: string, input: IdentityInput) {
  requireAccess(actor, 'contacts:write');
  return inTransaction(db, async (tx) => {
    await requireContactRow(tx, actor, contactId, true);
    const inserted = await store.insertIdentities(tx, actor.workspaceId, contactId, [input]);
    await refuseHeldIdentities(tx, actor, [input], inserted);
    const identity = inserted[0]!;
    await store.touchContact(tx, actor.workspaceId, contactId);
    const after = { channelType: input.channelType, externalId: input.externalId, displayName: input.displayName ?? null };
    await recordAudit(tx, actor, { action: 'contact.identity_added', entityType: 'contact', entityId: contactId, after });
    await emit(tx, actor.workspaceId, 'contacts.identity.added', { contactId, identityId: identity.id, ...after, actorMemberId: actor.memberId });
    return toIdentity(identity);
  });
}

export async function removeIdentity(db: Db, actor: Actor, contactId: string, identityId: string) {
  requireAccess(actor, 'contacts:write');
  await inTransaction(db, async (tx) => {
    await requireContactRow(tx, actor, contactId, true);
    const removed = await store.deleteIdentity(tx, actor.workspaceId, contactId, identityId);
    if (!removed) throw notFound('Identity');
    await store.touchContact(tx, actor.workspaceId, contactId);
    const before = { channelType: removed.channel_type, externalId: removed.external_id };
    await recordAudit(tx, actor, { action: 'contact.identity_removed', entityType: 'contact', entityId: contactId, before });
    await emit(tx, actor.workspaceId, 'contacts.identity.removed', { contactId, identityId, ...before, actorMemberId: actor.memberId });
  });
}
