// Contact imports end to end on a real database: upload, preview, start, the job (report,
// policies, idempotent re-run, resume after a crash), GBK files, the CLI path, isolation.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, Client, signedInOwner, createTestApp, type TestApp } from '../../../test/support/app.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { operatorActor } from '../workspaces/index.js';
import { importContactsFromFile, importContactsJob } from './index.js';
import { runToEnd, upload } from './test-support.js';

let t: TestApp;
let dataDir: string;
let owner: Awaited<ReturnType<typeof signedInOwner>>;
let ws: string;
let c: Client;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'renmai-imports-'));
  t = await createTestApp({ DATA_DIR: dataDir });
  owner = await signedInOwner(t, 'Importers');
  ws = owner.workspace.id;
  c = owner.client;
  const db = t.database.db;
  await db
    .insertInto('custom_fields')
    .values([
      { workspace_id: ws, key: 'level', label: '等级', type: 'single_select', options: ['A', 'B', 'C'], position: 0 },
      { workspace_id: ws, key: 'budget', label: 'Budget', type: 'number', position: 1 },
    ])
    .execute();
  const stageCount = await db.selectFrom('stages').select(db.fn.countAll<number>().as('n')).where('workspace_id', '=', ws).executeTakeFirstOrThrow();
  if (stageCount.n === 0) await db.insertInto('stages').values({ workspace_id: ws, name: '意向', position: 0 }).execute();
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const db = () => t.database.db;

async function importFile(csv: string | Buffer, mapping: Record<string, string>, policy = 'skip', extra: Record<string, unknown> = {}, client = c) {
  const up = await upload(client, 'people.csv', csv);
  expect(up.statusCode, up.body).toBe(201);
  const id = up.json().import.id as string;
  const start = await client.post(`/api/v1/imports/${id}/start`, { mapping, policy, ...extra });
  expect(start.statusCode, start.body).toBe(202);
  const workspaceId = (await db().selectFrom('imports').select('workspace_id').where('id', '=', id).executeTakeFirstOrThrow()).workspace_id;
  const job = await runToEnd(db(), workspaceId, start.json().jobId, [importContactsJob]);
  expect(job.status, String(job.lastError)).toBe('done');
  return { id, view: (await client.get(`/api/v1/imports/${id}`)).json().import, upload: up.json().import };
}

const contactsWhere = (phone: string) =>
  db().selectFrom('contacts').selectAll().where('workspace_id', '=', ws).where('phone', '=', phone).where('deleted_at', 'is', null).execute();

const mapping = { 姓名: 'name', 手机: 'phone', 邮箱: 'email', 生日: 'birthday', 等级: 'custom.level', 标签: 'tags', 性别: 'gender' };
const header = '姓名,手机,邮箱,生日,等级,标签,性别';

