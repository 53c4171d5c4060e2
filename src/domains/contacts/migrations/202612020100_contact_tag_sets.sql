-- Each contact's set of tag ids moves off the contact row into a narrow table of its own.
--
-- contacts.tag_ids (202611250100) answered tag filters with a GIN probe, but every tag change
-- rewrote the contact's whole row: a GIN-indexed column rules out HOT updates, so each tagged
-- contact paid a new version of a wide row and an entry in every one of contacts' indexes (10^6
-- contacts: a 200,000-contact batch tag took 94 s, an import spent a third of its time there).
-- Here a change writes a row of three columns with two indexes. contact_tags stays the record of
-- who added which tag, when and how; a contact without tags has no row.
create table contact_tag_sets (
  workspace_id uuid not null,
  contact_id uuid not null,
  tag_ids uuid[] not null check (cardinality(tag_ids) > 0),
  primary key (workspace_id, contact_id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);

insert into contact_tag_sets (workspace_id, contact_id, tag_ids)
select workspace_id, id, tag_ids from contacts where tag_ids <> '{}'
order by workspace_id, id;

-- Tag ids are unique across workspaces, so the GIN needs no workspace column.
create index contact_tag_sets_tags on contact_tag_sets using gin (tag_ids);

drop trigger contact_tags_added on contact_tags;
drop trigger contact_tags_removed on contact_tags;
drop function contacts_sync_tag_ids();
drop index contacts_tag_ids;
alter table contacts drop column tag_ids;

-- Recomputes the sets of the contacts named in the transition table `changed`, set-based, and
-- writes only those that differ (an ON CONFLICT DO NOTHING that added nothing costs nothing).
create function contact_tag_sets_sync() returns trigger language plpgsql as $$
begin
  with touched as (
    select ch.workspace_id, ch.contact_id,
           (select array_agg(ct.tag_id order by ct.tag_id) from contact_tags ct
            where ct.workspace_id = ch.workspace_id and ct.contact_id = ch.contact_id) as ids
    from (select distinct workspace_id, contact_id from changed) ch
  ),
  emptied as (
    delete from contact_tag_sets s using touched t
    where t.ids is null and s.workspace_id = t.workspace_id and s.contact_id = t.contact_id
  )
  insert into contact_tag_sets as s (workspace_id, contact_id, tag_ids)
  select workspace_id, contact_id, ids from touched where ids is not null
  order by workspace_id, contact_id
  on conflict (workspace_id, contact_id) do update set tag_ids = excluded.tag_ids
  where s.tag_ids is distinct from excluded.tag_ids;
  return null;
end $$;

-- A trigger with a transition table may have only one event, hence two.
create trigger contact_tags_added after insert on contact_tags
  referencing new table as changed for each statement execute function contact_tag_sets_sync();
create trigger contact_tags_removed after delete on contact_tags
  referencing old table as changed for each statement execute function contact_tag_sets_sync();
