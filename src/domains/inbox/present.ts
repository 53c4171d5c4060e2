// Conversations and messages as the API shows them.
import type { Db } from '../../platform/db/connect.js';
import type { Automated } from '../../channels/index.js';
import type { ConversationRow } from './conversations-store.js';
import { attachmentsOf, type MessageRow } from './messages-store.js';

export const toConversation = (r: ConversationRow) => ({
  id: r.id,
  channelId: r.channel_id,
  kind: r.kind,
  contact: r.contact_id ? { id: r.contact_id, name: r.contact_name ?? '' } : null,
  groupName: r.group_name,
  status: r.status,
  snoozedUntil: r.snoozed_until,
  assigneeId: r.assignee_member_id,
  teamId: r.team_id,
  labels: r.labels,
  waitingSince: r.waiting_since,
  lastMessageAt: r.last_message_at,
  lastInboundAt: r.last_inbound_at,
  lastMessagePreview: r.last_message_preview,
  unreadCount: Math.max(0, Number(r.unread)),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  resolvedAt: r.resolved_at,
});
export type Conversation = ReturnType<typeof toConversation>;

type AttachmentRow = Awaited<ReturnType<typeof attachmentsOf>>[number];

const toMessage = (m: MessageRow, files: AttachmentRow[]) => ({
  id: m.id,
  conversationId: m.conversation_id,
  channelId: m.channel_id,
  direction: m.direction,
  kind: m.kind,
  text: m.body,
  html: (m.content.html as string | undefined) ?? null,
  subject: (m.content.subject as string | undefined) ?? null,
  automated: (m.content.automated as Automated | undefined) ?? null,
  location: (m.content.location as Record<string, unknown> | undefined) ?? null,
  link: (m.content.link as Record<string, unknown> | undefined) ?? null,
  authorId: m.author_member_id,
  senderContactId: m.sender_contact_id,
  mentions: m.mentions,
  status: m.status,
  providerMessageId: m.provider_message_id,
  attempts: m.attempts,
  lastError: m.last_error,
  errorReason: m.last_error_reason,
  nextAttemptAt: m.next_attempt_at,
  sentAt: m.sent_at,
  deliveredAt: m.delivered_at,
  readAt: m.read_at,
  failedAt: m.failed_at,
  createdAt: m.created_at,
  attachments: files
    .filter((a) => a.message_id === m.id)
    .map((a) => ({ id: a.id, fileName: a.file_name, mimeType: a.mime_type, sizeBytes: Number(a.size_bytes), url: `/api/v1/attachments/${a.id}` })),
});
export type Message = ReturnType<typeof toMessage>;

/** Messages with their attachments (one more query). */
export async function withAttachments(db: Db, workspaceId: string, rows: MessageRow[]): Promise<Message[]> {
  const files = await attachmentsOf(db, workspaceId, rows.map((r) => r.id));
  return rows.map((r) => toMessage(r, files));
}

/** What the conversation list shows of a message. */
export function previewOf(m: { kind: string; body: string | null }) {
  const text = m.body?.replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, 140) : `[${m.kind}]`;
}
