-- Keyset orders for the contact list besides the default (created_at desc, see contacts_newest).
-- Live contacts only, like the list itself.
create index contacts_updated on contacts (workspace_id, updated_at desc, id desc) where deleted_at is null;
create index contacts_last_active on contacts (workspace_id, last_active_at desc nulls last, id desc) where deleted_at is null;
create index contacts_name on contacts (workspace_id, name, id) where deleted_at is null;
