// Per-channel send rate: a token bucket kept on the channel row, refilled by elapsed time, so
// every worker process shares one limit. A provider's 429 pauses the channel for the time it
// asked, so other sends on the channel wait too instead of each hitting the limit again.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

export interface Rate {
  perSecond: number;
  burst: number;
}

/** Takes one token; returns 0 when the send may go now, or how many ms to wait. */
export async function takeSendToken(db: Db, workspaceId: string, channelId: string, rate: Rate): Promise<number> {
  // Tokens after refilling for the time since the last take, capped at the burst.
  const refilled = sql<number>`least(${rate.burst}::float8, coalesce(send_tokens, ${rate.burst}::float8)
    + extract(epoch from clock_timestamp() - coalesce(send_refilled_at, clock_timestamp())) * ${rate.perSecond}::float8)`;
  const taken = await db
    .updateTable('channels')
    .set({ send_tokens: sql<number>`${refilled} - 1`, send_refilled_at: sql<Date>`clock_timestamp()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', channelId)
    .where((eb) => eb.or([eb('send_paused_until', 'is', null), eb('send_paused_until', '<=', sql<Date>`clock_timestamp()`)]))
    .where(sql<boolean>`${refilled} >= 1`)
    .executeTakeFirst();
  if (taken.numUpdatedRows > 0n) return 0;
  const row = await db
    .selectFrom('channels')
    .select([
      sql<number>`greatest(
        coalesce(extract(epoch from send_paused_until - clock_timestamp()) * 1000, 0),
        (1 - ${refilled}) / ${rate.perSecond}::float8 * 1000)`.as('wait'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', channelId)
    .executeTakeFirst();
  // At least a millisecond: the caller treats 0 as "go".
  return Math.max(1, Math.ceil(Number(row?.wait ?? 1000)));
}

/** The provider said "wait": no send on this channel before then. */
export const pauseSends = (db: Db, workspaceId: string, channelId: string, ms: number) =>
  db
    .updateTable('channels')
    .set({ send_paused_until: sql<Date>`greatest(coalesce(send_paused_until, clock_timestamp()), clock_timestamp() + ${`${ms} milliseconds`}::interval)` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', channelId)
    .execute();
