-- The per-contact counters' 8 newest times move from an array into columns at1 … at8 (newest
-- first), each with an index of its own, so that "at least N events of type T in the last D days"
-- (N ≤ 8) is one range of the at{N} index — exactly the contacts that pass, read index-only.
--
-- The one index on recent[1] read every contact with any such event in the window and tested
-- recent[N] on each: at 10^6 contacts, 275,000 entries (of ~150 bytes, the whole array included)
-- for the 92,600 contacts with 2 orders in 90 days; the at2 index reads those 92,600 alone, at a
-- fifth of the time. An index on an array element cannot do this: an index-only scan needs every
-- column a condition names, and a condition on recent[N] names all of `recent`. The indexes are
-- partial (at{N} is null when a contact has fewer than N events of the type): together one entry
-- of ~60 bytes per kept time (7.0 million at 10^6 contacts), where the old index had one of ~150
-- bytes per (contact, type) (3.1 million). A new event now writes up to 8 index entries for its
-- (contact, type) row instead of one.
drop index contact_event_recent_latest;
truncate contact_event_recent;
alter table contact_event_recent drop column recent,
  add column at1 timestamptz(3) not null,
  add column at2 timestamptz(3),
  add column at3 timestamptz(3),
  add column at4 timestamptz(3),
  add column at5 timestamptz(3),
  add column at6 timestamptz(3),
  add column at7 timestamptz(3),
  add column at8 timestamptz(3);

-- Recomputes the rows of the (workspace, contact, type) pairs in `pairs` (the triggers of
-- 202611250410/0411 call it).
create or replace function contact_event_recent_sync(pairs jsonb) returns void language sql as $$
  with x as (
    select distinct (p ->> 'w')::uuid as workspace_id, (p ->> 'c')::uuid as contact_id, p ->> 't' as type from jsonb_array_elements(pairs) p
  ),
  now_ as (
    select x.workspace_id, x.contact_id, x.type, s.total, s.recent from x
    cross join lateral (
      select count(*)::int as total,
             array(select e.occurred_at from timeline_events e
                   where e.workspace_id = x.workspace_id and e.contact_id = x.contact_id and e.type = x.type
                   order by e.occurred_at desc limit 8) as recent
      from timeline_events e where e.workspace_id = x.workspace_id and e.contact_id = x.contact_id and e.type = x.type
    ) s
  ),
  gone as (
    delete from contact_event_recent r using now_ n
    where r.workspace_id = n.workspace_id and r.contact_id = n.contact_id and r.type = n.type and n.total = 0
  )
  insert into contact_event_recent (workspace_id, contact_id, type, total, at1, at2, at3, at4, at5, at6, at7, at8)
  select workspace_id, contact_id, type, total, recent[1], recent[2], recent[3], recent[4], recent[5], recent[6], recent[7], recent[8]
  from now_ where total > 0
  on conflict (workspace_id, contact_id, type) do update set
    total = excluded.total, at1 = excluded.at1, at2 = excluded.at2, at3 = excluded.at3, at4 = excluded.at4,
    at5 = excluded.at5, at6 = excluded.at6, at7 = excluded.at7, at8 = excluded.at8;
$$;

-- Every workspace's counters from scratch (the migration; and a bulk load that wrote events with
-- the triggers off), in primary-key order.
create function contact_event_recent_rebuild() returns void language sql as $$
  truncate contact_event_recent;
  insert into contact_event_recent (workspace_id, contact_id, type, total, at1, at2, at3, at4, at5, at6, at7, at8)
  select workspace_id, contact_id, type, total, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]
  from (select workspace_id, contact_id, type, count(*)::int as total, (array_agg(occurred_at order by occurred_at desc))[1:8] as r
        from timeline_events group by workspace_id, contact_id, type) g
  order by workspace_id, contact_id, type;
$$;

select contact_event_recent_rebuild();

-- at1 covers every (contact, type): "ever" tests on the total read it too.
create index contact_event_recent_at1 on contact_event_recent (workspace_id, type, at1) include (contact_id, total);
create index contact_event_recent_at2 on contact_event_recent (workspace_id, type, at2) include (contact_id) where at2 is not null;
create index contact_event_recent_at3 on contact_event_recent (workspace_id, type, at3) include (contact_id) where at3 is not null;
create index contact_event_recent_at4 on contact_event_recent (workspace_id, type, at4) include (contact_id) where at4 is not null;
create index contact_event_recent_at5 on contact_event_recent (workspace_id, type, at5) include (contact_id) where at5 is not null;
create index contact_event_recent_at6 on contact_event_recent (workspace_id, type, at6) include (contact_id) where at6 is not null;
create index contact_event_recent_at7 on contact_event_recent (workspace_id, type, at7) include (contact_id) where at7 is not null;
create index contact_event_recent_at8 on contact_event_recent (workspace_id, type, at8) include (contact_id) where at8 is not null;
