-- The chain of rules behind each contact's latest automatic change (fire.ts): the run that made
-- it, its chain from the cascade's root, and when (the transaction's now(), like the outbox's
-- occurred_at). A crossing of a condition is caused by the latest change to the contact: when
-- that is this automatic one, the chain goes on; when a person or an integration changed the
-- contact since, a new chain starts. Handlers run late and out of order, so the event being
-- handled alone cannot say which change a crossing came from.
create table tag_rule_contact_chains (
  workspace_id uuid not null,
  contact_id uuid not null,
  run_id uuid not null,
  chain uuid[] not null,
  at timestamptz(3) not null,
  primary key (workspace_id, contact_id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
