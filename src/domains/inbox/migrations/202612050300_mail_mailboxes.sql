-- E-mail channels that read a mailbox over IMAP: how far each has read it (UIDVALIDITY and the
-- last UID handed to intake), so a restart neither loses nor repeats mail, and a lease so that
-- two worker processes never read one mailbox at once.
create table mail_mailboxes (
  workspace_id uuid not null,
  channel_id uuid not null,
  -- user@host:port/mailbox: the position belongs to one mailbox; another one starts afresh.
  account text not null,
  uid_validity bigint,
  last_uid bigint not null default 0,
  -- When the channel began following the mailbox: a re-read after UIDVALIDITY changed stops here.
  following_since timestamptz(3) not null default now(),
  leased_until timestamptz(3),
  last_polled_at timestamptz(3),
  last_error text,
  primary key (workspace_id, channel_id),
  foreign key (workspace_id, channel_id) references channels (workspace_id, id) on delete cascade
);
