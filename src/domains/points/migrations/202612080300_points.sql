-- The points ledger: every change of a contact's points is a row (delta, reason, what it is for);
-- a balance is the sum of the rows. Rows are never updated: a reversal (a clawed-back reward) is a
-- new row with the opposite delta naming the row it reverses, once.
create table points_ledger (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  contact_id uuid not null,
  delta bigint not null check (delta <> 0),
  reason text not null check (length(reason) between 1 and 200),
  -- What the row is for (e.g. fission_reward:<id>): one credit per ref, so a retried grant credits once.
  ref text check (length(ref) between 1 and 200),
  reversal_of uuid,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade,
  foreign key (workspace_id, reversal_of) references points_ledger (workspace_id, id)
);
create unique index points_ledger_one_reversal on points_ledger (workspace_id, reversal_of) where reversal_of is not null;
create unique index points_ledger_one_credit_per_ref on points_ledger (workspace_id, ref) where ref is not null and reversal_of is null;
create index points_ledger_contact on points_ledger (workspace_id, contact_id, created_at desc, id desc);
