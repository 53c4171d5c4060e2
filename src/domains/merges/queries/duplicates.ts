// Likely duplicates among the contacts an actor can see: the same phone, the same e-mail, a
// phone or e-mail that is another contact's identity, or the same name at the same company.
// Groups are keyed ("phone:+86…") and listed in key order for keyset paging.
import { sql } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Db } from '../../../platform/db/connect.js';
import { visibleContact } from '../../contacts/index.js';

export interface DuplicateGroup {
  key: string;
  reason: 'phone' | 'email' | 'similar_name';
  contactIds: string[];
}

export async function findDuplicateGroups(db: Db, actor: Actor, page: { after?: string; limit: number }): Promise<DuplicateGroup[]> {
  const ws = actor.workspaceId;
  const live = visibleContact(actor);
  // A phone or e-mail counts whether it sits in the contact's column or in one of its identities.
  const result = await sql<DuplicateGroup>`
    with keys as (
      select c.id, 'phone:' || c.phone as key, 'phone' as reason, c.created_at from contacts c
        where c.workspace_id = ${ws} and c.phone is not null and ${live}
      union
      select c.id, 'phone:' || i.external_id, 'phone', c.created_at from contact_identities i
        join contacts c on c.workspace_id = i.workspace_id and c.id = i.contact_id
        where i.workspace_id = ${ws} and i.channel_type in ('phone', 'whatsapp', 'sms') and ${live}
      union
      select c.id, 'email:' || c.email, 'email', c.created_at from contacts c
        where c.workspace_id = ${ws} and c.email is not null and ${live}
      union
      select c.id, 'email:' || lower(i.external_id), 'email', c.created_at from contact_identities i
        join contacts c on c.workspace_id = i.workspace_id and c.id = i.contact_id
        where i.workspace_id = ${ws} and i.channel_type = 'email' and ${live}
      union
      select c.id, 'name:' || lower(regexp_replace(c.name, '\\s', '', 'g')) || '@' || lower(btrim(c.company)), 'similar_name', c.created_at
        from contacts c
        where c.workspace_id = ${ws} and c.name <> '' and c.company is not null and btrim(c.company) <> '' and ${live}
    )
    select key, min(reason) as reason, array_agg(id order by created_at, id) as "contactIds"
    from keys
    where ${page.after ? sql`key > ${page.after}` : sql`true`}
    group by key
    having count(distinct id) > 1
    order by key
    limit ${page.limit + 1}`.execute(db);
  return result.rows;
}
