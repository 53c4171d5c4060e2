// Excel (.xlsx) imports: the workbook is only another row reader, so a sheet and its CSV twin give
// the same preview, the same per-row report (lines = Excel row numbers) and the same contacts.
// Workbooks are written here with the library that reads them (ExcelJS).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInOwner, type Client, type TestApp } from '../../../test/support/app.js';
import { importContactsJob } from './index.js';
import { runToEnd, upload } from './test-support.js';
import { cellText } from './xlsx.js';

let t: TestApp;
let dataDir: string;
const MAX_BYTES = 64 * 1024;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'renmai-xlsx-'));
  t = await createTestApp({ DATA_DIR: dataDir, IMPORT_MAX_BYTES: String(MAX_BYTES) });
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const mapping = { 姓名: 'name', 手机: 'phone', 邮箱: 'email', 生日: 'birthday', 等级: 'custom.level', 标签: 'tags', 性别: 'gender' };

/** A workspace with the select field the rows use. */
async function workspace() {
  const o = await signedInOwner(t, 'Sheets');
  await t.database.db.insertInto('custom_fields').values({ workspace_id: o.workspace.id, key: 'level', label: '等级', type: 'single_select', options: ['A', 'B'], position: 0 }).execute();
  return o;
}

async function workbook(rows: Array<{ at: number; values: ExcelJS.CellValue[] }>) {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('客户');
  for (const { at, values } of rows) sheet.getRow(at).values = values;
  wb.addWorksheet('Other').addRow(['ignored', 'sheet']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function run(client: Client, workspaceId: string, fileName: string, content: Buffer | string) {
  const up = await upload(client, fileName, content);
  expect(up.statusCode, up.body).toBe(201);
  const id = up.json().import.id as string;
  const preview = (await client.post(`/api/v1/imports/${id}/preview`, { mapping })).json();
  const start = await client.post(`/api/v1/imports/${id}/start`, { mapping, policy: 'skip' });
  expect(start.statusCode, start.body).toBe(202);
  const job = await runToEnd(t.database.db, workspaceId, start.json().jobId, [importContactsJob]);
  expect(job.status, String(job.lastError)).toBe('done');
  const view = (await client.get(`/api/v1/imports/${id}`)).json().import;
  const report = (await client.get(`/api/v1/imports/${id}/errors.csv`)).body;
  const contacts = await t.database.db
    .selectFrom('contacts')
    .select(['name', 'phone', 'email', 'birthday', 'gender', 'custom'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('phone')
    .execute();
  const counts = { rowsTotal: view.rowsTotal, rowsCreated: view.rowsCreated, rowsSkipped: view.rowsSkipped, rowsFailed: view.rowsFailed };
  return { upload: up.json().import, preview, counts, report, contacts };
}

describe('an .xlsx import', () => {
  it('gives the same preview, report and contacts as its CSV twin (numbers as digits, date cells as ISO dates, Excel row numbers)', async () => {
    // Rows 1-2 are left empty: the header is the first non-blank row. Row 7 is empty too.
    const sheet = await workbook([
      { at: 3, values: ['姓名', '手机', '邮箱', '生日', '等级', '标签', '性别'] },
      { at: 4, values: ['张三', 13900000501, 'zs@example.com', new Date(Date.UTC(1988, 1, 3)), 'A', 'vip,新客', '男'] }, // good: a number phone, a date cell
      { at: 5, values: ['坏电话', 12345, null, null, null, null, null] }, // wrong phone
      { at: 6, values: ['坏日期', '13900000502', null, '1990-02-30', null, null, null] }, // bad date (text)
      { at: 8, values: [{ richText: [{ text: '王' }, { text: '芳' }] }, { formula: '13900000503', result: 13900000503 }, null, null, 'Z', null, '女'] }, // unknown option
      { at: 9, values: ['张三again', '13900000501', null, null, null, null, null] }, // duplicate of row 4
      { at: 10, values: ['李四', 13900000504, 'LS@Example.com', new Date(Date.UTC(2001, 11, 31)), 'B', null, null] }, // good
    ]);
    const csv = [
      '',
      '',
      '姓名,手机,邮箱,生日,等级,标签,性别',
      '张三,13900000501,zs@example.com,1988-02-03,A,"vip,新客",男',
      '坏电话,12345,,,,,',
      '坏日期,13900000502,,1990-02-30,,,',
      '',
      '王芳,13900000503,,,Z,,女',
      '张三again,13900000501,,,,,',
      '李四,13900000504,LS@Example.com,2001-12-31,B,,',
    ].join('\r\n');

    const a = await workspace();
    const fromSheet = await run(a.client, a.workspace.id, '客户.xlsx', sheet);
    const b = await workspace();
    const fromCsv = await run(b.client, b.workspace.id, '客户.csv', csv);

    expect(fromSheet.upload).toMatchObject({ fileKind: 'xlsx', headers: ['姓名', '手机', '邮箱', '生日', '等级', '标签', '性别'] });
    expect(fromSheet.upload.sampleRows[0]).toEqual(['张三', '13900000501', 'zs@example.com', '1988-02-03', 'A', 'vip,新客', '男']);
    expect(fromSheet.upload.sampleRows).toEqual(fromCsv.upload.sampleRows);
    expect(fromSheet.preview).toEqual(fromCsv.preview);
    expect(fromSheet.report.split('\n').slice(0, 6)).toEqual([
      '\uFEFFline,column,reason',
      '5,手机,"""12345"" is not a valid phone number"',
      '6,生日,"""1990-02-30"" is not a date (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日)"',
      '8,等级,"等级: ""Z"" is not one of the options"',
      '9,手机,Duplicate of line 4 (the same phone)',
      '',
    ]);
    expect(fromSheet.report).toBe(fromCsv.report);
    expect(fromSheet.counts).toEqual({ rowsTotal: 6, rowsCreated: 2, rowsSkipped: 0, rowsFailed: 4 });
    expect(fromSheet.counts).toEqual(fromCsv.counts);
    expect(fromSheet.contacts).toEqual([
      { name: '张三', phone: '+8613900000501', email: 'zs@example.com', birthday: '1988-02-03', gender: 'male', custom: { level: 'A' } },
      { name: '李四', phone: '+8613900000504', email: 'ls@example.com', birthday: '2001-12-31', gender: 'unknown', custom: { level: 'B' } },
    ]);
    expect(fromSheet.contacts).toEqual(fromCsv.contacts);
  });

  it('refuses a file that is not a workbook, a password-protected one and one too big, with 400/413 problem+json', async () => {
    const o = await workspace();
    const refused = async (fileName: string, content: Buffer | string) => {
      const res = await upload(o.client, fileName, content);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      return { status: res.statusCode, body: res.json() };
    };
    // Named .xlsx, but text.
    expect(await refused('a.xlsx', 'name,phone\nx,1\n')).toMatchObject({ status: 400, body: { code: 'validation_failed', reason: 'xlsx_invalid', errors: [{ path: 'file' }] } });
    // A zip that is no workbook.
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    expect(await refused('b.xlsx', zip)).toMatchObject({ status: 400, body: { code: 'validation_failed', reason: 'xlsx_invalid' } });
    // Excel encrypts a password-protected workbook into an OLE compound file (also the old .xls).
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504, 0)]);
    expect(await refused('c.xlsx', ole)).toMatchObject({ status: 400, body: { code: 'validation_failed', reason: 'xlsx_encrypted' } });
    // Over IMPORT_MAX_BYTES: random text does not compress.
    const big = await workbook(Array.from({ length: 2000 }, (_, i) => ({ at: i + 1, values: [randomBytes(32).toString('hex'), i] })));
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    expect(await refused('d.xlsx', big)).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    // Nothing of them was kept.
    expect(await t.database.db.selectFrom('imports').select('id').where('workspace_id', '=', o.workspace.id).execute()).toEqual([]);
  });
});

describe('cellText', () => {
  it('reads cells as a CSV export of the sheet would hold them', () => {
    expect(cellText(8613800138000)).toBe('8613800138000');
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText(new Date(Date.UTC(1990, 4, 1)))).toBe('1990-05-01');
    expect(cellText(new Date(Date.UTC(1990, 4, 1, 13, 30)))).toBe('1990-05-01T13:30:00');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText({ error: '#N/A' } as ExcelJS.CellErrorValue)).toBe('#N/A');
    expect(cellText({ text: 'site', hyperlink: 'https://example.com' })).toBe('site');
    expect(cellText(null)).toBe('');
  });
});
