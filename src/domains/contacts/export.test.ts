import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { createJobRegistry, createWorker } from '../../platform/queue/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { exportJob } from './export.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp({ DATA_DIR: `/tmp/renmai-export-test-${process.pid}` })));
afterAll(() => t.close());

describe('CSV export', () => {
  it('writes every contact the filter matches (and only those) to a CSV for download', async () => {
    const o = await signedInOwner(t);
    await o.client.post('/api/v1/custom-fields', { key: 'level', label: '等级', type: 'single_select', options: ['金卡', '银卡'] });
    await sql`insert into contacts (workspace_id, name, city, phone, owner_member_id, custom)
      select ${o.workspace.id}::uuid, '客户' || i, case when i % 2 = 0 then '上海' else '北京' end, '+86138000' || lpad(i::text, 5, '0'), ${o.memberId}::uuid,
             case when i = 2 then '{"level": "金卡"}'::jsonb else '{}'::jsonb end
      from generate_series(1, 12) i`.execute(t.database.db);

    const started = await o.client.post('/api/v1/contacts/export', { filter: { fields: [{ field: 'city', op: 'eq', value: '上海' }] } });
    expect(started.statusCode).toBe(202);
    const { jobId } = started.json();
    expect((await o.client.get(`/api/v1/contacts/exports/${jobId}/download`)).statusCode).toBe(409);

    await createWorker({ db: t.database.db, logger: silentLogger, registry: createJobRegistry([exportJob]), concurrency: 1, pollMs: 50 }).runOnce();
    const file = await o.client.get(`/api/v1/contacts/exports/${jobId}/download`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    expect(file.body.charCodeAt(0)).toBe(0xfeff);
    const lines = file.body.slice(1).trim().split('\n');
    expect(lines[0]).toBe('id,name,phone,email,company,title,city,region,gender,birthday,stage,owner,tags,created_at,last_active_at,custom.level');
    expect(lines).toHaveLength(7);
    expect(lines.slice(1).every((l) => l.includes(',上海,'))).toBe(true);
    expect(lines.find((l) => l.includes('客户2,'))).toContain(',金卡');
    expect((await o.client.get(`/api/v1/jobs/${jobId}`)).json().job).toMatchObject({ status: 'done', progressDone: 6, progressTotal: 6 });
  });

  it('exports only the columns asked for, and refuses unknown ones', async () => {
    const o = await signedInOwner(t);
    await sql`insert into contacts (workspace_id, name, phone, owner_member_id) values (${o.workspace.id}, '李雷', '+8613800138000', ${o.memberId})`.execute(t.database.db);
    expect((await o.client.post('/api/v1/contacts/export', { filter: {}, columns: ['name', 'nope'] })).statusCode).toBe(400);
    const { jobId } = (await o.client.post('/api/v1/contacts/export', { filter: {}, columns: ['phone', 'name'] })).json();
    await createWorker({ db: t.database.db, logger: silentLogger, registry: createJobRegistry([exportJob]), concurrency: 1, pollMs: 50 }).runOnce();
    const body = (await o.client.get(`/api/v1/contacts/exports/${jobId}/download`)).body.slice(1).trim();
    expect(body.split('\n')).toEqual(['phone,name', '+8613800138000,李雷']);
  });

  it('needs contacts:export, and another workspace cannot download the file', async () => {
    const o = await signedInOwner(t);
    const agent = await (await addMember(t, o.workspace.id, 'agent')).login();
    expect((await agent.post('/api/v1/contacts/export', { filter: {} })).statusCode).toBe(403);
    const { jobId } = (await o.client.post('/api/v1/contacts/export', { filter: {} })).json();
    await createWorker({ db: t.database.db, logger: silentLogger, registry: createJobRegistry([exportJob]), concurrency: 1, pollMs: 50 }).runOnce();
    const other = await signedInOwner(t, 'Other');
    expect((await other.client.get(`/api/v1/contacts/exports/${jobId}/download`)).statusCode).toBe(404);
  });
});
