import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { loadMigrations, migrate, pendingMigrations } from './migrate.js';

let handle: TestDatabase | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

function migrationsDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'renmai-mig-'));
  mkdirSync(join(root, 'x', 'migrations'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'x', 'migrations', name), text);
  return root;
}

describe('migration runner', () => {
  it('applies pending migrations in order, once, and reports none pending after', async () => {
    handle = await createTestDatabase({ migrate: false });
    const all = loadMigrations();
    expect(all.map((m) => m.name)).toEqual([...all.map((m) => m.name)].sort());
    expect(await migrate(handle.db)).toEqual(all.map((m) => m.name));
    expect(await migrate(handle.db)).toEqual([]);
    expect(await pendingMigrations(handle.db)).toEqual([]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    handle = await createTestDatabase({ migrate: false });
    const v1 = loadMigrations(migrationsDir({ '202601010000_a.sql': 'create table a (id int primary key);' }));
    await migrate(handle.db, v1);
    const edited = loadMigrations(migrationsDir({ '202601010000_a.sql': 'create table a (id bigint primary key);' }));
    await expect(migrate(handle.db, edited)).rejects.toThrow(/was edited/);
    await expect(pendingMigrations(handle.db, edited)).rejects.toThrow(/was edited/);
  });

  it('rolls back a failing migration entirely', async () => {
    handle = await createTestDatabase({ migrate: false });
    const bad = loadMigrations(
      migrationsDir({ '202601010000_a.sql': 'create table a (id int primary key);', '202601010001_b.sql': 'create table b (oops);' }),
    );
    await expect(migrate(handle.db, bad)).rejects.toThrow();
    expect(await pendingMigrations(handle.db, bad)).toEqual(['202601010000_a.sql', '202601010001_b.sql']);
  });

  it('refuses badly named files', () => {
    expect(() => loadMigrations(migrationsDir({ 'init.sql': 'select 1' }))).toThrow(/YYYYMMDDHHMM/);
  });
});
