// The access-token cache's shared store (src/channels/access-token.ts) in the database: worker
// processes share each provider token instead of fetching one each. Tokens are sealed with the
// channel secrets keyring; a failure here only costs a fetch (the cache ignores store errors).
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { TokenStore } from '../../channels/access-token.js';
import type { Db } from '../../platform/db/connect.js';
import type { Keyring } from './secrets.js';

const binding = (key: string) => `access-token:${key}`;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export function databaseTokenStore(db: Db, keyring: Keyring): TokenStore {
  return {
    async get(key) {
      const row = await db.selectFrom('channel_access_tokens').select(['token', 'refresh_at']).where('key', '=', key).where('refresh_at', '>', sql<Date>`now()`).executeTakeFirst();
      if (!row) return undefined;
      const opened = keyring.open(row.token, binding(key)) as { token?: unknown };
      return typeof opened.token === 'string' ? { token: opened.token, refreshAt: row.refresh_at.getTime() } : undefined;
    },
    async set(key, t) {
      const values = { token: keyring.seal({ token: t.token }, binding(key)), token_hash: hashOf(t.token), refresh_at: new Date(t.refreshAt) };
      await db
        .insertInto('channel_access_tokens')
        .values({ key, ...values })
        .onConflict((oc) => oc.column('key').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
        .execute();
    },
    async drop(key, token) {
      await db.deleteFrom('channel_access_tokens').where('key', '=', key).where('token_hash', '=', hashOf(token)).execute();
    },
  };
}
