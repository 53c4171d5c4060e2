-- The contact list's quick search (filter.ts, `q`): a case-insensitive substring of the name,
-- e-mail, company or phone (`col ilike '%q%'`, and `phone like '%digits%'` for a number typed
-- with spaces or dashes). Without an index, a rare term (a phone number, an e-mail) that the
-- window of newest contacts does not fill scanned every contact of the workspace, and so did its
-- count: 0.7–0.9 s at 400,000 contacts on PostgreSQL.
--
-- One trigram GIN per column, live contacts only (the list's own predicate): the query ORs the
-- four columns, so PostgreSQL answers it with a BitmapOr of the four indexes, and each column
-- keeps its own statistics, so a common term still walks the sort index (contacts_newest) instead
-- of reading every match. One GIN over the four columns joined costs as much to write and
-- needs the query rewritten, and the planner misjudged its selectivity (common terms took the
-- bitmap path: 650 ms instead of 5). Terms of one or two characters (a two-character Chinese
-- name) have no trigram, so they are answered as before.
--
-- pg_trgm ships with PostgreSQL (a trusted extension since 13) and with PGlite (loaded in
-- src/platform/db/connect.ts). In a C.UTF-8 or other UTF-8 locale it indexes CJK characters too.
create extension if not exists pg_trgm;

create index contacts_search_name on contacts using gin (name gin_trgm_ops) where deleted_at is null;
create index contacts_search_email on contacts using gin (email gin_trgm_ops) where deleted_at is null;
create index contacts_search_company on contacts using gin (company gin_trgm_ops) where deleted_at is null;
create index contacts_search_phone on contacts using gin (phone gin_trgm_ops) where deleted_at is null;
