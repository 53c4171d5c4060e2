// SQL of the points ledger. Rows are only ever inserted; every query is scoped to its workspace.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { withOurs } from './db.js';

const columns = ['id', 'contact_id', 'delta', 'reason', 'ref', 'reversal_of', 'created_at'] as const;

/** Inserts a credit or debit; undefined when `ref` was credited already (the unique index). */
export const insertEntry = (db: Db, workspaceId: string, e: { contactId: string; delta: number; reason: string; ref: string | null; reversalOf: string | null }) =>
  withOurs(db)
    .insertInto('points_ledger')
    .values({ workspace_id: workspaceId, contact_id: e.contactId, delta: e.delta, reason: e.reason, ref: e.ref, reversal_of: e.reversalOf })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();

export const findEntry = (db: Db, workspaceId: string, id: string) =>
  withOurs(db).selectFrom('points_ledger').select(columns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const findCreditByRef = (db: Db, workspaceId: string, ref: string) =>
  withOurs(db).selectFrom('points_ledger').select(columns).where('workspace_id', '=', workspaceId).where('ref', '=', ref).where('reversal_of', 'is', null).executeTakeFirst();

export const findReversalOf = (db: Db, workspaceId: string, id: string) =>
  withOurs(db).selectFrom('points_ledger').select(columns).where('workspace_id', '=', workspaceId).where('reversal_of', '=', id).executeTakeFirst();

export const balanceOf = async (db: Db, workspaceId: string, contactId: string) =>
  Number(
    (await withOurs(db).selectFrom('points_ledger').select(sql<string>`coalesce(sum(delta), 0)`.as('balance')).where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).executeTakeFirstOrThrow()).balance,
  );

export const entriesOf = (db: Db, workspaceId: string, contactId: string, limit: number) =>
  withOurs(db)
    .selectFrom('points_ledger')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
