-- The contacts a batch job works on, resolved from its filter once when the job starts (one
-- set-based INSERT … SELECT), then walked in id order chunk by chunk. Re-evaluating the filter
-- for every chunk cost a full filter scan per 5,000 contacts; and the set is now the one the user
-- saw counted, whatever the batch itself changes on the way. Deleted when the job finishes.
create table contact_batch_targets (
  workspace_id uuid not null,
  job_id uuid not null,
  contact_id uuid not null,
  primary key (workspace_id, job_id, contact_id),
  foreign key (workspace_id, job_id) references jobs (workspace_id, id) on delete cascade
);
