-- Group conversations (Telegram and LINE groups, WeCom customer groups): one conversation per
-- group, many participants, each message with its sender. A one-to-one conversation keeps its
-- contact; a group's belongs to no single contact (contact_id null) and lists its participants.
alter table conversations add column kind text not null default 'direct' check (kind in ('direct', 'group'));
alter table conversations add column group_name text;
alter table conversations alter column contact_id drop not null;
alter table conversations add constraint conversations_contact_by_kind check ((kind = 'direct') = (contact_id is not null));

-- Who wrote an inbound message: the conversation's contact one-to-one, the participant in a group.
alter table messages add column sender_contact_id uuid;
alter table messages add constraint messages_sender_contact foreign key (workspace_id, sender_contact_id) references contacts (workspace_id, id) on delete set null (sender_contact_id);
update messages m set sender_contact_id = c.contact_id
  from conversations c where c.workspace_id = m.workspace_id and c.id = m.conversation_id and m.direction = 'in';
create index messages_sender on messages (workspace_id, sender_contact_id) where sender_contact_id is not null;

create table conversation_participants (
  workspace_id uuid not null,
  conversation_id uuid not null,
  contact_id uuid not null,
  -- The participant's id on the channel (what a mention or a private reply would use).
  external_id text not null,
  joined_at timestamptz(3) not null default now(),
  -- Set when the provider says they left; a later message or join clears it.
  left_at timestamptz(3),
  last_message_at timestamptz(3),
  message_count int not null default 0,
  primary key (workspace_id, conversation_id, contact_id),
  foreign key (workspace_id, conversation_id) references conversations (workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
-- A contact's groups (the profile's past conversations).
create index conversation_participants_contact on conversation_participants (workspace_id, contact_id);
