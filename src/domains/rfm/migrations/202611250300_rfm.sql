-- RFM: each customer's recency (days since the last counted order), frequency (counted orders in
-- the window) and monetary value (their amount in the window), scored 1-5 each, and the classic
-- layer the three scores put them in. A row exists for every contact with at least one counted
-- order; a contact without one has no row (not a customer yet). Written by the full recompute
-- (set-based, per workspace) and by the incremental update after an order (one contact).
create table contact_rfm (
  workspace_id uuid not null,
  contact_id uuid not null,
  recency_days int,
  frequency int not null,
  monetary numeric not null,
  r_score smallint not null check (r_score between 1 and 5),
  f_score smallint not null check (f_score between 1 and 5),
  m_score smallint not null check (m_score between 1 and 5),
  layer text not null check (layer in ('important_value', 'important_develop', 'important_keep', 'important_retain',
                                       'general_value', 'general_develop', 'general_keep', 'general_retain')),
  computed_at timestamptz(3) not null,
  primary key (workspace_id, contact_id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
-- Segments and the layer list go from a layer to its contacts.
create index contact_rfm_layer on contact_rfm (workspace_id, layer, contact_id);

-- Built-in roles of existing workspaces gain the RFM permissions (new ones are seeded with them):
-- everyone reads (within their data scope), owners and admins change settings and rules.
update roles set permissions = permissions || array['rfm:read', 'rfm:write'] where key in ('owner', 'admin');
update roles set permissions = permissions || array['rfm:read'] where key in ('manager', 'agent', 'viewer');
