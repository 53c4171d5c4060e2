// Points: credits and debits of a contact, and their reversal. A balance is the sum of the
// ledger; nothing is ever updated, a clawback is a new row with the opposite delta naming the row
// it reverses (at most once, by a unique index). Other domains call credit/reverse inside their
// own transaction, so a reward and its points commit together.
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { requireVisibleContact } from '../contacts/index.js';
import * as store from './store.js';

export interface Credit {
  contactId: string;
  delta: number;
  reason: string;
  /** What it is for (e.g. `fission_reward:<id>`): a second credit with the same ref returns the first. */
  ref: string;
}

/** Adds a row for `ref` once; returns its id (the existing row's when it was credited before). */
export async function credit(db: Db, workspaceId: string, c: Credit): Promise<string> {
  const inserted = await store.insertEntry(db, workspaceId, { contactId: c.contactId, delta: c.delta, reason: c.reason, ref: c.ref, reversalOf: null });
  if (inserted) return inserted.id;
  return (await store.findCreditByRef(db, workspaceId, c.ref))!.id;
}

/** Reverses the row `entryId` with a new row of the opposite delta, once; returns the reversal's id (undefined for an unknown row). */
export async function reverse(db: Db, workspaceId: string, entryId: string, reason: string): Promise<string | undefined> {
  const entry = await store.findEntry(db, workspaceId, entryId);
  if (!entry) return undefined;
  const inserted = await store.insertEntry(db, workspaceId, { contactId: entry.contact_id, delta: -Number(entry.delta), reason, ref: null, reversalOf: entryId });
  return inserted?.id ?? (await store.findReversalOf(db, workspaceId, entryId))?.id;
}

export const balance = (db: Db, workspaceId: string, contactId: string) => store.balanceOf(db, workspaceId, contactId);

/** A contact's balance and latest rows, for whoever may see the contact. */
export async function contactPoints(db: Db, actor: Actor, contactId: string, limit = 100) {
  requireAccess(actor, 'contacts:read');
  await requireVisibleContact(db, actor, contactId);
  const rows = await store.entriesOf(db, actor.workspaceId, contactId, limit);
  return {
    balance: await store.balanceOf(db, actor.workspaceId, contactId),
    entries: rows.map((r) => ({ id: r.id, delta: Number(r.delta), reason: r.reason, ref: r.ref, reversalOf: r.reversal_of, createdAt: r.created_at })),
  };
}
