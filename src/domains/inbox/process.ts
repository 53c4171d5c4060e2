// The worker's side of intake: the stored events of one thread, one at a time in arrival order,
// under a lock on the thread, so two messages from one person never race into two
// conversations or two contacts (DESIGN.md rule 3). Transactional: the events' effects and their
// processed mark commit with the job, and every effect is idempotent besides.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { defineJob, enqueueMany, type JobDefinition } from '../../platform/queue/index.js';
import { messageKinds } from '../../channels/index.js';
import { channelActor, channelProfile, type ChannelProfile } from '../channels/index.js';
import { setConsent, type ChannelType } from '../contacts/index.js';
import { recordTimelineEvents } from '../timeline/index.js';
import * as conversations from './conversations-store.js';
import { inboxEvents } from './events.js';
import { mediaRefSchema, queueMediaFetches } from './fetch-media.js';
import { resolveContact } from './identity.js';
import { announceInbound } from './live/inbound.js';
import * as live from './live/notices.js';
import * as messages from './messages-store.js';
import { previewOf } from './present.js';

const BATCH = 200;

const sender = z.object({
  externalId: z.string(),
  displayName: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  emailVerified: z.boolean().optional(),
  phoneVerified: z.boolean().optional(),
});
const group = z.object({ externalId: z.string(), name: z.string().optional() });
const base = { providerEventId: z.string(), threadKey: z.string(), occurredAt: z.coerce.date() };
const storedEvent = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('message'),
    sender,
    group: group.optional(),
    providerMessageId: z.string(),
    content: z.object({ kind: z.enum(messageKinds), text: z.string().optional(), html: z.string().optional(), subject: z.string().optional(), location: z.record(z.string(), z.unknown()).optional(), link: z.record(z.string(), z.unknown()).optional() }),
    attachmentIds: z.array(z.string()),
    mediaRefs: z.array(mediaRefSchema).optional(),
    source: z.string().optional(),
    automated: z.enum(['auto_reply', 'bulk', 'bounce']).optional(),
    replyContext: z.record(z.string(), z.unknown()).optional(),
    consent: z.object({ status: z.enum(['opt_in', 'opt_out']), how: z.string() }).optional(),
  }),
  z.object({ ...base, kind: z.literal('status'), providerMessageId: z.string(), status: z.enum(['delivered', 'read', 'failed']), error: z.string().optional(), reason: z.string().optional() }),
  z.object({ ...base, kind: z.enum(['follow', 'unfollow', 'friend_added', 'friend_removed']), sender, source: z.string().optional() }),
  z.object({ ...base, kind: z.enum(['group_joined', 'group_left']), sender, group }),
]);
type StoredEvent = z.infer<typeof storedEvent>;
type MessageEvent = Extract<StoredEvent, { kind: 'message' }>;
type GroupEvent = Extract<StoredEvent, { kind: 'group_joined' | 'group_left' }>;

