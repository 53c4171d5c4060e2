-- contacts_sync_tag_ids (202611250100) rewrote every contact a contact_tags statement named, even
-- when its tag_ids were already right — an import that writes tag_ids with the contact, or an
-- ON CONFLICT DO NOTHING that added nothing, then paid a second row version and its index entries
-- per contact. Only contacts whose copy differs are written now.
create or replace function contacts_sync_tag_ids() returns trigger language plpgsql as $$
begin
  update contacts c
  set tag_ids = x.ids
  from (
    select ch.workspace_id, ch.contact_id,
           coalesce((select array_agg(ct.tag_id order by ct.tag_id) from contact_tags ct
                     where ct.workspace_id = ch.workspace_id and ct.contact_id = ch.contact_id), '{}') as ids
    from (select distinct workspace_id, contact_id from changed) ch
  ) x
  where c.workspace_id = x.workspace_id and c.id = x.contact_id and c.tag_ids is distinct from x.ids;
  return null;
end $$;
