// Outbound: one job run is one attempt at one message. It waits its turn on the channel's rate
// limit (re-queued for when a token is due, without using up an attempt), sends through the
// adapter, and on failure decides from the ChannelError's kind alone: rate_limited and temporary
// are retried with exponential backoff (or after the provider's Retry-After) until
// SEND_MAX_ATTEMPTS, anything else, or the last attempt, puts the message on the dead-letter
// list. The message row keeps the count and the last error; the adapter sends the message id as
// its idempotency key, so a run cut short after the provider took the message resends harmlessly.
import { z } from 'zod';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { AppError } from '../../platform/http/errors.js';
import { defineJob, enqueue, retryDelayMs, type JobDefinition } from '../../platform/queue/index.js';
import { ChannelError, type ChannelErrorReason, type OutboundMessage } from '../../channels/index.js';
import { channelActor, channelProfile, liveChannel, pauseSends, recordCredentialState, takeSendToken, type Keyring } from '../channels/index.js';
import { hasOptedOut, setConsent, type ChannelType } from '../contacts/index.js';
import { recordTimelineEvents } from '../timeline/index.js';
import { readStored, type AttachmentLimits } from './attachments.js';
import { inboxEvents } from './events.js';
import * as live from './live/notices.js';
import * as messages from './messages-store.js';
import type { MessageRow } from './messages-store.js';

export interface SendOptions {
  keyring: Keyring;
  limits: AttachmentLimits;
  maxAttempts: number;
  allowPrivateTargets: boolean;
  /** PUBLIC_URL: the channel's hook URL is given to providers that take a callback per message. */
  publicUrl: string;
}

const payload = z.object({ workspaceId: z.uuid(), messageId: z.uuid() });
export type SendJob = JobDefinition<typeof payload>;

const asChannelError = (error: unknown) =>
  error instanceof ChannelError ? error : new ChannelError('temporary', error instanceof Error ? error.message : 'Send failed', { cause: error });

/** An automatic message written after a follow or friend event answers that event (automatic.ts: WeCom's welcome code). */
const answersEvent = (m: messages.MessageRow) => {
  const a = m.content.answersEvent as OutboundMessage['inReplyTo'] | undefined;
  return a ? { inReplyTo: a } : {};
};

async function outbound(db: Db, o: SendOptions, workspaceId: string, m: messages.MessageRow): Promise<OutboundMessage> {
  const conversation = await db.selectFrom('conversations').select(['recipient_id', 'thread_key', 'kind']).where('workspace_id', '=', workspaceId).where('id', '=', m.conversation_id).executeTakeFirstOrThrow();
  const files = await messages.attachmentsOf(db, workspaceId, [m.id]);
  // The customer's message this one answers: the newest inbound one when it was written.
  const parent = await db
    .selectFrom('messages')
    .select(['provider_message_id', 'content'])
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', m.conversation_id)
    .where('direction', '=', 'in')
    .where('created_at', '<=', m.created_at)
    .where('provider_message_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    id: m.id,
    recipient: { externalId: conversation.recipient_id, group: conversation.kind === 'group' },
    threadKey: conversation.thread_key,
    ...(m.content.automated ? { automated: true } : {}),
    content: { kind: m.kind as OutboundMessage['content']['kind'], text: m.body ?? undefined, ...(m.content as object) },
    attachments: await Promise.all(files.map(async (f) => ({ fileName: f.file_name, mimeType: f.mime_type, data: await readStored(o.limits, workspaceId, f.sha256) }))),
    ...(parent ? { inReplyTo: { providerMessageId: parent.provider_message_id!, replyContext: (parent.content.replyContext as Record<string, unknown> | undefined) ?? {} } } : answersEvent(m)),
  };
}

async function deadLetter(db: Db, workspaceId: string, m: messages.MessageRow, reason: string, code: ChannelErrorReason | null = null) {
  await inTransaction(db, async (tx) => {
    await messages.markAttemptFailed(tx, workspaceId, m.id, reason, null, code);
    await emit(tx, workspaceId, inboxEvents.messageFailed, { conversationId: m.conversation_id, messageId: m.id, channelId: m.channel_id, error: reason });
    await live.messageStatusChanged(tx, workspaceId, m.conversation_id, m.id, 'failed');
  });
  return { failed: reason };
}

/** The contact's consent for `consentType` becomes opt_out, as the channel (the member who set it up) records it. */
async function recordProviderOptOut(db: Db, workspaceId: string, channelId: string, contactId: string, consentType: string) {
  const profile = await channelProfile(db, workspaceId, channelId);
  const actor = await channelActor(db, workspaceId, profile?.createdBy ?? null);
  await setConsent(db, actor, contactId, consentType as ChannelType, { status: 'opt_out', how: 'refused by the provider: the recipient opted out' }).catch((error: unknown) => {
    // The contact was deleted meanwhile: nothing to record.
    if (!(error instanceof AppError && error.code === 'not_found')) throw error;
  });
}

