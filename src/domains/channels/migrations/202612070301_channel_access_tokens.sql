-- Provider access tokens shared by every worker process (src/channels/access-token.ts), so a
-- token is fetched once per credential, not once per process: one row per credential key
-- (provider, public id, hash of the secret). Not tenant-owned: one WeCom app's token serves every
-- channel configured with that app, in whichever workspace. The token is sealed with the channel
-- secrets key (AES-256-GCM, bound to the key); token_hash lets a process drop the exact token the
-- provider refused without opening it.
create table channel_access_tokens (
  key text primary key,
  token bytea not null,
  token_hash text not null,
  refresh_at timestamptz(3) not null,
  updated_at timestamptz(3) not null default now()
);
