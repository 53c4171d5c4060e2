-- The counters' triggers took one advisory lock per (contact, type) a statement touched: a bulk
-- statement (a backfill rewriting 10^6 orders, a purge cascading through events) ran out of
-- shared lock memory. Now every statement holds its workspace's key shared and, when it touches
-- at most 64 pairs, those pairs' keys; a bigger one holds the workspace key alone, exclusively —
-- it waits for, and then excludes, every other counter update in that workspace until it commits.
create or replace function contact_event_recent_changed() returns trigger language plpgsql as $$
declare
  pairs jsonb;
  ws uuid;
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
  for ws in select distinct (p ->> 'w')::uuid from jsonb_array_elements(pairs) p order by 1 loop
    if jsonb_array_length(pairs) > 64 then
      perform pg_advisory_xact_lock(hashtextextended(ws::text, 7245411));
    else
      perform pg_advisory_xact_lock_shared(hashtextextended(ws::text, 7245411));
    end if;
  end loop;
  if jsonb_array_length(pairs) <= 64 then
    perform pg_advisory_xact_lock(k) from (
      select distinct hashtextextended((p ->> 'w') || (p ->> 'c') || (p ->> 't'), 7245410) as k from jsonb_array_elements(pairs) p order by 1
    ) keys;
  end if;
  perform contact_event_recent_sync(pairs);
  return null;
end $$;
