-- The inbox: raw inbound provider events, conversations (per contact per channel thread),
-- their messages and attachments, and each member's read position.

-- Every verified inbound event, stored once (DESIGN.md rule 3) before it is answered; the worker
-- processes the events of one thread in order and marks them.
create table inbound_events (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  channel_id uuid not null,
  provider_event_id text not null,
  thread_key text not null,
  kind text not null,
  -- The normalised event (attachments by id, stored on disk at intake).
  event jsonb not null,
  received_at timestamptz(3) not null default now(),
  processed_at timestamptz(3),
  primary key (workspace_id, id),
  foreign key (workspace_id, channel_id) references channels (workspace_id, id) on delete cascade
);
create unique index inbound_events_once on inbound_events (workspace_id, channel_id, provider_event_id);
create index inbound_events_pending on inbound_events (workspace_id, channel_id, thread_key, received_at) where processed_at is null;

create table conversations (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  channel_id uuid not null,
  contact_id uuid not null,
  -- The provider's key of the thread: the customer's id on a one-to-one channel, a group's id later.
  thread_key text not null,
  -- The customer's id on the channel, where replies go.
  recipient_id text not null,
  status text not null default 'open' check (status in ('open', 'pending', 'snoozed', 'resolved')),
  snoozed_until timestamptz(3) check ((status = 'snoozed') = (snoozed_until is not null)),
  assignee_member_id uuid,
  team_id uuid,
  -- Since when the customer has waited for an answer (the first unanswered inbound message); null
  -- when the last word is ours. Queues and SLAs read it.
  waiting_since timestamptz(3),
  last_message_at timestamptz(3),
  last_inbound_at timestamptz(3),
  last_message_preview text,
  -- Inbound messages so far: a member's unread count is this minus what they had read.
  inbound_count int not null default 0,
  labels text[] not null default '{}',
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  resolved_at timestamptz(3),
  primary key (workspace_id, id),
  -- A channel with conversations is disabled, not deleted: its history stays.
  foreign key (workspace_id, channel_id) references channels (workspace_id, id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade,
  foreign key (workspace_id, assignee_member_id) references members (workspace_id, id) on delete set null (assignee_member_id),
  foreign key (workspace_id, team_id) references teams (workspace_id, id) on delete set null (team_id)
);
create unique index conversations_thread on conversations (workspace_id, channel_id, thread_key);
-- The list: newest activity first, by keyset; and the same per assignee and per status.
create index conversations_recent on conversations (workspace_id, last_message_at desc, id desc);
create index conversations_assignee on conversations (workspace_id, assignee_member_id, last_message_at desc, id desc);
create index conversations_status on conversations (workspace_id, status, last_message_at desc, id desc);
create index conversations_contact on conversations (workspace_id, contact_id);
create index conversations_labels on conversations using gin (labels);

create table messages (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  conversation_id uuid not null,
  channel_id uuid not null,
  -- in: from the customer; out: to the customer; note: internal, never sent.
  direction text not null check (direction in ('in', 'out', 'note')),
  kind text not null check (kind in ('text', 'image', 'file', 'audio', 'video', 'location', 'link')),
  body text,
  -- location {latitude, longitude, name, address} or link card {url, title, description, imageUrl}.
  content jsonb not null default '{}',
  author_member_id uuid,
  mentions uuid[] not null default '{}',
  provider_message_id text,
  -- in: received; out: queued → sent → delivered → read, or failed (the dead-letter list).
  status text not null check (status in ('received', 'queued', 'sent', 'delivered', 'read', 'failed', 'noted')),
  attempts int not null default 0,
  last_error text,
  next_attempt_at timestamptz(3),
  sent_at timestamptz(3),
  delivered_at timestamptz(3),
  read_at timestamptz(3),
  failed_at timestamptz(3),
  -- Words and CJK bigrams of the body (search.ts): full text search that also finds Chinese.
  search tsvector,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, conversation_id) references conversations (workspace_id, id) on delete cascade,
  foreign key (workspace_id, author_member_id) references members (workspace_id, id) on delete set null (author_member_id)
);
-- One message per provider id per channel: a redelivered event finds its message.
create unique index messages_provider on messages (workspace_id, channel_id, provider_message_id) where provider_message_id is not null;
create index messages_thread on messages (workspace_id, conversation_id, created_at desc, id desc);
create index messages_dead on messages (workspace_id, failed_at desc, id desc) where status = 'failed';
create index messages_search on messages using gin (search);

-- Files of messages, stored under ATTACHMENTS_DIR by their SHA-256. An upload waits (message_id
-- null) until a message takes it.
create table attachments (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  message_id uuid,
  file_name text not null,
  mime_type text not null,
  size_bytes bigint not null,
  sha256 text not null,
  uploaded_by uuid,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, message_id) references messages (workspace_id, id) on delete cascade,
  foreign key (workspace_id, uploaded_by) references members (workspace_id, id) on delete set null (uploaded_by)
);
create index attachments_message on attachments (workspace_id, message_id);

-- How far each member has read each conversation (its inbound_count when they last read it).
create table conversation_reads (
  workspace_id uuid not null,
  conversation_id uuid not null,
  member_id uuid not null,
  read_count int not null,
  read_at timestamptz(3) not null default now(),
  primary key (workspace_id, conversation_id, member_id),
  foreign key (workspace_id, conversation_id) references conversations (workspace_id, id) on delete cascade,
  foreign key (workspace_id, member_id) references members (workspace_id, id) on delete cascade
);
create index conversation_reads_member on conversation_reads (workspace_id, member_id);
