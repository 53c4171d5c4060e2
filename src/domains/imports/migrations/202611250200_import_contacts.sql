-- The contacts an import created, with the file line each came from: the import's own record of
-- what it made (one narrow row per contact, where a timeline entry per contact cost a JSONB row
-- and five indexes), and how a later batch of the same run recognises a row that repeats an
-- earlier one ("Duplicate of line N") once the earlier row's contact exists. Written in the
-- batch's transaction, so a resumed run sees exactly what committed.
--
-- No foreign keys: each is a lookup per inserted row (measured: it tripled the cost of this
-- table's rows), and the import job is the only writer, for an import and contacts it has just
-- written in the same transaction. Rows of contacts purged later simply match nothing.
create table import_contacts (
  workspace_id uuid not null,
  import_id uuid not null,
  contact_id uuid not null,
  line int not null,
  primary key (workspace_id, import_id, contact_id)
);
