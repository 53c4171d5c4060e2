-- Which tags a change took off which contacts, keyed by the change (contact_tags.source_ref of
-- the change that added, or a batch id). A batch removal of 200,000 tags is one outbox event
-- naming its source_ref; readers (the timeline) join here instead of carrying ids in the event.
-- A single-choice group's replaced tag is recorded here under the adding change's ref.
create table contact_tag_removals (
  workspace_id uuid not null,
  source_ref text not null,
  contact_id uuid not null,
  tag_id uuid not null,
  removed_by uuid,
  removed_at timestamptz(3) not null default now(),
  primary key (workspace_id, source_ref, contact_id, tag_id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
-- Tag changes by reference: contact_tags rows a change added are found by (workspace, source_ref).
create index contact_tags_source_ref on contact_tags (workspace_id, source_ref) where source_ref is not null;
