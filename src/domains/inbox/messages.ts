// Messages: a conversation's thread, replies (queued for the send job after checking what the
// channel can do), internal notes with @mentions, search, attachments and the dead-letter list.
import { Readable } from 'node:stream';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { AppError, conflict, invalid, notFound } from '../../platform/http/errors.js';
import { toPage } from '../../platform/http/pagination.js';
import { enqueue } from '../../platform/queue/index.js';
import type { LinkCard, Location, MessageKind, TemplateRef } from '../../channels/index.js';
import { channelProfile } from '../channels/index.js';
import { hasOptedOut } from '../contacts/index.js';
import { checkFile, readStored, storeFile } from './attachments.js';
import { requireConversation } from './conversations.js';
import * as conversations from './conversations-store.js';
import type { InboxDeps } from './deps.js';
import { inboxEvents } from './events.js';
import * as live from './live/notices.js';
import * as store from './messages-store.js';
import { previewOf, withAttachments } from './present.js';
import { visibleConversation } from './queries/visibility.js';
import { searchQuery } from './search.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listMessages(db: Db, actor: Actor, conversationId: string, page: { cursor?: string; limit: number }) {
  requireAccess(actor, 'inbox:read');
  await requireConversation(db, actor, conversationId);
  const rows = await store.listMessages(db, actor.workspaceId, conversationId, page);
  const result = toPage(rows, page.limit, (r) => [r.created_at.toISOString(), r.id], (r) => r);
  return { items: await withAttachments(db, actor.workspaceId, result.items), nextCursor: result.nextCursor };
}

export interface ReplyInput {
  kind: MessageKind;
  text?: string;
  location?: Location;
  link?: LinkCard;
  attachmentIds?: string[];
  template?: TemplateRef;
}

/** What each kind needs: its text, its location or card, or at least one file. */
function checkShape(input: ReplyInput) {
  const files = input.attachmentIds?.length ?? 0;
  if (input.kind === 'text' && !input.text?.trim() && !input.template) throw invalid([{ path: 'text', message: 'A text message needs text' }]);
  if (input.kind === 'location' && !input.location) throw invalid([{ path: 'location', message: 'A location message needs a location' }]);
  if (input.kind === 'link' && !input.link) throw invalid([{ path: 'link', message: 'A link message needs a link card' }]);
  if (['image', 'file', 'audio', 'video'].includes(input.kind) && !files) throw invalid([{ path: 'attachmentIds', message: `A ${input.kind} message needs an attachment` }]);
}

/** Queues a reply to the customer; the send job delivers it (202). */
export async function sendReply(db: Db, deps: InboxDeps, actor: Actor, conversationId: string, input: ReplyInput) {
  requireAccess(actor, 'inbox:write');
  checkShape(input);
  return inTransaction(db, async (tx) => {
    const conversation = await requireConversation(tx, actor, conversationId, true);
    const channel = await channelProfile(tx, actor.workspaceId, conversation.channel_id);
    if (!channel?.enabled) throw conflict('The channel is disabled', { reason: 'channel_disabled' });
    const { messageKinds, replyWindowMs, templates } = channel.capabilities;
    if (!messageKinds.includes(input.kind)) throw invalid([{ path: 'kind', message: `This channel cannot send ${input.kind} messages` }]);
    if (input.template && !templates) throw invalid([{ path: 'template', message: 'This channel sends no templates' }]);
    const lastInbound = conversation.last_inbound_at?.getTime();
    // A template may go outside the window: that is what it is for.
    if (!input.template && replyWindowMs !== null && (lastInbound === undefined || Date.now() - lastInbound > replyWindowMs)) {
      throw conflict('The reply window of this channel has closed', { reason: 'outside_reply_window' });
    }
    // A channel whose sends need consent (SMS): a customer who opted out (replied STOP) is not written to.
    const { consentType } = channel.capabilities;
    if (consentType && conversation.contact_id && (await hasOptedOut(tx, actor.workspaceId, conversation.contact_id, consentType))) {
      throw conflict('The customer opted out of messages on this channel', { reason: 'recipient_opted_out' });
    }
    const message = (await store.insertMessage(tx, actor.workspaceId, {
      conversationId,
      channelId: conversation.channel_id,
      direction: 'out',
      kind: input.kind,
      body: input.text?.trim() ? input.text : null,
      content: { ...(input.location ? { location: input.location } : {}), ...(input.link ? { link: input.link } : {}), ...(input.template ? { template: input.template } : {}) },
      authorMemberId: actor.memberId,
      providerMessageId: null,
      status: 'queued',
    }))!;
    const ids = [...new Set(input.attachmentIds ?? [])];
    if ((await store.attach(tx, actor.workspaceId, message.id, ids, actor.memberId)) !== ids.length) throw notFound('Attachment');
    await conversations.applyOutbound(tx, actor.workspaceId, conversationId, { preview: previewOf(message) });
    await enqueue(tx, deps.sendJob, { workspaceId: actor.workspaceId, messageId: message.id });
    await emit(tx, actor.workspaceId, inboxEvents.messageQueued, { conversationId, messageId: message.id, channelId: conversation.channel_id, authorMemberId: actor.memberId });
    await live.messageCreated(tx, actor.workspaceId, live.accessOf(conversation), message, { preview: previewOf(message) });
    return (await withAttachments(tx, actor.workspaceId, [message]))[0]!;
  });
}

