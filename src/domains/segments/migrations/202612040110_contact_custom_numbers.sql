-- Numeric custom values, one row per contact and key, indexed by value: a segment condition such
-- as "employees ≥ 200" over a whole workspace is a range of contact_custom_numbers_value, read
-- index-only, instead of reading every candidate's `custom` from the contact row (the contacts
-- heap is the widest table a count would touch: 329 MB at 10^6 contacts, where this range is
-- 89,000 entries in ~730 pages). A value is here exactly when the compiler's expression for a
-- number field (contacts' customValueSql) is not null: a JSON number, of any field type.
--
-- Kept by triggers on contacts: new contacts by statement (set-based, for imports), a changed
-- `custom` by row (an UPDATE trigger with a transition table would copy every updated contact row,
-- whatever changed; this one fires only when `custom` did). Purged contacts cascade.
create table contact_custom_numbers (
  workspace_id uuid not null,
  contact_id uuid not null,
  key text not null,
  value numeric not null,
  primary key (workspace_id, contact_id, key),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);

-- The numbers of one `custom` object.
create function contact_custom_number_values(custom jsonb) returns table (key text, value numeric)
language sql immutable as $$
  select e.key, (e.value #>> '{}')::numeric from jsonb_each(case when jsonb_typeof(custom) = 'object' then custom end) e
  where jsonb_typeof(e.value) = 'number'
$$;

create function contact_custom_numbers_added() returns trigger language plpgsql as $$
begin
  insert into contact_custom_numbers (workspace_id, contact_id, key, value)
  select n.workspace_id, n.id, v.key, v.value from new_rows n cross join lateral contact_custom_number_values(n.custom) v;
  return null;
end $$;

create function contact_custom_numbers_changed() returns trigger language plpgsql as $$
begin
  delete from contact_custom_numbers where workspace_id = new.workspace_id and contact_id = new.id;
  insert into contact_custom_numbers (workspace_id, contact_id, key, value)
  select new.workspace_id, new.id, v.key, v.value from contact_custom_number_values(new.custom) v;
  return null;
end $$;

create trigger contacts_custom_numbers_added after insert on contacts
  referencing new table as new_rows for each statement execute function contact_custom_numbers_added();
create trigger contacts_custom_numbers_changed after update of custom on contacts
  for each row when (old.custom is distinct from new.custom) execute function contact_custom_numbers_changed();

-- Every workspace's numbers from scratch (the migration; and a bulk load that wrote contacts with
-- the triggers off), in primary-key order.
create function contact_custom_numbers_rebuild() returns void language sql as $$
  truncate contact_custom_numbers;
  insert into contact_custom_numbers (workspace_id, contact_id, key, value)
  select c.workspace_id, c.id, v.key, v.value from contacts c cross join lateral contact_custom_number_values(c.custom) v
  order by 1, 2, 3;
$$;

select contact_custom_numbers_rebuild();
create index contact_custom_numbers_value on contact_custom_numbers (workspace_id, key, value) include (contact_id);
