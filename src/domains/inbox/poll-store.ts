// Poll positions of channels that poll their provider: claimed under a lease, saved after each
// poll's events are stored.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

/** The channel's cursor, leased to this poll; undefined while another process holds the lease. */
export async function claimPosition(db: Db, workspaceId: string, channelId: string, leaseMs: number) {
  const { rows } = await sql<{ cursor: string | null }>`
    insert into channel_poll_positions as p (workspace_id, channel_id, leased_until)
    values (${workspaceId}, ${channelId}, now() + ${`${leaseMs} milliseconds`}::interval)
    on conflict (workspace_id, channel_id) do update set leased_until = excluded.leased_until
    where p.leased_until is null or p.leased_until < now()
    returning cursor`.execute(db);
  return rows[0];
}

/** Saves where reading stopped (unchanged after a failure) and frees the lease. */
export const releasePosition = (db: Db, workspaceId: string, channelId: string, cursor: string | null, error: string | null) =>
  sql`update channel_poll_positions set cursor = ${cursor}, last_error = ${error}, polled_at = now(), leased_until = null
      where workspace_id = ${workspaceId} and channel_id = ${channelId}`.execute(db);
