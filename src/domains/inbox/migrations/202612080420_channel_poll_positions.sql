-- Channels that poll their provider (Telegram getUpdates) instead of receiving webhooks: where
-- reading stopped, and a lease so that two worker processes never poll one channel at once.
create table channel_poll_positions (
  workspace_id uuid not null,
  channel_id uuid not null,
  -- The provider's cursor (Telegram: the next update_id); null before the first poll.
  cursor text check (length(cursor) <= 200),
  leased_until timestamptz(3),
  last_error text,
  polled_at timestamptz(3),
  primary key (workspace_id, channel_id),
  foreign key (workspace_id, channel_id) references channels (workspace_id, id) on delete cascade
);