describe('upload', () => {
  it('stores the file and suggests a mapping from the headers (synonyms, custom labels, identities)', async () => {
    const res = await upload(c, 'a.csv', '\uFEFFName,Mobile,E-mail,公司,等级,identity.wecom,Notes\n王芳,13800138000,a@b.com,Acme,A,wx1,hi\n');
    expect(res.statusCode, res.body).toBe(201);
    const imp = res.json().import;
    expect(imp.headers).toEqual(['Name', 'Mobile', 'E-mail', '公司', '等级', 'identity.wecom', 'Notes']);
    expect(imp.suggestedMapping).toEqual({ Name: 'name', Mobile: 'phone', 'E-mail': 'email', 公司: 'company', 等级: 'custom.level', 'identity.wecom': 'identity.wecom', Notes: 'ignore' });
    expect(imp.sampleRows).toEqual([['王芳', '13800138000', 'a@b.com', 'Acme', 'A', 'wx1', 'hi']]);
    expect(imp.status).toBe('uploaded');
  });

  it('refuses an empty file, a broken .xlsx (a zip that is no workbook) and a non-multipart body with 400 problem+json', async () => {
    for (const content of ['', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])]) {
      const res = await upload(c, 'x.csv', content);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'file' }] });
    }
    const res = await c.post('/api/v1/imports', { file: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
  });

  it('previews the first rows normalised, with per-column errors', async () => {
    const up = await upload(c, 'p.csv', `${header}\n李雷,138 0013 8001,LI@Example.com,1990/5/1,A,vip,男\n韩梅梅,12345,bad,1990-13-01,Z,,x\n`);
    const res = await c.post(`/api/v1/imports/${up.json().import.id}/preview`, { mapping });
    expect(res.statusCode, res.body).toBe(200);
    const [good, bad] = res.json().rows;
    expect(good).toEqual({
      line: 2,
      values: { name: '李雷', phone: '+8613800138001', email: 'li@example.com', birthday: '1990-05-01', 'custom.level': 'A', tags: ['vip'], gender: 'male' },
      errors: [],
    });
    expect(bad.line).toBe(3);
    expect(bad.errors.map((e: { column: string }) => e.column)).toEqual(['手机', '邮箱', '生日', '等级', '性别']);
  });

  it('refuses a mapping to unknown targets, and remembers the last mapping for the same headers', async () => {
    const up = await upload(c, 'm.csv', 'Who,Tel,Level\nA,13800138002,A\n');
    const id = up.json().import.id;
    const bad = await c.post(`/api/v1/imports/${id}/start`, { mapping: { Who: 'custom.nope', Tel: 'identity.fax' }, policy: 'skip' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['mapping', 'mapping.Tel', 'mapping.Who']);
    const ok = await c.post(`/api/v1/imports/${id}/start`, { mapping: { Who: 'name', Tel: 'phone', Level: 'custom.level' }, policy: 'skip' });
    expect(ok.statusCode, ok.body).toBe(202);
    const again = await upload(c, 'm2.csv', 'level,tel,who\nB,13800138003,B\n');
    expect(again.json().import.suggestedMapping).toEqual({ level: 'custom.level', tel: 'phone', who: 'ignore' });
    const same = await upload(c, 'm3.csv', 'Who,Tel,Level\nB,13800138003,B\n');
    expect(same.json().import.suggestedMapping).toEqual({ Who: 'name', Tel: 'phone', Level: 'custom.level' });
  });
});