export async function lockThread(tx: Tx, workspaceId: string, channelId: string, threadKey: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`renmai.thread:${workspaceId}:${channelId}:${threadKey}`}, 0))`.execute(tx);
}

/**
 * The thread's conversation, created on its first event: one-to-one with the sender's contact, or
 * a group's (no contact; its people are participants). Also who wrote: the sender's contact.
 */
async function conversationFor(tx: Tx, workspaceId: string, channel: ChannelProfile, e: MessageEvent | GroupEvent) {
  const existing = await conversations.findByThread(tx, workspaceId, channel.id, e.threadKey);
  if (existing?.contact_id) return { conversation: existing, senderId: existing.contact_id };
  const { contactId: senderId } = await resolveContact(tx, workspaceId, channel, e.sender);
  if (existing) {
    if (e.group?.name && e.group.name !== existing.group_name) await conversations.setGroupName(tx, workspaceId, existing.id, e.group.name);
    return { conversation: existing, senderId };
  }
  const contactId = e.group ? null : senderId;
  const created = await conversations.insertConversation(tx, workspaceId, {
    channelId: channel.id,
    contactId,
    groupName: e.group?.name ?? null,
    threadKey: e.threadKey,
    recipientId: e.group?.externalId ?? e.sender.externalId,
    teamId: channel.teamId,
    at: e.occurredAt,
  });
  // The thread lock makes a concurrent insert impossible; a conflict would be a bug, so fail loudly.
  if (!created) throw new Error(`Conversation for thread ${e.threadKey} appeared under the thread lock`);
  await emit(tx, workspaceId, inboxEvents.conversationCreated, { conversationId: created.id, contactId, channelId: channel.id });
  return { conversation: created, senderId };
}

async function receiveMessage(tx: Tx, workspaceId: string, channel: ChannelProfile, e: MessageEvent) {
  const { conversation, senderId } = await conversationFor(tx, workspaceId, channel, e);
  const body = e.content.text?.trim() ? e.content.text : null;
  const message = await messages.insertMessage(tx, workspaceId, {
    conversationId: conversation.id,
    channelId: channel.id,
    direction: 'in',
    kind: e.content.kind,
    body,
    content: {
      ...(e.content.location ? { location: e.content.location } : {}),
      ...(e.content.link ? { link: e.content.link } : {}),
      // E-mail's formatted body and subject, the machine-sent mark (never auto-answered) and what a reply needs.
      ...(e.content.html ? { html: e.content.html } : {}),
      ...(e.content.subject ? { subject: e.content.subject } : {}),
      ...(e.automated ? { automated: e.automated } : {}),
      ...(e.replyContext ? { replyContext: e.replyContext } : {}),
    },
    authorMemberId: null,
    senderContactId: senderId,
    providerMessageId: e.providerMessageId,
    status: 'received',
    createdAt: e.occurredAt,
  });
  // The same message delivered again under another event id.
  if (!message) return;
  await messages.attach(tx, workspaceId, message.id, e.attachmentIds);
  // Files the provider holds by reference are fetched by the worker (fetch-media.ts).
  await queueMediaFetches(tx, workspaceId, channel.id, message.id, e.mediaRefs);
  if (e.group) await conversations.recordParticipant(tx, workspaceId, conversation.id, { contactId: senderId, externalId: e.sender.externalId, at: e.occurredAt, wrote: true });
  const after = await conversations.applyInbound(tx, workspaceId, conversation.id, { at: e.occurredAt, preview: previewOf(message) });
  await announceInbound(tx, workspaceId, { before: conversation, after, channelTeamId: channel.teamId, message });
  if (conversation.status === 'snoozed' || conversation.status === 'resolved') {
    await emit(tx, workspaceId, inboxEvents.conversationStatusChanged, { conversationId: conversation.id, from: conversation.status, to: 'open', reason: 'inbound' });
  }
  // On the contact's timeline, under the message's id: a replay inserts nothing.
  await recordTimelineEvents(tx, workspaceId, [
    {
      id: message.id,
      contactId: senderId,
      type: 'message',
      occurredAt: e.occurredAt,
      props: { channel: channel.type, direction: 'in', ...(body ? { body: body.slice(0, 20_000) } : {}), extra: { channelId: channel.id, conversationId: conversation.id, messageId: message.id, kind: message.kind, ...(e.group ? { group: conversation.group_name ?? e.group.name ?? e.group.externalId } : {}) } },
    },
  ]);
  // Segments and auto-tag rules count interactions by this event, as for entries people record.
  await emit(tx, workspaceId, 'timeline.event.recorded', { contactId: senderId, eventId: message.id, type: 'message' });
  // An opt-out or opt-in keyword (SMS STOP / START): the contact's consent on the channel's consent type.
  const consentType = channel.capabilities.consentType;
  if (e.consent && consentType && !e.group) await setConsent(tx, await channelActor(tx, workspaceId, channel.createdBy), senderId, consentType as ChannelType, e.consent);
  await emit(tx, workspaceId, inboxEvents.messageReceived, { conversationId: conversation.id, messageId: message.id, contactId: senderId, channelId: channel.id, group: Boolean(e.group), ...(e.source ? { source: e.source } : {}) });
}

/** Someone joined or left a group: its participant list (the group's conversation starts here if new). */
async function groupMembership(tx: Tx, workspaceId: string, channel: ChannelProfile, e: GroupEvent) {
  const { conversation, senderId } = await conversationFor(tx, workspaceId, channel, e);
  if (e.kind === 'group_joined') await conversations.recordParticipant(tx, workspaceId, conversation.id, { contactId: senderId, externalId: e.sender.externalId, at: e.occurredAt, wrote: false });
  else await conversations.markParticipantLeft(tx, workspaceId, conversation.id, senderId, e.occurredAt);
  await emit(tx, workspaceId, inboxEvents.participantChanged, { conversationId: conversation.id, contactId: senderId, channelId: channel.id, kind: e.kind });
}

async function processEvent(tx: Tx, workspaceId: string, channel: ChannelProfile, e: StoredEvent) {
  switch (e.kind) {
    case 'message':
      return receiveMessage(tx, workspaceId, channel, e);
    case 'status': {
      // A report for a message we do not know (sent by another system on the same account) changes nothing.
      const changed = await messages.applyDeliveryStatus(tx, workspaceId, channel.id, e.providerMessageId, e.status, e.occurredAt, e.error, e.reason);
      if (changed) await live.messageStatusChanged(tx, workspaceId, changed.conversation_id, changed.id, e.status);
      return;
    }
    case 'group_joined':
    case 'group_left':
      return groupMembership(tx, workspaceId, channel, e);
    default: {
      const { contactId } = await resolveContact(tx, workspaceId, channel, e.sender);
      await emit(tx, workspaceId, inboxEvents.channelRelationChanged, { contactId, channelId: channel.id, kind: e.kind, providerEventId: e.providerEventId, ...(e.source ? { source: e.source } : {}) });
    }
  }
}

/** One thread's stored events, in arrival order, under its lock; returns how many. */
async function processThread(tx: Tx, logger: Logger, workspaceId: string, channel: ChannelProfile, threadKey: string) {
  await lockThread(tx, workspaceId, channel.id, threadKey);
  const pending = await tx
    .selectFrom('inbound_events')
    .select(['id', 'event'])
    .where('workspace_id', '=', workspaceId)
    .where('channel_id', '=', channel.id)
    .where('thread_key', '=', threadKey)
    .where('processed_at', 'is', null)
    .orderBy('seq')
    .limit(BATCH)
    .execute();
  for (const row of pending) {
    const parsed = storedEvent.safeParse(row.event);
    if (parsed.success) await processEvent(tx, workspaceId, channel, parsed.data);
    else logger.error({ eventId: row.id, issues: parsed.error.issues }, 'inbox: stored event not understood; marked processed');
  }
  if (pending.length) {
    await tx
      .updateTable('inbound_events')
      .set({ processed_at: sql<Date>`now()` })
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', pending.map((r) => r.id))
      .execute();
  }
  return pending.length;
}

/** Threads per intake job: a burst's threads are shared among several jobs, so several workers take them at once. */
export const THREADS_PER_JOB = 25;

const intakePayload = z.preprocess(
  // A job queued before jobs carried several threads named its one thread `threadKey`.
  (p) => (p && typeof p === 'object' && 'threadKey' in p && !('threadKeys' in p) ? { ...p, threadKeys: [(p as { threadKey: unknown }).threadKey] } : p),
  z.object({ workspaceId: z.uuid(), channelId: z.uuid(), threadKeys: z.array(z.string()).min(1).max(THREADS_PER_JOB) }),
);

export const intakeJob: JobDefinition<typeof intakePayload> = defineJob({
  name: 'inbox.intake',
  queue: 'realtime',
  maxAttempts: 10,
  transactional: true,
  payload: intakePayload,
  async handler(ctx, { workspaceId, channelId, threadKeys }) {
    const tx = ctx.db as Tx;
    // A job that failed is split on its retry, one job per thread: one thread's trouble holds back no other.
    if (threadKeys.length > 1 && ctx.job.attempt > 1) {
      await enqueueMany(tx, intakeJob, threadKeys.map((threadKey) => ({ payload: { workspaceId, channelId, threadKeys: [threadKey] } })));
      return { split: threadKeys.length };
    }
    const channel = await channelProfile(tx, workspaceId, channelId);
    if (!channel) return { skipped: 'channel gone' };
    let processed = 0;
    // In one order for every job: two jobs sharing threads take their locks alike and cannot deadlock.
    for (const threadKey of [...new Set(threadKeys)].sort()) processed += await processThread(tx, ctx.logger, workspaceId, channel, threadKey);
    return { processed };
  },
});
