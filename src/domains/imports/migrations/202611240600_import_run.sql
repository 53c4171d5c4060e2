-- What the import job needs beyond the first migration: how to read the file (detected once at
-- upload), why a run failed, and the keys the running import has already seen in its file.
alter table imports add column encoding text not null default 'utf-8' check (encoding in ('utf-8', 'gb18030'));
alter table imports add column delimiter text not null default ',' check (delimiter in (',', ';', E'\t'));
alter table imports add column error text;

-- De-duplication "against the file so far" without holding the file's keys in memory: each batch
-- records the keys (phone:…, email:…, identity:<channel>:…, contact:<id>) of the rows it applied,
-- in the batch's transaction, so a resumed run sees exactly what committed. Emptied when the
-- import finishes.
create table import_row_keys (
  workspace_id uuid not null,
  import_id uuid not null,
  key text not null,
  line int not null,
  primary key (workspace_id, import_id, key),
  foreign key (workspace_id, import_id) references imports (workspace_id, id) on delete cascade
);
