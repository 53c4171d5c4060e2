// Reads of the workspaces table RFM needs: a workspace's time zone (days and windows are
// calendar days there), and which workspaces are due their daily recompute.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';

export async function workspaceTimezone(db: Db, workspaceId: string): Promise<string> {
  const row = await db.selectFrom('workspaces').select('timezone').where('id', '=', workspaceId).executeTakeFirst();
  return row?.timezone ?? 'UTC';
}

/**
 * Workspaces whose local time is past `fromHour` and whose last full recompute was before their
 * local today (or never), with that local date: the daily recompute's dedupe key.
 */
export async function workspacesDue(db: Db, fromHour: number) {
  const { rows } = await sql<{ id: string; day: string }>`
    select w.id, to_char(now() at time zone w.timezone, 'YYYY-MM-DD') as day
    from workspaces w
    left join rfm_settings s on s.workspace_id = w.id
    where extract(hour from now() at time zone w.timezone) >= ${fromHour}
      and (s.computed_at is null or (s.computed_at at time zone w.timezone)::date < (now() at time zone w.timezone)::date)`.execute(db);
  return rows;
}
