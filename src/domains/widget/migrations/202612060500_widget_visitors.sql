-- Widget visitors: what Renmai keeps of a person chatting on a site's widget, once they do
-- something worth keeping (a pre-chat form, an e-mail left while offline, a read mark). A visitor
-- who only opens the page stores nothing: their session is a sealed token held by the browser.
create table widget_visitors (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  channel_id uuid not null,
  -- The conversation's thread key: `v_<random>` for an anonymous visitor, `user:<id>` for a verified one.
  visitor_id text not null,
  -- What the visitor typed (never verified); copied onto their contact where its fields are empty.
  name text,
  email text,
  phone text,
  custom jsonb not null default '{}',
  prechat_at timestamptz(3),
  -- Set while the profile above waits for the visitor's contact to exist (their first message is processed).
  profile_pending boolean not null default false,
  -- Agents' messages up to this instant are read (the widget's unread badge).
  read_at timestamptz(3),
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, channel_id, visitor_id),
  foreign key (workspace_id, channel_id) references channels (workspace_id, id) on delete cascade
);
