-- People who can sign in. Global (a person may belong to several workspaces).
create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  name text not null,
  password_hash text not null,
  locale text not null default 'zh-CN',
  failed_logins int not null default 0,
  locked_until timestamptz(3),
  password_changed_at timestamptz(3) not null default now(),
  created_at timestamptz(3) not null default now(),
  constraint users_email_normalised check (email = lower(btrim(email)))
);
create unique index users_email_key on users (email);

-- Login attempts per client address, for throttling across processes.
create table login_attempts (
  id bigint generated always as identity primary key,
  client_ip text not null,
  email text not null,
  succeeded boolean not null,
  at timestamptz(3) not null default now()
);
create index login_attempts_failures on login_attempts (client_ip, at) where not succeeded;
