// What the loop guard needs to know about contacts' latest changes (fire.ts): the automatic one
// (tag_rule_contact_chains) and when a person or an integration last changed each contact — the
// contact row's updated_at (fields, stage, owner, consent), and tags added by anything but a rule
// or taken off by a member.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';

export interface LastChanges {
  contact_id: string;
  run_id: string | null;
  chain: string[] | null;
  at: Date | null;
  touched_at: Date;
}

export async function lastChanges(db: Db, workspaceId: string, contactIds: readonly string[]): Promise<LastChanges[]> {
  if (!contactIds.length) return [];
  const { rows } = await sql<LastChanges>`
    select c.id as contact_id, l.run_id, l.chain, l.at,
           greatest(c.updated_at, t.added, r.removed) as touched_at
    from contacts c
    left join tag_rule_contact_chains l on l.workspace_id = c.workspace_id and l.contact_id = c.id
    left join lateral (
      select max(ct.added_at) as added from contact_tags ct
      where ct.workspace_id = c.workspace_id and ct.contact_id = c.id and ct.source <> 'rule') t on true
    left join lateral (
      select max(x.removed_at) as removed from contact_tag_removals x
      where x.workspace_id = c.workspace_id and x.contact_id = c.id and x.removed_by is not null) r on true
    where c.workspace_id = ${workspaceId} and c.id = any(${[...contactIds]}::uuid[])`.execute(db);
  return rows;
}

/** Records a run as the latest automatic change of the contacts it changed. */
export const recordChains = (db: Db, workspaceId: string, contactIds: readonly string[], runId: string, chain: readonly string[]) =>
  contactIds.length
    ? sql`insert into tag_rule_contact_chains (workspace_id, contact_id, run_id, chain, at)
          select ${workspaceId}::uuid, u.id, ${runId}::uuid, ${[...chain]}::uuid[], now() from unnest(${[...contactIds]}::uuid[]) as u(id)
          on conflict (workspace_id, contact_id) do update set run_id = excluded.run_id, chain = excluded.chain, at = excluded.at`.execute(db)
    : Promise.resolve();
