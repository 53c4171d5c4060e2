// Automatic messages (auto-replies, welcome, away, satisfaction surveys): queued for the same send
// job as an agent's reply, in the caller's transaction, but authored by no member and marked
// `content.automated = 'auto_reply'` (API: `automated`, with `automation` naming why). Unlike an
// agent's answer it leaves `waiting_since` alone: the customer still waits for a person, so the
// queue, SLAs and any first-response figure (which counts messages with an author) ignore it.
// It is never an answer the auto-reply code reacts to: only inbound messages are.
import { sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { enqueue } from '../../platform/queue/index.js';
import { channelProfile } from '../channels/index.js';
import { hasOptedOut } from '../contacts/index.js';
import { inboxDeps } from './deps.js';
import { inboxEvents } from './events.js';
import * as conversations from './conversations-store.js';
import * as live from './live/notices.js';
import * as store from './messages-store.js';
import { previewOf } from './present.js';
import { lockThread } from './process.js';

export type AutomationReason = 'keyword' | 'away' | 'welcome' | 'csat' | 'fission';

export interface AutomaticMessage {
  workspaceId: string;
  /** The conversation, or the inbound event (a follow, a friend added) whose thread it goes to. */
  target: { conversationId: string } | { channelId: string; providerEventId: string };
  text: string;
  reason: AutomationReason;
}

export type AutomaticResult = { messageId: string; conversationId: string } | { skipped: 'no_conversation' | 'channel_disabled' | 'cannot_send_text' | 'outside_reply_window' | 'recipient_opted_out' };

const conversationById = (tx: Tx, workspaceId: string, id: string) =>
  tx.selectFrom('conversations').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();

/** The thread of a follow or friend event: its conversation, started now if the person never wrote. */
async function conversationOfEvent(tx: Tx, workspaceId: string, channelId: string, providerEventId: string) {
  const found = await threadOfEvent(tx, workspaceId, channelId, providerEventId);
  return found && { ...found, answers: replyContextOf(providerEventId, found.event) };
}

/**
 * What the adapter needs to write first after this event (WeCom's WelcomeCode, a reply token),
 * kept on the automatic message so the send job hands it to the adapter as `inReplyTo`.
 */
function replyContextOf(providerEventId: string, event: Record<string, unknown>) {
  const replyContext = event.replyContext;
  return replyContext && typeof replyContext === 'object' && !Array.isArray(replyContext) ? { providerMessageId: providerEventId, replyContext: replyContext as Record<string, unknown> } : undefined;
}

/** The event's thread conversation (started now if the person never wrote) and the stored event. */
async function threadOfEvent(tx: Tx, workspaceId: string, channelId: string, providerEventId: string) {
  const stored = await tx
    .selectFrom('inbound_events')
    .select(['thread_key', 'event'])
    .where('workspace_id', '=', workspaceId)
    .where('channel_id', '=', channelId)
    .where('provider_event_id', '=', providerEventId)
    .executeTakeFirst();
  const externalId = (stored?.event.sender as { externalId?: unknown } | undefined)?.externalId;
  const channel = await channelProfile(tx, workspaceId, channelId);
  if (!stored || !channel || typeof externalId !== 'string') return undefined;
  // The intake's lock on the thread: its next message finds this conversation instead of racing it.
  await lockThread(tx, workspaceId, channelId, stored.thread_key);
  const existing = await conversations.findByThread(tx, workspaceId, channelId, stored.thread_key);
  if (existing) return { conversation: existing, event: stored.event };
  const contact = await tx
    .selectFrom('contact_identities as i')
    .innerJoin('contacts as c', (j) => j.onRef('c.workspace_id', '=', 'i.workspace_id').onRef('c.id', '=', 'i.contact_id'))
    .select('c.id')
    .where('i.workspace_id', '=', workspaceId)
    .where('i.channel_type', '=', channel.identityType as never)
    .where('i.external_id', '=', externalId)
    .where('c.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!contact) return undefined;
  const created = (await conversations.insertConversation(tx, workspaceId, {
    channelId,
    contactId: contact.id,
    threadKey: stored.thread_key,
    recipientId: externalId,
    teamId: channel.teamId,
    at: new Date(),
  }))!;
  await emit(tx, workspaceId, inboxEvents.conversationCreated, { conversationId: created.id, contactId: contact.id, channelId });
  return { conversation: created, event: stored.event };
}

/** Queues an automatic text message; skipped (nothing written) where an agent's reply would be refused. */
export async function queueAutomaticMessage(tx: Tx, config: Config, m: AutomaticMessage): Promise<AutomaticResult> {
  const { workspaceId } = m;
  const ofEvent = 'conversationId' in m.target ? undefined : await conversationOfEvent(tx, workspaceId, m.target.channelId, m.target.providerEventId);
  const conversation = 'conversationId' in m.target ? await conversationById(tx, workspaceId, m.target.conversationId) : ofEvent?.conversation;
  if (!conversation) return { skipped: 'no_conversation' };
  const channel = await channelProfile(tx, workspaceId, conversation.channel_id);
  if (!channel?.enabled) return { skipped: 'channel_disabled' };
  if (!channel.capabilities.messageKinds.includes('text')) return { skipped: 'cannot_send_text' };
  const { replyWindowMs } = channel.capabilities;
  const lastInbound = conversation.last_inbound_at?.getTime();
  // A welcome after a follow is the provider's own occasion to write first; anything else answers the customer.
  if (replyWindowMs !== null && m.reason !== 'welcome' && (lastInbound === undefined || Date.now() - lastInbound > replyWindowMs)) return { skipped: 'outside_reply_window' };
  // No auto-reply to the STOP itself, nor to anyone opted out of the channel's consent type.
  const { consentType } = channel.capabilities;
  if (consentType && conversation.contact_id && (await hasOptedOut(tx, workspaceId, conversation.contact_id, consentType))) return { skipped: 'recipient_opted_out' };
  const message = (await store.insertMessage(tx, workspaceId, {
    conversationId: conversation.id,
    channelId: conversation.channel_id,
    direction: 'out',
    kind: 'text',
    body: m.text,
    content: { automated: 'auto_reply', automation: m.reason, ...(ofEvent?.answers ? { answersEvent: ofEvent.answers } : {}) },
    authorMemberId: null,
    providerMessageId: null,
    status: 'queued',
  }))!;
  const preview = previewOf(message);
  await tx
    .updateTable('conversations')
    .set({ last_message_at: sql<Date>`now()`, last_message_preview: preview, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', conversation.id)
    .execute();
  await enqueue(tx, inboxDeps(config).sendJob, { workspaceId, messageId: message.id });
  await emit(tx, workspaceId, inboxEvents.messageQueued, { conversationId: conversation.id, messageId: message.id, channelId: conversation.channel_id, authorMemberId: null, automated: 'auto_reply', automation: m.reason });
  await live.messageCreated(tx, workspaceId, live.accessOf({ ...conversation, channel_team_id: channel.teamId }), message, { preview });
  return { messageId: message.id, conversationId: conversation.id };
}
