// decide(): what rows become, given their matches and the keys of the batch before when that
// batch runs beside this one (its rows are then invisible to this batch's matches).
import { describe, expect, it } from 'vitest';
import { decide } from './dedupe.js';
import { rowKeys, type NormalisedRow } from './normalise-row.js';
import type { KeyMatch } from './queries/contacts-bulk.js';

const mapping = { 手机: 'phone', 邮箱: 'email', 企微: 'identity.wecom' };

function row(line: number, phone: string | null, email: string | null = null, wecom?: string): { row: NormalisedRow; keys: string[] } {
  const r: NormalisedRow = {
    line,
    columns: {
      name: null, gender: null, birthday: null, phone, email, company: null, title: null, city: null, region: null,
      stage_id: null, owner_member_id: null, source_channel: null, influence: null,
    },
    custom: {},
    tags: [],
    identities: wecom ? [{ channelType: 'wecom', externalId: wecom }] : [],
    values: {},
    errors: [],
  };
  return { row: r, keys: rowKeys(r) };
}

const holder = (key: string, contactId: string, live = true): KeyMatch => ({ kind: 'contact', key, line: null, contact_id: contactId, live });

describe('decide', () => {
  it('creates new people, skips or updates matched ones, and reports repeats within the batch by the first shared key', () => {
    const rows = [row(2, '+8613900000001', 'a@x.com'), row(3, '+8613900000002'), row(4, '+8613900000003', 'a@x.com'), row(5, '+8613900000009')];
    const d = decide(rows, [holder('phone:+8613900000009', 'c9')], undefined, { mapping, policy: 'overwrite' });
    expect(d.creates.map((c) => c.row.line)).toEqual([2, 3]);
    expect(d.updates).toEqual([{ row: rows[3]!.row, id: 'c9' }]);
    expect(d.errors).toEqual([{ line: 4, column: '邮箱', reason: 'Duplicate of line 2 (the same e-mail)' }]);
    expect(d.usedKeys).toEqual([{ key: 'phone:+8613900000009', line: 5 }, { key: 'contact:c9', line: 5 }]);
    expect(Object.fromEntries(d.used)).toEqual({
      'phone:+8613900000001': 2, 'email:a@x.com': 2, 'phone:+8613900000002': 3, 'phone:+8613900000009': 5, 'contact:c9': 5,
    });
  });

  it("treats the keys of the batch before as earlier lines, as if its rows had committed", () => {
    // Batch 1 (lines 2-3) created two contacts and matched c9; batch 2 runs beside it and sees none of that.
    const first = decide([row(2, '+8613900000001', 'a@x.com'), row(3, '+8613900000009')], [holder('phone:+8613900000009', 'c9')], undefined, { mapping, policy: 'skip' });
    const second = [row(4, '+8613900000005', 'a@x.com'), row(5, '+8613900000008'), row(6, '+8613900000007', null, 'wx9')];
    // Line 6's identity belongs to c9 too (the contact line 3 matched).
    const d = decide(second, [holder('identity:wecom:wx9', 'c9')], first.used, { mapping, policy: 'skip' });
    expect(d.errors).toEqual([
      { line: 4, column: '邮箱', reason: 'Duplicate of line 2 (the same e-mail)' },
      { line: 6, column: '企微', reason: 'Duplicate of line 3 (the same existing contact)' },
    ]);
    expect(d.creates.map((c) => c.row.line)).toEqual([5]);
    // The same rows once batch 1 has committed: its contacts hold the keys, import_contacts and
    // import_row_keys name the lines; the outcome is the same.
    const committed = decide(
      second,
      [
        holder('email:a@x.com', 'c1'),
        holder('identity:wecom:wx9', 'c9'),
        { kind: 'created', key: null as unknown as string, line: 2, contact_id: 'c1', live: true },
        { kind: 'file', key: 'contact:c9', line: 3, contact_id: null, live: true },
      ],
      undefined,
      { mapping, policy: 'skip' },
    );
    expect(committed.errors).toEqual(d.errors);
    expect(committed.creates.map((c) => c.row.line)).toEqual([5]);
  });

  it('refuses keys of deleted contacts and rows whose keys name several contacts unless skipping', () => {
    const rows = [row(2, '+8613900000001', null, 'gone'), row(3, '+8613900000002', 'b@x.com')];
    const matches = [holder('identity:wecom:gone', 'c0', false), holder('phone:+8613900000002', 'c1'), holder('email:b@x.com', 'c2')];
    const merge = decide(rows, matches, undefined, { mapping, policy: 'merge' });
    expect(merge.errors).toEqual([
      { line: 2, column: '企微', reason: 'gone belongs to a deleted contact; restore it first' },
      { line: 3, column: '手机', reason: 'Matches 2 different contacts; merge them first' },
    ]);
    const skip = decide(rows, matches, undefined, { mapping, policy: 'skip' });
    expect(skip.skipped).toBe(1);
    expect(skip.failedLines).toEqual(new Set([2]));
  });
});