/** An agent's message on the contact's timeline, once the provider took it. */
async function recordOutboundOnTimeline(tx: Tx, workspaceId: string, channelType: string, m: MessageRow, contactId: string) {
  await recordTimelineEvents(tx, workspaceId, [
    {
      id: m.id,
      contactId,
      type: 'message',
      actorMemberId: m.author_member_id,
      props: { channel: channelType, direction: 'out', ...(m.body ? { body: m.body.slice(0, 20_000) } : {}), extra: { channelId: m.channel_id, conversationId: m.conversation_id, messageId: m.id, kind: m.kind } },
    },
  ]);
  await emit(tx, workspaceId, 'timeline.event.recorded', { contactId, eventId: m.id, type: 'message' });
}

export function createSendJob(o: SendOptions): SendJob {
  const job: SendJob = defineJob({
    name: 'inbox.send',
    queue: 'realtime',
    // Attempts at the provider are counted on the message; these cover the worker dying mid-run.
    maxAttempts: 3,
    payload,
    async handler(ctx, { workspaceId, messageId }) {
      const m = await messages.findMessage(ctx.db, workspaceId, messageId);
      if (!m || m.direction !== 'out' || m.status !== 'queued') return { skipped: m?.status ?? 'gone' };
      const channel = await liveChannel(ctx.db, o.keyring, workspaceId, m.channel_id);
      if (!channel?.enabled) return deadLetter(ctx.db, workspaceId, m, 'The channel is disabled or gone');
      // A channel whose sends need consent (SMS): a contact who opted out (replied STOP) is not sent to.
      const { consentType } = channel.capabilities;
      const contactId = consentType ? (await ctx.db.selectFrom('conversations').select('contact_id').where('workspace_id', '=', workspaceId).where('id', '=', m.conversation_id).executeTakeFirst())?.contact_id : null;
      if (consentType && contactId && (await hasOptedOut(ctx.db, workspaceId, contactId, consentType))) {
        return deadLetter(ctx.db, workspaceId, m, `permanent: the recipient opted out of ${consentType}`, 'recipient_opted_out');
      }
      const wait = await takeSendToken(ctx.db, workspaceId, channel.channelId, channel.rate);
      if (wait > 0) {
        await enqueue(ctx.db, job, { workspaceId, messageId }, { runAt: new Date(Date.now() + wait) });
        return { waitedForRateMs: wait };
      }
      let sent: { providerMessageId: string };
      try {
        sent = await channel.adapter.send(await outbound(ctx.db, o, workspaceId, m), channel.runtime, { signal: ctx.signal, allowPrivateTargets: o.allowPrivateTargets, hookUrl: `${o.publicUrl}/hooks/${channel.channelId}` });
      } catch (error) {
        const failure = asChannelError(error);
        if (failure.kind === 'rate_limited') await pauseSends(ctx.db, workspaceId, channel.channelId, failure.retryAfterMs ?? 1000);
        // The channel's health shows the token state: the provider refused the credentials.
        if (failure.kind === 'auth') await recordCredentialState(ctx.db, workspaceId, channel.channelId, failure.reason);
        // The provider knows of an opt-out Renmai has not seen (a STOP to another of the account's numbers): record it.
        if (failure.reason === 'recipient_opted_out' && consentType && contactId) await recordProviderOptOut(ctx.db, workspaceId, channel.channelId, contactId, consentType);
        const attempt = m.attempts + 1;
        if (!failure.retryable || attempt >= o.maxAttempts) return deadLetter(ctx.db, workspaceId, m, `${failure.kind}: ${failure.message}`, failure.reason);
        const delay = retryDelayMs(attempt, failure);
        await inTransaction(ctx.db, async (tx) => {
          await messages.markAttemptFailed(tx, workspaceId, m.id, `${failure.kind}: ${failure.message}`, delay, failure.reason);
          await enqueue(tx, job, { workspaceId, messageId }, { runAt: new Date(Date.now() + delay) });
        });
        ctx.logger.warn({ messageId, kind: failure.kind, attempt, retryInMs: delay }, 'send failed; will retry');
        return { retryInMs: delay };
      }
      await inTransaction(ctx.db, async (tx) => {
        await messages.markSent(tx, workspaceId, m.id, sent.providerMessageId);
        const conversation = await tx.selectFrom('conversations').select('contact_id').where('workspace_id', '=', workspaceId).where('id', '=', m.conversation_id).executeTakeFirstOrThrow();
        // A reply to a group is on no one contact's timeline (their own messages are, on theirs).
        if (conversation.contact_id) await recordOutboundOnTimeline(tx, workspaceId, channel.type, m, conversation.contact_id);
        await emit(tx, workspaceId, inboxEvents.messageSent, { conversationId: m.conversation_id, messageId: m.id, channelId: m.channel_id, providerMessageId: sent.providerMessageId });
        await live.messageStatusChanged(tx, workspaceId, m.conversation_id, m.id, 'sent');
      });
      return { providerMessageId: sent.providerMessageId };
    },
  });
  return job;
}
