import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { MessageKind } from '../../channels/adapter.js';

export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved';
export type ConversationKind = 'direct' | 'group';
export type Direction = 'in' | 'out' | 'note';
export type MessageStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'noted';

export interface InboundEventsTable {
  workspace_id: string;
  id: Generated<string>;
  channel_id: string;
  provider_event_id: string;
  thread_key: string;
  kind: string;
  event: JSONColumnType<Record<string, unknown>, string, string>;
  received_at: Generated<Date>;
  /** Storage order: a thread's events are processed by it. */
  seq: Generated<string>;
  processed_at: Date | null;
}

export interface ConversationsTable {
  workspace_id: string;
  id: Generated<string>;
  channel_id: string;
  kind: Generated<ConversationKind>;
  /** Null for a group conversation (its people are conversation_participants). */
  contact_id: string | null;
  group_name: string | null;
  thread_key: string;
  recipient_id: string;
  status: Generated<ConversationStatus>;
  snoozed_until: Date | null;
  assignee_member_id: string | null;
  team_id: string | null;
  waiting_since: Date | null;
  last_message_at: Date | null;
  last_inbound_at: Date | null;
  last_message_preview: string | null;
  inbound_count: Generated<number>;
  labels: Generated<string[]>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  resolved_at: Date | null;
}

export interface MessagesTable {
  workspace_id: string;
  id: Generated<string>;
  conversation_id: string;
  channel_id: string;
  direction: Direction;
  kind: MessageKind;
  body: string | null;
  content: JSONColumnType<Record<string, unknown>, string, string>;
  author_member_id: string | null;
  /** Who wrote an inbound message. */
  sender_contact_id: string | null;
  mentions: Generated<string[]>;
  provider_message_id: string | null;
  status: MessageStatus;
  attempts: Generated<number>;
  last_error: string | null;
  /** A ChannelErrorReason (src/channels/adapter.ts) when the adapter's failure gave one. */
  last_error_reason: string | null;
  next_attempt_at: Date | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
  search: ColumnType<string | null, unknown, unknown>;
  created_at: Generated<Date>;
}

export interface AttachmentsTable {
  workspace_id: string;
  id: Generated<string>;
  message_id: string | null;
  file_name: string;
  mime_type: string;
  size_bytes: ColumnType<number, number, number>;
  sha256: string;
  uploaded_by: string | null;
  created_at: Generated<Date>;
}

export interface ConversationParticipantsTable {
  workspace_id: string;
  conversation_id: string;
  contact_id: string;
  external_id: string;
  joined_at: Generated<Date>;
  left_at: Date | null;
  last_message_at: Date | null;
  message_count: Generated<number>;
}

export interface ConversationReadsTable {
  workspace_id: string;
  conversation_id: string;
  member_id: string;
  read_count: number;
  read_at: Generated<Date>;
}

export type AssignmentMode = 'round_robin' | 'least_busy';
export type PresenceStatus = 'online' | 'away' | 'offline';

export interface InboxTeamSettingsTable {
  workspace_id: string;
  team_id: string;
  auto_assign: Generated<boolean>;
  mode: Generated<AssignmentMode>;
  agent_cap: number | null;
  last_assigned_member_id: string | null;
  updated_at: Generated<Date>;
}

export interface AgentPresenceTable {
  workspace_id: string;
  member_id: string;
  status: Generated<PresenceStatus>;
  connected: Generated<boolean>;
  last_seen_at: Date | null;
  last_assigned_at: Date | null;
  changed_at: Generated<Date>;
}

export interface InboxTables {
  inbound_events: InboundEventsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  conversation_reads: ConversationReadsTable;
  conversation_participants: ConversationParticipantsTable;
  inbox_team_settings: InboxTeamSettingsTable;
  agent_presence: AgentPresenceTable;
}
