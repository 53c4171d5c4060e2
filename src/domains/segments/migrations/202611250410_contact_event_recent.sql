-- Per-contact event counters for behaviour conditions. For each contact and event type: how many
-- events there are, and when the 8 most recent happened (newest first). "did order at least N
-- times in the last D days" (N ≤ 8) is then `recent[N] >= start of the window` on one narrow row
-- per contact, read by an index-only scan — where counting the raw events means aggregating every
-- event of the window (at 10^6 contacts, ~670,000 orders in 90 days hashed into ~300,000 groups;
-- bench/benchmarks/segments.ts). "ever" reads `total`. Windows between dates, conditions on event
-- properties and counts beyond 8 still count the events themselves (queries/compile.ts).
--
-- Kept exact by statement-level triggers on timeline_events (inserts, deletes, and updates such as
-- a merge moving events to the survivor): each statement recomputes the rows of the (contact, type)
-- pairs it touched, set-based. The rows are derived data: no foreign key, the triggers delete a
-- pair's row when its last event goes.
create table contact_event_recent (
  workspace_id uuid not null,
  contact_id uuid not null,
  type text not null,
  total int not null,
  recent timestamptz(3)[] not null,
  primary key (workspace_id, contact_id, type)
);
create index contact_event_recent_latest on contact_event_recent (workspace_id, type, (recent[1])) include (contact_id, total, recent);

insert into contact_event_recent (workspace_id, contact_id, type, total, recent)
select workspace_id, contact_id, type, count(*)::int, (array_agg(occurred_at order by occurred_at desc))[1:8]
from timeline_events group by workspace_id, contact_id, type;

-- Recomputes the rows of the (workspace, contact, type) pairs in `pairs`.
create function contact_event_recent_sync(pairs jsonb) returns void language sql as $$
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
  insert into contact_event_recent (workspace_id, contact_id, type, total, recent)
  select workspace_id, contact_id, type, total, recent from now_ where total > 0
  on conflict (workspace_id, contact_id, type) do update set total = excluded.total, recent = excluded.recent;
$$;

-- Two transactions adding events for one contact and type would each recompute without the
-- other's event; the pair's lock (taken in key order, held to commit) makes the second recompute
-- after the first commits, and each recompute runs in a statement of its own, with a fresh snapshot.
create function contact_event_recent_changed() returns trigger language plpgsql as $$
declare
  pairs jsonb;
begin
  if tg_op = 'INSERT' then
    select jsonb_agg(distinct jsonb_build_object('w', workspace_id, 'c', contact_id, 't', type)) into pairs from new_rows;
  elsif tg_op = 'DELETE' then
    select jsonb_agg(distinct jsonb_build_object('w', workspace_id, 'c', contact_id, 't', type)) into pairs from old_rows;
  else
    select jsonb_agg(distinct jsonb_build_object('w', workspace_id, 'c', contact_id, 't', type)) into pairs
    from (select workspace_id, contact_id, type from old_rows union select workspace_id, contact_id, type from new_rows) u;
  end if;
  if pairs is null then
    return null;
  end if;
  perform pg_advisory_xact_lock(k) from (
    select distinct hashtextextended((p ->> 'w') || (p ->> 'c') || (p ->> 't'), 7245410) as k from jsonb_array_elements(pairs) p order by 1
  ) keys;
  perform contact_event_recent_sync(pairs);
  return null;
end $$;

-- A trigger with transition tables names one event, hence three.
create trigger timeline_events_recent_added after insert on timeline_events
  referencing new table as new_rows for each statement execute function contact_event_recent_changed();
create trigger timeline_events_recent_removed after delete on timeline_events
  referencing old table as old_rows for each statement execute function contact_event_recent_changed();
-- (An UPDATE trigger with transition tables may not name columns: every update recomputes; events are rarely updated.)
create trigger timeline_events_recent_moved after update on timeline_events
  referencing old table as old_rows new table as new_rows for each statement execute function contact_event_recent_changed();
