-- Purging deleted contacts (purge.ts) deletes rows other rows point at: without these indexes
-- each purged contact would cost a scan of contacts (referrers) and of contact_tag_removals
-- (the cascade), and of contacts again for the ones merged into it. The referrer index also
-- serves invite trees.
create index contacts_referrer on contacts (workspace_id, referrer_contact_id) where referrer_contact_id is not null;
create index contact_tag_removals_contact on contact_tag_removals (workspace_id, contact_id);
create index contacts_merged_into on contacts (workspace_id, merged_into_id) where merged_into_id is not null;