describe('the import job', () => {
  it('reports bad rows exactly (line, column, reason) and imports the good rows once', async () => {
    await db().insertInto('contacts').values({ workspace_id: ws, name: '老客户', phone: '+8613900000009', custom: '{}' }).execute();
    const csv = [
      header,
      '张三,13900000001,zs@example.com,1988-02-03,A,"vip,新客",男', // 2 good
      '坏电话,12345,,,,,', // 3 wrong phone
      '坏日期,13900000002,,1990-02-30,,,', // 4 bad date
      '坏选项,13900000003,,,Z,,', // 5 unknown option
      '张三again,13900000001,,,,,', // 6 duplicate of line 2 (phone)
      '"多行\n名字",13900000004,,,,,女', // 7-8 good, a quoted line break
      '',
      '老客户,+86 139 0000 0009,,,,,', // 10 an existing contact (skipped)
      '李四,,zs@example.com,,,,', // 11 duplicate of line 2 (e-mail)
    ].join('\r\n');
    const { id, view } = await importFile(csv, mapping);
    expect(view).toMatchObject({ status: 'done', rowsTotal: 8, rowsCreated: 2, rowsUpdated: 0, rowsSkipped: 1, rowsFailed: 5 });
    expect(view.finishedAt).not.toBeNull();
    const report = await c.get(`/api/v1/imports/${id}/errors.csv`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    expect(report.body.startsWith('\uFEFFline,column,reason\n')).toBe(true);
    expect(report.body.slice(1).trim().split('\n')).toEqual([
      'line,column,reason',
      '3,手机,"""12345"" is not a valid phone number"',
      '4,生日,"""1990-02-30"" is not a date (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日)"',
      '5,等级,"等级: ""Z"" is not one of the options"',
      '6,手机,Duplicate of line 2 (the same phone)',
      '11,邮箱,Duplicate of line 2 (the same e-mail)',
    ]);
    const [zhang] = await contactsWhere('+8613900000001');
    expect(zhang).toMatchObject({ name: '张三', email: 'zs@example.com', birthday: '1988-02-03', gender: 'male', custom: { level: 'A' } });
    const tags = await sql<{ name: string; source: string; source_ref: string }>`
      select t.name, ct.source, ct.source_ref from contact_tags ct join tags t on t.workspace_id = ct.workspace_id and t.id = ct.tag_id
      where ct.workspace_id = ${ws} and ct.contact_id = ${zhang!.id} order by t.name`.execute(db());
    expect(tags.rows).toEqual([{ name: 'vip', source: 'import', source_ref: id }, { name: '新客', source: 'import', source_ref: id }]);
    expect((await contactsWhere('+8613900000004'))[0]).toMatchObject({ name: '多行\n名字', gender: 'female' });
    expect(await contactsWhere('+8613900000009')).toHaveLength(1);
    // The import records the contacts it created, with their lines; their timelines get no
    // per-contact `imported` entry (the import's own record says it).
    const created = await db().selectFrom('import_contacts').select(['contact_id', 'line']).where('workspace_id', '=', ws).where('import_id', '=', id).orderBy('line').execute();
    expect(created).toEqual([{ contact_id: zhang!.id, line: 2 }, { contact_id: (await contactsWhere('+8613900000004'))[0]!.id, line: 7 }]);
    const timeline = await db().selectFrom('timeline_events').select(['type', 'props']).where('workspace_id', '=', ws).where('contact_id', '=', zhang!.id).where('type', '=', 'imported').execute();
    expect(timeline).toEqual([]);
    const audit = await db().selectFrom('audit_log').select('action').where('workspace_id', '=', ws).where('entity_id', '=', id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['import.completed', 'import.started', 'import.uploaded']);
    const events = await db().selectFrom('outbox_events').select('payload').where('workspace_id', '=', ws).where('type', '=', 'imports.import.completed').execute();
    expect(events.map((e) => e.payload)).toContainEqual(expect.objectContaining({ importId: id, rowsCreated: 2, rowsFailed: 5 }));
    const keys = await db().selectFrom('import_row_keys').select('key').where('workspace_id', '=', ws).where('import_id', '=', id).execute();
    expect(keys).toEqual([]);
  });

  it('re-running the same file with skip imports nothing new', async () => {
    const csv = `${header}\n王五,13900000101,ww@example.com,,,,\n赵六,13900000102,,,,,\n`;
    const first = await importFile(csv, mapping);
    expect(first.view).toMatchObject({ rowsCreated: 2, rowsSkipped: 0 });
    const second = await importFile(csv, mapping);
    expect(second.view).toMatchObject({ rowsCreated: 0, rowsUpdated: 0, rowsSkipped: 2, rowsFailed: 0 });
    expect(await contactsWhere('+8613900000101')).toHaveLength(1);
  });

  describe('policies on an existing contact', () => {
    const existing = async (phone: string) => {
      const contact = await db()
        .insertInto('contacts')
        .values({ workspace_id: ws, name: '原名', phone, company: null, city: '北京', custom: JSON.stringify({ level: 'B' }) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const tag = (await db().selectFrom('tags').select('id').where('workspace_id', '=', ws).where('name', '=', 'vip').executeTakeFirstOrThrow()).id;
      await db().insertInto('contact_tags').values({ workspace_id: ws, contact_id: contact.id, tag_id: tag, source: 'manual', source_ref: null, added_by: null }).execute();
      await db().insertInto('contact_identities').values({ workspace_id: ws, contact_id: contact.id, channel_type: 'wecom', external_id: `old-${phone}` }).execute();
      return contact.id;
    };
    const fileFor = (phone: string) => `姓名,手机,公司,城市,等级,预算,标签,企微\n新名,${phone},新公司,上海,A,100,新标签,wx-${phone}\n`;
    const m = { 姓名: 'name', 手机: 'phone', 公司: 'company', 城市: 'city', 等级: 'custom.level', 预算: 'custom.budget', 标签: 'tags', 企微: 'identity.wecom' };
    const state = async (id: string) => {
      const contact = await db().selectFrom('contacts').select(['name', 'company', 'city', 'custom']).where('workspace_id', '=', ws).where('id', '=', id).executeTakeFirstOrThrow();
      const tags = await sql<{ name: string }>`select t.name from contact_tags ct join tags t on t.workspace_id = ct.workspace_id and t.id = ct.tag_id
        where ct.workspace_id = ${ws} and ct.contact_id = ${id} order by t.name`.execute(db());
      const ids = await db().selectFrom('contact_identities').select('external_id').where('workspace_id', '=', ws).where('contact_id', '=', id).orderBy('external_id').execute();
      return { ...contact, tags: tags.rows.map((r) => r.name), identities: ids.map((r) => r.external_id) };
    };

    it.each([
      ['skip', { name: '原名', company: null, city: '北京', custom: { level: 'B' }, tags: ['vip'], identities: ['old'] }, { rowsSkipped: 1, rowsUpdated: 0 }],
      ['fill_empty', { name: '原名', company: '新公司', city: '北京', custom: { level: 'B', budget: 100 }, tags: ['vip'], identities: ['old'] }, { rowsUpdated: 1 }],
      ['overwrite', { name: '新名', company: '新公司', city: '上海', custom: { level: 'A', budget: 100 }, tags: ['vip', '新标签'], identities: ['old'] }, { rowsUpdated: 1 }],
      ['merge', { name: '原名', company: '新公司', city: '北京', custom: { level: 'B', budget: 100 }, tags: ['vip', '新标签'], identities: ['old', 'wx'] }, { rowsUpdated: 1 }],
    ] as const)('%s', async (policy, expected, counts) => {
      const phone = `+86139000002${String(['skip', 'fill_empty', 'overwrite', 'merge'].indexOf(policy)).padStart(2, '0')}`;
      const id = await existing(phone);
      const { id: importId, view } = await importFile(fileFor(phone), m, policy);
      expect(view).toMatchObject({ rowsCreated: 0, rowsFailed: 0, ...counts });
      // A contact the import changed says so in its timeline (with the line); one it skipped does not.
      const entries = await db().selectFrom('timeline_events').select('props').where('workspace_id', '=', ws).where('contact_id', '=', id).where('type', '=', 'imported').execute();
      expect(entries.map((e) => e.props)).toEqual(policy === 'skip' ? [] : [{ importId, line: 2, action: 'updated' }]);
      const after = await state(id);
      expect({ ...after, identities: after.identities.map((i) => i.split('-')[0]) }).toEqual(expected);
      expect(await contactsWhere(phone)).toHaveLength(1);
      // A second run changes nothing more: everything is already there.
      const again = await importFile(fileFor(phone), m, policy);
      expect(again.view).toMatchObject({ rowsCreated: 0, rowsUpdated: 0, rowsSkipped: 1 });
    });
  });

  it('adds the chosen tags to every imported contact', async () => {
    const tag = (await db().selectFrom('tags').select('id').where('workspace_id', '=', ws).where('name', '=', '新客').executeTakeFirstOrThrow()).id;
    const { view } = await importFile(`手机\n13900000301\n13900000302\n`, { 手机: 'phone' }, 'skip', { tagIds: [tag] });
    expect(view.tagIds).toEqual([tag]);
    const n = await sql<{ n: number }>`select count(*)::int as n from contact_tags ct join contacts c on c.workspace_id = ct.workspace_id and c.id = ct.contact_id
      where ct.workspace_id = ${ws} and ct.tag_id = ${tag} and c.phone in ('+8613900000301', '+8613900000302')`.execute(db());
    expect(n.rows[0]!.n).toBe(2);
  });

  it('resumes a killed import after its last committed batch: every row exactly once, counters right', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `人${i},1390000040${i}`);
    rows.splice(5, 0, '坏,123'); // line 7 fails
    const csv = ['姓名,手机', ...rows].join('\n');
    const up = await upload(c, 'big.csv', csv);
    const id = up.json().import.id;
    const start = await c.post(`/api/v1/imports/${id}/start`, { mapping: { 姓名: 'name', 手机: 'phone' }, policy: 'skip' });
    const jobId = start.json().jobId;
    await db().updateTable('jobs').set({ payload: JSON.stringify({ workspaceId: ws, importId: id, batchSize: 3 }) }).where('id', '=', jobId).execute();
    // First attempt: dies when the third batch tries to commit (two batches committed).
    let checkpoints = 0;
    const crashing = {
      ...importContactsJob,
      handler: (ctx: Parameters<typeof importContactsJob.handler>[0], p: Parameters<typeof importContactsJob.handler>[1]) =>
        importContactsJob.handler(
          {
            ...ctx,
            checkpoint: async (...args: Parameters<typeof ctx.checkpoint>) => {
              if (ctx.job.attempt === 1 && ++checkpoints === 3) throw new Error('killed');
              return ctx.checkpoint(...args);
            },
          },
          p,
        ),
    };
    const job = await runToEnd(db(), ws, jobId, [crashing]);
    expect(job).toMatchObject({ status: 'done', attempts: 2, lastError: 'Error: killed', progress: { done: 11, total: 11 } });
    const view = (await c.get(`/api/v1/imports/${id}`)).json().import;
    expect(view).toMatchObject({ status: 'done', rowsTotal: 11, rowsCreated: 10, rowsFailed: 1, rowsSkipped: 0 });
    const n = await sql<{ n: number; phones: number }>`select count(*)::int as n, count(distinct phone)::int as phones from contacts
      where workspace_id = ${ws} and phone like '+861390000040%'`.execute(db());
    expect(n.rows[0]).toEqual({ n: 10, phones: 10 });
    const errors = await db().selectFrom('import_errors').select(['line', 'column_name']).where('workspace_id', '=', ws).where('import_id', '=', id).execute();
    expect(errors).toEqual([{ line: 7, column_name: '手机' }]);
    const created = await sql<{ n: number; lines: number }>`select count(*)::int as n, count(distinct line)::int as lines from import_contacts
      where workspace_id = ${ws} and import_id = ${id}`.execute(db());
    expect(created.rows[0]).toEqual({ n: 10, lines: 10 });
  });

  it('makes the importing member the owner of new contacts without one, so an own-scope importer sees them', async () => {
    const importer = await addMember(t, ws, { name: '导入员', permissions: ['contacts:read', 'contacts:write', 'contacts:import'], scope: 'own' });
    const client = await importer.login();
    const { id, view } = await importFile(`姓名,手机\n自己的,13900000901\n`, { 姓名: 'name', 手机: 'phone' }, 'skip', {}, client);
    expect(view.rowsCreated).toBe(1);
    const [contact] = await contactsWhere('+8613900000901');
    expect(contact!.owner_member_id).toBe(importer.memberId);
    const list = await client.get('/api/v1/contacts?limit=50');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([contact!.id]);
    // One imports.contacts.created event per batch names the new contacts.
    const events = await db().selectFrom('outbox_events').select('payload').where('workspace_id', '=', ws).where('type', '=', 'imports.contacts.created').execute();
    expect(events.map((e) => e.payload)).toContainEqual({ importId: id, batch: 1, fromLine: 2, toLine: 2, contactIds: [contact!.id] });
  });

  it('reports a duplicate of a row an earlier batch created, by the key they share', async () => {
    const csv = ['姓名,手机,邮箱', '甲,13900001001,jia@example.com', '乙,13900001002,', '丙,13900001001,', '丁,,jia@example.com', '戊,13900001003,yi@x.com'].join('\n');
    const up = await upload(c, 'batches.csv', csv);
    const id = up.json().import.id;
    const start = await c.post(`/api/v1/imports/${id}/start`, { mapping: { 姓名: 'name', 手机: 'phone', 邮箱: 'email' }, policy: 'skip' });
    await db().updateTable('jobs').set({ payload: JSON.stringify({ workspaceId: ws, importId: id, batchSize: 2 }) }).where('id', '=', start.json().jobId).execute();
    expect((await runToEnd(db(), ws, start.json().jobId, [importContactsJob])).status).toBe('done');
    expect((await c.get(`/api/v1/imports/${id}`)).json().import).toMatchObject({ rowsCreated: 3, rowsFailed: 2 });
    const errors = await db().selectFrom('import_errors').select(['line', 'column_name', 'reason']).where('workspace_id', '=', ws).where('import_id', '=', id).orderBy('line').execute();
    expect(errors).toEqual([
      { line: 4, column_name: '手机', reason: 'Duplicate of line 2 (the same phone)' },
      { line: 5, column_name: '邮箱', reason: 'Duplicate of line 2 (the same e-mail)' },
    ]);
  });

  it('reports a repeat of a row that matched an existing contact in an earlier batch', async () => {
    const [existing] = await db().insertInto('contacts').values({ workspace_id: ws, name: '老朋友', phone: '+8613900001101', custom: '{}' }).returning('id').execute();
    const csv = ['姓名,手机', '甲,13900001101', '乙,13900001102', '丙,13900001101'].join('\n');
    const up = await upload(c, 'remembered.csv', csv);
    const id = up.json().import.id;
    const start = await c.post(`/api/v1/imports/${id}/start`, { mapping: { 姓名: 'name', 手机: 'phone' }, policy: 'overwrite' });
    await db().updateTable('jobs').set({ payload: JSON.stringify({ workspaceId: ws, importId: id, batchSize: 1 }) }).where('id', '=', start.json().jobId).execute();
    expect((await runToEnd(db(), ws, start.json().jobId, [importContactsJob])).status).toBe('done');
    expect((await c.get(`/api/v1/imports/${id}`)).json().import).toMatchObject({ rowsCreated: 1, rowsUpdated: 1, rowsFailed: 1 });
    const errors = await db().selectFrom('import_errors').select(['line', 'column_name', 'reason']).where('workspace_id', '=', ws).where('import_id', '=', id).execute();
    expect(errors).toEqual([{ line: 4, column_name: '手机', reason: 'Duplicate of line 2 (the same phone)' }]);
    expect(await contactsWhere('+8613900001101')).toMatchObject([{ id: existing!.id, name: '甲' }]);
  });

  /** Uploads and starts an import whose job cuts the file into batches of `batchSize` rows; the job is not run. */
  async function started(client: Client, csv: string, m: Record<string, string>, policy: string, batchSize: number) {
    const up = await upload(client, 'batched.csv', csv);
    const id = up.json().import.id as string;
    const start = await client.post(`/api/v1/imports/${id}/start`, { mapping: m, policy });
    expect(start.statusCode, start.body).toBe(202);
    const job = await db().selectFrom('jobs').select(['workspace_id', 'payload']).where('id', '=', start.json().jobId).executeTakeFirstOrThrow();
    await db().updateTable('jobs').set({ payload: JSON.stringify({ ...(job.payload as object), batchSize }) }).where('id', '=', start.json().jobId).execute();
    return { id, jobId: start.json().jobId as string, workspaceId: job.workspace_id };
  }

  const outcome = async (workspaceId: string, importId: string) => ({
    errors: await db().selectFrom('import_errors').select(['line', 'column_name', 'reason']).where('workspace_id', '=', workspaceId).where('import_id', '=', importId).orderBy('line').execute(),
    created: (await sql<{ line: number; phone: string | null; email: string | null }>`
      select ic.line, c.phone, c.email from import_contacts ic join contacts c on c.workspace_id = ic.workspace_id and c.id = ic.contact_id
      where ic.workspace_id = ${workspaceId} and ic.import_id = ${importId} order by ic.line`.execute(db())).rows,
  });

  it('decides rows the same with two batches in flight as in one batch (duplicates across batch edges, matched contacts)', async () => {
    // Rows repeat phones and e-mails of rows 1-3 lines apart, so repeats fall in the same batch, the
    // batch before (still running beside) and older batches; two rows match one existing contact.
    const lines = ['姓名,手机,邮箱'];
    for (let i = 0; i < 36; i++) {
      const phone = i % 5 === 4 ? `1390000300${(i - 1) % 10}` : `139000031${String(i).padStart(2, '0')}`;
      const email = i % 7 === 6 ? `p${i - 2}@example.com` : `p${i}@example.com`;
      lines.push(`人${i},${i === 20 || i === 30 ? '13900003999' : phone},${email}`);
    }
    const csv = lines.join('\n');
    const m = { 姓名: 'name', 手机: 'phone', 邮箱: 'email' };
    const results = [];
    for (const batchSize of [3, 1000]) {
      const other = await signedInOwner(t, `Batches ${batchSize}`);
      await db().insertInto('contacts').values({ workspace_id: other.workspace.id, name: '老客户', phone: '+8613900003999', custom: '{}' }).execute();
      const run = await started(other.client, csv, m, 'skip', batchSize);
      expect((await runToEnd(db(), run.workspaceId, run.jobId, [importContactsJob])).status).toBe('done');
      const view = (await other.client.get(`/api/v1/imports/${run.id}`)).json().import;
      results.push({ counts: [view.rowsCreated, view.rowsSkipped, view.rowsFailed], ...(await outcome(run.workspaceId, run.id)) });
    }
    expect(results[0]!.errors.length).toBeGreaterThan(5);
    expect(results[0]!.counts[1]).toBe(1);
    expect(results[0]).toEqual(results[1]);
  });

  it('two imports of one workspace running at once never create the same person twice', async () => {
    const other = await signedInOwner(t, 'Two at once');
    const csv = ['姓名,手机', ...Array.from({ length: 24 }, (_, i) => `人${i},139000040${String(i).padStart(2, '0')}`)].join('\n');
    const runs = [await started(other.client, csv, { 姓名: 'name', 手机: 'phone' }, 'skip', 2), await started(other.client, csv, { 姓名: 'name', 手机: 'phone' }, 'skip', 3)];
    const jobs = await Promise.all(runs.map((r) => runToEnd(db(), r.workspaceId, r.jobId, [importContactsJob])));
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done']);
    const views = await Promise.all(runs.map(async (r) => (await other.client.get(`/api/v1/imports/${r.id}`)).json().import));
    expect(views[0].rowsCreated + views[1].rowsCreated).toBe(24);
    expect(views[0].rowsSkipped + views[1].rowsSkipped).toBe(24);
    const n = await sql<{ n: number; phones: number }>`select count(*)::int as n, count(distinct phone)::int as phones from contacts where workspace_id = ${other.workspace.id}`.execute(db());
    expect(n.rows[0]).toEqual({ n: 24, phones: 24 });
  });

  it('reads a GBK (GB18030) file from Chinese Excel', async () => {
    const text = '姓名,手机,城市\r\n欧阳娜娜,13900000501,广州\r\n';
    const gbk = Buffer.from(
      // 欧阳娜娜 / 姓名 / 手机 / 城市 / 广州 in GBK, the rest ASCII.
      [0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xca, 0xd6, 0xbb, 0xfa, 0x2c, 0xb3, 0xc7, 0xca, 0xd0, 0x0d, 0x0a,
        0xc5, 0xb7, 0xd1, 0xf4, 0xc4, 0xc8, 0xc4, 0xc8, 0x2c, ...Buffer.from('13900000501,'), 0xb9, 0xe3, 0xd6, 0xdd, 0x0d, 0x0a],
    );
    expect(new TextDecoder('gb18030').decode(gbk)).toBe(text);
    const { view, upload: up } = await importFile(gbk, { 姓名: 'name', 手机: 'phone', 城市: 'city' });
    expect(up).toMatchObject({ encoding: 'gb18030', headers: ['姓名', '手机', '城市'], sampleRows: [['欧阳娜娜', '13900000501', '广州']] });
    expect(view.rowsCreated).toBe(1);
    expect((await contactsWhere('+8613900000501'))[0]).toMatchObject({ name: '欧阳娜娜', city: '广州' });
  });
});

describe('CLI: renmai import contacts', () => {
  it('uploads, runs the job in process with progress, and returns the summary', async () => {
    const file = join(dataDir, 'cli.csv');
    writeFileSync(file, '姓名,手机,标签\n孙七,13900000601,cli-tag\n周八,13900000602,\n周八,13900000602,\n');
    const progress: number[] = [];
    const actor = await operatorActor(db(), ws);
    const result = await importContactsFromFile(db(), t.config, silentLogger, actor, {
      file,
      mapping: { 姓名: 'name', 手机: 'phone', 标签: 'tags' },
      policy: 'skip',
      tags: ['cli-batch'],
      onProgress: (done) => progress.push(done),
    });
    expect(result).toMatchObject({ status: 'done', rowsTotal: 3, rowsCreated: 2, rowsFailed: 1, fileName: 'cli.csv' });
    expect(progress.at(-1)).toBe(3);
    const tagNames = await sql<{ name: string; group: string }>`select t.name, g.name as group from contact_tags ct
      join tags t on t.workspace_id = ct.workspace_id and t.id = ct.tag_id join tag_groups g on g.workspace_id = t.workspace_id and g.id = t.group_id
      join contacts c on c.workspace_id = ct.workspace_id and c.id = ct.contact_id
      where ct.workspace_id = ${ws} and c.phone = '+8613900000601' order by t.name`.execute(db());
    expect(tagNames.rows).toEqual([{ name: 'cli-batch', group: '导入 Imported' }, { name: 'cli-tag', group: '导入 Imported' }]);
  });
});

describe('access', () => {
  it("another workspace's import ids are 404 on every route", async () => {
    const up = await upload(c, 'mine.csv', '手机\n13900000701\n');
    const id = up.json().import.id;
    const other = await signedInOwner(t, 'Other');
    for (const res of [
      await other.client.get(`/api/v1/imports/${id}`),
      await other.client.post(`/api/v1/imports/${id}/preview`, { mapping: { 手机: 'phone' } }),
      await other.client.post(`/api/v1/imports/${id}/start`, { mapping: { 手机: 'phone' }, policy: 'skip' }),
      await other.client.get(`/api/v1/imports/${id}/errors.csv`),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
    }
    const list = await other.client.get('/api/v1/imports');
    expect(list.json().items).toEqual([]);
    expect((await c.get(`/api/v1/imports/${id}`)).json().import.status).toBe('uploaded');
  });

  it('an agent (no contacts:import) gets 403', async () => {
    const agent = await (await addMember(t, ws, 'agent')).login();
    const res = await upload(agent, 'x.csv', '手机\n13900000801\n');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    expect((await agent.get('/api/v1/imports')).statusCode).toBe(403);
  });
});
