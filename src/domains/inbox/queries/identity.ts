// Identity resolution reads the contacts domain's tables (writes go through its service):
// which contact holds a channel identity, which one shares a verified e-mail or phone, and who a
// channel acts as.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';

/** The contact that holds the identity (live or not: the identity is theirs either way). */
export const contactOfIdentity = async (db: Db, workspaceId: string, channelType: string, externalId: string) =>
  (
    await db
      .selectFrom('contact_identities')
      .select('contact_id')
      .where('workspace_id', '=', workspaceId)
      .where(sql`channel_type`, '=', channelType)
      .where('external_id', '=', externalId)
      .executeTakeFirst()
  )?.contact_id;

/**
 * The oldest live contact with this e-mail or phone, on the profile or as an identity. Oldest:
 * when a workspace already has duplicates, the same person always lands on the same one.
 */
export async function contactSharing(db: Db, workspaceId: string, keys: { email?: string; phone?: string }) {
  if (!keys.email && !keys.phone) return undefined;
  const { rows } = await sql<{ id: string }>`
    select c.id from contacts c
    where c.workspace_id = ${workspaceId} and c.deleted_at is null and c.merged_into_id is null
      and (c.email = ${keys.email ?? null} or c.phone = ${keys.phone ?? null}
        or exists (select 1 from contact_identities i where i.workspace_id = c.workspace_id and i.contact_id = c.id
                   and ((i.channel_type = 'email' and i.external_id = ${keys.email ?? null}) or (i.channel_type = 'phone' and i.external_id = ${keys.phone ?? null}))))
    order by c.created_at, c.id
    limit 1`.execute(db);
  return rows[0]?.id;
}

export const workspaceRegion = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('workspaces').select('default_region').where('id', '=', workspaceId).executeTakeFirstOrThrow()).default_region;
