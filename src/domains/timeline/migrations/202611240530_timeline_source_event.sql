-- The outbox event a timeline entry was derived from (null for entries people and integrations
-- add). Handlers derive the entry's id from (event, contact, type), so a redelivered event
-- inserts nothing; this column says where an entry came from.
alter table timeline_events add column source_event bigint;
