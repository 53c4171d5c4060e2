// Listing contacts: a structured filter, any supported sort, keyset pagination, and the count.
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import type { Page } from '../../platform/http/pagination.js';
import { withTags, type Contact } from './contacts.js';
import { afterCursor, compileSort, orderBySort, sortCursor, sortValueText, type ContactSort } from './contacts-sort.js';
import * as store from './contacts-store.js';
import { listFieldDefinitions } from './custom-fields-store.js';
import { contactFilterSql, type ContactFilter } from './filter.js';

export interface ContactSearch {
  filter?: ContactFilter;
  sort?: ContactSort;
  cursor?: string | null;
  limit: number;
}

export async function searchContacts(db: Db, actor: Actor, search: ContactSearch): Promise<Page<Contact>> {
  requireAccess(actor, 'contacts:read');
  const filter = search.filter ?? {};
  const needsFields = Boolean(filter.custom?.length) || Boolean(search.sort?.by.startsWith('custom.'));
  const fields = needsFields ? await listFieldDefinitions(db, actor.workspaceId) : [];
  const where = contactFilterSql(actor, filter, fields);
  const sort = compileSort(search.sort, fields);
  const rows = await store.searchContactRows(db, actor.workspaceId, {
    where,
    order: orderBySort(sort),
    sortValue: sortValueText(sort),
    after: afterCursor(sort, search.cursor),
    limit: search.limit,
  });
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
