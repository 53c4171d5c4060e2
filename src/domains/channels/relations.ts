// Relation facts: after a follow / friend event is processed (inbox.channel_relation.changed), the
// channel's adapter says what the provider knows (adapter.relationFacts: WeCom's customer profile
// and the member on our side), and this writes it: the contact's empty name, avatar and company
// filled, further identities added (a WeChat unionid), the staff relationship started or ended,
// tags the channel asks for (a churn tag), and on churn (the customer removed the member) an
// alert to that member and the contact's owner.
// The provider is called in a job of its own, outside any transaction; the writes then commit
// together. One job per event (dedupe key), so a redelivered event alerts once.
import { z } from 'zod';
import type { Config } from '../../config.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { defineHandler, type EventHandler } from '../../platform/events/index.js';
import { AppError } from '../../platform/http/errors.js';
import { defineJob, enqueue, type JobDefinition } from '../../platform/queue/index.js';
import { ChannelError, type RelationFacts } from '../../channels/index.js';
import { addIdentity, addTagsToContacts, endStaffRelationship, getContact, recordStaffRelationship, updateContact, type IdentityInput } from '../contacts/index.js';
import { notifyMembers } from '../timeline/index.js';
import { channelActor } from './actor.js';
import { storedRelationEvent } from './queries/relations.js';
import { liveChannel } from './runtime.js';
import { keyringOf } from './secrets.js';

// The inbox's event (src/domains/inbox/events.ts); named here because the inbox imports this domain.
const RELATION_CHANGED = 'inbox.channel_relation.changed';

const payload = z.object({ workspaceId: z.uuid(), channelId: z.uuid(), contactId: z.uuid(), kind: z.string(), providerEventId: z.string() });
type Payload = z.infer<typeof payload>;
export type RelationFactsJob = JobDefinition<typeof payload>;

async function apply(tx: Tx, p: Payload, channel: { identityType: string; createdBy: string | null }, facts: RelationFacts, occurredAt: Date) {
  const actor = await channelActor(tx, p.workspaceId, channel.createdBy);
  const contact = await getContact(tx, actor, p.contactId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') return undefined;
    throw error;
  });
  if (!contact) return { skipped: 'contact gone' };
  const profile = facts.profile;
  if (profile) {
    const patch = {
      ...(!contact.name && profile.displayName ? { name: profile.displayName } : {}),
      ...(!contact.avatarUrl && profile.avatarUrl ? { avatarUrl: profile.avatarUrl } : {}),
      ...(!contact.company && profile.company ? { company: profile.company } : {}),
    };
    if (Object.keys(patch).length) await updateContact(tx, actor, p.contactId, patch);
    for (const identity of profile.identities ?? []) {
      if (contact.identities.some((i) => i.channelType === identity.channelType && i.externalId === identity.externalId)) continue;
      // Held by another contact: the workspace's merge rules decide, not an automatic write.
      await addIdentity(tx, actor, p.contactId, { channelType: identity.channelType, externalId: identity.externalId, displayName: profile.displayName ?? null } as IdentityInput).catch((error: unknown) => {
        if (!(error instanceof AppError)) throw error;
      });
    }
  }
  // Unknown ids (a deleted tag) are skipped by the contacts domain.
  if (facts.tagIds?.length) await addTagsToContacts(tx, p.workspaceId, { contactIds: [p.contactId] }, facts.tagIds, 'rule', `channel:${p.channelId}`, actor.memberId);
  const memberId = facts.staff?.memberId;
  const relation = memberId ? { contactId: p.contactId, memberId, channelType: channel.identityType } : undefined;
  if (p.kind === 'friend_added' && relation) await recordStaffRelationship(tx, p.workspaceId, { ...relation, since: facts.staff?.since ?? occurredAt });
  if (p.kind !== 'friend_removed') return { recorded: true };
  const by = facts.endedBy ?? 'contact';
  if (relation) await endStaffRelationship(tx, p.workspaceId, { ...relation, by, at: occurredAt });
  if (by !== 'contact') return { ended: by };
  const name = contact.name || profile?.displayName || facts.staff?.externalId || 'A customer';
  const alerted = await notifyMembers(tx, p.workspaceId, [memberId, contact.owner?.id].filter((m): m is string => Boolean(m)), {
    kind: 'churn',
    title: `${name} removed ${facts.staff?.externalId ?? 'you'} as a contact`,
    link: `/contacts/${p.contactId}`,
  });
  return { churn: true, alerted: alerted.length };
}

const built = new WeakMap<Config, { job: RelationFactsJob; handler: EventHandler }>();

/** The job and the handler that queues it, bound to the channel keyring and the private-target setting. */
export function channelRelations(config: Config) {
  let pair = built.get(config);
  if (pair) return pair;
  const keyring = keyringOf(config);
  const job: RelationFactsJob = defineJob({
    name: 'channels.relation-facts',
    queue: 'within-5s',
    maxAttempts: 8,
    payload,
    async handler(ctx, p) {
      const channel = await liveChannel(ctx.db, keyring, p.workspaceId, p.channelId);
      if (!channel?.adapter.relationFacts) return { skipped: 'channel gone or tells nothing' };
      const event = await storedRelationEvent(ctx.db, p.workspaceId, p.channelId, p.providerEventId);
      if (!event) return { skipped: 'event gone' };
      let facts: RelationFacts;
      try {
        facts = await channel.adapter.relationFacts(event, channel.runtime, { signal: ctx.signal, allowPrivateTargets: config.CHANNEL_ALLOW_PRIVATE_TARGETS });
      } catch (error) {
        // The provider may get over it (retried with backoff); otherwise the event's own facts are lost, the rest stands.
        if (!(error instanceof ChannelError) || error.retryable) throw error;
        ctx.logger.warn({ providerEventId: p.providerEventId, reason: error.reason }, 'channels: relation facts not available');
        return { failed: error.reason };
      }
      const occurredAt = new Date(typeof event.occurredAt === 'string' ? event.occurredAt : Date.now());
      const row = await ctx.db.selectFrom('channels').select('created_by').where('workspace_id', '=', p.workspaceId).where('id', '=', p.channelId).executeTakeFirst();
      return inTransaction(ctx.db, (tx) => apply(tx, p, { identityType: channel.identityType, createdBy: row?.created_by ?? null }, facts, occurredAt));
    },
  });
  const handler = defineHandler({
    name: 'channels.relations',
    queue: 'realtime',
    events: [RELATION_CHANGED],
    async handle(ctx, event) {
      const p = payload.omit({ workspaceId: true }).safeParse(event.payload);
      if (!p.success || !['follow', 'friend_added', 'friend_removed'].includes(p.data.kind)) return;
      await enqueue(ctx.tx, job, { workspaceId: event.workspaceId, ...p.data }, { dedupeKey: `channels.relation-facts:${p.data.channelId}:${p.data.providerEventId}` });
    },
  });
  built.set(config, (pair = { job, handler }));
  return pair;
}