/** An internal note; members it mentions are told through inbox.member.mentioned. */
export async function addNote(db: Db, actor: Actor, conversationId: string, input: { text: string; mentions?: string[] }) {
  requireAccess(actor, 'inbox:write');
  const mentions = [...new Set(input.mentions ?? [])].filter((id) => id !== actor.memberId);
  return inTransaction(db, async (tx) => {
    const conversation = await requireConversation(tx, actor, conversationId, true);
    const known = await conversations.existingMembers(tx, actor.workspaceId, mentions);
    if (known.length !== mentions.length) throw notFound('Mentioned member');
    const note = (await store.insertMessage(tx, actor.workspaceId, {
      conversationId,
      channelId: conversation.channel_id,
      direction: 'note',
      kind: 'text',
      body: input.text,
      content: {},
      authorMemberId: actor.memberId,
      mentions,
      providerMessageId: null,
      status: 'noted',
    }))!;
    await emit(tx, actor.workspaceId, inboxEvents.noteAdded, { conversationId, messageId: note.id, authorMemberId: actor.memberId });
    await live.messageCreated(tx, actor.workspaceId, live.accessOf(conversation), note, { preview: previewOf(note) });
    if (mentions.length) {
      await emit(tx, actor.workspaceId, inboxEvents.memberMentioned, {
        memberIds: mentions,
        conversationId,
        messageId: note.id,
        authorMemberId: actor.memberId,
        title: `Mentioned in a conversation with ${conversation.contact_name || 'a customer'}`,
        excerpt: input.text.slice(0, 200),
        link: `/inbox/${conversationId}`,
      });
    }
    return (await withAttachments(tx, actor.workspaceId, [note]))[0]!;
  });
}

export async function searchMessages(db: Db, actor: Actor, q: string, page: { cursor?: string; limit: number }) {
  requireAccess(actor, 'inbox:read');
  const query = searchQuery(q);
  if (!query) throw invalid([{ path: 'q', message: 'Nothing to search for: give a word' }]);
  const rows = await store.searchMessages(db, actor.workspaceId, query, visibleConversation(actor), page);
  const result = toPage(rows, page.limit, (r) => [r.created_at.toISOString(), r.id], (r) => r);
  return { items: await withAttachments(db, actor.workspaceId, result.items), nextCursor: result.nextCursor };
}

/** Stores an upload for a later reply; 413 over the size limit, 415 for a type not allowed. */
export async function uploadAttachment(db: Db, deps: InboxDeps, actor: Actor, file: { fileName: string; declaredType: string; stream: Readable; truncated: () => boolean }) {
  requireAccess(actor, 'inbox:write');
  const chunks: Buffer[] = [];
  for await (const chunk of file.stream) chunks.push(chunk as Buffer);
  if (file.truncated()) throw new AppError('payload_too_large', `The file is larger than ${deps.limits.maxBytes} bytes`, { details: { maxBytes: deps.limits.maxBytes } });
  const checked = await checkFile(deps.limits, { fileName: file.fileName, declaredType: file.declaredType, data: Buffer.concat(chunks) });
  const id = await storeFile(db, deps.limits, actor.workspaceId, checked, actor.memberId);
  return { id, fileName: checked.fileName, mimeType: checked.mimeType, sizeBytes: checked.data.length, url: `/api/v1/attachments/${id}` };
}

/** A file of a message the actor may see, or their own pending upload. */
export async function readAttachment(db: Db, deps: InboxDeps, actor: Actor, id: string) {
  requireAccess(actor, 'inbox:read');
  const row = UUID.test(id) ? await store.findAttachment(db, actor.workspaceId, id) : undefined;
  if (!row) throw notFound('Attachment');
  if (row.message_id) {
    const message = await store.findMessage(db, actor.workspaceId, row.message_id);
    await requireConversation(db, actor, message!.conversation_id);
  } else if (row.uploaded_by !== actor.memberId) throw notFound('Attachment');
  return { fileName: row.file_name, mimeType: row.mime_type, data: await readStored(deps.limits, actor.workspaceId, row.sha256) };
}

export async function listDeadLetters(db: Db, actor: Actor, filter: { channelId?: string; cursor?: string; limit: number }) {
  requireAccess(actor, 'channels:manage');
  const rows = await store.listDeadLetters(db, actor.workspaceId, filter);
  const result = toPage(rows, filter.limit, (r) => [r.failed_at!.toISOString(), r.id], (r) => r);
  return { items: await withAttachments(db, actor.workspaceId, result.items), nextCursor: result.nextCursor };
}

/** Puts a dead letter back in the queue with a fresh count of attempts. */
export async function retryDeadLetter(db: Db, deps: InboxDeps, actor: Actor, messageId: string) {
  requireAccess(actor, 'channels:manage');
  return inTransaction(db, async (tx) => {
    const message = await store.findMessage(tx, actor.workspaceId, messageId);
    if (!message || message.direction !== 'out') throw notFound('Dead letter');
    if (!(await store.requeue(tx, actor.workspaceId, messageId))) throw conflict('Only a failed message can be retried');
    await enqueue(tx, deps.sendJob, { workspaceId: actor.workspaceId, messageId });
    return (await withAttachments(tx, actor.workspaceId, [(await store.findMessage(tx, actor.workspaceId, messageId))!]))[0]!;
  });
}
