// Saved views of the contact list: a named filter, sort and columns. Each member has their own;
// a shared one shows in everyone's list but only its owner changes or deletes it.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { conflict, forbidden, notFound } from '../../platform/http/errors.js';
import { compileSort, type ContactSort } from './contacts-sort.js';
import { listFieldDefinitions } from './custom-fields-store.js';
import { contactFilterSql, type ContactFilter } from './filter.js';
import * as store from './views-store.js';

export const MAX_VIEWS = 200;

type ViewRow = NonNullable<Awaited<ReturnType<typeof store.findView>>>;
const toView = (r: ViewRow, actor: Actor) => ({
  id: r.id,
  name: r.name,
  filter: r.filter,
  sort: r.sort,
  columns: r.columns,
  shared: r.shared,
  owner: { id: r.owner_member_id, name: r.owner_name },
  mine: r.owner_member_id === actor.memberId,
  createdAt: r.created_at,
});
export type SavedView = ReturnType<typeof toView>;

export interface ViewInput {
  name?: string;
  filter?: ContactFilter;
  sort?: ContactSort | null;
  columns?: string[];
  shared?: boolean;
}

/** A view must still run: its custom keys and sort are checked against today's fields. */
async function checkRunnable(db: Db, actor: Actor, input: ViewInput) {
  if (!input.filter?.custom?.length && !input.sort?.by.startsWith('custom.')) return;
  const fields = await listFieldDefinitions(db, actor.workspaceId);
  if (input.filter) contactFilterSql(actor, input.filter, fields);
  if (input.sort) compileSort(input.sort, fields);
}

export async function listViews(db: Db, actor: Actor) {
  requireAccess(actor, 'contacts:read');
  return { items: (await store.listViews(db, actor.workspaceId, actor.memberId, MAX_VIEWS * 2)).map((r) => toView(r, actor)), nextCursor: null };
}

export async function createView(db: Db, actor: Actor, input: ViewInput & { name: string; filter: ContactFilter }) {
  requireAccess(actor, 'contacts:read');
  await checkRunnable(db, actor, input);
  return inTransaction(db, async (tx) => {
    if ((await store.countOwnViews(tx, actor.workspaceId, actor.memberId)) >= MAX_VIEWS) throw conflict(`A member can have at most ${MAX_VIEWS} saved views`);
    const { id } = await store.insertView(tx, actor.workspaceId, actor.memberId, input);
    const view = (await store.findView(tx, actor.workspaceId, actor.memberId, id))!;
    await recordAudit(tx, actor, { action: 'contact_view.created', entityType: 'contact_view', entityId: id, after: { name: view.name, shared: view.shared } });
    return toView(view, actor);
  });
}

async function ownView(db: Db, actor: Actor, id: string) {
  const view = await store.findView(db, actor.workspaceId, actor.memberId, id);
  if (!view) throw notFound('View');
  if (view.owner_member_id !== actor.memberId) throw forbidden('Only the owner of a view can change it');
  return view;
}

export async function updateView(db: Db, actor: Actor, id: string, patch: ViewInput) {
  requireAccess(actor, 'contacts:read');
  await checkRunnable(db, actor, patch);
  return inTransaction(db, async (tx) => {
    const before = await ownView(tx, actor, id);
    await store.updateView(tx, actor.workspaceId, id, patch);
    const after = (await store.findView(tx, actor.workspaceId, actor.memberId, id))!;
    await recordAudit(tx, actor, {
      action: 'contact_view.updated',
      entityType: 'contact_view',
      entityId: id,
      before: { name: before.name, shared: before.shared },
      after: { name: after.name, shared: after.shared },
    });
    return toView(after, actor);
  });
}

export async function deleteView(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'contacts:read');
  await inTransaction(db, async (tx) => {
    const view = await ownView(tx, actor, id);
    await store.deleteView(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'contact_view.deleted', entityType: 'contact_view', entityId: id, before: { name: view.name, shared: view.shared } });
  });
}
