import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createOwner, createTestApp, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

describe('audit log', () => {
  it('pages through entries that share a timestamp without skipping or repeating any', async () => {
    const o = await createOwner(t);
    const at = new Date('2026-11-01T08:00:00.123456Z');
    await t.database.db
      .insertInto('audit_log')
      .values(Array.from({ length: 7 }, (_, i) => ({ workspace_id: o.workspace.id, at, action: `test.${i}`, entity_type: 'test', before: null, after: null, actor_member_id: o.memberId })))
      .execute();
    const c = await Client.login(t, o.user.email, o.user.password);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ action: string }>; nextCursor: string | null } = (await c.get(`/api/v1/audit-log?entityType=test&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((e) => e.action));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `test.${i}`));
  });

  it('filters by action and date range', async () => {
    const o = await createOwner(t);
    const c = await Client.login(t, o.user.email, o.user.password);
    await c.post('/api/v1/api-keys', { name: 'k', scopes: ['audit:read'] });
    const created = (await c.get('/api/v1/audit-log?action=api_key.created')).json().items;
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ action: 'api_key.created', entityType: 'api_key', actor: { memberId: o.memberId } });
    const future = (await c.get(`/api/v1/audit-log?from=${new Date(Date.now() + 60_000).toISOString()}`)).json().items;
    expect(future).toEqual([]);
  });
});
