// The text transport of an import batch read back by the database exactly as written: every
// character the separators and the escape use, line breaks, non-BMP text, nulls, typed fields.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/db.js';
import { encodeRows, recordset } from './text-rows.js';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(async () => {
  await d.close();
});

const fields = [['n', 'int'], ['t', 'text'], ['u', 'uuid'], ['d', 'date'], ['j', 'jsonb']] as const;

describe('encodeRows + recordset', () => {
  it('round-trips text holding the separators, the escape and its code letters', async () => {
    const texts = [
      'plain', '王芳', '多行\n名字\r\n', 'tab\there', '\x1d', '\x1e', '\x1f', '\x1dd', '\x1de\x1df', 'a\x1fb\x1ec\x1dd', '\\x1e', 'emoji 🦄', ' spaced ',
    ];
    const rows = texts.map((t, i) => [i, t, null, null, null]);
    const { rows: back } = await sql<{ n: number; t: string }>`select n, t from (${recordset(encodeRows(rows), fields)}) r order by n`.execute(d.db);
    expect(back.map((r) => r.t)).toEqual(texts);
  });

  it('reads empty fields as null and typed fields by their type', async () => {
    const id = '0190c6d2-3f4e-7a1b-8c9d-0e1f2a3b4c5d';
    const rows = [
      [1, null, id, '1990-05-01', JSON.stringify({ a: [1, 'x\x1ey'] })],
      [2, '', null, null, null],
    ];
    const { rows: back } = await sql<{ n: number; t: string | null; u: string | null; d: string | null; j: unknown }>`
      select n, t, u, d::text as d, j from (${recordset(encodeRows(rows), fields)}) r order by n`.execute(d.db);
    expect(back).toEqual([
      { n: 1, t: null, u: id, d: '1990-05-01', j: { a: [1, 'x\x1ey'] } },
      { n: 2, t: null, u: null, d: null, j: null },
    ]);
  });
});
