// The channels the worker polls: enabled, of a type whose adapter polls, set to polling delivery
// (across workspaces, as the hook route's lookup is).
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';

export async function pollingChannels(db: Db, types: readonly string[]) {
  if (!types.length) return [];
  const { rows } = await sql<{ workspace_id: string; id: string }>`
    select workspace_id, id from channels
    where enabled and type = any(${[...types]}::text[]) and settings ->> 'delivery' = 'polling'
    order by workspace_id, id`.execute(db);
  return rows;
}
