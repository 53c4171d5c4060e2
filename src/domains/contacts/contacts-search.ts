// Listing contacts: a structured filter, any supported sort, keyset pagination, and the count.
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import type { Page } from '../../platform/http/pagination.js';
import { withTags, type Contact } from './contacts.js';
import { afterCursor, compileSort, orderBySort, sortCursor, sortValueText, type ContactSort } from './contacts-sort.js';
import * as store from './contacts-store.js';
import { listFieldDefinitions } from './custom-fields-store.js';
import { contactFilterSql, type ContactFilter } from './filter.js';

/** Contacts a page is first sought among (see searchContacts); filters keeping ≥ ~0.5% of contacts fill 50 rows from it. */
const WINDOW = 10_000;

export interface ContactSearch {
  filter?: ContactFilter;
  sort?: ContactSort;
  cursor?: string | null;
  limit: number;
  /** Overrides WINDOW (0: no window); tests use small ones. */
  window?: number;
}

export async function searchContacts(db: Db, actor: Actor, search: ContactSearch): Promise<Page<Contact>> {
  requireAccess(actor, 'contacts:read');
  const filter = search.filter ?? {};
  const needsFields = Boolean(filter.custom?.length) || Boolean(search.sort?.by.startsWith('custom.'));
  const fields = needsFields ? await listFieldDefinitions(db, actor.workspaceId) : [];
  const where = contactFilterSql(actor, filter, fields);
  const sort = compileSort(search.sort, fields);
  const page = { where, order: orderBySort(sort), sortValue: sortValueText(sort), after: afterCursor(sort, search.cursor), limit: search.limit };
  // A filter that keeps a fair share of contacts fills its page from the next WINDOW contacts in
  // sort order (an index walk); a rarer one needs the planner's own plan over the whole set.
  // Custom-field sorts have no index to walk.
  const size = search.window ?? WINDOW;
  const windowed = sort.indexed && size > 0 ? await store.searchContactWindow(db, actor.workspaceId, { ...page, size }) : [];
  const rows = windowed.length > search.limit ? windowed : await store.searchContactRows(db, actor.workspaceId, page);
  const more = rows.length > search.limit;
  const kept = more ? rows.slice(0, search.limit) : rows;
  const last = kept.at(-1);
  return { items: await withTags(db, actor.workspaceId, kept), nextCursor: more && last ? sortCursor(sort, last) : null };
}

export async function countContacts(db: Db, actor: Actor, filter: ContactFilter = {}): Promise<number> {
  requireAccess(actor, 'contacts:read');
  const fields = filter.custom?.length ? await listFieldDefinitions(db, actor.workspaceId) : [];
  return store.countContactRows(db, actor.workspaceId, contactFilterSql(actor, filter, fields));
}
