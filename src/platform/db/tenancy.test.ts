// The tenancy rule (DESIGN.md): a tenant-owned table (one with a workspace_id column) has a
// primary key that starts with workspace_id, and each of its foreign keys to another
// tenant-owned table includes workspace_id as its first column.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';

let handle: TestDatabase;
beforeAll(async () => (handle = await createTestDatabase()));
afterAll(() => handle.close());

interface KeyRow {
  table_name: string;
  kind: 'p' | 'f';
  columns: string[];
  target: string | null;
}

describe('tenancy rule', () => {
  it('every tenant-owned table keys on workspace_id first', async () => {
    const tenantTables = (
      await sql<{ table_name: string }>`
        select c.relname as table_name from pg_attribute a
        join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attname = 'workspace_id' and not a.attisdropped`.execute(handle.db)
    ).rows.map((r) => r.table_name);
    expect(tenantTables.length).toBeGreaterThan(5);
    const tenant = new Set(tenantTables);

    const keys = (
      await sql<KeyRow>`
        select c.relname as table_name, k.contype as kind,
          array(select a.attname::text from unnest(k.conkey) with ordinality u(attnum, ord)
                join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.ord) as columns,
          t.relname as target
        from pg_constraint k
        join pg_class c on c.oid = k.conrelid
        join pg_namespace n on n.oid = c.relnamespace
        left join pg_class t on t.oid = k.confrelid
        where n.nspname = 'public' and k.contype in ('p', 'f')`.execute(handle.db)
    ).rows;

    const violations: string[] = [];
    for (const table of tenant) {
      const pk = keys.find((k) => k.table_name === table && k.kind === 'p');
      if (pk?.columns[0] !== 'workspace_id') violations.push(`${table}: primary key (${pk?.columns.join(', ') ?? 'none'}) does not start with workspace_id`);
    }
    for (const fk of keys.filter((k) => k.kind === 'f' && tenant.has(k.table_name) && k.target && tenant.has(k.target))) {
      if (fk.columns[0] !== 'workspace_id') violations.push(`${fk.table_name} → ${fk.target}: foreign key (${fk.columns.join(', ')}) omits workspace_id`);
    }
    expect(violations).toEqual([]);
  });
});
