-- A thread's events are processed in the order they were stored, also within one delivery (a
-- batch shares its received_at, and ids are random): a sequence, taken as each event is inserted.
alter table inbound_events add column seq bigint generated always as identity;
drop index inbound_events_pending;
create index inbound_events_pending on inbound_events (workspace_id, channel_id, thread_key, seq) where processed_at is null;
