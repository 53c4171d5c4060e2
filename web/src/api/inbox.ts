// The inbox contract (src/domains/inbox/README.md and /api/docs): conversations, messages, notes,
// attachments, presence, and the canned responses of the auto-replies domain.
import { api, buildUrl, readCookie, ApiError, type Page } from './client';

export const conversationStatuses = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
export type PresenceStatus = 'online' | 'away' | 'offline';
export type MessageStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'noted';

export interface Conversation {
  id: string;
  channelId: string;
  /** `group` conversations have participants instead of one contact. */
  kind?: 'direct' | 'group';
  contact: { id: string; name: string } | null;
  groupName?: string | null;
  status: ConversationStatus;
  snoozedUntil: string | null;
  assigneeId: string | null;
  teamId: string | null;
  labels: string[];
  waitingSince: string | null;
  lastMessageAt: string | null;
  lastInboundAt: string | null;
  lastMessagePreview: string | null;
  unreadCount: number;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
}

export interface Attachment {
  id: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  url: string;
}

export interface Message {
  id: string;
  conversationId: string;
  channelId: string;
  direction: 'in' | 'out' | 'note';
  kind: string;
  text: string | null;
  /** Sanitised by the server; shown only inside a sandboxed frame. */
  html: string | null;
  subject: string | null;
  automated: 'auto_reply' | 'bulk' | 'bounce' | null;
  location: { latitude?: number; longitude?: number; name?: string; address?: string } | null;
  link: { url?: string; title?: string; description?: string } | null;
  authorId: string | null;
  senderContactId?: string | null;
  mentions: string[];
  status: MessageStatus;
  attempts: number;
  lastError: string | null;
  /** Why it failed, as a stable code (token_invalid, recipient_blocked, …); null when unknown. */
  errorReason: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  failedAt: string | null;
  createdAt: string;
  attachments: Attachment[];
}

export interface InboxChannel {
  id: string;
  type: string;
  name: string;
  enabled: boolean;
  teamId: string | null;
  capabilities: { messageKinds: string[]; replyWindowMs: number | null; templates: boolean };
}

export interface Unread {
  conversations: number;
  messages: number;
  mine: { conversations: number; messages: number };
}

export interface Agent {
  memberId: string;
  status: PresenceStatus;
  chosenStatus: PresenceStatus;
  lastSeenAt: string | null;
  openConversations: number;
}

export interface CannedResponse {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  scope: string;
}

export interface ConversationFilter {
  status?: ConversationStatus;
  /** A member id, `me`, or `none` for unassigned. */
  assignee?: string;
  channelId?: string;
  teamId?: string;
  label?: string;
  contactId?: string;
  unread?: boolean;
}

export const inboxKeys = {
  all: ['inbox'] as const,
  lists: ['inbox', 'conversations'] as const,
  list: (f: ConversationFilter) => ['inbox', 'conversations', f] as const,
  conversation: (id: string) => ['inbox', 'conversation', id] as const,
  messages: (id: string) => ['inbox', 'messages', id] as const,
  unread: ['inbox', 'unread'] as const,
  presence: ['inbox', 'presence'] as const,
  channels: ['inbox', 'channels'] as const,
  contactConversations: (contactId: string) => ['inbox', 'contact-conversations', contactId] as const,
  participants: (id: string) => ['inbox', 'participants', id] as const,
};

export const listConversations = (f: ConversationFilter, cursor?: string | null) =>
  api.get<Page<Conversation>>('/conversations', { ...f, unread: f.unread ? 'true' : undefined, cursor, limit: 30 });
export const getConversation = (id: string) => api.get<{ conversation: Conversation }>(`/conversations/${id}`).then((r) => r.conversation);
/** A group's people (the latest 200 to join): enough to name who wrote each message. */
export const listParticipants = (id: string) => api.get<Page<{ contactId: string; name: string; leftAt: string | null }>>(`/conversations/${id}/participants`, { limit: 200 });
export const listMessages = (id: string, cursor?: string | null) => api.get<Page<Message>>(`/conversations/${id}/messages`, { cursor, limit: 50 });
export const getUnread = () => api.get<Unread>('/inbox/unread');
export const markConversationRead = (id: string) => api.post<{ conversation: Conversation }>(`/conversations/${id}/read`).then((r) => r.conversation);

/** A pre-approved template of a channel (WhatsApp), from GET /channels/{id}/templates. */
export interface ChannelTemplate {
  name: string;
  language: string;
  status: 'approved' | 'pending' | 'rejected' | 'other';
  category?: string;
  body?: string;
  bodyParameterCount: number;
}
export interface TemplateChoice {
  name: string;
  language: string;
  bodyParameters?: string[];
}

export const listChannelTemplates = (channelId: string) => api.get<{ items: ChannelTemplate[] }>(`/channels/${channelId}/templates`).then((r) => r.items);
export const sendReply = (id: string, body: { kind?: string; text?: string; attachmentIds?: string[]; template?: TemplateChoice }) =>
  api.post<{ message: Message }>(`/conversations/${id}/messages`, body).then((r) => r.message);
export const addNote = (id: string, body: { text: string; mentions?: string[] }) => api.post<{ message: Message }>(`/conversations/${id}/notes`, body).then((r) => r.message);
export const changeStatus = (id: string, body: { status: ConversationStatus; snoozedUntil?: string }) =>
  api.post<{ conversation: Conversation }>(`/conversations/${id}/status`, body).then((r) => r.conversation);
export const assign = (id: string, memberId: string | null) => api.put<{ conversation: Conversation }>(`/conversations/${id}/assignee`, { memberId }).then((r) => r.conversation);
export const transfer = (id: string, body: { teamId?: string; memberId?: string }) =>
  api.post<{ conversation: Conversation }>(`/conversations/${id}/transfer`, body).then((r) => r.conversation);
export const setLabels = (id: string, labels: string[]) => api.put<{ conversation: Conversation }>(`/conversations/${id}/labels`, { labels }).then((r) => r.conversation);
export const searchMessages = (q: string, cursor?: string | null) => api.get<Page<Message>>('/inbox/search', { q, cursor, limit: 30 });
export const retryDeadLetter = (messageId: string) => api.post<{ message: Message }>(`/dead-letters/${messageId}/retry`);

export const listPresence = () => api.get<Page<Agent>>('/inbox/presence', { limit: 100 }).then((r) => r.items);
export const setMyPresence = (status: PresenceStatus) => api.put<{ presence: Agent }>('/inbox/presence', { status }).then((r) => r.presence);
export const listInboxChannels = () => api.get<Page<InboxChannel>>('/channels', { limit: 100 }).then((r) => r.items);

export const listCannedResponses = (q: string) => api.get<Page<CannedResponse>>('/inbox/canned-responses', { q, limit: 20 });
export const renderCannedResponse = (id: string, conversationId: string) =>
  api.post<{ text: string }>(`/inbox/canned-responses/${id}/render`, { conversationId }).then((r) => r.text);

/** Uploads one file for a reply (multipart, field `file`); the answer's id goes in `attachmentIds`. */
export async function uploadAttachment(file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const csrf = readCookie('renmai_csrf');
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(buildUrl('/attachments'), { method: 'POST', body: form, headers, credentials: 'include' }).catch(() => {
    throw new ApiError(0, 'network', 'Network error');
  });
  const body = (await res.json().catch(() => ({}))) as { attachment?: Attachment; code?: string; detail?: string };
  if (!res.ok || !body.attachment) throw new ApiError(res.status, body.code ?? 'error', body.detail ?? res.statusText);
  return body.attachment;
}
