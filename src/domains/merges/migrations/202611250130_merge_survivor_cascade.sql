-- A merge record lives as long as its survivor: when a deleted survivor is purged after the
-- restore window (contacts/purge.ts), its merges can no longer be undone and go with it.
alter table contact_merges drop constraint contact_merges_workspace_id_survivor_id_fkey,
  add foreign key (workspace_id, survivor_id) references contacts (workspace_id, id) on delete cascade;
