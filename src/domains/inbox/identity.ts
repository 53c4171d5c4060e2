// Identity resolution (the Inbox issue, item 8): the first message from an identity the
// workspace does not know creates a contact holding it, or links it to an existing contact that
// shares an e-mail or phone the provider verified. Unverified addresses are never used to link
// (anyone can type someone else's e-mail) and not copied onto a new contact. Writes go through
// the contacts service, acting as the member who set the channel up (as RFM and auto-tag rules
// act as their authors), so audit entries and contact events are the usual ones.
import type { Tx } from '../../platform/db/transaction.js';
import type { Sender } from '../../channels/index.js';
import { channelActor, type ChannelProfile } from '../channels/index.js';
import { addIdentity, createContact, normaliseEmail, normalisePhone, type IdentityInput } from '../contacts/index.js';
import { contactOfIdentity, contactSharing, workspaceRegion } from './queries/identity.js';

export interface Resolved {
  contactId: string;
  how: 'known' | 'linked' | 'created';
}

/** The sender's verified e-mail and phone, normalised; invalid ones are dropped. */
async function verifiedKeys(tx: Tx, workspaceId: string, sender: Sender) {
  const email = sender.email && sender.emailVerified ? normaliseEmail(sender.email) : undefined;
  const phone = sender.phone && sender.phoneVerified ? normalisePhone(sender.phone, await workspaceRegion(tx, workspaceId)) : undefined;
  return { email: email?.ok ? email.value : undefined, phone: phone?.ok ? phone.value : undefined };
}

/** Runs in the intake transaction, which holds the thread's lock. */
export async function resolveContact(tx: Tx, workspaceId: string, channel: ChannelProfile, sender: Sender): Promise<Resolved> {
  const known = await contactOfIdentity(tx, workspaceId, channel.identityType, sender.externalId);
  if (known) return { contactId: known, how: 'known' };
  const actor = await channelActor(tx, workspaceId, channel.createdBy);
  const identity = { channelType: channel.identityType, externalId: sender.externalId, displayName: sender.displayName ?? null } as IdentityInput;
  const keys = await verifiedKeys(tx, workspaceId, sender);
  const shared = await contactSharing(tx, workspaceId, keys);
  if (shared) {
    await addIdentity(tx, actor, shared, identity);
    return { contactId: shared, how: 'linked' };
  }
  const contact = await createContact(tx, actor, {
    name: sender.displayName ?? '',
    email: keys.email ?? null,
    phone: keys.phone ?? null,
    ownerId: null,
    sourceChannel: channel.type,
    identities: [identity],
  });
  return { contactId: contact.id, how: 'created' };
}
