import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { DataScope } from './permissions.js';
import { visibleOwner, type Visibility } from './scope.js';
import { afterNewestFirst } from '../http/pagination.js';

export const insertApiKey = (
  db: Db,
  workspaceId: string,
  key: { ownerMemberId: string; name: string; prefix: string; keyHash: string; scopes: string[]; expiresAt: Date | null },
) =>
  db
    .insertInto('api_keys')
    .values({
      workspace_id: workspaceId,
      owner_member_id: key.ownerMemberId,
      name: key.name,
      prefix: key.prefix,
      key_hash: key.keyHash,
      scopes: key.scopes,
      expires_at: key.expiresAt,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();

const listColumns = [
  'k.id',
  'k.name',
  'k.prefix',
  'k.scopes',
  'k.owner_member_id',
  'u.name as owner_name',
  'k.created_at',
  'k.last_used_at',
  'k.expires_at',
  'k.revoked_at',
] as const;

const visibleKeys = (db: Db, v: Visibility) =>
  db
    .selectFrom('api_keys as k')
    .innerJoin('members as m', (j) => j.onRef('m.workspace_id', '=', 'k.workspace_id').onRef('m.id', '=', 'k.owner_member_id'))
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(listColumns)
    .where('k.workspace_id', '=', v.workspaceId)
    .where(visibleOwner(v, 'k.owner_member_id'));

export const listApiKeys = (db: Db, v: Visibility, page: { cursor?: string; limit: number }) => {
  const after = afterNewestFirst('k.created_at', 'k.id', page.cursor);
  return visibleKeys(db, v)
    .$if(Boolean(after), (q) => q.where(after!))
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id', 'desc')
    .limit(page.limit + 1)
    .execute();
};

export const findApiKey = (db: Db, v: Visibility, id: string) => visibleKeys(db, v).where('k.id', '=', id).executeTakeFirst();

export const revokeApiKey = (db: Db, workspaceId: string, id: string) =>
  db
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();

export interface ApiKeyGrant {
  workspaceId: string;
  apiKeyId: string;
  scopes: string[];
  lastUsedAt: Date | null;
  memberId: string;
  userId: string;
  roleKey: string | null;
  permissions: string[];
  scope: DataScope;
}

/** A live key (not revoked, not expired) whose owner is still an active member. */
export const findApiKeyGrant = (db: Db, keyHash: string): Promise<ApiKeyGrant | undefined> =>
  db
    .selectFrom('api_keys as k')
    .innerJoin('members as m', (j) => j.onRef('m.workspace_id', '=', 'k.workspace_id').onRef('m.id', '=', 'k.owner_member_id'))
    .innerJoin('roles as r', (j) => j.onRef('r.workspace_id', '=', 'm.workspace_id').onRef('r.id', '=', 'm.role_id'))
    .select([
      'k.workspace_id as workspaceId',
      'k.id as apiKeyId',
      'k.scopes',
      'k.last_used_at as lastUsedAt',
      'm.id as memberId',
      'm.user_id as userId',
      'r.key as roleKey',
      'r.permissions',
      'r.data_scope as scope',
    ])
    .where('k.key_hash', '=', keyHash)
    .where('k.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', sql<Date>`now()`)]))
    .where('m.status', '=', 'active')
    .executeTakeFirst();

export const touchApiKey = (db: Db, workspaceId: string, id: string) =>
  db.updateTable('api_keys').set({ last_used_at: sql<Date>`now()` }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
