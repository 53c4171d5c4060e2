-- Unique indexes include the workspace (a table distributed by workspace_id on Citus can only
-- have those): the participant token is unique per workspace, and the public link finds it by the
-- token alone through a plain index (16 random characters, about 82 bits: tokens of different
-- workspaces do not meet; a clash would resolve to none rather than the wrong one).
drop index fission_participants_token;
create unique index fission_participants_token_per_workspace on fission_participants (workspace_id, token);
create index fission_participants_token on fission_participants (token);
