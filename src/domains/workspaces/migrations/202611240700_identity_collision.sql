-- What happens when an incoming identity (a channel id, a phone, an e-mail) already belongs to
-- another contact: refuse it (the default), or merge that contact into the one receiving it.
alter table workspaces add column identity_collision text not null default 'refuse'
  check (identity_collision in ('refuse', 'merge'));
