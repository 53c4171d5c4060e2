// Zod shapes of the inbox API, shared by its routes.
import { z } from 'zod';
import { messageKinds } from '../../channels/index.js';

export const conversationStatuses = ['open', 'pending', 'snoozed', 'resolved'] as const;

export const conversationSchema = z.object({
  id: z.string(),
  channelId: z.string(),
  /** direct: one customer (`contact`); group: many participants (`GET /conversations/{id}/participants`), `contact` null. */
  kind: z.enum(['direct', 'group']),
  contact: z.object({ id: z.string(), name: z.string() }).nullable(),
  groupName: z.string().nullable(),
  status: z.enum(conversationStatuses),
  snoozedUntil: z.date().nullable(),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  labels: z.array(z.string()),
  /** Since when the customer waits for an answer; null when the last word is ours. */
  waitingSince: z.date().nullable(),
  lastMessageAt: z.date().nullable(),
  lastInboundAt: z.date().nullable(),
  lastMessagePreview: z.string().nullable(),
  /** Inbound messages the caller has not read. */
  unreadCount: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
  resolvedAt: z.date().nullable(),
});
export const conversationResponse = z.object({ conversation: conversationSchema });

export const participantSchema = z.object({
  contactId: z.string(),
  name: z.string(),
  /** Their id on the channel. */
  externalId: z.string(),
  joinedAt: z.date(),
  /** When the provider said they left; null while they are in the group. */
  leftAt: z.date().nullable(),
  lastMessageAt: z.date().nullable(),
  messageCount: z.number(),
});

export const attachmentSchema = z.object({ id: z.string(), fileName: z.string(), mimeType: z.string(), sizeBytes: z.number(), url: z.string() });

export const location = z.strictObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().max(200).optional(),
  address: z.string().max(500).optional(),
});
export const link = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  title: z.string().max(300).optional(),
  description: z.string().max(1000).optional(),
  imageUrl: z.url({ protocol: /^https?$/ }).max(2000).optional(),
});

export const messageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  channelId: z.string(),
  direction: z.enum(['in', 'out', 'note']),
  kind: z.enum(messageKinds),
  text: z.string().nullable(),
  /** Sanitised HTML of a formatted message (e-mail); `cid:<file name>` images are attachments of the message. */
  html: z.string().nullable(),
  /** The subject line (e-mail). */
  subject: z.string().nullable(),
  /** Sent by a machine (auto_reply, bulk, bounce): never to be answered automatically. */
  automated: z.enum(['auto_reply', 'bulk', 'bounce']).nullable(),
  location: z.record(z.string(), z.unknown()).nullable(),
  link: z.record(z.string(), z.unknown()).nullable(),
  authorId: z.string().nullable(),
  /** The contact who wrote an inbound message (in a group, one of its participants). */
  senderContactId: z.string().nullable(),
  mentions: z.array(z.string()),
  /** in: received; out: queued → sent → delivered → read, or failed; note: noted. */
  status: z.enum(['received', 'queued', 'sent', 'delivered', 'read', 'failed', 'noted']),
  providerMessageId: z.string().nullable(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  /** Why it failed, as a stable code (ChannelErrorReason: token_invalid, recipient_blocked, rate_limited, …); null when unknown. */
  errorReason: z.string().nullable(),
  nextAttemptAt: z.date().nullable(),
  sentAt: z.date().nullable(),
  deliveredAt: z.date().nullable(),
  readAt: z.date().nullable(),
  failedAt: z.date().nullable(),
  createdAt: z.date(),
  attachments: z.array(attachmentSchema),
});
export const messageResponse = z.object({ message: messageSchema });

export const replyBody = z.strictObject({
  kind: z.enum(messageKinds).default('text'),
  text: z.string().max(20_000).optional(),
  location: location.optional(),
  link: link.optional(),
  attachmentIds: z.array(z.uuid()).max(10).optional(),
  /**
   * A pre-approved template (a channel whose capabilities say `templates`, from GET
   * /channels/{id}/templates): the one reply allowed outside the reply window. `text`, if given,
   * is what the thread shows of it.
   */
  template: z.strictObject({ name: z.string().trim().min(1).max(512), language: z.string().trim().min(2).max(15), bodyParameters: z.array(z.string().max(1024)).max(20).optional() }).optional(),
});
export const noteBody = z.strictObject({ text: z.string().trim().min(1).max(20_000), mentions: z.array(z.uuid()).max(50).optional() });
export const statusBody = z.strictObject({ status: z.enum(conversationStatuses), snoozedUntil: z.coerce.date().optional() });
export const assigneeBody = z.strictObject({ memberId: z.uuid().nullable() });
/** At least one of the two (checked after the conversation is found, so a foreign id is a 404 first). */
export const transferBody = z.strictObject({ teamId: z.uuid().optional(), memberId: z.uuid().optional() });
export const labelsBody = z.strictObject({ labels: z.array(z.string().trim().min(1).max(50)).max(30) });
