-- The default lifecycle for workspaces created before stages existed; new workspaces get the
-- same list from seedContactDefaults (src/domains/contacts/stages-store.ts) when they are created.
insert into stages (workspace_id, name, color, position)
select w.id, d.name, d.color, d.position
from workspaces w
cross join (values ('潜在', '#8c8c8c', 1), ('意向', '#1677ff', 2), ('成交', '#52c41a', 3), ('复购', '#722ed1', 4), ('流失', '#ff4d4f', 5)) as d (name, color, position)
where not exists (select 1 from stages s where s.workspace_id = w.id);
