// The list's two plans — a page sought among the next contacts in sort order (the window), and
// the planner's plan over every contact — give the same pages, whatever the filter keeps.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner, createTestApp, type TestApp } from '../../../test/support/app.js';
import { actorForMember } from '../../platform/auth/sessions.js';
import { searchContacts, type ContactSearch } from './contacts-search.js';
import { contactFilterSql, type ContactFilter } from './filter.js';
import type { ContactSort } from './contacts-sort.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

describe('contact list pages', () => {
  it('are the same through a small window as without one, for common and rare filters and every indexed sort', async () => {
    const o = await createOwner(t);
    const ws = o.workspace.id;
    const actor = (await actorForMember(t.database.db, ws, o.memberId))!;
    const group = await t.database.db.insertInto('tag_groups').values({ workspace_id: ws, name: 'g', position: 0 }).returning('id').executeTakeFirstOrThrow();
    const tag = await t.database.db.insertInto('tags').values({ workspace_id: ws, group_id: group.id, name: 'common' }).returning('id').executeTakeFirstOrThrow();
    // 600 contacts; names and created_at repeat so ties are broken by id; a third tagged, 1 in 60 in 上海.
    await sql`insert into contacts (workspace_id, name, city, created_at, owner_member_id)
      select ${ws}::uuid, 'n' || (i % 37), case when i % 60 = 0 then '上海' else '北京' end,
             timestamp '2026-01-01' + make_interval(mins => i % 250), ${o.memberId}::uuid
      from generate_series(1, 600) i`.execute(t.database.db);
    await sql`insert into contact_tags (workspace_id, contact_id, tag_id, source)
      select workspace_id, id, ${tag.id}::uuid, 'manual' from contacts where workspace_id = ${ws} and (hashtext(id::text) % 3) = 0`.execute(t.database.db);

    const all = async (search: Omit<ContactSearch, 'cursor'>) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await searchContacts(t.database.db, actor, { ...search, cursor });
        ids.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    };
    const filters: ContactFilter[] = [{ tags: { all: [tag.id] } }, { fields: [{ field: 'city', op: 'eq', value: '上海' }] }, { tags: { none: [tag.id] }, fields: [{ field: 'city', op: 'eq', value: '北京' }] }];
    const sorts: ContactSort[] = [{ by: 'createdAt', dir: 'desc' }, { by: 'createdAt', dir: 'asc' }, { by: 'name', dir: 'asc' }, { by: 'updatedAt', dir: 'desc' }];
    for (const filter of filters) {
      for (const sort of sorts) {
        const plain = await all({ filter, sort, limit: 7, window: 0 });
        expect(plain.length).toBeGreaterThan(0);
        expect(new Set(plain).size).toBe(plain.length);
        expect(await all({ filter, sort, limit: 7, window: 40 })).toEqual(plain);
      }
    }
  });
});

describe('quick search', () => {
  // Whether the planner picks an index depends on the table's size and statistics; whether it can
  // use one for the exact SQL the filter writes does not. On an empty copy of contacts that holds
  // only the quick search indexes (migration 202612070110), with sequential scans priced out, the
  // plan reads them — unless the filter's SQL stops matching them, and then this fails.
  it('can be answered from the trigram indexes, for words and for numbers typed with spaces', async () => {
    const o = await createOwner(t);
    const actor = (await actorForMember(t.database.db, o.workspace.id, o.memberId))!;
    const { rows: indexes } = await sql<{ indexdef: string }>`select indexdef from pg_indexes
      where schemaname = 'public' and tablename = 'contacts' and indexname like 'contacts\_search\_%' order by indexname`.execute(t.database.db);
    expect(indexes).toHaveLength(4);
    for (const q of ['王小明', 'c123@example', '138 0000 0123', 'Acme']) {
      const query = t.database.db.selectFrom('contacts as c').select('c.id').where(contactFilterSql(actor, { q }, [])).compile();
      const plan = await t.database.db.transaction().execute(async (tx) => {
        await sql`create temp table contacts_probe (like contacts) on commit drop`.execute(tx);
        for (const { indexdef } of indexes) await sql.raw(indexdef.replace(' ON public.contacts ', ' ON contacts_probe ')).execute(tx);
        await sql`set local enable_seqscan = off`.execute(tx);
        const explained = await tx.executeQuery<{ 'QUERY PLAN': string }>({ ...query, sql: `explain ${query.sql.replace('from "contacts"', 'from "contacts_probe"')}` });
        return explained.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan, q).not.toContain('Seq Scan');
      for (const column of ['name', 'email', 'company', 'phone']) expect(plan, q).toContain(`contacts_search_${column}`);
    }
  });
});
