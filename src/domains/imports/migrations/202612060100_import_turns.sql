-- Which import of a workspace may write contacts now. Imports of one workspace must not match and
-- create the same people at once, while the batches of one import may run side by side (two
-- connections, each batch in its own transaction; the import orders them itself). A batch holds
-- the row FOR SHARE while its import owns the turn; another import takes the turn over by
-- updating the row, which waits until the batches in flight have committed. (An advisory lock
-- cannot tell the batches of one import from those of another.)
create table import_turns (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  import_id uuid not null,
  primary key (workspace_id)
);
