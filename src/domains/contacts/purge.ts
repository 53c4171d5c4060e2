// Deleted contacts can be restored for RESTORE_DAYS; after that the worker removes them for good,
// with what cascades from them (identities, tags, consents, timeline, tasks), so their identities
// stop blocking new holders. A purged survivor of a merge takes the contacts merged into it (kept until
// then so the merge could be undone) and, by cascade, its merge records along with it. Tag removal logs
// are needed only until the timeline has read them; they go after the same window.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { startPeriodic } from '../../platform/periodic.js';
import { RESTORE_DAYS } from './contacts.js';

const BATCH = 500;
const DAILY = 86_400_000;

/** Purges up to `limit` expired contacts (and their merged-away ones) across workspaces; returns how many went. */
export async function purgeExpiredContacts(db: Db, limit = BATCH): Promise<number> {
  return inTransaction(db, async (tx) => {
    const { rows } = await sql<{ workspace_id: string; id: string }>`
      with recursive expired as (
        select workspace_id, id from contacts
        where deleted_at < now() - make_interval(days => ${RESTORE_DAYS}) and merged_into_id is null
        order by deleted_at limit ${limit}
        for update skip locked
      ),
      doomed (workspace_id, id) as (
        select workspace_id, id from expired
        union
        select c.workspace_id, c.id from contacts c join doomed d on c.workspace_id = d.workspace_id and c.merged_into_id = d.id
      )
      select workspace_id, id from doomed`.execute(tx);
    if (!rows.length) return 0;
    const set = sql`select * from unnest(${rows.map((r) => r.workspace_id)}::uuid[], ${rows.map((r) => r.id)}::uuid[]) as d(workspace_id, id)`;
    await sql`update contacts c set referrer_contact_id = null from (${set}) d
              where c.workspace_id = d.workspace_id and c.referrer_contact_id = d.id`.execute(tx);
    await sql`delete from contacts c using (${set}) d where c.workspace_id = d.workspace_id and c.id = d.id`.execute(tx);
    return rows.length;
  });
}

export const pruneTagRemovals = (db: Db) =>
  sql`delete from contact_tag_removals where removed_at < now() - make_interval(days => ${RESTORE_DAYS})`.execute(db);

/** Purges every expired contact, in batches; returns how many went. */
export async function purgeAllExpired(db: Db): Promise<number> {
  let purged = 0;
  for (let n = await purgeExpiredContacts(db); n > 0; n = await purgeExpiredContacts(db)) purged += n;
  await pruneTagRemovals(db);
  return purged;
}

/** Purges now and daily until stopped. */
export const startContactPurge = (db: Db, logger: Logger, everyMs = DAILY) => startPeriodic('deleted contacts purged', everyMs, () => purgeAllExpired(db), logger);
